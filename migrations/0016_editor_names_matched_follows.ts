import type { Kysely } from "kysely";

// Frozen: a migration never imports application code.
//
// editor_names: the name the platform gave each editor (Telegram first and last name, Zalo
// display name), kept when they ask for a console link or write to the bot, so that the console
// and `bantin audit` show "Lan Nguyễn (telegram:5000)" rather than the bare id. `editor` is
// "telegram:<id>" or "zalo:<id>", as the audit log names them.
// instant_items.keywords: the reader's keyword follows that matched the story, as they typed
// them (a JSON list; null when only a topic did), so that the push says which follow it is for.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("editor_names")
    .addColumn("editor", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("instant_items").addColumn("keywords", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instant_items").dropColumn("keywords").execute();
  await db.schema.dropTable("editor_names").execute();
}
