import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// PostgreSQL only: outbox rows no longer check their reader, payload and broadcast by foreign
// key. There the check is a trigger that looks the parent up row by row (and locks it), which
// doubled the cost of writing a digest slot's million rows (measured: 200,000 rows in 8.0 s
// with the checks, 4.1 s without). The outbox's owner keeps the references true instead: a reader's rows are
// erased before the reader (services/reader-data.ts), a row whose reader is gone is cancelled
// when its turn comes (delivery/worker.ts), payloads are purged only when no row uses them, and
// broadcasts are never deleted (confirming one to a million readers checked it a million times).
// SQLite checks a foreign key in the statement itself, cheaply, and keeps them.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table outbox drop constraint if exists outbox_reader_id_fkey`.execute(db);
  await sql`alter table outbox drop constraint if exists outbox_payload_id_fkey`.execute(db);
  await sql`alter table outbox drop constraint if exists outbox_broadcast_id_fkey`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`delete from outbox where reader_id not in (select id from readers)`.execute(db);
  await sql`alter table outbox add constraint outbox_reader_id_fkey
    foreign key (reader_id) references readers(id) on delete cascade`.execute(db);
  await sql`alter table outbox add constraint outbox_payload_id_fkey
    foreign key (payload_id) references outbox_payloads(id) on delete restrict`.execute(db);
  await sql`alter table outbox add constraint outbox_broadcast_id_fkey
    foreign key (broadcast_id) references broadcasts(id) on delete cascade`.execute(db);
}
