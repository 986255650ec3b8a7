import { type Kysely, sql } from "kysely";

// Frozen: a migration never imports application code.
//
// The editorial desk's stories (issue 21): corrections, retractions and editor's picks.
// - articles.retracted_at: set when an editor retracts a story (`bantin story retract`); the
//   story is hidden as well (hidden_at), and the messages that carried it are withdrawn.
// - articles.pinned_until: an editor's pick, atop every digest until then (`bantin story pin`);
//   a partial index, so the digest reads the few pinned stories once per tick.
// - outbox.message_ids: what the platform answered for a sent row, filled by the same UPDATE
//   that marks it sent: JSON [[id, ...] per part] (Telegram only; a row has no ids elsewhere).
//   A withdrawal or an edit row carries the ids of the messages it acts on.
// - outbox_payload_stories: which stories a stored payload carries (a payload is shared by many
//   readers, so this stays small), to find the messages that carried a story.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("articles").addColumn("retracted_at", "text").execute();
  await db.schema.alterTable("articles").addColumn("pinned_until", "text").execute();
  await db.schema
    .createIndex("articles_pinned")
    .on("articles")
    .column("pinned_until")
    .where(sql.ref("pinned_until"), "is not", null)
    .execute();
  await db.schema.alterTable("outbox").addColumn("message_ids", "text").execute();
  await db.schema
    .createTable("outbox_payload_stories")
    .addColumn("payload_id", "integer", (c) =>
      c.notNull().references("outbox_payloads.id").onDelete("cascade"),
    )
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("outbox_payload_stories_pk", ["payload_id", "article_id"])
    .execute();
  await db.schema
    .createIndex("outbox_payload_stories_by_article")
    .on("outbox_payload_stories")
    .columns(["article_id", "payload_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox_payload_stories").execute();
  await db.schema.alterTable("outbox").dropColumn("message_ids").execute();
  await db.schema.dropIndex("articles_pinned").execute();
  await db.schema.alterTable("articles").dropColumn("pinned_until").execute();
  await db.schema.alterTable("articles").dropColumn("retracted_at").execute();
}
