import { sql } from "kysely";
import type { Db } from "../db/schema";

/** Platforms a broadcast can reach (the terminal is a demo, not an audience). */
export const BROADCAST_PLATFORMS = ["telegram", "zalo"] as const;
export type BroadcastPlatform = (typeof BROADCAST_PLATFORMS)[number];

/**
 * Who a broadcast reaches: active readers, of one topic and/or one platform when given. Never
 * the Telegram channels the bot posts to: they carry only their topics' stories.
 */
export interface AudienceFilter {
  topicId: number | null;
  platform: string | null;
}

/**
 * A reader's column as an expression no index serves. Pages by id must be read through the
 * primary key: without statistics SQLite's planner reads them through readers_digest_due
 * (status) or readers_chat (platform) instead, every active reader for each page, and a million
 * readers take minutes instead of seconds. (Pages are id ranges, not "the next N after": with
 * these expressions PostgreSQL cannot estimate how many rows match, and an ORDER BY id LIMIT N
 * may then sort the whole table.)
 */
const unindexed = (column: "status" | "platform") =>
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
  if (filter.topicId !== null) {
    const topicId = filter.topicId;
    query = query.where((eb) => {
      let topic = eb
        .selectFrom("reader_topics")
        .select("reader_topics.reader_id")
        .whereRef("reader_topics.reader_id", "=", "readers.id")
        .where("reader_topics.category_id", "=", topicId);
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
