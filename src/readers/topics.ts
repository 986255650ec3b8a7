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

export async function subscribe(db: Db, readerId: number, categoryId: number): Promise<void> {
  await db
    .insertInto("reader_topics")
    .values({ reader_id: readerId, category_id: categoryId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function unsubscribe(db: Db, readerId: number, categoryId: number): Promise<void> {
  await db
    .deleteFrom("reader_topics")
    .where("reader_id", "=", readerId)
    .where("category_id", "=", categoryId)
    .execute();
}

/** Toggles one topic; returns true when the reader is now subscribed. */
export async function toggleTopic(db: Db, readerId: number, categoryId: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("reader_topics")
      .where("reader_id", "=", readerId)
      .where("category_id", "=", categoryId)
      .executeTakeFirst();
    if (removed.numDeletedRows > 0n) return false;
    await subscribe(trx, readerId, categoryId);
    return true;
  });
}

/** Replaces a reader's topics with exactly these. */
export async function setTopics(db: Db, readerId: number, categoryIds: number[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("reader_topics").where("reader_id", "=", readerId).execute();
    if (categoryIds.length === 0) return;
    await trx
      .insertInto("reader_topics")
      .values([...new Set(categoryIds)].map((id) => ({ reader_id: readerId, category_id: id })))
      .execute();
  });
}

/** The topic ids of many readers at once, by reader. */
export async function topicIdsOfReaders(
  db: Db,
  readerIds: number[],
): Promise<Map<number, number[]>> {
  const topics = new Map<number, number[]>();
  for (let i = 0; i < readerIds.length; i += 500) {
    const rows = await db
      .selectFrom("reader_topics")
      .select(["reader_id", "category_id"])
      .where("reader_id", "in", readerIds.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const list = topics.get(row.reader_id);
      if (list) list.push(row.category_id);
      else topics.set(row.reader_id, [row.category_id]);
    }
  }
  return topics;
}
