import { type Kysely, sql } from "kysely";

// Frozen: a migration never imports application code.
//
// articles.hidden_at: set while an editor hides a story (`bantin story hide`): it is not listed,
// found, put in a digest nor pushed until unhidden. The partial index keeps the few hidden
// stories cheap to count and to leave out of search pages.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("articles").addColumn("hidden_at", "text").execute();
  await db.schema
    .createIndex("articles_hidden")
    .on("articles")
    .column("hidden_at")
    .where(sql.ref("hidden_at"), "is not", null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("articles_hidden").execute();
  await db.schema.alterTable("articles").dropColumn("hidden_at").execute();
}
