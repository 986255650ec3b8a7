import type { Kysely } from "kysely";

// Frozen: a migration never imports application code.
//
// broadcast_opens: how many times the story a broadcast carried was opened through its button
// (or, on Zalo, its numbered choice) within 24 hours of the broadcast's start, per broadcast and
// platform. A counter only: no reader is kept beside it.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("broadcast_opens")
    .addColumn("broadcast_id", "integer", (c) =>
      c.notNull().references("broadcasts.id").onDelete("cascade"),
    )
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("broadcast_opens_pk", ["broadcast_id", "platform"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("broadcast_opens").execute();
}
