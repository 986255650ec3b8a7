/**
 * Feeds as editors change them, from any front end: add, check now, pause, resume, remove. Each
 * change is checked once here, made through the feeds' own module and written to the audit log
 * with the same action and details whoever asked (the console, `bantin source …`).
 */
import type { Clock } from "../clock";
import { DuplicateError, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import { recordAudit } from "../editors/audit";
import type { FeedSummary } from "../news/check-feed";
import { checkFeedUrl, describeFeedUrlProblem, type FeedUrlProblem } from "../news/feed-url";
import {
  addFeed,
  type Feed,
  type FeedHealth,
  feedHealth,
  getFeed,
  listFeeds,
  removeFeed,
  setFeedPaused,
} from "../news/feeds";
import type { FeedProbe } from "../news/probe-feed";
import { findTopicById, findTopicBySlug, listTopics, type Topic } from "../news/topics";

export type FeedProblem =
  | { code: "url"; why: FeedUrlProblem; typed: string }
  | { code: "noTopic"; topic: string }
  | { code: "duplicate"; url: string }
  | { code: "notFound"; id: number }
  | { code: "cannotCheck" }
  /** The address answered with something that is not a feed (and names no feed). */
  | { code: "notAFeed"; url: string; reason: string }
  /** Nothing could be read there: a 404, a refused private address, a timeout. */
  | { code: "unreachable"; url: string; reason: string }
  /** A web page that names its feeds: one of those is what to add. */
  | { code: "pageWithFeeds"; url: string; feeds: { url: string; title: string }[] };

/** A change that cannot be made as asked; `problem` lets each front end say it its own way. */
export class FeedError extends Error {
  override name = "FeedError";
  constructor(readonly problem: FeedProblem) {
    super(describe(problem));
  }
}

function describe(p: FeedProblem): string {
  switch (p.code) {
    case "url":
      return describeFeedUrlProblem(p.why, p.typed);
    case "noTopic":
      return `no topic "${p.topic}"; see \`bantin category list\``;
    case "duplicate":
      return `feed ${p.url} is already added`;
    case "notFound":
      return `no feed with id ${p.id}; see \`bantin source list\``;
    case "cannotCheck":
      return "feeds cannot be checked from here";
    case "notAFeed":
      return `${p.url} is not a feed (${p.reason}); give the feed's own address, or add it anyway with --no-check`;
    case "unreachable":
      return `cannot read ${p.url} (${p.reason}); check the address, or add it anyway with --no-check if the site is down now`;
    case "pageWithFeeds":
      return `${p.url} is a web page; it names ${p.feeds.length === 1 ? "this feed" : "these feeds"}: ${p.feeds
        .map((f) => (f.title ? `${f.url} (${f.title})` : f.url))
        .join(", ")}; add ${p.feeds.length === 1 ? "it" : "one of them"}`;
  }
}

/** A topic as a front end names it: by its slug (the CLI) or its id (the console's form). */
export type TopicRef = { slug: string } | { id: number };

export interface FeedServiceDeps {
  db: Db;
  clock: Clock;
  /** Reads one feed now and stores what is new (ingest); unset where nothing may fetch. */
  check?: (feed: Feed) => Promise<FeedSummary>;
  /** Reads an address once to tell what it holds (before adding); unset where nothing may fetch. */
  probe?: (url: string) => Promise<FeedProbe>;
}

/** A feed with what an editor sees beside it: its topic and its health. */
export interface FeedView extends Feed {
  topic: Topic | null;
  health: FeedHealth;
}

export interface FeedService {
  list(): Promise<FeedView[]>;
  get(id: number): Promise<Feed>;
  /**
   * Adds a feed after reading it once (unless `check` is false, or nothing may fetch here):
   * what is not a feed, or cannot be read, is refused, and a web page that names its feeds is
   * answered with them.
   */
  add(
    actor: string,
    input: { url: string; topic: TopicRef; fullText: boolean; check?: boolean },
  ): Promise<Feed>;
  /** Pauses or resumes; a feed already so is left as it is (no audit entry): `changed` false. */
  setPaused(actor: string, id: number, paused: boolean): Promise<{ feed: Feed; changed: boolean }>;
  remove(actor: string, id: number): Promise<Feed>;
  /** Reads the feed now, even a paused one. */
  checkNow(actor: string, id: number): Promise<{ feed: Feed; summary: FeedSummary }>;
}

export function feedService(deps: FeedServiceDeps): FeedService {
  const { db } = deps;
  const now = () => deps.clock().toISOString();

  async function get(id: number): Promise<Feed> {
    try {
      return await getFeed(db, id);
    } catch (error) {
      if (error instanceof NotFoundError) throw new FeedError({ code: "notFound", id });
      throw error;
    }
  }

  async function topicOf(ref: TopicRef): Promise<Topic> {
    const topic =
      "slug" in ref ? await findTopicBySlug(db, ref.slug) : await findTopicById(db, ref.id);
    if (!topic)
      throw new FeedError({ code: "noTopic", topic: "slug" in ref ? ref.slug : String(ref.id) });
    return topic;
  }

  return {
    async list() {
      const [feeds, topics] = await Promise.all([listFeeds(db), listTopics(db)]);
      const byId = new Map(topics.map((t) => [t.id, t]));
      return feeds.map((feed) => ({
        ...feed,
        topic: byId.get(feed.topicId) ?? null,
        health: feedHealth(feed),
      }));
    },

    get,

    async add(actor, input) {
      const checked = checkFeedUrl(input.url);
      if (!checked.ok) throw new FeedError({ code: "url", why: checked.problem, typed: input.url });
      const topic = await topicOf(input.topic);
      if (input.check !== false && deps.probe) {
        const found = await deps.probe(checked.url);
        if (found.kind === "page") {
          throw new FeedError({ code: "pageWithFeeds", url: checked.url, feeds: found.feeds });
        }
        if (found.kind === "notFeed" || found.kind === "unreachable") {
          throw new FeedError({
            code: found.kind === "notFeed" ? "notAFeed" : "unreachable",
            url: checked.url,
            reason: found.reason,
          });
        }
      }
      let feed: Feed;
      try {
        feed = await addFeed(db, { url: checked.url, topicId: topic.id, fullText: input.fullText });
      } catch (error) {
        if (error instanceof DuplicateError)
          throw new FeedError({ code: "duplicate", url: checked.url });
        throw error;
      }
      await recordAudit(db, {
        actor,
        action: "feed.add",
        detail: { feedId: feed.id, url: feed.url, topic: topic.slug, fullText: feed.fullText },
        at: now(),
      });
      return feed;
    },

    async setPaused(actor, id, paused) {
      const feed = await get(id);
      // A second press (another tab, another editor) finds it already so: its paused time and
      // next check stay, and nothing is written.
      if (Boolean(feed.pausedAt) === paused) return { feed, changed: false };
      const at = now();
      const updated = await setFeedPaused(db, id, paused, at);
      await recordAudit(db, {
        actor,
        action: paused ? "feed.pause" : "feed.resume",
        detail: { feedId: id, url: updated.url },
        at,
      });
      return { feed: updated, changed: true };
    },

    async remove(actor, id) {
      const feed = await get(id);
      await removeFeed(db, id);
      await recordAudit(db, {
        actor,
        action: "feed.remove",
        detail: { feedId: id, url: feed.url },
        at: now(),
      });
      return feed;
    },

    async checkNow(actor, id) {
      if (!deps.check) throw new FeedError({ code: "cannotCheck" });
      const feed = await get(id);
      const summary = await deps.check(feed);
      await recordAudit(db, {
        actor,
        action: "feed.check",
        detail: {
          feedId: id,
          url: feed.url,
          status: summary.status,
          new: summary.new,
          updated: summary.updated,
          error: summary.error,
        },
        at: now(),
      });
      return { feed, summary };
    },
  };
}
