import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { concurrencyFor } from "../src/config";
import { migrateToLatest, openDatabase } from "../src/db";
import type { DbHandle } from "../src/db/schema";
import { countOutboxByState } from "../src/delivery/outbox-counts";
import { confirmBroadcast, prepareBroadcast } from "../src/services/broadcasts";
import { type FakeTelegram, startFakeTelegram } from "../test/fakes/telegram-api";
import { machine, writeSection } from "./results";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "bantin.js");
const READERS = 3_000;
const RATE = 200;
const LATENCY_MS = 50;
/** Share of readers reached when the sender is killed, one trial each. */
const KILL_AT = [0.25, 0.5, 0.75];
const TEXT = "Tin nóng: thử khởi động lại giữa chừng";

interface Trial {
  killAt: number;
  reachedAtKill: number;
  left: number;
  /** Rows the dead sender still held by lease at the kill, and how long its leases had to run. */
  heldRows: number;
  heldLeaseSeconds: number;
  firstSendSeconds: number;
  everyoneSeconds: number;
  boundSeconds: number;
  duplicates: number;
  tookBack: boolean;
}

function firstReached(fake: FakeTelegram): Map<string, number> {
  const first = new Map<string, number>();
  for (const call of fake.calls) {
    if (call.method !== "sendMessage" || call.ok !== true) continue;
    const chat = String(call.params.chat_id);
    if (!first.has(chat)) first.set(chat, call.at);
  }
  return first;
}

function successfulSends(fake: FakeTelegram): number {
  return fake.calls.filter((c) => c.method === "sendMessage" && c.ok === true).length;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`recovery bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once("exit", (code) => done(code));
  });
}

/** `bantin start` as an operator runs it: default lease and concurrency, paid broadcasts. */
function startBantin(
  dir: string,
  path: string,
  fake: FakeTelegram,
): ChildProcess & { log: string } {
  const child = spawn(process.execPath, [BIN, "start"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `sqlite:${path}`,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_RATE: String(RATE),
      TELEGRAM_PAID_BROADCAST: "true",
      HTTP_PORT: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  }) as ChildProcess & { log: string };
  child.log = "";
  child.stderr?.on("data", (chunk) => {
    child.log += chunk;
  });
  return child;
}

async function seed(db: DbHandle): Promise<void> {
  await migrateToLatest(db);
  const now = new Date().toISOString();
  for (let i = 0; i < READERS; i += 500) {
    await db
      .insertInto("readers")
      .values(
        Array.from({ length: Math.min(500, READERS - i) }, (_, j) => ({
          platform: "telegram",
          chat_id: String(700_000 + i + j),
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  const { broadcast } = await prepareBroadcast(db, { author: "bench", text: TEXT }, now);
  await confirmBroadcast(db, broadcast.id, "bench", now);
}

async function trial(killAt: number): Promise<Trial> {
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-recovery-"));
  const path = join(dir, "bantin.db");
  const { db } = openDatabase({ kind: "sqlite", path });
  const fake = await startFakeTelegram({
    latencyMs: LATENCY_MS,
    limits: { globalPerSecond: 30, paidGlobalPerSecond: 1000, perChatPerSecond: 1 },
  });
  const children: ChildProcess[] = [];
  try {
    await seed(db);
    const first = startBantin(dir, path, fake);
    children.push(first);
    await waitUntil(() => firstReached(fake).size >= READERS * killAt, 120_000, "the first sends");
    first.kill("SIGKILL");
    await exited(first);
    const killedAt = Date.now();
    const reachedAtKill = firstReached(fake).size;
    const held = await db
      .selectFrom("outbox")
      .select(["lease_until"])
      .where("state", "=", "pending")
      .where("lease_until", ">", new Date(killedAt).toISOString())
      .execute();
    const heldUntil = Math.max(killedAt, ...held.map((r) => Date.parse(r.lease_until as string)));

    const restartedAt = Date.now();
    const second = startBantin(dir, path, fake);
    children.push(second);
    const sendsBefore = successfulSends(fake);
    await waitUntil(() => successfulSends(fake) > sendsBefore, 60_000, "the restart's first send");
    const firstSendAt = Date.now();
    await waitUntil(() => firstReached(fake).size === READERS, 180_000, "every reader");
    await waitUntil(
      async () => (await countOutboxByState(db)).pending === 0,
      30_000,
      "the outbox to drain",
    );
    second.kill("SIGTERM");
    await exited(second);

    const left = READERS - reachedAtKill;
    const perChat = new Map<string, number>();
    for (const call of fake.calls) {
      if (call.method !== "sendMessage" || call.ok !== true) continue;
      const chat = String(call.params.chat_id);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    }
    return {
      killAt,
      reachedAtKill,
      left,
      heldRows: held.length,
      heldLeaseSeconds: (heldUntil - killedAt) / 1000,
      firstSendSeconds: (firstSendAt - restartedAt) / 1000,
      everyoneSeconds: (Math.max(...firstReached(fake).values()) - restartedAt) / 1000,
      boundSeconds: 15 + left / RATE,
      duplicates: [...perChat.values()].reduce((n, c) => n + c - 1, 0),
      tookBack: second.log.includes("took back the rows of a worker that is gone"),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await fake.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A sender killed with SIGKILL in the middle of a breaking-news broadcast, then started again:
 * how long until every reader left is reached, and how many got the message twice.
 */
export async function benchRecovery(): Promise<string> {
  // Child processes run the CLI bundle, as `npm start` does after `npm ci`.
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
  const trials: Trial[] = [];
  for (const killAt of KILL_AT) trials.push(await trial(killAt));
  const inFlight = concurrencyFor(RATE);
  const table = [
    "| killed after | readers left | rows the dead sender held (lease left) | restart → first send | restart → every reader left | bound: 15 s + left ÷ rate | duplicates | sends in flight |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...trials.map(
      (t) =>
        `| ${t.reachedAtKill.toLocaleString("en-US")} of ${READERS.toLocaleString("en-US")} | ${t.left.toLocaleString("en-US")} | ${t.heldRows} (${t.heldLeaseSeconds.toFixed(0)} s) | ${t.firstSendSeconds.toFixed(2)} s | ${t.everyoneSeconds.toFixed(2)} s | ${t.boundSeconds.toFixed(1)} s | ${t.duplicates} | ${inFlight} |`,
    ),
  ].join("\n");
  const ok = trials.every((t) => t.everyoneSeconds <= t.boundSeconds && t.duplicates <= inFlight);
  const tookBack = trials.filter((t) => t.tookBack).length;
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

\`bantin start\` (the CLI bundle, as \`npm start\` runs it) as a child process with the defaults
an operator gets (\`DELIVERY_LEASE_SECONDS\` 60, concurrency ${inFlight} for
\`TELEGRAM_RATE=${RATE}\` with paid broadcasts) sends one confirmed breaking-news broadcast to
${READERS.toLocaleString("en-US")} readers in a temp-file SQLite database through the fake Bot
API (in this process, answering after ${LATENCY_MS} ms, 1000/s paid, 1 a second per chat). It is
killed with SIGKILL once the share of readers in the first column has been reached, and
started again at once. "Rows the dead sender held" are pending rows still under its lease at
the kill (claimed, queued or in flight), with how long that lease still had to run: without
proof that their owner is gone they would wait that long. Times run from the restart's spawn to
the fake's first successful \`sendMessage\` of the new process, and to the first message of the
last reader left; duplicates are successful sends beyond one per reader, over both processes.
The restarted sender took the dead one's rows back in ${tookBack} of ${trials.length} runs
("took back the rows of a worker that is gone" in its log). Every run within the bound and
duplicates ≤ sends in flight: ${ok ? "yes" : "NO"}.

${table}`;
  writeSection("Recovery after SIGKILL mid-broadcast", body);
  return table;
}
