import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { confirmBroadcast, prepareBroadcast } from "../../src/services/broadcasts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { BIN, scratchDir } from "../helpers/cli";

const READERS = 300;
const CONCURRENCY = 20;

let fake: FakeTelegram | undefined;
let db: DbHandle | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await db?.destroy();
  await fake?.close();
  db = undefined;
  fake = undefined;
});

async function setup(): Promise<{ path: string; db: DbHandle; fake: FakeTelegram }> {
  fake = await startFakeTelegram({
    latencyMs: 20,
    limits: { globalPerSecond: 30, paidGlobalPerSecond: 1000, perChatPerSecond: 1 },
  });
  const path = join(scratchDir(), "crash.db");
  db = openDatabase({ kind: "sqlite", path }).db;
  await migrateToLatest(db);
  const now = new Date().toISOString();
  await db
    .insertInto("readers")
    .values(
      Array.from({ length: READERS }, (_, i) => ({
        platform: "telegram",
        chat_id: String(10_000 + i),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const { broadcast } = await prepareBroadcast(
    db,
    { author: "cli", text: "Tin nóng: thử khởi động lại" },
    now,
  );
  expect(await confirmBroadcast(db, broadcast.id, "cli", now)).toBe(READERS);
  return { path, db, fake };
}

function startBot(
  path: string,
  apiRoot: string,
  token: string,
  options: { rate?: number; leaseSeconds?: number } = {},
): ChildProcess {
  const child = spawn(process.execPath, [BIN, "start"], {
    cwd: scratchDir(),
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `sqlite:${path}`,
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_RATE: String(options.rate ?? 200),
      TELEGRAM_PAID_BROADCAST: "true",
      DELIVERY_CONCURRENCY: String(CONCURRENCY),
      // Unset: the default lease, as an operator runs it.
      ...(options.leaseSeconds ? { DELIVERY_LEASE_SECONDS: String(options.leaseSeconds) } : {}),
      HTTP_PORT: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

/** When each chat first got a message (the fake's clock). */
function firstReached(f: FakeTelegram): Map<string, number> {
  const first = new Map<string, number>();
  for (const call of f.calls) {
    if (call.method !== "sendMessage" || call.ok !== true) continue;
    const chat = String(call.params.chat_id);
    if (!first.has(chat)) first.set(chat, call.at);
  }
  return first;
}

function delivered(f: FakeTelegram): Map<string, number> {
  const perChat = new Map<string, number>();
  for (const call of f.calls) {
    if (call.method !== "sendMessage" || call.ok !== true) continue;
    const chat = String(call.params.chat_id);
    perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
  }
  return perChat;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

describe("a sender that crashes or is stopped", { timeout: 90_000 }, () => {
  it("killed with SIGKILL mid-broadcast and started again: nobody is missed, few duplicates", async () => {
    const { path, db, fake } = await setup();
    const first = startBot(path, fake.apiRoot, fake.token, { leaseSeconds: 2 });
    await waitUntil(() => delivered(fake).size >= 80, 30_000, "the first sends");
    first.kill("SIGKILL");
    await exited(first);
    const atKill = delivered(fake).size;
    expect(atKill).toBeLessThan(READERS); // it really died mid-way

    const second = startBot(path, fake.apiRoot, fake.token, { leaseSeconds: 2 });
    await waitUntil(
      async () => (await countOutboxByState(db)).pending === 0,
      60_000,
      "the outbox to drain",
    );
    second.kill("SIGTERM");
    expect(await exited(second)).toBe(0);

    const perChat = delivered(fake);
    for (let i = 0; i < READERS; i++)
      expect(perChat.get(String(10_000 + i)) ?? 0).toBeGreaterThanOrEqual(1);
    const duplicates = [...perChat.values()].reduce((n, c) => n + c - 1, 0);
    // Only messages in flight at the kill (sent, not yet recorded) can go twice.
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    expect((await countOutboxByState(db)).sent).toBe(READERS);
  });

  it("killed with SIGKILL, with the default lease: a restart reaches everyone left within 15 s + left ÷ rate", async () => {
    const { path, db, fake } = await setup();
    const RATE = 100;
    const first = startBot(path, fake.apiRoot, fake.token, { rate: RATE });
    await waitUntil(() => delivered(fake).size >= 80, 30_000, "the first sends");
    first.kill("SIGKILL");
    await exited(first);
    const left = READERS - delivered(fake).size;
    expect(left).toBeGreaterThan(CONCURRENCY * 2); // rows the dead sender held are among them
    const held = await db
      .selectFrom("outbox")
      .select("id")
      .where("state", "=", "pending")
      .where("lease_until", ">", new Date().toISOString())
      .execute();
    expect(held.length).toBeGreaterThan(0); // the dead sender's leases (60 s) are still running

    const restartedAt = Date.now();
    const second = startBot(path, fake.apiRoot, fake.token, { rate: RATE });
    const boundSeconds = 15 + left / RATE;
    await waitUntil(
      () => delivered(fake).size === READERS,
      (boundSeconds + 10) * 1000,
      `every reader (${left} left at the kill) within ${boundSeconds.toFixed(1)} s`,
    );
    const lastReached = Math.max(...firstReached(fake).values());
    expect((lastReached - restartedAt) / 1000).toBeLessThanOrEqual(boundSeconds);
    await waitUntil(
      async () => (await countOutboxByState(db)).pending === 0,
      10_000,
      "the outbox to drain",
    );
    second.kill("SIGTERM");
    expect(await exited(second)).toBe(0);
    const duplicates = [...delivered(fake).values()].reduce((n, c) => n + c - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY); // at most the sends in flight at the kill
    expect((await countOutboxByState(db)).sent).toBe(READERS);
  });

  it("two live senders on one database never take each other's rows", async () => {
    const { path, db, fake } = await setup();
    // A short lease makes each sender look for gone senders every second while both work.
    const a = startBot(path, fake.apiRoot, fake.token, { rate: 30, leaseSeconds: 3 });
    const b = startBot(path, fake.apiRoot, fake.token, { rate: 30, leaseSeconds: 3 });
    await waitUntil(
      async () => (await countOutboxByState(db)).pending === 0,
      60_000,
      "the outbox to drain",
    );
    a.kill("SIGTERM");
    b.kill("SIGTERM");
    expect(await exited(a)).toBe(0);
    expect(await exited(b)).toBe(0);
    const perChat = delivered(fake);
    expect(perChat.size).toBe(READERS);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
  });

  it("SIGTERM stops claiming, lets sends in flight finish, and exits 0", async () => {
    const { path, db, fake } = await setup();
    const bot = startBot(path, fake.apiRoot, fake.token, { leaseSeconds: 2 });
    await waitUntil(() => delivered(fake).size >= 50, 30_000, "the first sends");
    bot.kill("SIGTERM");
    expect(await exited(bot)).toBe(0);
    const sentByFake = [...delivered(fake).values()].reduce((a, b) => a + b, 0);
    const counts = await countOutboxByState(db);
    expect(counts.sent).toBe(sentByFake); // every message that went out is recorded: no duplicates later
    expect(counts.sent + counts.pending).toBe(READERS);
    const held = await db
      .selectFrom("outbox")
      .select("id")
      .where("lease_owner", "is not", null)
      .where("state", "=", "pending")
      .execute();
    expect(held).toEqual([]);
  });
});
