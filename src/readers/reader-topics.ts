import { idIn } from "../db/id-list";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";

export async function readerTopicIds(db: Db, readerId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("reader_topics")
    .innerJoin("categories", "categories.id", "reader_topics.category_id")
    .select("reader_topics.category_id")
    .where("reader_topics.reader_id", "=", readerId)
    .orderBy("categories.position")
    .orderBy("categories.id")
    .execute();
  return rows.map((r) => r.category_id);
}

export async function subscribe(db: Db, readerId: number, topicId: number): Promise<void> {
  await db
    .insertInto("reader_topics")
    .values({ reader_id: readerId, category_id: topicId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function unsubscribe(db: Db, readerId: number, topicId: number): Promise<void> {
  await db
    .deleteFrom("reader_topics")
    .where("reader_id", "=", readerId)
    .where("category_id", "=", topicId)
    .execute();
}

/** Every topic a reader follows, dropped (erasure). */
export async function deleteTopicsOf(db: Db, readerId: number): Promise<void> {
  await db.deleteFrom("reader_topics").where("reader_id", "=", readerId).execute();
}

/** Toggles one topic; returns true when the reader is now subscribed. */
export async function toggleTopic(db: Db, readerId: number, topicId: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("reader_topics")
      .where("reader_id", "=", readerId)
      .where("category_id", "=", topicId)
      .executeTakeFirst();
    if (removed.numDeletedRows > 0n) return false;
    await subscribe(trx, readerId, topicId);
    return true;
  });
}

/** Replaces a reader's topics with exactly these. */
export async function setTopics(db: Db, readerId: number, topicIds: number[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("reader_topics").where("reader_id", "=", readerId).execute();
    if (topicIds.length === 0) return;
    await trx
      .insertInto("reader_topics")
      .values([...new Set(topicIds)].map((id) => ({ reader_id: readerId, category_id: id })))
      .execute();
  });
}

/** The topic ids of many readers at once, by reader. */
export async function topicIdsOfReaders(
  db: Db,
  readerIds: number[],
  /** Only the topics whose mode puts them in the daily digest (digest or both). */
  options: { digestOnly?: boolean } = {},
): Promise<Map<number, number[]>> {
  const topics = new Map<number, number[]>();
  const rows = await db
    .selectFrom("reader_topics")
    .select(["reader_id", "category_id"])
    .where((eb) => idIn(db, eb.ref("reader_id"), readerIds))
    .$if(options.digestOnly === true, (qb) => qb.where("mode", "<>", "instant"))
    .execute();
  for (const row of rows) {
    const list = topics.get(row.reader_id);
    if (list) list.push(row.category_id);
    else topics.set(row.reader_id, [row.category_id]);
  }
  return topics;
}

/** How a followed topic's news comes: the daily digest, as it happens, or both. */
export type TopicMode = "digest" | "instant" | "both";
export const TOPIC_MODES: readonly TopicMode[] = ["digest", "instant", "both"];

export function toTopicMode(text: string): TopicMode {
  return text === "instant" || text === "both" ? text : "digest";
}

/** A reader's followed topics with their modes, in the newsroom's order. */
export async function readerTopicModes(
  db: Db,
  readerId: number,
): Promise<{ topicId: number; mode: TopicMode }[]> {
  const rows = await db
    .selectFrom("reader_topics")
    .innerJoin("categories", "categories.id", "reader_topics.category_id")
    .select(["reader_topics.category_id", "reader_topics.mode"])
    .where("reader_topics.reader_id", "=", readerId)
    .orderBy("categories.position")
    .orderBy("categories.id")
    .execute();
  return rows.map((r) => ({ topicId: r.category_id, mode: toTopicMode(r.mode) }));
}

/** Sets how a topic's news comes to a reader, following the topic if they did not yet. */
export async function setTopicMode(
  db: Db,
  readerId: number,
  topicId: number,
  mode: TopicMode,
): Promise<void> {
  await db
    .insertInto("reader_topics")
    .values({ reader_id: readerId, category_id: topicId, mode })
    .onConflict((oc) => oc.columns(["reader_id", "category_id"]).doUpdateSet({ mode }))
    .execute();
}

/**
 * Who wants these topics as it happens (mode instant or both): active readers on these
 * platforms, with the topic, by reader; a page of at most `limit` rows after reader
 * `afterReaderId`, and where the next page starts (null after the last). A reader's rows never
 * straddle two pages.
 */
export async function instantSubscribers(
  db: Db,
  topicIds: number[],
  platforms: readonly string[],
  page: { afterReaderId: number; limit: number },
): Promise<{ subscribers: { readerId: number; topicId: number }[]; nextAfter: number | null }> {
  if (topicIds.length === 0) return { subscribers: [], nextAfter: null };
  const rows = await db
    .selectFrom("reader_topics as rt")
    .innerJoin("readers as r", "r.id", "rt.reader_id")
    .select(["rt.reader_id", "rt.category_id"])
    .where("rt.category_id", "in", [...new Set(topicIds)])
    .where("rt.mode", "in", ["instant", "both"])
    .where("r.status", "=", "active")
    .where("r.platform", "in", [...platforms])
    .where("rt.reader_id", ">", page.afterReaderId)
    .orderBy("rt.reader_id")
    .limit(page.limit)
    .execute();
  const toSubscriber = (r: (typeof rows)[number]) => ({
    readerId: r.reader_id,
    topicId: r.category_id,
  });
  const last = rows.at(-1)?.reader_id;
  if (rows.length < page.limit || last === undefined) {
    return { subscribers: rows.map(toSubscriber), nextAfter: null };
  }
  // A full page may have cut the last reader's rows: it ends before them; the next starts there.
  const whole = rows.filter((r) => r.reader_id !== last);
  if (whole.length === 0) return { subscribers: rows.map(toSubscriber), nextAfter: last };
  const end = whole.at(-1)?.reader_id as number;
  return { subscribers: whole.map(toSubscriber), nextAfter: end };
}

/** Replaces a reader's topics with exactly these, all in one mode (a channel's topics). */
export async function setTopicsInMode(
  db: Db,
  readerId: number,
  topicIds: number[],
  mode: TopicMode,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("reader_topics").where("reader_id", "=", readerId).execute();
    if (topicIds.length === 0) return;
    await trx
      .insertInto("reader_topics")
      .values([...new Set(topicIds)].map((id) => ({ reader_id: readerId, category_id: id, mode })))
      .execute();
  });
}

/** Who follows a topic and can be told of it: active readers in private or group chats. */
export async function topicFollowers(
  db: Db,
  topicId: number,
): Promise<{ readerId: number; platform: string; locale: string }[]> {
  const rows = await db
    .selectFrom("reader_topics as rt")
    .innerJoin("readers as r", "r.id", "rt.reader_id")
    .select(["r.id", "r.platform", "r.locale"])
    .where("rt.category_id", "=", topicId)
    .where("r.status", "=", "active")
    .where("r.chat_type", "<>", "channel")
    .orderBy("r.id")
    .execute();
  return rows.map((r) => ({ readerId: r.id, platform: r.platform, locale: r.locale }));
}
