import type { Kysely } from "kysely";
import { nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// Chat memory and read counts:
// - chat_memory: per chat (platform, chat_id), the last numbered list of stories it was shown
//   (item number -> story id, as JSON) and the numbered choices of the last message that offered
//   any (choice number -> encoded action, as JSON), so that "/doc 2", "đọc 2" and a bare "2"
//   work after a restart and on any process sharing the database;
// - story_reads: how often each story was opened, per day (the newsroom's local date,
//   "YYYY-MM-DD"), with no reader kept beside the count.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);

  await db.schema
    .createTable("chat_memory")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("list_items", "text") // JSON [[number, articleId], ...]; null: no list yet
    .addColumn("list_at", "text")
    .addColumn("choices", "text") // JSON [[number, encodedAction], ...]; null: none offered
    .addColumn("choices_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("chat_memory_pk", ["platform", "chat_id"])
    .execute();

  await db.schema
    .createTable("story_reads")
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("story_reads_pk", ["article_id", "day"])
    .execute();
  await db.schema.createIndex("story_reads_day").on("story_reads").columns(["day"]).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("story_reads").execute();
  await db.schema.dropTable("chat_memory").execute();
}
