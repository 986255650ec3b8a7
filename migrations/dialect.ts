import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";

// Frozen with the migrations that use it: a migration never imports application code, and what
// these return must never change for them. Only where the SQL of the two stores must differ do
// the migrations ask which store they run on; everything else is one statement for both.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * "Now" as stored: ISO 8601 UTC text with milliseconds ("2026-01-26T01:27:00.000Z"), for column
 * defaults. PostgreSQL takes the statement's start, as SQLite's 'now' is one time per statement.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export function nowText(db: Kysely<any>): RawBuilder<string> {
  return isPostgres(db)
    ? sql`(to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
    : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}
