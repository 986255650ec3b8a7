import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratchDir } from "../helpers/cli";

describe("a DATABASE_URL folder that does not exist", { timeout: 90_000 }, () => {
  it.each([
    [["migrate"]],
    [["stats"]],
    [["category", "list"]],
    [["category", "add", "x", "--vi", "X", "--en", "Y"]],
    [["source", "list"]],
    [["search", "bao"]],
    [["article", "1"]],
    [["digest", "preview", "--topics", "x"]],
    [["broadcast", "Tin nóng", "--yes"]],
    [["start"]],
  ])("%o: one line naming DATABASE_URL and the folder; nothing created", async (args) => {
    const root = scratchDir();
    const folder = join(root, "dta");
    const result = await runCli(args, {
      DATABASE_URL: `sqlite:${join(folder, "bantin.db")}`,
      TELEGRAM_BOT_TOKEN: "123:abc", // start would serve; it must stop before any of that
      TELEGRAM_API_ROOT: "http://127.0.0.1:9",
      HTTP_PORT: "0",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(
      `bantin: DATABASE_URL: folder ${folder} does not exist; create it or correct the path (only the default ./data is created)\n`,
    );
    expect(result.stdout).toBe("");
    expect(existsSync(folder)).toBe(false);
  });

  it("the default path makes its folder, also when spelled out as in .env.example, or in full", async () => {
    for (const url of [undefined, "sqlite:./data/bantin.db", "sqlite:data/bantin.db", "full"]) {
      const cwd = scratchDir();
      const env = {
        DATABASE_URL: url === "full" ? `sqlite:${join(cwd, "data", "bantin.db")}` : url,
      };
      const result = await runCli(["migrate"], env, { cwd });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(existsSync(join(cwd, "data", "bantin.db"))).toBe(true);
    }
  });

  it("an existing folder is used as it is", async () => {
    const folder = join(scratchDir(), "elsewhere");
    mkdirSync(folder);
    const result = await runCli(["migrate"], { DATABASE_URL: `sqlite:${folder}/b.db` });
    expect(result.code).toBe(0);
    expect(existsSync(join(folder, "b.db"))).toBe(true);
  });
});

describe("a DATABASE_URL file that does not exist (sqlite:./data/bantn.db)", {
  timeout: 90_000,
}, () => {
  it.each([
    [["stats"]],
    [["category", "list"]],
    [["category", "add", "x", "--vi", "X", "--en", "Y"]],
    [["source", "list"]],
    [["search", "bao"]],
    [["digest", "preview", "--topics", "x"]],
    [["broadcast", "Tin nóng", "--yes"]],
    [["audit"]],
    [["start"]],
  ])("%o: one line naming the file and how to create it; nothing created", async (args) => {
    const cwd = scratchDir();
    mkdirSync(join(cwd, "data"));
    const result = await runCli(
      args,
      {
        DATABASE_URL: "sqlite:./data/bantn.db",
        TELEGRAM_BOT_TOKEN: "123:abc",
        TELEGRAM_API_ROOT: "http://127.0.0.1:9",
        HTTP_PORT: "0",
      },
      { cwd },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(
      `bantin: DATABASE_URL: there is no SQLite database at ${join(cwd, "data", "bantn.db")}; correct the path, or create it with \`npx bantin migrate\`\n`,
    );
    expect(result.stdout).toBe("");
    expect(existsSync(join(cwd, "data", "bantn.db"))).toBe(false);
  });

  it("is made by `bantin migrate`, and then every command uses it", async () => {
    const cwd = scratchDir();
    const env = { DATABASE_URL: "sqlite:elsewhere.db" };
    const migrate = await runCli(["migrate"], env, { cwd });
    expect(migrate.code).toBe(0);
    expect(existsSync(join(cwd, "elsewhere.db"))).toBe(true);
    const stats = await runCli(["stats", "--json"], env, { cwd });
    expect(stats.stderr).toBe("");
    expect(stats.code).toBe(0);
  });

  it("is made as the target of `db copy`", async () => {
    const cwd = scratchDir();
    const from = { DATABASE_URL: "sqlite:from.db" };
    await runCli(["migrate"], from, { cwd });
    await runCli(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "News"], from, { cwd });
    const copy = await runCli(
      ["db", "copy", "--from", "sqlite:from.db", "--to", "sqlite:to.db"],
      {},
      { cwd },
    );
    expect(copy.stderr).toBe("");
    expect(copy.code).toBe(0);
    const list = await runCli(
      ["category", "list", "--json"],
      { DATABASE_URL: "sqlite:to.db" },
      { cwd },
    );
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ slug: "thoi-su" })]);
  });
});
