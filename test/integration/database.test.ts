import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrations as bundled } from "../../migrations";
import { createConfig } from "../../src/config";
import { DatabaseOpenError, MigrationError, migrateToLatest, openDatabase } from "../../src/db";
import { isPostgres } from "../../src/db/dialect";
import type { DbHandle } from "../../src/db/schema";
import { describeStores, TEST_DATABASE_URL } from "../helpers/stores";

const opened: DbHandle[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "bantin-db-")), name);
}

function open(path: string): DbHandle {
  const { db } = openDatabase({ kind: "sqlite", path });
  opened.push(db);
  return db;
}

async function tableNames(db: DbHandle): Promise<string[]> {
  const { rows } = isPostgres(db)
    ? await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by name
  `.execute(db)
    : await sql<{ name: string }>`
    select name from sqlite_master where type in ('table') and name not like 'sqlite_%' order by name
  `.execute(db);
  return rows.map((r) => r.name);
}

describe("openDatabase (SQLite)", () => {
  it("creates the file, with WAL, foreign keys and a busy timeout", async () => {
    const path = tempPath("bantin.db");
    const db = open(path);
    const pragma = async (name: string) =>
      (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0];
    expect(await pragma("journal_mode")).toEqual({ journal_mode: "wal" });
    expect(await pragma("foreign_keys")).toEqual({ foreign_keys: 1 });
    expect(await pragma("busy_timeout")).toEqual({ timeout: 5000 });
  });

  it("refuses a folder that does not exist, in one line naming it, and creates nothing", () => {
    const parent = tempPath("typo");
    const path = join(parent, "dta", "bantin.db");
    expect(() => openDatabase({ kind: "sqlite", path })).toThrow(DatabaseOpenError);
    expect(() => openDatabase({ kind: "sqlite", path })).toThrow(
      new RegExp(`^DATABASE_URL: folder ${join(parent, "dta")} does not exist; [^\n]*$`),
    );
    expect(existsSync(parent)).toBe(false);
  });

  it("says clearly when the path cannot be written", () => {
    const file = tempPath("plain-file");
    writeFileSync(file, "not a folder");
    expect(() => openDatabase({ kind: "sqlite", path: join(file, "bantin.db") })).toThrow(
      DatabaseOpenError,
    );
    expect(() => openDatabase({ kind: "sqlite", path: join(file, "bantin.db") })).toThrow(
      /^DATABASE_URL: cannot open SQLite database at .*: a part of the path is a file/,
    );
  });

  it("refuses a file that is not a database without touching it", async () => {
    const file = tempPath("garbage.db");
    writeFileSync(file, "x".repeat(5000));
    expect(() => openDatabase({ kind: "sqlite", path: file })).toThrow(/cannot open SQLite/);
  });
});

describe("DATABASE_POOL_SIZE", () => {
  it("sizes the PostgreSQL pool: 10 unless set, 1-1000, a bad value named in one line", () => {
    const url = "postgres://u@127.0.0.1:5432/bantin";
    expect(createConfig({ DATABASE_URL: url }).database).toEqual({
      kind: "postgres",
      url,
      poolSize: 10,
    });
    expect(createConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: "3" }).database).toMatchObject({
      poolSize: 3,
    });
    expect(createConfig({ DATABASE_POOL_SIZE: "3" }).database).toEqual({
      kind: "sqlite",
      path: "./data/bantin.db",
      createFolder: true,
    });
    for (const bad of ["0", "1001", "2.5", "many"]) {
      expect(() => createConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: bad })).toThrow(
        /^DATABASE_POOL_SIZE: [^\n]+$/,
      );
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)("openDatabase (PostgreSQL)", () => {
  const server = new URL(TEST_DATABASE_URL ?? "postgres://127.0.0.1/");

  it("says in one line naming DATABASE_URL when the server cannot be reached", async () => {
    const url = new URL(server);
    url.port = "1"; // nothing listens there
    const { db } = openDatabase({ kind: "postgres", url: url.toString() });
    opened.push(db);
    await expect(migrateToLatest(db)).rejects.toThrow(
      /^DATABASE_URL: cannot connect to PostgreSQL: [^\n]*ECONNREFUSED/,
    );
  });

  it("names a missing database, and never shows the password", async () => {
    const url = new URL(server);
    url.pathname = "/bantin_no_such_database";
    url.password = "s3cret";
    const opened1 = openDatabase({ kind: "postgres", url: url.toString() });
    opened.push(opened1.db);
    expect(opened1.kind).toBe("postgres");
    expect(opened1.location).not.toContain("s3cret");
    await expect(migrateToLatest(opened1.db)).rejects.toThrow(DatabaseOpenError);
  });
});

describeStores("migrations", (store) => {
  it("create the whole schema once; a second run applies nothing", async () => {
    const db = await store.emptyDb();
    expect(await migrateToLatest(db)).toEqual(Object.keys(bundled));
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await tableNames(db);
    for (const table of [
      "categories",
      "sources",
      "articles",
      "article_categories",
      "article_search",
      "readers",
      "reader_topics",
      "outbox",
      "broadcasts",
      "admin_audit",
    ]) {
      expect(tables).toContain(table);
    }
  });

  it("leave nothing behind when one fails half-way", async () => {
    const db = await store.emptyDb();
    const migrations: Record<string, Migration> = {
      "0001_good": {
        // biome-ignore lint/suspicious/noExplicitAny: test migration
        async up(k: Kysely<any>) {
          await k.schema.createTable("first").addColumn("id", "integer").execute();
        },
      },
      "0002_bad": {
        // biome-ignore lint/suspicious/noExplicitAny: test migration
        async up(k: Kysely<any>) {
          await k.schema.createTable("second").addColumn("id", "integer").execute();
          await sql`insert into no_such_table values (1)`.execute(k);
        },
      },
    };
    const provider: MigrationProvider = { getMigrations: async () => migrations };
    await expect(migrateToLatest(db, provider)).rejects.toThrow(MigrationError);
    await expect(migrateToLatest(db, provider)).rejects.toThrow(
      /migration 0002_bad failed, nothing was applied: (no such table: no_such_table|relation "no_such_table" does not exist)/,
    );
    const tables = await tableNames(db);
    expect(tables).not.toContain("first");
    expect(tables).not.toContain("second");
    const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
      db,
    );
    expect(applied.rows[0]?.n).toBe(0);
  });
});

describe("a full disk", () => {
  /** A database that cannot grow past what it holds now, as on a disk with no space left. */
  async function fullDatabase(): Promise<DbHandle> {
    const db = open(tempPath("full.db"));
    await migrateToLatest(db);
    const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db);
    await sql.raw(`PRAGMA max_page_count = ${rows[0]?.page_count}`).execute(db);
    return db;
  }

  it("fails a write with the disk's own error", async () => {
    const db = await fullDatabase();
    const { addTopic } = await import("../../src/news/topics");
    const { inTransaction } = await import("../../src/db/transaction");
    const write = inTransaction(db, async (trx) => {
      for (let i = 0; i < 200; i++) {
        await addTopic(trx, { slug: `t-${i}`, name: { vi: "x".repeat(90), en: "y".repeat(90) } });
      }
    });
    await expect(write).rejects.toThrow(/disk is full/);
    // Nothing of it was kept.
    expect((await db.selectFrom("categories").selectAll().execute()).length).toBe(0);
  });

  it("is not hidden behind a rollback the store already made itself", async () => {
    // On a full disk SQLite may roll the whole transaction back by itself; the rollback that
    // follows then fails ("cannot rollback - no transaction is active") and used to be the
    // only error anyone saw.
    const db = open(tempPath("rolled-back.db"));
    await migrateToLatest(db);
    const { inTransaction } = await import("../../src/db/transaction");
    const write = inTransaction(db, async (trx) => {
      await sql`ROLLBACK`.execute(trx);
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    });
    await expect(write).rejects.toThrow("database or disk is full");
    // The connection is usable afterwards.
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it("is said in plain words, whatever the store's own words", async () => {
    const { describeError } = await import("../../src/db/errors");
    const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    expect(describeError(full)).toBe("the disk is full (database or disk is full)");
    const pgFull = Object.assign(new Error("could not extend file"), { code: "53100" });
    expect(describeError(pgFull)).toBe("the disk is full (could not extend file)");
    const readOnly = Object.assign(new Error("attempt to write a readonly database"), {
      code: "SQLITE_READONLY",
    });
    expect(describeError(readOnly)).toMatch(/^the database is read-only/);
    const denied = Object.assign(new Error("EACCES: permission denied, open '/x'"), {
      code: "EACCES",
    });
    expect(describeError(denied)).toMatch(/^permission denied/);
    expect(describeError(new Error("HTTP 404 Not Found"))).toBe("HTTP 404 Not Found");
  });
});
