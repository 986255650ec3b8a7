import { type Kysely, sql } from "kysely";
import { isPostgres, nowText } from "./dialect";

// Frozen: a migration never imports application code.
//
// An outbox key is unique per reader, in one index led by reader_id, which replaces both the
// index on the key alone and outbox_by_reader. Every key already names its reader (or a row of
// that reader's), so nothing that was kept apart runs together. A digest slot writes a million
// rows: the key alone ("digest:123:2026-12-05") sorted as text lands each new entry at a random
// place in its index, while (reader_id, key) for readers in id order appends. Measured with psql,
// a million outbox-shaped rows in 200 statements: 8.7-9.2 s with both indexes, 5.7-6.4 s with
// the one. SQLite cannot drop a column's UNIQUE, so there the table is rebuilt, rows and ids kept.

const SQLITE_COLUMNS = `"id", "idempotency_key", "reader_id", "platform", "kind", "priority",
  "payload_id", "broadcast_id", "state", "attempts", "parts_sent", "next_attempt_at",
  "lease_owner", "lease_until", "last_error", "sent_at", "created_at", "message_ids"`;

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
async function rebuildSqliteOutbox(db: Kysely<any>, keyUnique: boolean): Promise<void> {
  const now = nowText(db);
  await sql`create table "outbox_rebuilt" (
    "id" integer primary key autoincrement,
    "idempotency_key" text not null ${sql.raw(keyUnique ? "unique" : "")},
    "reader_id" integer not null references "readers" ("id") on delete cascade,
    "platform" text not null,
    "kind" text not null,
    "priority" integer default 0 not null,
    "payload_id" integer not null references "outbox_payloads" ("id") on delete restrict,
    "broadcast_id" integer references "broadcasts" ("id") on delete cascade,
    "state" text default 'pending' not null,
    "attempts" integer default 0 not null,
    "parts_sent" integer default 0 not null,
    "next_attempt_at" text default ${now} not null,
    "lease_owner" text,
    "lease_until" text,
    "last_error" text,
    "sent_at" text,
    "created_at" text default ${now} not null,
    "message_ids" text)`.execute(db);
  const columns = sql.raw(SQLITE_COLUMNS);
  await sql`insert into "outbox_rebuilt" (${columns}) select ${columns} from "outbox"`.execute(db);
  // Ids are never handed out twice: the next one follows the old table's, not its highest row.
  await sql`delete from sqlite_sequence where name = 'outbox_rebuilt'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq)
    select 'outbox_rebuilt', seq from sqlite_sequence where name = 'outbox'`.execute(db);
  await sql`drop table "outbox"`.execute(db);
  await sql`alter table "outbox_rebuilt" rename to "outbox"`.execute(db);
  await sql`create index "outbox_due" on "outbox" ("state", "platform", "priority", "next_attempt_at")`.execute(
    db,
  );
  await sql`create index "outbox_by_broadcast" on "outbox" ("broadcast_id", "state")
    where "broadcast_id" is not null`.execute(db);
  await sql`create index "outbox_sent_at" on "outbox" ("sent_at") where "sent_at" is not null`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table outbox drop constraint if exists outbox_idempotency_key_key`.execute(db);
    await sql`drop index if exists outbox_by_reader`.execute(db);
  } else {
    await rebuildSqliteOutbox(db, false);
  }
  await sql`create unique index "outbox_reader_key" on "outbox" ("reader_id", "idempotency_key")`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index "outbox_reader_key"`.execute(db);
  if (isPostgres(db)) {
    await sql`alter table outbox add constraint outbox_idempotency_key_key unique (idempotency_key)`.execute(
      db,
    );
  } else {
    await rebuildSqliteOutbox(db, true);
  }
  await sql`create index "outbox_by_reader" on "outbox" ("reader_id")`.execute(db);
}
