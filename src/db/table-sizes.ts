/**
 * How big each table is: its rows, and its bytes on disk with its indexes (SQLite: the dbstat
 * table; PostgreSQL: pg_total_relation_size), so an operator sees what grows.
 */
import { sql } from "kysely";
import { COPIED_TABLES } from "./copy";
import { isPostgres } from "./dialect";
import type { Db } from "./schema";

export interface TableSize {
  table: string;
  rows: number;
  /** On disk, its indexes included; null where the store cannot tell. */
  bytes: number | null;
}

/** Every table bantin keeps, largest on disk first. */
export async function tableSizes(db: Db): Promise<TableSize[]> {
  const bytes = isPostgres(db) ? await postgresBytes(db) : await sqliteBytes(db);
  const sizes: TableSize[] = [];
  for (const table of COPIED_TABLES) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    sizes.push({ table, rows: Number(rows[0]?.n ?? 0), bytes: bytes.get(table) ?? null });
  }
  return sizes.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0) || b.rows - a.rows);
}

async function postgresBytes(db: Db): Promise<Map<string, number>> {
  const { rows } = await sql<{ name: string; bytes: number }>`
    select c.relname as name, pg_total_relation_size(c.oid) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname = current_schema()`.execute(db);
  return new Map(rows.map((r) => [r.name, Number(r.bytes)]));
}

/** Pages of each table and of its indexes (and, for the search table, its shadow tables). */
async function sqliteBytes(db: Db): Promise<Map<string, number>> {
  try {
    const { rows } = await sql<{ name: string; bytes: number }>`
      select coalesce(s.tbl_name, d.name) as name, sum(d.pgsize) as bytes
      from dbstat d left join sqlite_schema s on s.name = d.name
      group by 1`.execute(db);
    const bytes = new Map<string, number>();
    for (const row of rows) {
      // FTS5 keeps its index in article_search_data, _idx, _content …: counted with it.
      const owner = row.name.startsWith("article_search_") ? "article_search" : row.name;
      bytes.set(owner, (bytes.get(owner) ?? 0) + Number(row.bytes));
    }
    return bytes;
  } catch {
    return new Map(); // a SQLite built without dbstat: rows only
  }
}
