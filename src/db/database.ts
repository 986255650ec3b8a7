import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteAdapter, SqliteDialect } from "kysely";
import type { DatabaseConfig } from "../config";
import type { DbHandle } from "./schema";

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
 * Opens the configured database. Callers get a Kysely instance and never see the driver,
 * so PostgreSQL can be added here without touching them.
 */
export function openDatabase(config: DatabaseConfig): OpenedDatabase {
  switch (config.kind) {
    case "sqlite":
      return openSqlite(config.path);
    case "postgres":
      throw new DatabaseOpenError(
        "DATABASE_URL: PostgreSQL is not supported by this version yet; use sqlite:<path>",
      );
  }
}

function openSqlite(path: string): OpenedDatabase {
  const inMemory = path === ":memory:";
  const location = inMemory ? ":memory:" : resolve(path);
  let sqlite: SqliteDatabase.Database;
  try {
    if (!inMemory) mkdirSync(dirname(location), { recursive: true });
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
  const db = new Kysely({ dialect: new BantinSqliteDialect({ database: sqlite }) }) as DbHandle;
  return { db, kind: "sqlite", location };
}

function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
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
      return e.message.split("\n")[0] ?? String(error);
  }
}
