import type { Kysely } from "kysely";
import { isPostgres, nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// The inbox: every platform update is stored (keyed by platform and the platform's own id, so a
// repeat is a no-op) before it is acknowledged, then handled and marked done. It replaces
// processed_updates, which only remembered what had been handled.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema
    .createTable("inbox_updates")
    .addColumn("id", "integer", (c) =>
      isPostgres(db)
        ? c.primaryKey().generatedByDefaultAsIdentity()
        : c.primaryKey().autoIncrement(),
    )
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("update_key", "text", (c) => c.notNull())
    // Updates of one chat are handled in order; other chats go at the same time.
    .addColumn("chat_key", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull()) // the update, JSON
    .addColumn("state", "text", (c) => c.notNull().defaultTo("pending")) // pending | done | failed
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)) // times claimed
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("received_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("handled_at", "text")
    .addUniqueConstraint("inbox_updates_key", ["platform", "update_key"])
    .execute();
  await db.schema
    .createIndex("inbox_updates_pending")
    .on("inbox_updates")
    .columns(["state", "id"])
    .execute();
  await db.schema
    .createIndex("inbox_updates_by_chat")
    .on("inbox_updates")
    .columns(["platform", "chat_key", "state", "id"])
    .execute();
  await db.schema.dropTable("processed_updates").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema.dropTable("inbox_updates").execute();
  await db.schema
    .createTable("processed_updates")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("update_key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("processed_updates_pk", ["platform", "update_key"])
    .execute();
  await db.schema
    .createIndex("processed_updates_at")
    .on("processed_updates")
    .column("at")
    .execute();
}
