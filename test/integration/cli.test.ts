import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newSqliteUrl, runCli, scratchDir } from "../helpers/cli";

function fileAsFolder(): string {
  const file = join(scratchDir(), "a-file");
  writeFileSync(file, "");
  return file;
}

function dbUrl(): string {
  return newSqliteUrl();
}

describe("bantin CLI", { timeout: 60_000 }, () => {
  it("migrate creates the schema, then says there is nothing to do", async () => {
    const env = { DATABASE_URL: dbUrl() };
    const first = await runCli(["migrate"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("applied 0001_initial");
    const second = await runCli(["migrate"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date: no migration to apply/);
  });

  it("adds a category and lists it as JSON with its Vietnamese name intact", async () => {
    const env = { DATABASE_URL: dbUrl() };
    const add = await runCli(
      ["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "Current affairs"],
      env,
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain("Thời sự");
    const list = await runCli(["category", "list", "--json"], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { id: 1, slug: "thoi-su", name: { vi: "Thời sự", en: "Current affairs" }, position: 0 },
    ]);
    const human = await runCli(["category", "list"], env);
    expect(human.stdout).toMatch(/thoi-su\s+Thời sự\s+Current affairs/);

    const duplicate = await runCli(["category", "add", "thoi-su", "--vi", "X", "--en", "Y"], env);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toBe('bantin: topic "thoi-su" already exists\n');
    expect(JSON.parse((await runCli(["category", "list", "--json"], env)).stdout)).toHaveLength(1);
  });

  it("renames a topic in one language and keeps the other", async () => {
    const env = { DATABASE_URL: dbUrl() };
    await runCli(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "Current affairs"], env);
    const renamed = await runCli(
      ["category", "rename", "thoi-su", "--vi", "Thời sự – Chính trị"],
      env,
    );
    expect(renamed.stderr).toBe("");
    expect(renamed.stdout).toBe("Renamed topic thoi-su: Thời sự – Chính trị / Current affairs\n");
    const english = await runCli(
      ["category", "rename", "thoi-su", "--en", "Politics", "--json"],
      env,
    );
    expect(JSON.parse(english.stdout)).toMatchObject({
      slug: "thoi-su",
      name: { vi: "Thời sự – Chính trị", en: "Politics" },
    });
  });

  it("stats --json prints one JSON document on an empty database", async () => {
    const result = await runCli(["stats", "--json"], { DATABASE_URL: dbUrl() });
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats.readers.total).toBe(0);
    expect(stats.articles.total).toBe(0);
    expect(stats.deliveries).toEqual({ pending: 0, sent: 0, blocked: 0, dead: 0, cancelled: 0 });
  });

  it("uses ./data/bantin.db by default", async () => {
    const cwd = scratchDir();
    const result = await runCli(["migrate"], { DATABASE_URL: undefined }, { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(cwd, "data", "bantin.db"));
  });

  it("reads .env from the working folder, and a real variable wins", async () => {
    const cwd = scratchDir();
    writeFileSync(join(cwd, ".env"), "DATABASE_URL=mysql://nope\n");
    const bad = await runCli(["stats", "--json"], { DATABASE_URL: undefined }, { cwd });
    expect(bad.stderr).toMatch(/^bantin: DATABASE_URL: unknown scheme "mysql:"/);
    const good = await runCli(["stats", "--json"], { DATABASE_URL: dbUrl() }, { cwd });
    expect(good.code).toBe(0);
  });

  it.each([
    [["nonsense"], {}, /unknown command 'nonsense'/],
    [["stats", "--bogus"], {}, /unknown option '--bogus'/],
    [["category", "add", "x", "--vi", "X"], {}, /required option '--en <name>' not specified/],
    [
      ["stats"],
      { DATABASE_URL: `sqlite:${fileAsFolder()}/bantin.db` },
      /^bantin: DATABASE_URL: cannot open SQLite database/,
    ],
    // The other typos issue 18 found are in fixtures/hostile/operator-inputs.json.
  ])("%o fails with a one-line error and a non-zero exit", async (args, env, pattern) => {
    const result = await runCli(args as string[], {
      DATABASE_URL: dbUrl(),
      ...(env as Record<string, string>),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("has --help everywhere", async () => {
    for (const args of [
      [],
      ["migrate"],
      ["category"],
      ["category", "add"],
      ["category", "list"],
      ["stats"],
      ["start"],
    ]) {
      const result = await runCli([...args, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: bantin/);
    }
  });

  it("start migrates and says in one line what ran and how to configure a channel", async () => {
    const result = await runCli(["start"], { DATABASE_URL: dbUrl() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/TELEGRAM_BOT_TOKEN/);
  });
});
