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

/** Ids of active readers subscribed to a topic (a broadcast audience). */
export async function activeReaderIdsForTopic(db: Db, categoryId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("reader_topics")
    .innerJoin("readers", "readers.id", "reader_topics.reader_id")
    .select("readers.id")
    .where("reader_topics.category_id", "=", categoryId)
    .where("readers.status", "=", "active")
    .orderBy("readers.id")
    .execute();
  return rows.map((r) => r.id);
}
