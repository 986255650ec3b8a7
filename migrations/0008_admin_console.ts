import type { Kysely } from "kysely";
import { nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// The newsroom's web console (/admin):
// - admin_web_sessions: one-time sign-in links (kind "link", valid minutes, used once) and the
//   sessions they open (kind "session"). Only a SHA-256 of each token is kept, so a copy of the
//   database signs nobody in. `admin` is "telegram:<id>", "zalo:<id>" or "token" (signed in
//   with ADMIN_WEB_TOKEN).
// - admin_web_keys: the key that signs the console's cookies, made once and shared by every
//   process on the database.
// - sources.paused_at: a feed an editor paused is not checked until resumed.
// - indexes on outbox.sent_at and readers.created_at: the overview's 30-day charts read them.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("admin_web_sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull()) // link | session
    .addColumn("admin", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(nowText(db)))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text") // links: when redeemed
    .execute();
  await db.schema
    .createIndex("admin_web_sessions_expiry")
    .on("admin_web_sessions")
    .column("expires_at")
    .execute();
  await db.schema
    .createTable("admin_web_keys")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(nowText(db)))
    .execute();
  await db.schema.alterTable("sources").addColumn("paused_at", "text").execute();
  await db.schema.createIndex("outbox_sent_at").on("outbox").column("sent_at").execute();
  await db.schema.createIndex("readers_created_at").on("readers").column("created_at").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("readers_created_at").execute();
  await db.schema.dropIndex("outbox_sent_at").execute();
  await db.schema.alterTable("sources").dropColumn("paused_at").execute();
  await db.schema.dropTable("admin_web_keys").execute();
  await db.schema.dropTable("admin_web_sessions").execute();
}
