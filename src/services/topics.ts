/**
 * Topics as editors change them, from any front end: add, rename, move up or down. The topics'
 * own module checks what a topic may be; this is the one way a front end changes them, each
 * change in the audit log with the same action and details whoever asked.
 */
import type { Clock } from "../clock";
import { DuplicateError, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import { recordAudit } from "../editors/audit";
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

export type TopicProblem =
  | { code: "invalid"; reason: InvalidTopicReason; message: string }
  | { code: "duplicate"; slug: string }
  | { code: "notFound"; topic: string };

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
  /** One place up or down; the first cannot go up nor the last down (`moved` false, no entry). */
  move(
    actor: string,
    ref: TopicRef,
    direction: MoveDirection,
  ): Promise<{ topic: Topic; moved: boolean }>;
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
