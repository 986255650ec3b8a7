/**
 * `bantin db backup <file>`: a consistent copy of a SQLite database while something writes to
 * it, checked and renamed into place; refusals in one line; and `bantin stats` telling each
 * table's rows and size on disk.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runCli, scratchDir } from "../helpers/cli";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";
import { prepareNewsDb } from "../helpers/telegram-harness";

describe("bantin db backup", { timeout: 60_000 }, () => {
  it("copies a database that is being written to, whole and checked", async () => {
    const { path, db } = await prepareNewsDb();
    await db.destroy();
    // Another process's writes, going on through the backup.
    const writer = new SqliteDatabase(path);
    writer.pragma("journal_mode = WAL");
    const insert = writer.prepare(
      "insert into readers (platform, chat_id, created_at, updated_at) values ('telegram', ?, ?, ?)",
    );
    let n = 0;
    const at = new Date().toISOString();
    const writing = setInterval(() => {
      for (let i = 0; i < 200; i++) insert.run(String(900_000 + n++), at, at);
    }, 1);
    const cwd = scratchDir();
    try {
      const result = await runCli(
        ["db", "backup", "backups-bantin.db", "--json"],
        {
          DATABASE_URL: `sqlite:${path}`,
        },
        { cwd },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const { file, bytes } = JSON.parse(result.stdout) as { file: string; bytes: number };
      expect(file).toBe(join(cwd, "backups-bantin.db"));
      expect(bytes).toBeGreaterThan(0);
      expect(existsSync(`${file}.partial`)).toBe(false);
      const copy = new SqliteDatabase(file, { readonly: true });
      try {
        expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
        const readers = (copy.prepare("select count(*) as n from readers").get() as { n: number })
          .n;
        expect(readers).toBeGreaterThanOrEqual(0);
        expect(readers).toBeLessThanOrEqual(n);
        const stories = copy.prepare("select count(*) as n from articles").get() as { n: number };
        expect(stories.n).toBeGreaterThan(0);
      } finally {
        copy.close();
      }
    } finally {
      clearInterval(writing);
      writer.close();
    }
    expect(n).toBeGreaterThan(0);
  });

  it("refuses, in one line, to replace a file, to back up PostgreSQL, or a database that is not there", async () => {
    const { path, db } = await prepareNewsDb();
    await db.destroy();
    const cwd = scratchDir();
    writeFileSync(join(cwd, "taken.db"), "mine");
    const taken = await runCli(
      ["db", "backup", "taken.db"],
      { DATABASE_URL: `sqlite:${path}` },
      { cwd },
    );
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toBe(
      `bantin: ${join(cwd, "taken.db")} exists; choose another file, or add --force to replace it\n`,
    );
    const forced = await runCli(
      ["db", "backup", "taken.db", "--force"],
      { DATABASE_URL: `sqlite:${path}` },
      { cwd },
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^Backed up .+ to .+taken\.db: .+, integrity checked, in [\d.]+ s\.\n$/,
    );

    const pg = await runCli(
      ["db", "backup", "x.db"],
      {
        DATABASE_URL: "postgres://bantin@127.0.0.1:1/bantin",
      },
      { cwd },
    );
    expect(pg.code).not.toBe(0);
    expect(pg.stderr).toMatch(/^bantin: DATABASE_URL is PostgreSQL: back it up with pg_dump/);
    expect(existsSync(join(cwd, "x.db"))).toBe(false);
  });
});

describe("bantin stats: the tables", () => {
  it("tells each table's rows and its size on disk, largest first", async () => {
    const { path, db } = await prepareNewsDb();
    await db.destroy();
    const json = await runCli(["stats", "--json"], { DATABASE_URL: `sqlite:${path}` });
    expect(json.code).toBe(0);
    const { tables } = JSON.parse(json.stdout) as {
      tables: { table: string; rows: number; bytes: number | null }[];
    };
    const articles = tables.find((t) => t.table === "articles");
    expect(articles?.rows).toBeGreaterThan(0);
    expect(articles?.bytes).toBeGreaterThan(0);
    const sizes = tables.map((t) => t.bytes ?? 0);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(tables.map((t) => t.table)).toContain("inbox_updates");
    const text = await runCli(["stats"], { DATABASE_URL: `sqlite:${path}` });
    expect(text.stdout).toMatch(/^Tables: [\d.]+ (KiB|MiB) on disk with their indexes$/m);
    expect(text.stdout).toMatch(
      new RegExp(`^  articles: ${articles?.rows} rows, [\\d.]+ (KiB|MiB)$`, "m"),
    );
  });
});

(TEST_DATABASE_URL ? describe : describe.skip)("bantin stats: the tables, on PostgreSQL", () => {
  it("tells each table's rows and its size on disk", async () => {
    const database = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
    try {
      const { db } = await prepareNewsDb(database.url);
      await db.destroy();
      const json = await runCli(["stats", "--json"], { DATABASE_URL: database.url });
      expect(json.stderr).toBe("");
      const { tables } = JSON.parse(json.stdout) as {
        tables: { table: string; rows: number; bytes: number | null }[];
      };
      const articles = tables.find((t) => t.table === "articles");
      expect(articles?.rows).toBeGreaterThan(0);
      expect(articles?.bytes).toBeGreaterThan(8192);
      expect(tables.find((t) => t.table === "article_search")?.bytes).toBeGreaterThan(0);
    } finally {
      await dropPostgresDatabase(TEST_DATABASE_URL ?? "", database.name);
    }
  });
});
