import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot } from "grammy";
import {
  broadcastStatus,
  confirmBroadcast,
  prepareBroadcast,
} from "../src/admin/broadcast-service";
import { createTelegramTransport } from "../src/channels/telegram/transport";
import { systemClock } from "../src/clock";
import { concurrencyFor } from "../src/config";
import { migrateToLatest, openDatabase } from "../src/db";
import { RateLimiter } from "../src/delivery/limiter";
import { createDeliveryWorker } from "../src/delivery/worker";
import { silentLogger } from "../src/logging";
import type { FakeTelegramLimits } from "../test/fakes/telegram-api";
import { type Recorded, startFakeHost } from "./fake-host";
import { machine, writeSection } from "./results";

const LATENCY_MS = 50;
const TEXT =
  "Bão số 3 đổ bộ vào Quảng Ninh – Hải Phòng chiều nay. Người dân ven biển cần sơ tán " +
  "trước 15 giờ; theo dõi bản tin tiếp theo.";

// ---------------------------------------------------------------------------------------------

interface Scenario {
  name: string;
  readers: number;
  allowed: number;
  paid: boolean;
  limits: FakeTelegramLimits;
  /** Sends in flight in our worker: concurrencyFor(allowed), and any others to compare. */
  concurrencies: { value: number; why: string }[];
  /** Readers the grammY baselines send to (the first N). */
  baselineReaders: number;
  /** Baseline variants: sends in flight at once. */
  baselineParallel: number[];
}

interface Row {
  scenario: string;
  sender: string;
  readers: number;
  allowed: number;
  achieved: number;
  ratio: number;
  tooMany: number;
  lost: number;
  duplicates: number;
  wallSeconds: number;
}

/** The numbers of one run, from what the fake Bot API recorded. */
function measure(
  recorded: Recorded,
  chats: number[],
  allowed: number,
): Omit<Row, "scenario" | "sender"> {
  const sends = recorded.sends.filter((c) => c.ok);
  const perChat = new Map<string, number>();
  for (const c of sends) perChat.set(c.chatId, (perChat.get(c.chatId) ?? 0) + 1);
  let lost = 0;
  let duplicates = 0;
  for (const chat of chats) {
    const n = perChat.get(String(chat)) ?? 0;
    if (n === 0) lost++;
    else duplicates += n - 1;
  }
  const times = sends.map((c) => c.at);
  const wallSeconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
  const achieved = wallSeconds > 0 ? sends.length / wallSeconds : 0;
  return {
    readers: chats.length,
    allowed,
    achieved,
    ratio: achieved / allowed,
    tooMany: recorded.tooManyRequests,
    lost,
    duplicates,
    wallSeconds,
  };
}

/** Our path: readers in SQLite, a confirmed broadcast in the outbox, the delivery worker. */
async function runWorker(
  s: Scenario,
  chats: number[],
  concurrency: { value: number; why: string },
): Promise<{ row: Row; html: string; drainSeconds: number; busy: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-broadcast-"));
  const { db } = openDatabase({ kind: "sqlite", path: join(dir, "bench.db") });
  const fake = await startFakeHost({ latencyMs: LATENCY_MS, limits: s.limits });
  try {
    await migrateToLatest(db);
    const created = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < chats.length; i += 500) {
        await trx
          .insertInto("readers")
          .values(
            chats.slice(i, i + 500).map((chat, j) => ({
              platform: "telegram",
              chat_id: String(chat),
              chat_type: "private",
              display_name: null,
              locale: (i + j) % 5 === 0 ? "en" : "vi",
              last_digest_cutoff: created,
              created_at: created,
              updated_at: created,
            })),
          )
          .execute();
      }
    });
    const now = new Date().toISOString();
    const preview = await prepareBroadcast(db, { author: "bench", text: TEXT }, now);
    if (preview.audience !== chats.length) throw new Error(`audience ${preview.audience}`);
    await confirmBroadcast(db, preview.broadcast.id, "bench", now);

    const worker = createDeliveryWorker({
      db,
      transport: createTelegramTransport({
        token: fake.token,
        apiRoot: fake.apiRoot,
        paidBroadcast: s.paid,
      }),
      limiter: new RateLimiter({
        perSecond: s.allowed,
        perChatIntervalMs: 1000,
        perGroupIntervalMs: 3000,
      }),
      clock: systemClock,
      logger: silentLogger(),
      concurrency: concurrency.value,
    });
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    for (let round = 0; ; round++) {
      await worker.drain();
      const status = await broadcastStatus(db, preview.broadcast.id, new Date().toISOString());
      if (status.finished) break;
      if (round > 100) throw new Error(`broadcast not finished: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainSeconds = (performance.now() - t0) / 1000;
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const recorded = await fake.recorded();
    const row = {
      scenario: s.name,
      sender: `bantin: outbox + RateLimiter + worker, concurrency ${concurrency.value} (${concurrency.why})`,
      ...measure(recorded, chats, s.allowed),
    };
    return { row, html: recorded.firstText ?? TEXT, drainSeconds, busy };
  } finally {
    await fake.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: a plain loop with grammY and its auto-retry plugin, `parallel` loops at once. */
async function runGrammyLoop(
  s: Scenario,
  chats: number[],
  html: string,
  parallel: number,
): Promise<Row> {
  const fake = await startFakeHost({ latencyMs: LATENCY_MS, limits: s.limits });
  try {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    bot.api.config.use(autoRetry());
    const extra = s.paid ? { allow_paid_broadcast: true } : {};
    let next = 0;
    const loop = async () => {
      while (next < chats.length) {
        const chatId = chats[next++] as number;
        try {
          await bot.api.sendMessage(chatId, html, { parse_mode: "HTML", ...extra });
        } catch {
          // Counted as lost by measure().
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, loop));
    const sender =
      parallel === 1
        ? "grammY + auto-retry, sequential loop"
        : `grammY + auto-retry, ${parallel} loops in parallel`;
    const subset = chats.length < s.readers ? ` (first ${chats.length} readers only)` : "";
    const recorded = await fake.recorded();
    return { scenario: s.name, sender: sender + subset, ...measure(recorded, chats, s.allowed) };
  } finally {
    await fake.close();
  }
}

function fmt(row: Row): string {
  const n = (v: number) => v.toLocaleString("en-US");
  return `| ${row.scenario} | ${row.sender} | ${n(row.readers)} | ${n(row.allowed)} | ${row.achieved.toFixed(1)} | ${row.ratio.toFixed(3)} | ${row.tooMany} | ${row.lost} | ${row.duplicates} | ${row.wallSeconds.toFixed(1)} s |`;
}

/**
 * A breaking-news broadcast delivered through the outbox and the delivery worker, against the
 * fake Bot API enforcing Telegram's flood limits, beside a plain grammY loop with auto-retry.
 */
export async function benchBroadcast(): Promise<string> {
  const scenarios: Scenario[] = [
    {
      name: "A: paid broadcast",
      readers: 10_000,
      allowed: 1000,
      paid: true,
      limits: { globalPerSecond: 30, paidGlobalPerSecond: 1000, perChatPerSecond: 1 },
      concurrencies: [
        { value: concurrencyFor(1000), why: "concurrencyFor(1000)" },
        { value: 100, why: "2 × rate × latency" },
      ],
      baselineReaders: 200,
      baselineParallel: [1],
    },
    {
      name: "B: free rate",
      readers: 1_000,
      allowed: 30,
      paid: false,
      limits: { globalPerSecond: 30, perChatPerSecond: 1 },
      concurrencies: [{ value: concurrencyFor(30), why: "concurrencyFor(30)" }],
      baselineReaders: 300,
      baselineParallel: [1, 3],
    },
  ];
  const rows: Row[] = [];
  const notes: string[] = [];
  let base = 100_000_000;
  let html = TEXT;
  for (const s of scenarios) {
    const chats = Array.from({ length: s.readers }, (_, i) => base + i);
    base += 10_000_000;
    for (const concurrency of s.concurrencies) {
      const ours = await runWorker(s, chats, concurrency);
      rows.push(ours.row);
      html = ours.html;
      notes.push(
        `${s.name}, concurrency ${concurrency.value}: \`worker.drain()\` took ${ours.drainSeconds.toFixed(1)} s, our event loop busy ${(ours.busy * 100).toFixed(0)}% of it`,
      );
    }
    for (const parallel of s.baselineParallel) {
      rows.push(await runGrammyLoop(s, chats.slice(0, s.baselineReaders), html, parallel));
    }
  }
  const table = [
    "| scenario | sender | readers | allowed/s | achieved/s | ratio | 429s | lost | duplicates | wall time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(fmt),
  ].join("\n");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

One breaking-news broadcast to private chats, each run on a fresh fake Bot API (real HTTP on
127.0.0.1, in a child process of its own so that it does not share our event loop) that answers
every call after ${LATENCY_MS} ms and enforces flood limits with 429 + retry_after over sliding
one-second windows: A allows 1000/s for \`allow_paid_broadcast\` calls (30/s without), B 30/s;
both 1 message a second per chat. "bantin" is the real path: readers in a temp-file SQLite
database, \`prepareBroadcast\` + \`confirmBroadcast\` into the outbox, then \`worker.drain()\`
with \`RateLimiter\` at the allowed rate and the Telegram transport. The baseline is a plain loop
with grammY and \`autoRetry()\`, as grammY's docs suggest, over the first readers only (see the
readers column), since at this latency it sends about 20 a second. Achieved/s is successful
\`sendMessage\` calls divided by the time from the first to the last one, as the fake recorded
them; "lost" counts readers who got no message, "duplicates" successful sends beyond one per
reader; 429s are the fake's answers. ${notes.join("; ")}.

${table}`;
  writeSection("Broadcast delivery", body);
  return table;
}
