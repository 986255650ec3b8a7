/**
 * The stores a suite runs on: SQLite always, PostgreSQL too when TEST_DATABASE_URL names a server
 * the tests may create and drop databases on (CI sets it). Without it the PostgreSQL runs are
 * skipped, and the global setup says so once per run.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { scratchDir } from "./cli";

export type StoreKind = "sqlite" | "postgres";

/** The PostgreSQL server for tests (its URL names a database to connect to for CREATE DATABASE). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Connections per test database: tests run files side by side on one server. */
const TEST_POOL_SIZE = 4;

export interface TestStore {
  kind: StoreKind;
  /**
   * A migrated, empty database with ids from 1, as a fresh one would be: in memory on SQLite; on
   * PostgreSQL this suite's own database, emptied (the handles it gave before are closed).
   */
  db(): Promise<DbHandle>;
  /** A new database of its own, empty and not migrated (closed, and dropped, after the suite). */
  emptyDb(): Promise<DbHandle>;
  /**
   * DATABASE_URL of a new empty database, not migrated, for a whole bot to run on: a file in a
   * scratch folder on SQLite; on PostgreSQL a database created for it, dropped after the suite.
   */
  newDatabaseUrl(): Promise<string>;
}

interface ClosableStore extends TestStore {
  close(): Promise<void>;
}

/** The stores to test: SQLite always, PostgreSQL only when TEST_DATABASE_URL is set. */
export function storeKinds(): StoreKind[] {
  return TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];
}

/**
 * Declares `suite` once per store, as `<title> [sqlite]` and `<title> [postgres]`; the PostgreSQL
 * one is declared skipped when TEST_DATABASE_URL is unset, so the run reports it as skipped.
 */
export function describeStores(title: string, suite: (store: TestStore) => void): void {
  for (const kind of ["sqlite", "postgres"] as const) {
    const declare = kind === "postgres" && !TEST_DATABASE_URL ? describe.skip : describe;
    declare(`${title} [${kind}]`, () => {
      const store = kind === "sqlite" ? sqliteStore() : postgresStore(TEST_DATABASE_URL ?? "");
      afterAll(() => store.close(), 30_000);
      suite(store);
    });
  }
}

function sqliteStore(): ClosableStore {
  const handles: DbHandle[] = [];
  return {
    kind: "sqlite",
    async db() {
      const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
      await migrateToLatest(db);
      handles.push(db);
      return db;
    },
    async emptyDb() {
      const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
      handles.push(db);
      return db;
    },
    async newDatabaseUrl() {
      return `sqlite:${join(scratchDir(), "bantin.db")}`;
    },
    async close() {
      for (const db of handles.splice(0)) await db.destroy();
    },
  };
}

/** The URL of database `name` on the server of `serverUrl`. */
function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `bantin_test_<random>` on the server and returns its URL. */
export async function createPostgresDatabase(
  serverUrl: string,
): Promise<{ name: string; url: string }> {
  const name = `bantin_test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return { name, url: databaseUrl(serverUrl, name) };
}

/** Drops a test database, closing whatever connections are still open to it. */
export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

function openPostgres(url: string): DbHandle {
  return openDatabase({ kind: "postgres", url, poolSize: TEST_POOL_SIZE }).db;
}

function postgresStore(serverUrl: string): ClosableStore {
  const databases: string[] = [];
  const handles: DbHandle[] = [];
  const others: DbHandle[] = [];
  let own: { url: string; maintenance: DbHandle; tables: string[] } | undefined;

  const newDatabase = async () => {
    const created = await createPostgresDatabase(serverUrl);
    databases.push(created.name);
    return created.url;
  };

  return {
    kind: "postgres",
    async db() {
      for (const db of handles.splice(0)) await db.destroy();
      if (!own) {
        const url = await newDatabase();
        const maintenance = openDatabase({ kind: "postgres", url, poolSize: 1 }).db;
        await migrateToLatest(maintenance);
        const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables
          where schemaname = current_schema() and tablename not like 'kysely%'`.execute(
          maintenance,
        );
        own = { url, maintenance, tables: rows.map((r) => r.name) };
      } else {
        const tables = sql.join(own.tables.map((t) => sql.id(t)));
        await sql`truncate ${tables} restart identity cascade`.execute(own.maintenance);
      }
      const db = openPostgres(own.url);
      handles.push(db);
      return db;
    },
    async emptyDb() {
      const db = openPostgres(await newDatabase());
      others.push(db);
      return db;
    },
    newDatabaseUrl: newDatabase,
    async close() {
      for (const db of [...handles.splice(0), ...others.splice(0)]) await db.destroy();
      await own?.maintenance.destroy();
      own = undefined;
      for (const name of databases.splice(0)) await dropPostgresDatabase(serverUrl, name);
    },
  };
}
