/**
 * Several `bantin start` on one database share the work: one process at a time polls a
 * platform and sends its messages (so the platform's rate holds for them together), and when
 * it dies another takes over. `--roles` splits the work; /readyz says who does what.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { runCli } from "../helpers/cli";
import { exited, type RunningBot, startBotProcess, waitUntil } from "../helpers/processes";
import { prepareNewsDb } from "../helpers/telegram-harness";

const children: ChildProcess[] = [];
let fake: FakeTelegram | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await fake?.close();
  fake = undefined;
});

interface Readiness {
  ready: boolean;
  roles: string[];
  leading: string[];
  clockJobs: string[];
}

async function readiness(bot: RunningBot): Promise<Readiness> {
  return (await fetch(`${bot.url}/readyz`)).json() as Promise<Readiness>;
}

async function start(
  path: string,
  f: FakeTelegram,
  roles?: string,
  env: Record<string, string> = {},
): Promise<RunningBot> {
  const bot = await startBotProcess(
    {
      DATABASE_URL: `sqlite:${path}`,
      TELEGRAM_BOT_TOKEN: f.token,
      TELEGRAM_API_ROOT: f.apiRoot,
      ...env,
    },
    roles ? ["--roles", roles] : [],
  );
  children.push(bot.child);
  return bot;
}

/** Updates stored and not yet marked handled, read from the processes' SQLite file. */
async function unhandledUpdates(path: string): Promise<number> {
  const { db } = openDatabase({ kind: "sqlite", path });
  try {
    const row = await db
      .selectFrom("inbox_updates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("handled_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.destroy();
  }
}

async function newsDb(): Promise<string> {
  const { path, db } = await prepareNewsDb();
  await db.destroy();
  return path;
}

describe("processes on one database", { timeout: 60_000 }, () => {
  it("one polls and sends; when it dies, another takes over within 10 s", async () => {
    fake = await startFakeTelegram();
    const f = fake;
    const path = await newsDb();
    const first = await start(path, f);
    await waitUntil(async () => (await readiness(first)).leading.length === 2, 10_000, "a leader");
    const second = await start(path, f);
    await new Promise((r) => setTimeout(r, 3_500)); // past the second's first tries
    expect((await readiness(first)).leading.sort()).toEqual(["poll:telegram", "send:telegram"]);
    expect((await readiness(second)).leading).toEqual([]);

    // Updates are answered once, by whoever polls.
    const id = f.pushUpdate(f.message({ chatId: 9_101, text: "/trogiup" }));
    await f.waitFor((c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > id, 10_000);
    await waitUntil(() => f.sentMessages(9_101).length > 0, 10_000, "an answer");
    // Killed once the update is marked handled: a kill between the answer and the mark answers
    // again after the takeover (at least once, by design), which is not what this test is about.
    await waitUntil(() => unhandledUpdates(path).then((n) => n === 0), 10_000, "the mark");

    first.child.kill("SIGKILL");
    await exited(first.child);
    const killed = Date.now();
    await waitUntil(
      async () => (await readiness(second)).leading.length === 2,
      10_000,
      "the second process to lead",
    );
    expect(Date.now() - killed).toBeLessThan(10_000);
    const next = f.pushUpdate(f.message({ chatId: 9_102, text: "/trogiup" }));
    await f.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > next,
      10_000,
    );
    await waitUntil(() => f.sentMessages(9_102).length > 0, 10_000, "an answer after the takeover");
    expect(f.sentMessages(9_101)).toHaveLength(1);
  });

  it("--roles splits the work, and /readyz says so", async () => {
    fake = await startFakeTelegram();
    const path = await newsDb();
    const web = await start(path, fake, "web,chat");
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = await readiness(web);
    expect(seen.roles).toEqual(["web", "chat"]);
    expect(seen.leading).toEqual(["poll:telegram"]); // chat polls; sending is not its role

    // A worker takes the clock's jobs at their first tick (every second here) and says so.
    const worker = await start(path, fake, "digest,send", { BANTIN_TICK_SECONDS: "1" });
    await waitUntil(
      async () => (await readiness(worker)).clockJobs.length === 4,
      10_000,
      "the worker to lead the clock's jobs",
    );
    expect((await readiness(worker)).clockJobs.sort()).toEqual([
      "alerts",
      "broadcasts",
      "digest",
      "instant",
    ]);
    expect((await readiness(worker)).leading).toEqual(["send:telegram"]);
    expect((await readiness(web)).clockJobs).toEqual([]);
  });

  it("an unknown role is one clear line and a non-zero exit", async () => {
    const result = await runCli(["start", "--roles", "web,cook"], {
      TELEGRAM_BOT_TOKEN: "1:x",
      DATABASE_URL: "sqlite::memory:",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      "bantin: --roles: unknown role cook; choose from web,chat,ingest,digest,send",
    );
  });
});
