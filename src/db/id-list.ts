/**
 * "column is one of these ids" as one parameter, however many ids: PostgreSQL reads an integer
 * array, SQLite a JSON array (json_each). A statement per thousands of ids instead of one per
 * few hundred (SQLite's bound-parameter limit), and nothing for the query builder to walk.
 */
import { type Expression, type SqlBool, sql } from "kysely";
import { isPostgres } from "./dialect";
import type { Db } from "./schema";

export function idIn(
  db: Db,
  column: Expression<number>,
  ids: readonly number[],
): Expression<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${column} = any(${ids}::integer[])`
    : sql<SqlBool>`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}
