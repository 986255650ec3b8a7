/**
 * 0020_reader_digest_topics: each reader carries its digest topics, "1,3,7", set by the
 * database from reader_topics: filled in for readers there before it, and kept however the
 * topics change afterwards (a subscription, a mode, a bulk insert, a topic or a reader deleted).
 */
import { type MigrationProvider, sql } from "kysely";
import { expect, it } from "vitest";
import { migrations } from "../../migrations";
import { migrateToLatest } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { describeStores } from "../helpers/stores";

const before0020: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0020")),
};

async function digestTopics(db: DbHandle): Promise<Record<number, string>> {
  const rows = await db
    .selectFrom("readers")
    .select(["id", "digest_topics"])
    .orderBy("id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.digest_topics]));
}

describeStores("migration 0020_reader_digest_topics", (store) => {
  it("fills in readers' digest topics and keeps them as reader_topics change", async () => {
    const db = await store.emptyDb();
    await migrateToLatest(db, before0020);
    await sql`INSERT INTO readers (id, platform, chat_id) VALUES
      (1, 'telegram', '10'), (2, 'zalo', 'z2'), (3, 'telegram', '30'), (4, 'telegram', '40')`.execute(
      db,
    );
    await sql`INSERT INTO categories (id, slug, name_vi, name_en) VALUES
      (5, 'thoi-su', 'Thời sự', 'News'), (7, 'kinh-te', 'Kinh tế', 'Business'),
      (12, 'the-thao', 'Thể thao', 'Sports')`.execute(db);
    await sql`INSERT INTO reader_topics (reader_id, category_id, mode) VALUES
      (1, 12, 'digest'), (1, 5, 'both'), (1, 7, 'instant'), (2, 7, 'instant')`.execute(db);

    expect(await migrateToLatest(db)).toEqual(["0020_reader_digest_topics"]);
    // In id order, as numbers; a topic taken only as it happens is not in the digest.
    expect(await digestTopics(db)).toEqual({ 1: "5,12", 2: "", 3: "", 4: "" });

    // One statement for many readers (a bulk insert), and a mode changed.
    await sql`INSERT INTO reader_topics (reader_id, category_id, mode) VALUES
      (3, 12, 'digest'), (3, 7, 'digest'), (4, 5, 'digest')`.execute(db);
    await sql`UPDATE reader_topics SET mode = 'both' WHERE reader_id = 2`.execute(db);
    await sql`UPDATE reader_topics SET mode = 'instant' WHERE reader_id = 1 AND category_id = 12`.execute(
      db,
    );
    expect(await digestTopics(db)).toEqual({ 1: "5", 2: "7", 3: "7,12", 4: "5" });

    // A topic moved from one reader to another, one unsubscribed, one topic deleted (cascade).
    await sql`UPDATE reader_topics SET reader_id = 4 WHERE reader_id = 3 AND category_id = 12`.execute(
      db,
    );
    await sql`DELETE FROM reader_topics WHERE reader_id = 2`.execute(db);
    await sql`DELETE FROM categories WHERE id = 5`.execute(db);
    expect(await digestTopics(db)).toEqual({ 1: "", 2: "", 3: "7", 4: "12" });

    // A reader deleted takes its topics along; the others keep theirs.
    await sql`DELETE FROM readers WHERE id = 3`.execute(db);
    expect(await digestTopics(db)).toEqual({ 1: "", 2: "", 4: "12" });
  });
});
