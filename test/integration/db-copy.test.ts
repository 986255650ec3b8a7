/**
 * `bantin db copy`: a whole database into another, SQLite into PostgreSQL and back when
 * TEST_DATABASE_URL names a server, SQLite into SQLite always. Every row, ids kept, search and
 * new rows working on the copy; a target holding rows is refused without --force.
 */
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import { COPIED_TABLES } from "../../src/db/copy";
import type { DbHandle } from "../../src/db/schema";
import { storeArticle } from "../../src/news/articles";
import { searchArticles } from "../../src/news/search";
import { addTopic } from "../../src/news/topics";
import { runCli, scratchDir } from "../helpers/cli";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";
import { prepareNewsDb } from "../helpers/telegram-harness";

const dropped: string[] = [];
afterAll(async () => {
  for (const name of dropped)
    if (TEST_DATABASE_URL) await dropPostgresDatabase(TEST_DATABASE_URL, name);
});

async function newTarget(kind: "sqlite" | "postgres"): Promise<string> {
  if (kind === "sqlite") return `sqlite:${join(scratchDir(), "copy.db")}`;
  const created = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
  dropped.push(created.name);
  return created.url;
}

async function withDb<T>(url: string, fn: (db: DbHandle) => Promise<T>): Promise<T> {
  const { db } = openDatabase(parseDatabaseUrl(url));
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function counts(url: string): Promise<Record<string, number>> {
  return withDb(url, async (db) => {
    const out: Record<string, number> = {};
    for (const table of ["categories", "articles", "article_categories", "readers"] as const) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  });
}

const targets = TEST_DATABASE_URL ? (["sqlite", "postgres"] as const) : (["sqlite"] as const);

describe("bantin db copy", { timeout: 60_000 }, () => {
  it.each(targets)("copies the sample news into %s, and back into SQLite", async (kind) => {
    const { path, db } = await prepareNewsDb();
    await db
      .insertInto("readers")
      .values({ platform: "telegram", chat_id: "42", created_at: "x", updated_at: "x" })
      .execute();
    await db.destroy();
    const source = `sqlite:${path}`;
    const target = await newTarget(kind);

    const copied = await runCli(["db", "copy", "--from", source, "--to", target, "--json"]);
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    const result = JSON.parse(copied.stdout) as { rows: number; tables: { name: string }[] };
    expect(result.rows).toBeGreaterThan(20);
    expect(await counts(target)).toEqual(await counts(source));

    // Search answers the same on the copy, and new rows get new ids after the copied ones.
    const before = await withDb(source, (s) => searchArticles(s, "doi ngoai", { limit: 5 }));
    const after = await withDb(target, (t) => searchArticles(t, "doi ngoai", { limit: 5 }));
    expect(after.map((a) => a.id)).toEqual(before.map((a) => a.id));
    expect(after.length).toBeGreaterThan(0);
    await withDb(target, async (t) => {
      const topic = await addTopic(t, { slug: "moi-them", name: { vi: "Mới", en: "New" } });
      const stored = await storeArticle(t, {
        url: "https://x.vn/moi-post1.html",
        contentHash: "moi",
        title: "Tin thêm sau khi chép",
        lead: "",
        body: [],
        photos: [],
        fullText: false,
        publishedAt: new Date().toISOString(),
        fetchedAt: new Date().toISOString(),
        topicId: topic.id,
      });
      expect(stored.id).toBeGreaterThan(Math.max(...after.map((a) => a.id)));
    });

    // A target holding rows is refused, nothing touched; --force empties it and copies again.
    const refused = await runCli(["db", "copy", "--from", source, "--to", target]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^bantin: the target already holds \d+ row\(s\); add --force/);
    const forced = await runCli(["db", "copy", "--from", source, "--to", target, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/every table's count checked/);
    expect(await counts(target)).toEqual(await counts(source));

    // And back.
    const back = `sqlite:${join(scratchDir(), "back.db")}`;
    expect((await runCli(["db", "copy", "--from", target, "--to", back])).code).toBe(0);
    expect(await counts(back)).toEqual(await counts(source));
  });

  it("copies every table the migrations create (a new table must be added to the copy)", async () => {
    const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
    try {
      await migrateToLatest(db);
      const rows = await sql<{ name: string }>`
        select name from sqlite_master where type = 'table'
          and name not like 'sqlite_%' and name not like 'kysely_%'
          and name not like 'article_search_%'`.execute(db);
      expect([...COPIED_TABLES].sort()).toEqual(rows.rows.map((r) => r.name).sort());
    } finally {
      await db.destroy();
    }
  });

  it("never creates a missing source, with or without --force, and leaves the target alone", async () => {
    const { path, db } = await prepareNewsDb();
    await db.destroy();
    const target = `sqlite:${path}`;
    const before = await counts(target);
    const cwd = scratchDir();
    for (const force of [[], ["--force"], ["--force", "--force"]]) {
      // a.bd, meaning a.db: a typo.
      const typo = await runCli(
        ["db", "copy", "--from", "sqlite:./a.bd", "--to", target, ...force],
        {},
        { cwd },
      );
      expect(typo.code).not.toBe(0);
      expect(typo.stderr).toBe(
        `bantin: --from: there is no database at ${join(cwd, "a.bd")}; nothing was copied or emptied\n`,
      );
      expect(existsSync(join(cwd, "a.bd"))).toBe(false);
    }
    expect(await counts(target)).toEqual(before);
  });

  it("refuses to copy a database onto itself under any spelling", async () => {
    const cwd = scratchDir();
    const { db } = openDatabase({ kind: "sqlite", path: join(cwd, "x.db") });
    await migrateToLatest(db);
    await db.destroy();
    symlinkSync(join(cwd, "x.db"), join(cwd, "link.db"));
    for (const [from, to] of [
      ["sqlite:./x.db", "sqlite:x.db"],
      ["sqlite:x.db", `sqlite:${join(cwd, "x.db")}`],
      ["sqlite:x.db", "sqlite:link.db"],
      ["sqlite:x.db", "sqlite:./sub/../x.db"],
    ]) {
      const same = await runCli(
        ["db", "copy", "--from", from as string, "--to", to as string, "--force"],
        {},
        { cwd },
      );
      expect(same.stderr, `${from} ${to}`).toBe("bantin: --from and --to are the same database\n");
      expect(same.code).not.toBe(0);
    }
    if (TEST_DATABASE_URL) {
      const target = await newTarget("postgres");
      const other = new URL(target);
      other.hostname = other.hostname === "127.0.0.1" ? "localhost" : "127.0.0.1";
      const same = await runCli([
        "db",
        "copy",
        "--from",
        target,
        "--to",
        other.toString(),
        "--force",
      ]);
      expect(same.stderr).toBe("bantin: --from and --to are the same database\n");
    }
  });

  it("replaces rows with an empty source only when --force is given twice", async () => {
    const { path, db } = await prepareNewsDb();
    await db.destroy();
    const target = `sqlite:${path}`;
    const before = await counts(target);
    const empty = `sqlite:${join(scratchDir(), "empty.db")}`;
    expect((await runCli(["migrate"], { DATABASE_URL: empty })).code).toBe(0);
    const once = await runCli(["db", "copy", "--from", empty, "--to", target, "--force"]);
    expect(once.code).not.toBe(0);
    expect(once.stderr).toMatch(
      /^bantin: the source holds no rows: copying it would empty the target \(\d+ row\(s\)\); give --force twice to do that$/m,
    );
    expect(await counts(target)).toEqual(before);
    const twice = await runCli([
      "db",
      "copy",
      "--from",
      empty,
      "--to",
      target,
      "--force",
      "--force",
    ]);
    expect(twice.code).toBe(0);
    expect(await counts(target)).toEqual({
      categories: 0,
      articles: 0,
      article_categories: 0,
      readers: 0,
    });
  });

  it("refuses a bad URL and the same database in one clear line", async () => {
    const bad = await runCli(["db", "copy", "--from", "mysql://x", "--to", "sqlite::memory:"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/^bantin: --from: unknown scheme "mysql:"/);
    const same = await runCli(["db", "copy", "--from", "sqlite:a.db", "--to", "sqlite:a.db"]);
    expect(same.stderr.trim()).toBe("bantin: --from and --to are the same database");
  });
});
