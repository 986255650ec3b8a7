import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// Each reader carries its digest topics (mode digest or both) as one text of topic ids in
// order, "1,3,7" ("" for none), kept by the database itself: triggers on reader_topics set it
// whenever a reader's topics change, however they change (a topic deleted cascades too). A
// digest slot reads it with the reader, instead of grouping reader_topics for a million readers
// at 07:00: PostgreSQL read those apart, a second query and a million more rows per slot, and
// SQLite ran a subquery beside each reader.

/**
 * The digest topics of the readers a subquery names, as PostgreSQL sets them (run by EXECUTE,
 * below: planned each time, as a cached plan made while readers was small would scan it whole
 * for every statement; the bench's million readers then took minutes to seed instead of
 * seconds).
 */
const POSTGRES_REFRESH = (ids: string) => `update readers r set digest_topics = coalesce(
    (select string_agg(t.category_id::text, ',' order by t.category_id) from reader_topics t
      where t.reader_id = r.id and t.mode <> 'instant'), '')
  where r.id = any(array(${ids}))`;

/** A text as a PostgreSQL string literal. */
const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** SQLite: the digest topics of the reader `who` ("new" or "old" in a row trigger). */
const SQLITE_REFRESH = (who: "new" | "old") => `update readers set digest_topics = coalesce(
    (select group_concat(t.category_id, ',' order by t.category_id) from reader_topics t
      where t.reader_id = ${who}.reader_id and t.mode <> 'instant'), '')
  where id = ${who}.reader_id;`;

/** PostgreSQL: a trigger function that refreshes the readers its statement's rows name. */
const postgresFunction = (name: string, ids: string) => `create function ${name}() returns trigger
  language plpgsql as $$ begin
    execute ${quoted(POSTGRES_REFRESH(ids))};
    return null;
  end $$`;

/** Each trigger: its event, PostgreSQL's transition tables and function, SQLite's body. */
const TRIGGERS = [
  {
    name: "inserted",
    event: "insert",
    tables: "new table as changed",
    fn: "readers_digest_topics_inserted",
    sqlite: SQLITE_REFRESH("new"),
  },
  {
    name: "deleted",
    event: "delete",
    tables: "old table as changed",
    fn: "readers_digest_topics_inserted",
    sqlite: SQLITE_REFRESH("old"),
  },
  {
    name: "updated",
    event: "update",
    tables: "old table as previous new table as changed",
    fn: "readers_digest_topics_updated",
    sqlite: `${SQLITE_REFRESH("old")} ${SQLITE_REFRESH("new")}`,
  },
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table readers add column digest_topics text default '' not null`.execute(db);
  const postgres = isPostgres(db);
  if (postgres) {
    // Statement triggers with the rows changed: a bulk insert refreshes its readers at once.
    const changed = "select reader_id from changed";
    await sql.raw(postgresFunction("readers_digest_topics_inserted", changed)).execute(db);
    await sql
      .raw(
        postgresFunction(
          "readers_digest_topics_updated",
          `${changed} union select reader_id from previous`,
        ),
      )
      .execute(db);
  }
  for (const t of TRIGGERS) {
    const on = `create trigger reader_topics_digest_${t.name} after ${t.event} on reader_topics`;
    await sql
      .raw(
        postgres
          ? `${on} referencing ${t.tables} for each statement execute function ${t.fn}()`
          : `${on} begin ${t.sqlite} end`,
      )
      .execute(db);
  }
  // Readers already there: every one with a topic, at once.
  const aggregate = postgres
    ? sql`string_agg(t.category_id::text, ',' order by t.category_id)`
    : sql`group_concat(t.category_id, ',' order by t.category_id)`;
  await sql`update readers set digest_topics = coalesce(
      (select ${aggregate} from reader_topics t
        where t.reader_id = readers.id and t.mode <> 'instant'), '')
    where id in (select reader_id from reader_topics)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  for (const { name } of TRIGGERS) {
    const trigger = `reader_topics_digest_${name}`;
    await sql
      .raw(isPostgres(db) ? `drop trigger ${trigger} on reader_topics` : `drop trigger ${trigger}`)
      .execute(db);
  }
  if (isPostgres(db)) {
    await sql`drop function readers_digest_topics_inserted()`.execute(db);
    await sql`drop function readers_digest_topics_updated()`.execute(db);
  }
  await sql`alter table readers drop column digest_topics`.execute(db);
}
