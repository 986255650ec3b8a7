import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from "kysely";
import type pg from "pg";
import { type DatabaseConfig, DEFAULT_DATABASE_POOL_SIZE } from "../config";
import type { DbHandle } from "./schema";
import { withStatementCache } from "./sqlite-statements";

/** pg, loaded when a PostgreSQL database is first opened: SQLite runs need not wait for it. */
let pgModule: typeof pg | undefined;
export const loadPg = (): typeof pg => {
  pgModule ??= createRequire(import.meta.url)("pg") as typeof pg;
  return pgModule;
};

export class DatabaseOpenError extends Error {
  override name = "DatabaseOpenError";
}

/** SQLite runs DDL inside transactions, so a failed migration rolls back whole. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BantinSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export interface OpenedDatabase {
  db: DbHandle;
  kind: DatabaseConfig["kind"];
  /** Where it is, for messages: a file path or a URL without its password. */
  location: string;
}

/**
 * Opens the configured database. Callers get a Kysely instance and never see the driver: the
 * repositories are written once for both stores (dates ISO 8601 UTC text, flags 0/1).
 */
export function openDatabase(config: DatabaseConfig): OpenedDatabase {
  switch (config.kind) {
    case "sqlite":
      return openSqlite(config.path, config.createFolder === true, config.mustExist === true);
    case "postgres":
      return openPostgres(config.url, config.poolSize ?? DEFAULT_DATABASE_POOL_SIZE);
  }
}

const INT8_OID = 20;

/** The pool behind each PostgreSQL handle opened here (its settings open the lock session). */
const pools = new WeakMap<object, pg.Pool>();

/** The pg pool of a PostgreSQL database opened by openDatabase (not of a transaction). */
export function postgresPoolOf(db: object): pg.Pool | undefined {
  return pools.get(db);
}

/**
 * Column types as the repositories expect them on both stores: count(*) and sum() are bigint on
 * PostgreSQL, which pg hands over as strings; bantin's counts and ids fit a JavaScript number.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID && format !== "binary") return (value: string) => Number(value);
    return loadPg().types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * A pool of `poolSize` connections; nothing connects until the first query (the migrations at
 * start-up), which is where a wrong URL or an unreachable server shows.
 */
function openPostgres(url: string, poolSize: number): OpenedDatabase {
  const { Pool } = loadPg();
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    application_name: "bantin",
    // A server that takes the connection but never answers (a network gone quiet) fails the
    // query rather than holding it for ever; keepalives find connections that died unseen.
    connectionTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // A connection the server drops (a restart, a timeout) must not end the process: idle, the
  // pool forwards its error here and replaces it; held (a transaction between statements), the
  // client itself emits it, and with no listener of its own that event would be uncaught. The
  // work in hand fails with the reason, and the pool discards the connection on release.
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) }) as DbHandle;
  pools.set(db, pool);
  return { db, kind: "postgres", location: withoutPassword(url) };
}

/** A URL fit for messages: the password, if any, left out. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(PostgreSQL)";
  }
}

/**
 * Makes the default database's folder, and refuses a missing folder anywhere else: a mistyped
 * path in DATABASE_URL must not quietly start an empty database.
 */
function checkFolder(location: string, createFolder: boolean): void {
  const folder = dirname(location);
  if (createFolder) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new DatabaseOpenError(
        `DATABASE_URL: cannot open SQLite database at ${location}: ${describeFsError(error)}`,
      );
    }
    return;
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new DatabaseOpenError(
        `DATABASE_URL: folder ${folder} does not exist; create it or correct the path (only the default ./data is created)`,
      );
    }
    throw new DatabaseOpenError(
      `DATABASE_URL: cannot open SQLite database at ${location}: ${describeFsError(error)}`,
    );
  }
  if (!isFolder) {
    throw new DatabaseOpenError(
      `DATABASE_URL: cannot open SQLite database at ${location}: ${describeFsError({ code: "ENOTDIR" })}`,
    );
  }
}

function openSqlite(path: string, createFolder: boolean, mustExist: boolean): OpenedDatabase {
  const inMemory = path === ":memory:";
  const location = inMemory ? ":memory:" : resolve(path);
  if (!inMemory) checkFolder(location, createFolder);
  // A typo (sqlite:./data/bantn.db) must not start an empty database that says "0 readers".
  if (!inMemory && mustExist && !existsSync(location)) {
    throw new DatabaseOpenError(
      `DATABASE_URL: there is no SQLite database at ${location}; correct the path, or create it with \`npx bantin migrate\``,
    );
  }
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(location);
    if (!inMemory) sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
  } catch (error) {
    throw new DatabaseOpenError(
      `DATABASE_URL: cannot open SQLite database at ${location}: ${describeFsError(error)}`,
    );
  }
  const database = withStatementCache(sqlite);
  const db = new Kysely({ dialect: new BantinSqliteDialect({ database }) }) as DbHandle;
  return { db, kind: "sqlite", location };
}

function describeFsError(error: unknown): string {
  const e = error as Partial<NodeJS.ErrnoException>;
  switch (e.code) {
    case "EACCES":
    case "EPERM":
    case "SQLITE_CANTOPEN":
      return "permission denied or not a writable place";
    case "ENOTDIR":
    case "EEXIST":
      return "a part of the path is a file, not a folder";
    case "EROFS":
      return "the file system is read-only";
    default:
      return e.message?.split("\n")[0] ?? String(error);
  }
}
