import { type Kysely, sql } from "kysely";

// Frozen: a migration never imports application code.
//
// outbox_sent_at only for rows that were sent: the overview's charts and the alerts ask for
// sent rows by time, and rows waiting to go (a million at a digest slot) no longer each add an
// entry to it when they are enqueued.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("outbox_sent_at").execute();
  await db.schema
    .createIndex("outbox_sent_at")
    .on("outbox")
    .column("sent_at")
    .where(sql.ref("sent_at"), "is not", null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("outbox_sent_at").execute();
  await db.schema.createIndex("outbox_sent_at").on("outbox").column("sent_at").execute();
}
