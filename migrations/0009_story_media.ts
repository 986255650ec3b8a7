import type { Kysely } from "kysely";

// Frozen: a migration never imports application code.
//
// A story's sound and pictures that move: the audio and video a feed carries with it (RSS
// enclosures, Media RSS, Atom enclosure links, JSON Feed attachments), as JSON
// [{ url, kind: "audio" | "video", type, bytes }]: a broadcaster's programmes reach readers as
// something they can play.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("articles")
    .addColumn("media", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("articles").dropColumn("media").execute();
}
