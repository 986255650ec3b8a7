/**
 * Copying one bantin database into another (SQLite into PostgreSQL, and back): every table row
 * for row, ids kept, in one transaction on the target, with the row counts checked at the end. A
 * target that already holds data is refused unless it may be emptied first.
 */
import { statSync } from "node:fs";
import { sql } from "kysely";
import { isPostgres } from "./dialect";
import type { Db, DbHandle } from "./schema";
import { inTransaction } from "./transaction";

interface TableCopy {
  name: string;
  /** Columns copied; all of them (`*`) unless the stores keep different ones. */
  columns?: string[];
  /** The key rows are read in order of (keyset pagination). */
  key: string[];
  /** Has an identity column `id` whose sequence must follow the copied ids (PostgreSQL). */
  identity?: boolean;
}

/** Every table, parents before children. */
const TABLES: TableCopy[] = [
  { name: "categories", key: ["id"], identity: true },
  { name: "sources", key: ["id"], identity: true },
  { name: "articles", key: ["id"], identity: true },
  { name: "article_categories", key: ["article_id", "category_id"] },
  // FTS5 keeps the article id as rowid; PostgreSQL adds a generated tsvector, not copied.
  { name: "article_search", columns: ["rowid", "title", "lead", "body"], key: ["rowid"] },
  { name: "readers", key: ["id"], identity: true },
  { name: "reader_topics", key: ["reader_id", "category_id"] },
  { name: "digest_marks", key: ["reader_id"] },
  { name: "broadcasts", key: ["id"], identity: true },
  { name: "broadcast_opens", key: ["broadcast_id", "platform"] },
  { name: "outbox_payloads", key: ["id"], identity: true },
  { name: "outbox", key: ["id"], identity: true },
  { name: "admin_audit", key: ["id"], identity: true },
  { name: "inbox_updates", key: ["id"], identity: true },
  { name: "keyword_follows", key: ["id"], identity: true },
  { name: "instant_items", key: ["reader_id", "article_id"] },
  { name: "job_cursors", key: ["job"] },
  { name: "chat_memory", key: ["platform", "chat_id"] },
  { name: "story_reads", key: ["article_id", "day"] },
  { name: "alert_incidents", key: ["key"] },
  { name: "admin_web_sessions", key: ["token_hash"] },
  { name: "admin_web_keys", key: ["name"] },
  { name: "editor_names", key: ["editor"] },
];

/** The tables copied, in order. */
export const COPIED_TABLES: readonly string[] = TABLES.map((t) => t.name);

const PAGE = 500;

export interface CopyProgress {
  table: string;
  /** Rows copied so far, all tables together, and how many there are. */
  done: number;
  total: number;
}

export interface CopyResult {
  tables: { name: string; rows: number }[];
  rows: number;
}

export class CopyRefused extends Error {
  override name = "CopyRefused";
}

type Row = Record<string, unknown>;

async function count(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
    table,
  )}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Rows after `after` (the key of the last row read), in key order. */
async function page(db: Db, table: TableCopy, after: Row | null): Promise<Row[]> {
  const columns = table.columns ? sql.join(table.columns.map((c) => sql.ref(c))) : sql.raw("*");
  const keys = table.key.map((k) => sql.ref(k));
  const where = after
    ? sql`where (${sql.join(keys)}) > (${sql.join(table.key.map((k) => after[k]))})`
    : sql``;
  const { rows } = await sql<Row>`select ${columns} from ${sql.table(table.name)} ${where}
    order by ${sql.join(keys)} limit ${PAGE}`.execute(db);
  return rows;
}

async function insert(db: Db, table: TableCopy, rows: Row[]): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) return;
  const values = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
  await sql`insert into ${sql.table(table.name)} (${sql.join(columns.map((c) => sql.ref(c)))})
    values ${sql.join(values)}`.execute(db);
}

/** Rows in the target's tables; a target with any is not empty. */
export async function rowsIn(db: Db): Promise<number> {
  let rows = 0;
  for (const table of TABLES) rows += await count(db, table.name);
  return rows;
}

/**
 * Copies every row of `from` into `to` (both migrated to the same version). The source is
 * counted first; a target holding rows is refused unless `force` (then emptied), and rows are
 * replaced with an empty source only when `replaceWithNothing` says so too. All or nothing: on
 * any failure, or when the counts do not match, the target is left as it was.
 */
export async function copyDatabase(
  from: DbHandle,
  to: DbHandle,
  options: {
    force?: boolean;
    replaceWithNothing?: boolean;
    onProgress?: (progress: CopyProgress) => void;
  } = {},
): Promise<CopyResult> {
  const totals = new Map<string, number>();
  for (const table of TABLES) totals.set(table.name, await count(from, table.name));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  const present = await rowsIn(to);
  if (present > 0 && !options.force) {
    throw new CopyRefused(
      `the target already holds ${present} row(s); add --force to empty it and copy anyway`,
    );
  }
  if (present > 0 && total === 0 && !options.replaceWithNothing) {
    throw new CopyRefused(
      `the source holds no rows: copying it would empty the target (${present} row(s)); give --force twice to do that`,
    );
  }
  let done = 0;
  await inTransaction(to, async (trx) => {
    if (present > 0) {
      for (const table of [...TABLES].reverse())
        await trx.deleteFrom(table.name as never).execute();
    }
    for (const table of TABLES) {
      options.onProgress?.({ table: table.name, done, total });
      for (let after: Row | null = null; ; ) {
        const rows = await page(from, table, after);
        if (rows.length === 0) break;
        await insert(trx, table, rows);
        done += rows.length;
        options.onProgress?.({ table: table.name, done, total });
        after = rows[rows.length - 1] as Row;
      }
      if (table.identity && isPostgres(trx)) {
        // Ids were given: the identity must go on after the largest.
        await sql`select setval(pg_get_serial_sequence(${table.name}, 'id'),
          coalesce((select max(id) from ${sql.table(table.name)}), 0) + 1, false)`.execute(trx);
      }
    }
    for (const table of TABLES) {
      const copied = await count(trx, table.name);
      const expected = totals.get(table.name) ?? 0;
      if (copied !== expected) {
        throw new Error(`${table.name}: ${copied} row(s) in the target, ${expected} in the source`);
      }
    }
  });
  return {
    tables: TABLES.map((t) => ({ name: t.name, rows: totals.get(t.name) ?? 0 })),
    rows: total,
  };
}

/**
 * Whether two opened databases are one: the same SQLite file (by device and inode, so any
 * spelling, a symbolic link included), or the same PostgreSQL database on the same server
 * (whatever host name reached it): the target sees the source's own session in that database.
 */
export async function sameDatabase(
  a: { db: DbHandle; kind: "sqlite" | "postgres"; location: string },
  b: { db: DbHandle; kind: "sqlite" | "postgres"; location: string },
): Promise<boolean> {
  if (a.kind !== b.kind) return false;
  if (a.kind === "sqlite") {
    if (a.location === ":memory:" || b.location === ":memory:") return false;
    const [x, y] = [statOrNull(a.location), statOrNull(b.location)];
    if (!x || !y) return a.location === b.location;
    return x.dev === y.dev && x.ino === y.ino;
  }
  const { rows } = await sql<{ pid: number; name: string }>`
    select pg_backend_pid() as pid, current_database() as name`.execute(a.db);
  const me = rows[0];
  if (!me) return false;
  const seen = await sql<{ n: number | string }>`
    select count(*) as n from pg_stat_activity
    where pid = ${me.pid} and datname = ${me.name} and current_database() = ${me.name}`.execute(
    b.db,
  );
  return Number(seen.rows[0]?.n ?? 0) > 0;
}

function statOrNull(path: string): { dev: number; ino: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
