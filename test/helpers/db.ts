import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";

/** A fresh, migrated in-memory SQLite database. */
export async function createTestDb(): Promise<DbHandle> {
  const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
  await migrateToLatest(db);
  return db;
}
