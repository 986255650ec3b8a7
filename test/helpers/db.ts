import { migrateToLatest, openDatabase } from "../../src/db";
import type { Db, DbHandle } from "../../src/db/schema";
import { findOutboxItem, type OutboxItem } from "../../src/delivery/outbox";

/** A fresh, migrated in-memory SQLite database. */
export async function createTestDb(): Promise<DbHandle> {
  const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
  await migrateToLatest(db);
  return db;
}

/** A test's lookup of an outbox row by its key alone (the bot looks keys up per reader). */
export async function outboxItemByKey(db: Db, key: string): Promise<OutboxItem | undefined> {
  const row = await db
    .selectFrom("outbox")
    .select("reader_id")
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row && findOutboxItem(db, row.reader_id, key);
}
