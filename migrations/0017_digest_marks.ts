import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// digest_marks: which local day a reader's digest was last composed for, and up to when it
// carried stories, moved out of `readers`. The digest marks every due reader served, a million in
// one slot: on PostgreSQL an update of the wide, four-index `readers` row wrote a new row version
// and four index entries per reader (14 s a million, measured). A narrow row with room on its
// page (fillfactor 50) is updated in place, no index touched (HOT): 3.5 s a million. A reader
// with no mark has had no digest; registration no longer writes a cut-off (created_at is it).

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("digest_marks")
    .addColumn("reader_id", "integer", (c) =>
      c.primaryKey().references("readers.id").onDelete("cascade"),
    )
    .addColumn("last_digest_date", "text") // local YYYY-MM-DD of the last digest slot
    .addColumn("last_digest_cutoff", "text") // stories up to here were in a digest
    .execute();
  if (isPostgres(db)) await sql`alter table digest_marks set (fillfactor = 50)`.execute(db);
  await sql`insert into digest_marks (reader_id, last_digest_date, last_digest_cutoff)
    select id, last_digest_date, last_digest_cutoff from readers
    where last_digest_date is not null`.execute(db);
  await db.schema.alterTable("readers").dropColumn("last_digest_date").execute();
  await db.schema.alterTable("readers").dropColumn("last_digest_cutoff").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("readers").addColumn("last_digest_cutoff", "text").execute();
  await db.schema.alterTable("readers").addColumn("last_digest_date", "text").execute();
  await sql`update readers set
    last_digest_date = (select m.last_digest_date from digest_marks m where m.reader_id = readers.id),
    last_digest_cutoff = coalesce(
      (select m.last_digest_cutoff from digest_marks m where m.reader_id = readers.id),
      created_at)`.execute(db);
  await db.schema.dropTable("digest_marks").execute();
}
