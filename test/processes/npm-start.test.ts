/**
 * `npm start` as an operator runs it: a SIGTERM to npm (a service manager stopping it, Ctrl-C
 * in a terminal) stops bantin too, instead of leaving `node bin/bantin.js` running as an orphan.
 */
import { execFileSync, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { newSqliteUrl, scratchDir } from "../helpers/cli";
import { exited, waitUntil } from "../helpers/processes";

const ROOT = resolve(import.meta.dirname, "../..");

/** Every process below `pid` (children, their children …). */
function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-e", "-o", "pid=,ppid="])
    .toString()
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start", { timeout: 60_000 }, () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram();
  });
  afterAll(() => fake?.close());

  it("stops bantin with it on SIGTERM", async () => {
    const npm = spawn("npm", ["--prefix", ROOT, "start"], {
      cwd: scratchDir(),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: newSqliteUrl("npm.db"),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        HTTP_PORT: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    npm.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await waitUntil(() => /HTTP on http/.test(out), 30_000, "bantin to serve");
    const children = descendants(npm.pid as number);
    expect(children.length).toBeGreaterThan(0);
    try {
      npm.kill("SIGTERM");
      await exited(npm);
      await waitUntil(() => children.every((pid) => !alive(pid)), 15_000, "bantin to stop");
      expect(children.filter(alive)).toEqual([]);
    } finally {
      for (const pid of children.filter(alive)) process.kill(pid, "SIGKILL");
    }
  });
});
