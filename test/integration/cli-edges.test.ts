import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db";
import { loadSampleNews } from "../../src/demo/sample-news";
import { BIN, runCli, scratchDir } from "../helpers/cli";

interface PipedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** What was read before the pipe was closed. */
  read: string;
}

/**
 * Runs `bantin <args>` with its stdout piped into a reader that stops reading: at once (like
 * `| true`), or after the first line (like `| head -1`).
 */
function runIntoClosedPipe(
  args: string[],
  env: Record<string, string>,
  closeAfter: "nothing" | "first line",
): Promise<PipedResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: scratchDir(),
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let read = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    if (closeAfter === "nothing") child.stdout.destroy();
    else {
      child.stdout.on("data", (chunk: Buffer) => {
        read += chunk;
        if (read.includes("\n")) child.stdout.destroy();
      });
    }
    child.on("close", (code, signal) => done({ code, signal, stderr, read }));
  });
}

describe("bantin writing into a pipe that closes early", { timeout: 90_000 }, () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    const path = join(scratchDir(), "pipe.db");
    const { db } = openDatabase({ kind: "sqlite", path });
    await migrateToLatest(db);
    expect(await loadSampleNews(db, new Date())).toBeGreaterThan(0);
    await db.destroy();
    env = { DATABASE_URL: `sqlite:${path}` };
  });

  it.each([
    [["article", "1"]],
    [["article", "1", "--json"]],
    [["search", "bao"]],
    [["category", "list"]],
    [["stats"]],
    [["stats", "--json"]],
    [["migrate"]],
    [["--help"]],
    [["digest", "preview", "--topics", "thoi-su"]],
  ])("%o ends quietly with status 0", async (args) => {
    const [closed, head] = await Promise.all([
      runIntoClosedPipe(args, env, "nothing"),
      runIntoClosedPipe(args, env, "first line"),
    ]);
    for (const result of [closed, head]) {
      expect(result.stderr).toBe("");
      expect(result).toMatchObject({ code: 0, signal: null });
    }
    expect(head.read.length).toBeGreaterThan(0);
  });

  it("still does the work: a category added with stdout closed is there", async () => {
    const added = await runIntoClosedPipe(
      ["category", "add", "tin-pipe", "--vi", "Ống", "--en", "Pipe"],
      env,
      "nothing",
    );
    expect(added).toMatchObject({ code: 0, stderr: "" });
    const list = await runCli(["category", "list", "--json"], env);
    expect(JSON.parse(list.stdout).map((c: { slug: string }) => c.slug)).toContain("tin-pipe");
  });

  it("keeps a failure a failure: one line on stderr, non-zero", async () => {
    const result = await runIntoClosedPipe(["article", "999999"], env, "nothing");
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^bantin: /);
  });
});

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

  it("the default path makes its folder, also when spelled out as in .env.example", async () => {
    for (const env of [{ DATABASE_URL: undefined }, { DATABASE_URL: "sqlite:./data/bantin.db" }]) {
      const cwd = scratchDir();
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
