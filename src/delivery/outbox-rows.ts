/**
 * New outbox rows as one SELECT each store reads fast, for the owner's INSERT ... SELECT
 * (outbox.ts): PostgreSQL's unnest of one array per column, SQLite's json_each of one JSON text.
 */
import { type RawBuilder, sql } from "kysely";
import { INTEGER_COLUMNS, NEW_ROW_COLUMNS, type NewRowColumn } from "./outbox-items";

// created_at is given once per statement, not left to the column's default: PostgreSQL formats
// the default anew for every row, a fifth of a bulk insert's time (psql, 500,000 rows: 5.4-5.8 s
// with the default, 3.8-4.8 s given). Likewise a column with one value in every row (a digest's
// kind, priority, time) goes as one value, not an array the driver quotes element by element.

/** Which columns hold one value in every row (the first, the key, varies by nature). */
function sameInEveryRow(columns: unknown[][]): boolean[] {
  return columns.map((values, i) => i > 0 && values.every((v) => v === values[0]));
}

const typeOf = (column: NewRowColumn) => (INTEGER_COLUMNS.has(column) ? "integer" : "text");

/** PostgreSQL: SELECT ... FROM unnest(one array per column), cheap to send and parse. */
export function unnestRows(columns: unknown[][], createdAt: string): RawBuilder<unknown> {
  const same = sameInEveryRow(columns);
  const varying = NEW_ROW_COLUMNS.filter((_, i) => !same[i]);
  const arrays = NEW_ROW_COLUMNS.flatMap((column, i) => {
    if (same[i]) return [];
    const values = columns[i] as unknown[];
    // Integers as one array literal: the driver would turn each into text on its own.
    const integers = typeOf(column) === "integer" && !values.includes(null);
    return [sql`${integers ? `{${values.join(",")}}` : values}::${sql.raw(typeOf(column))}[]`];
  });
  const fields = NEW_ROW_COLUMNS.map((column, i) =>
    same[i] ? sql`cast(${columns[i]?.[0]} as ${sql.raw(typeOf(column))})` : sql.ref(`u.${column}`),
  );
  return sql`select ${sql.join(fields)}, cast(${createdAt} as text)
    from unnest(${sql.join(arrays)}) as u(${sql.join(varying.map((c) => sql.ref(c)))})`;
}

/**
 * SQLite: SELECT ... FROM json_each(the rows as one JSON array of arrays), the columns with one
 * value in every row given once (a million digest rows: 4.8-5.1 s against 6.3-8.1 s with every
 * column in the JSON, a script on a copy of the bench's database).
 */
export function jsonRows(columns: unknown[][], createdAt: string): RawBuilder<unknown> {
  const same = sameInEveryRow(columns);
  const varying = columns.filter((_, i) => !same[i]);
  const count = columns[0]?.length ?? 0;
  const rows = Array.from({ length: count }, (_, r) => varying.map((values) => values[r]));
  let next = 0;
  const fields = NEW_ROW_COLUMNS.map((_, i) =>
    same[i] ? sql`${columns[i]?.[0] ?? null}` : sql.raw(`value ->> ${next++}`),
  );
  // "where true": SQLite's grammar needs it between a SELECT and ON CONFLICT.
  return sql`select ${sql.join(fields)}, ${createdAt} from json_each(${JSON.stringify(rows)}) where true`;
}
