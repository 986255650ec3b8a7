import type { Kysely } from "kysely";
import { nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// Alerts to admins: one row per incident key ("feed:12", "dead:telegram", "lag:zalo",
// "token:telegram"), open while cleared_at is null. A key that clears and fails again reopens
// its row with a new opened_at, so each opening and each clearing is told once, whichever
// process sees it first. `details` is JSON of what was seen when it opened (the feed's URL and
// error, the count of dead letters, the minutes behind, the platform's refusal).

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("alert_incidents")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull()) // feed | dead | lag | token
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("cleared_at", "text") // null while open
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(nowText(db)))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("alert_incidents").execute();
}
