/**
 * `bantin` as a process writing into a pipe that stops reading (`| head -1`, `| true`): the rest of
 * the output is dropped, the work is still done, and the exit status is what it would have been.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db";
import { loadSampleNews } from "../../src/demo/sample-news";
import { BIN, scratchDir, spawnCli } from "../helpers/cli";

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
    const list = await spawnCli(["category", "list", "--json"], env);
    expect(JSON.parse(list.stdout).map((c: { slug: string }) => c.slug)).toContain("tin-pipe");
  });

  it("keeps a failure a failure: one line on stderr, non-zero", async () => {
    const result = await runIntoClosedPipe(["article", "999999"], env, "nothing");
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^bantin: /);
  });
});
