import { sql } from "kysely";
import type { Db } from "../db/schema";

/** Platforms a broadcast can reach (the terminal is a demo, not an audience). */
export const BROADCAST_PLATFORMS = ["telegram", "zalo"] as const;
export type BroadcastPlatform = (typeof BROADCAST_PLATFORMS)[number];

/** The languages and delivery modes an audience can be narrowed to. */
export const AUDIENCE_LOCALES = ["vi", "en"] as const;
export type AudienceLocale = (typeof AUDIENCE_LOCALES)[number];
export const AUDIENCE_MODES = ["digest", "instant"] as const;
export type AudienceMode = (typeof AUDIENCE_MODES)[number];

/**
 * Who a broadcast reaches: active readers, narrowed by each segment given: following any of
 * these topics (`topicIds`, or the one `topicId`), on one platform, of one language (`vi`: any
 * but English, as they get the Vietnamese rendering; `en`), and taking (those) topics in one
 * delivery mode (`digest` or `instant`; "both" counts for each). Never the Telegram channels
 * the bot posts to: they carry only their topics' stories.
 */
export interface AudienceFilter {
  topicId?: number | null;
  topicIds?: readonly number[] | null;
  platform: string | null;
  locale?: string | null;
  mode?: string | null;
}

/** The topics a filter narrows to (none: every reader, whatever they follow). */
function topicsOf(filter: AudienceFilter): number[] {
  if (filter.topicIds?.length) return [...filter.topicIds];
  return filter.topicId != null ? [filter.topicId] : [];
}

/**
 * A reader's column as an expression no index serves. Pages by id must be read through the
 * primary key: without statistics SQLite's planner reads them through readers_digest_due
 * (status) or readers_chat (platform) instead, every active reader for each page, and a million
 * readers take minutes instead of seconds. (Pages are id ranges, not "the next N after": with
 * these expressions PostgreSQL cannot estimate how many rows match, and an ORDER BY id LIMIT N
 * may then sort the whole table.)
 */
const unindexed = (column: "status" | "platform" | "locale") =>
  sql<string>`${sql.ref(`readers.${column}`)} || ''`;

function audienceQuery(db: Db, filter: AudienceFilter, ids?: { afterId: number; lastId: number }) {
  const status = ids ? unindexed("status") : sql.ref("readers.status");
  const platform = ids ? unindexed("platform") : sql.ref("readers.platform");
  let query = db
    .selectFrom("readers")
    .where(status, "=", "active")
    .where(platform, "in", [...BROADCAST_PLATFORMS])
    .where("readers.chat_type", "<>", "channel");
  if (filter.platform) query = query.where(platform, "=", filter.platform);
  if (filter.locale) {
    const locale = ids ? unindexed("locale") : sql.ref("readers.locale");
    query = query.where(locale, filter.locale === "en" ? "=" : "<>", "en");
  }
  const topicIds = topicsOf(filter);
  const mode = filter.mode;
  if (topicIds.length > 0 || mode) {
    query = query.where((eb) => {
      let topic = eb
        .selectFrom("reader_topics")
        .select("reader_topics.reader_id")
        .whereRef("reader_topics.reader_id", "=", "readers.id");
      if (topicIds.length > 0) topic = topic.where("reader_topics.category_id", "in", topicIds);
      if (mode) topic = topic.where("reader_topics.mode", "in", [mode, "both"]);
      // The page's range here too, or PostgreSQL may read every follower of the topic per page.
      if (ids) {
        topic = topic
          .where("reader_topics.reader_id", ">", ids.afterId)
          .where("reader_topics.reader_id", "<=", ids.lastId);
      }
      return eb.exists(topic);
    });
  }
  return query;
}

export async function countAudience(db: Db, filter: AudienceFilter): Promise<number> {
  const row = await audienceQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The highest reader id so far (0 with no readers): where paging the audience by id ends. */
export async function lastReaderId(db: Db): Promise<number> {
  const row = await db
    .selectFrom("readers")
    .select((eb) => eb.fn.max("id").as("last"))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

/**
 * The members with ids in (afterId, lastId], as a query for a bulk write to select from: a page
 * of the audience read through the primary key (and reader_topics' own key) alone.
 */
export function audienceBetween(db: Db, filter: AudienceFilter, afterId: number, lastId: number) {
  return audienceQuery(db, filter, { afterId, lastId })
    .select(["readers.id", "readers.platform", "readers.locale"])
    .where("readers.id", ">", afterId)
    .where("readers.id", "<=", lastId);
}

/**
 * The private chats of these people (an editor's own chat has their user id on both platforms),
 * as a query for a bulk write to select from: where a test of a broadcast goes.
 */
export function readersOfChats(db: Db, chats: readonly { platform: string; chatId: string }[]) {
  return db
    .selectFrom("readers")
    .select(["readers.id", "readers.platform", "readers.locale"])
    .where("readers.status", "=", "active")
    .where("readers.chat_type", "=", "private")
    .where((eb) =>
      eb.or(
        chats
          .filter((c) => BROADCAST_PLATFORMS.includes(c.platform as BroadcastPlatform))
          .map((c) =>
            eb.and([eb("readers.platform", "=", c.platform), eb("readers.chat_id", "=", c.chatId)]),
          ),
      ),
    );
}
