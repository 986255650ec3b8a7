import type { ColumnDefinitionBuilder, Kysely } from "kysely";
import { isPostgres, nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// News as it happens:
// - each followed topic has a delivery mode: the daily digest (the default), as it happens
//   ("instant"), or both;
// - readers have quiet hours (local "HH:MM" to "HH:MM"; equal times mean none), during which
//   nothing is pushed as it happens, and the time of their last such message (for batching);
// - keyword alerts: words or a phrase a reader follows, stored as typed and folded;
// - instant_items: what is to be pushed (or was) to whom, one row per reader and story, so a
//   reader never gets the same story twice, whether a topic, a keyword, or both matched it;
// - job_cursors: how far a job has read a growing table (the instant matcher: the last story id).
// A Telegram channel the bot posts to is a reader with chat_type 'channel'.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  const id = (c: ColumnDefinitionBuilder) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

  await db.schema
    .alterTable("reader_topics")
    .addColumn("mode", "text", (c) => c.notNull().defaultTo("digest")) // digest | instant | both
    .execute();
  await db.schema
    .alterTable("readers")
    .addColumn("quiet_from", "text", (c) => c.notNull().defaultTo("22:00"))
    .execute();
  await db.schema
    .alterTable("readers")
    .addColumn("quiet_until", "text", (c) => c.notNull().defaultTo("06:00"))
    .execute();
  await db.schema.alterTable("readers").addColumn("last_instant_at", "text").execute();

  await db.schema
    .createTable("keyword_follows")
    .addColumn("id", "integer", id)
    .addColumn("reader_id", "integer", (c) =>
      c.notNull().references("readers.id").onDelete("cascade"),
    )
    .addColumn("words", "text", (c) => c.notNull()) // as the reader typed them (NFC)
    .addColumn("folded", "text", (c) => c.notNull()) // folded as search folds
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("keyword_follows_reader_folded", ["reader_id", "folded"])
    .execute();

  await db.schema
    .createTable("instant_items")
    .addColumn("reader_id", "integer", (c) =>
      c.notNull().references("readers.id").onDelete("cascade"),
    )
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("reason", "text", (c) => c.notNull()) // topic | keyword | topic+keyword
    .addColumn("queued_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("sent_at", "text") // null while waiting (batching, quiet hours)
    .addPrimaryKeyConstraint("instant_items_pk", ["reader_id", "article_id"])
    .execute();
  await db.schema
    .createIndex("instant_items_waiting")
    .on("instant_items")
    .columns(["sent_at", "reader_id"])
    .execute();

  await db.schema
    .createTable("job_cursors")
    .addColumn("job", "text", (c) => c.primaryKey())
    .addColumn("position", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_cursors").execute();
  await db.schema.dropTable("instant_items").execute();
  await db.schema.dropTable("keyword_follows").execute();
  await db.schema.alterTable("readers").dropColumn("last_instant_at").execute();
  await db.schema.alterTable("readers").dropColumn("quiet_until").execute();
  await db.schema.alterTable("readers").dropColumn("quiet_from").execute();
  await db.schema.alterTable("reader_topics").dropColumn("mode").execute();
}
