import { type Kysely, sql } from "kysely";

// Frozen: a migration never imports application code.
//
// Breaking news, sent well: a broadcast may wait for its time (send_at, state "scheduled"; the
// partial index keeps the scheduler's "what is due" cheap), carry a photo (photo_url: an image
// address checked through the fetch guard, or a story's picture), and go to a narrower audience:
// several topics (audience_topics, JSON array of topic ids; it supersedes audience_category_id),
// one language (audience_locale) and one delivery mode (audience_mode: digest or instant).

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of [
    "send_at",
    "photo_url",
    "audience_topics",
    "audience_locale",
    "audience_mode",
  ]) {
    await db.schema.alterTable("broadcasts").addColumn(column, "text").execute();
  }
  await db.schema
    .createIndex("broadcasts_scheduled")
    .on("broadcasts")
    .column("send_at")
    .where(sql.ref("state"), "=", "scheduled")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("broadcasts_scheduled").execute();
  for (const column of [
    "audience_mode",
    "audience_locale",
    "audience_topics",
    "photo_url",
    "send_at",
  ]) {
    await db.schema.alterTable("broadcasts").dropColumn(column).execute();
  }
}
