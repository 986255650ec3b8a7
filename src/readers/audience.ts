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

export interface AudienceMember {
  id: number;
  platform: string;
  locale: string;
}

function audienceQuery(db: Db, filter: AudienceFilter) {
  let query = db
    .selectFrom("readers")
    .where("readers.status", "=", "active")
    .where("readers.platform", "in", [...BROADCAST_PLATFORMS])
    .where("readers.chat_type", "<>", "channel");
  if (filter.platform) query = query.where("readers.platform", "=", filter.platform);
  if (filter.topicId !== null) {
    const topicId = filter.topicId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("reader_topics")
          .select("reader_topics.reader_id")
          .whereRef("reader_topics.reader_id", "=", "readers.id")
          .where("reader_topics.category_id", "=", topicId),
      ),
    );
  }
  return query;
}

export async function countAudience(db: Db, filter: AudienceFilter): Promise<number> {
  const row = await audienceQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The id that ends the page of `limit` members after `afterId` (in id order), or null when none
 * is left: with `audienceBetween`, the audience in pages that the database writes out itself.
 */
export async function audiencePageEnd(
  db: Db,
  filter: AudienceFilter,
  afterId: number,
  limit: number,
): Promise<number | null> {
  const page = audienceQuery(db, filter)
    .select("readers.id")
    .where("readers.id", ">", afterId)
    .orderBy("readers.id")
    .limit(limit);
  const row = await db
    .selectFrom(page.as("page"))
    .select((eb) => eb.fn.max("page.id").as("last"))
    .executeTakeFirst();
  return row?.last == null ? null : Number(row.last);
}

/** The members with ids in (afterId, lastId], as a query for a bulk write to select from. */
export function audienceBetween(db: Db, filter: AudienceFilter, afterId: number, lastId: number) {
  return audienceQuery(db, filter)
    .select(["readers.id", "readers.platform", "readers.locale"])
    .where("readers.id", ">", afterId)
    .where("readers.id", "<=", lastId);
}
