/**
 * Topics as editors change them, from any front end: add, rename, move up or down. The topics'
 * own module checks what a topic may be; this is the one way a front end changes them, each
 * change in the audit log with the same action and details whoever asked.
 */
import type { Clock } from "../clock";
import { DuplicateError, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import { recordAudit } from "../editors/audit";
import { feedsOfTopic } from "../news/feeds";
import {
  addTopic,
  findTopicById,
  findTopicBySlug,
  InvalidTopicError,
  type InvalidTopicReason,
  listTopicFigures,
  listTopics,
  type MoveDirection,
  moveTopic,
  renameTopic,
  type Topic,
  type TopicFigures,
} from "../news/topics";
import { carryOutRemoval } from "./topic-removal";

export type TopicProblem =
  | { code: "invalid"; reason: InvalidTopicReason; message: string }
  | { code: "duplicate"; slug: string }
  | { code: "notFound"; topic: string }
  /** Removing a topic that has feeds, without saying where they go. */
  | { code: "hasFeeds"; slug: string; feeds: string[] }
  /** Feeds asked to move to the topic being removed. */
  | { code: "sameTopic"; slug: string }
  /** The last topic: stories and feeds would have nowhere to go. */
  | { code: "lastTopic"; slug: string };

/** A change that cannot be made as asked; `problem` lets each front end say it its own way. */
export class TopicError extends Error {
  override name = "TopicError";
  constructor(readonly problem: TopicProblem) {
    super(describe(problem));
  }
}

function describe(p: TopicProblem): string {
  switch (p.code) {
    case "invalid":
      return p.message;
    case "duplicate":
      return `topic "${p.slug}" already exists`;
    case "notFound":
      return `no topic ${p.topic}; see \`bantin category list\``;
    case "hasFeeds":
      return `topic "${p.slug}" still has ${p.feeds.length} feed(s): ${p.feeds.join(", ")}; move them first (--move-feeds-to <slug>) or remove them with it (--with-feeds)`;
    case "sameTopic":
      return `feeds cannot move to "${p.slug}", the topic being removed`;
    case "lastTopic":
      return `"${p.slug}" is the last topic; add another before removing it`;
  }
}

/** A topic as a front end names it: by its slug (the CLI) or its id (the console's forms). */
export type TopicRef = { slug: string } | { id: number };

export interface TopicService {
  list(): Promise<Topic[]>;
  /** Every topic with its readers, stories and feeds. */
  figures(): Promise<TopicFigures[]>;
  add(
    actor: string,
    input: { slug: string; vi: string; en: string; position?: number },
  ): Promise<Topic>;
  /** New names; a language not given keeps its name. */
  rename(actor: string, ref: TopicRef, name: { vi?: string; en?: string }): Promise<Topic>;
  /**
   * Removes a topic. Its followers are told once in chat and keep their other topics; its feeds
   * move to `feeds.moveTo` or go with it (`feeds.withFeeds`), else it is refused naming them.
   * Stories stay stored and searchable, out of it (takeStoriesOutOfTopic says where).
   */
  remove(actor: string, ref: TopicRef, feeds: RemoveFeeds): Promise<TopicRemoval>;
  /** One place up or down; the first cannot go up nor the last down (`moved` false, no entry). */
  move(
    actor: string,
    ref: TopicRef,
    direction: MoveDirection,
  ): Promise<{ topic: Topic; moved: boolean }>;
}

/** What becomes of a removed topic's feeds. */
export type RemoveFeeds = { moveTo?: TopicRef; withFeeds?: boolean };

export interface TopicRemoval {
  topic: Topic;
  /** Followers told in chat. */
  told: number;
  /** Feeds moved (to `movedTo`) or removed. */
  feeds: number;
  movedTo: Topic | null;
  /** Stories that were listed in it; they stay stored. */
  stories: number;
}

export function topicService(deps: { db: Db; clock: Clock }): TopicService {
  const { db } = deps;
  const now = () => deps.clock().toISOString();

  async function find(ref: TopicRef): Promise<Topic> {
    const topic =
      "slug" in ref ? await findTopicBySlug(db, ref.slug) : await findTopicById(db, ref.id);
    if (!topic) {
      throw new TopicError({
        code: "notFound",
        topic: "slug" in ref ? `"${ref.slug}"` : `with id ${ref.id}`,
      });
    }
    return topic;
  }

  /** The owner's refusals as this service's. */
  async function checked<T>(change: () => Promise<T>, slug: string): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (error instanceof InvalidTopicError) {
        throw new TopicError({ code: "invalid", reason: error.reason, message: error.message });
      }
      if (error instanceof DuplicateError) throw new TopicError({ code: "duplicate", slug });
      if (error instanceof NotFoundError)
        throw new TopicError({ code: "notFound", topic: `"${slug}"` });
      throw error;
    }
  }

  return {
    list: () => listTopics(db),
    figures: () => listTopicFigures(db),

    async add(actor, input) {
      const slug = input.slug.trim();
      const topic = await checked(
        () =>
          addTopic(db, {
            slug,
            name: { vi: input.vi, en: input.en },
            ...(input.position !== undefined ? { position: input.position } : {}),
          }),
        slug,
      );
      await recordAudit(db, {
        actor,
        action: "topic.add",
        detail: { topicId: topic.id, slug: topic.slug, vi: topic.name.vi, en: topic.name.en },
        at: now(),
      });
      return topic;
    },

    async rename(actor, ref, name) {
      const before = await find(ref);
      const names = { vi: name.vi ?? before.name.vi, en: name.en ?? before.name.en };
      const topic = await checked(() => renameTopic(db, before.id, names), before.slug);
      await recordAudit(db, {
        actor,
        action: "topic.rename",
        detail: {
          topicId: topic.id,
          slug: topic.slug,
          vi: topic.name.vi,
          en: topic.name.en,
          before: before.name,
        },
        at: now(),
      });
      return topic;
    },

    async remove(actor, ref, feeds) {
      const topic = await find(ref);
      const moveTo = feeds.moveTo ? await find(feeds.moveTo) : null;
      if (moveTo?.id === topic.id) throw new TopicError({ code: "sameTopic", slug: topic.slug });
      const fallback = moveTo ?? (await listTopics(db)).find((t) => t.id !== topic.id);
      if (!fallback) throw new TopicError({ code: "lastTopic", slug: topic.slug });
      const itsFeeds = await feedsOfTopic(db, topic.id);
      if (itsFeeds.length > 0 && !moveTo && !feeds.withFeeds) {
        throw new TopicError({
          code: "hasFeeds",
          slug: topic.slug,
          feeds: itsFeeds.map((f) => `${f.id} ${f.url}`),
        });
      }
      const done = await carryOutRemoval(db, { topic, moveTo, fallback }, actor, now());
      return { topic, movedTo: moveTo, ...done };
    },

    async move(actor, ref, direction) {
      const current = await find(ref);
      const result = await checked(() => moveTopic(db, current.id, direction), current.slug);
      if (result.moved) {
        await recordAudit(db, {
          actor,
          action: "topic.move",
          detail: {
            topicId: result.topic.id,
            slug: result.topic.slug,
            direction,
            position: result.topic.position,
          },
          at: now(),
        });
      }
      return result;
    },
  };
}
