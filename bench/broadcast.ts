import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot } from "grammy";
import { createTelegramTransport } from "../src/adapters/telegram/transport";
import { systemClock } from "../src/clock";
import { concurrencyFor } from "../src/config";
import { migrateToLatest, openDatabase } from "../src/db";
import type { DbHandle } from "../src/db/schema";
import { RateLimiter } from "../src/delivery/limiter";
import { countOutboxByState } from "../src/delivery/outbox-counts";
import { type BroadcastReach, broadcastReach } from "../src/delivery/reach";
import { createDeliveryWorker } from "../src/delivery/worker";
import { silentLogger } from "../src/logging";
import { broadcastStatus, confirmBroadcast, prepareBroadcast } from "../src/services/broadcasts";
import type { FakeTelegramLimits } from "../test/fakes/telegram-api";
import { runCli } from "../test/helpers/cli";
import { exited, type RunningBot, startBotProcess, waitUntil } from "../test/helpers/processes";
import { type Recorded, startFakeHost } from "./fake-host";
import { type BenchDatabase, createBenchDatabase, postgresSkipped } from "./postgres";
import { machine, recordFigures, writeSection } from "./results";

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
  /** Whether to run the grammY + throttler baseline too (over every reader). */
  throttler: boolean;
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
  /** Successful sends in each whole second from the first send (the last, partial one left out). */
  perSecond: { median: number; max: number };
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
  // Not Math.min(...times): a spread of 200,000 arguments overflows the stack.
  const first = times.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const last = times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const wallSeconds = times.length > 1 ? (last - first) / 1000 : 0;
  const achieved = wallSeconds > 0 ? sends.length / wallSeconds : 0;
  const seconds = Math.floor(wallSeconds);
  const counts = new Array<number>(seconds).fill(0);
  for (const at of times) {
    const second = Math.floor((at - first) / 1000);
    if (second < seconds) counts[second] = (counts[second] ?? 0) + 1;
  }
  counts.sort((a, b) => a - b);
  return {
    readers: chats.length,
    allowed,
    achieved,
    ratio: achieved / allowed,
    tooMany: recorded.tooManyRequests,
    lost,
    duplicates,
    wallSeconds,
    perSecond: {
      median: counts.length > 0 ? (counts[Math.floor(counts.length / 2)] as number) : 0,
      max: counts.at(-1) ?? 0,
    },
  };
}

const PROCESS_RATE = 1000;
const ROOT = resolve(import.meta.dirname, "..");

/** Private-chat readers, one per chat id, with a few in English. */
async function seedReaders(db: DbHandle, chats: number[]): Promise<void> {
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
            created_at: created,
            updated_at: created,
          })),
        )
        .execute();
    }
  });
}

/** Our path in this process: readers in SQLite, a confirmed broadcast, `worker.drain()`. */
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
    await seedReaders(db, chats);
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
      sender: `bantin in the bench process: outbox + RateLimiter + worker, concurrency ${concurrency.value} (${concurrency.why})`,
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

/**
 * The other grammY way: every send handed at once to grammY with the throttler plugin
 * (@grammyjs/transformer-throttler, Bottleneck: a global reservoir refilled every second, one
 * send at a time per chat a second apart) set to the allowed rate, and auto-retry behind it for
 * what still meets a 429, as grammY's docs advise.
 */
async function runGrammyThrottler(
  s: Scenario,
  chats: number[],
  html: string,
): Promise<{ row: Row; busy: number }> {
  const fake = await startFakeHost({ latencyMs: LATENCY_MS, limits: s.limits });
  try {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    bot.api.config.use(
      apiThrottler({
        global: {
          reservoir: s.allowed,
          reservoirRefreshAmount: s.allowed,
          reservoirRefreshInterval: 1000,
        },
      }),
    );
    bot.api.config.use(autoRetry());
    const extra = s.paid ? { allow_paid_broadcast: true } : {};
    const elu0 = performance.eventLoopUtilization();
    await Promise.all(
      chats.map((chatId) =>
        bot.api.sendMessage(chatId, html, { parse_mode: "HTML", ...extra }).catch(() => {
          // Counted as lost by measure().
        }),
      ),
    );
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const recorded = await fake.recorded();
    const row = {
      scenario: s.name,
      sender: `grammY + transformer-throttler (global ${s.allowed}/s) + auto-retry, all sends queued at once`,
      ...measure(recorded, chats, s.allowed),
    };
    return { row, busy };
  } finally {
    await fake.close();
  }
}

interface ProcessRow extends Row {
  store: string;
  processes: number;
  /** Per platform, seconds from the confirmation until 50 %, 90 % and 100 % were sent it. */
  reach: BroadcastReach[];
  /** From the confirmation (the broadcast's started_at) to the last successful send. */
  confirmToLastSeconds: number;
  /** Processes leading send:telegram at the end, by their /readyz. */
  sending: number;
}

async function leadsSending(bot: RunningBot): Promise<boolean> {
  const ready = (await (await fetch(`${bot.url}/readyz`)).json()) as { leading?: string[] };
  return ready.leading?.includes("send:telegram") ?? false;
}

/**
 * The real thing: `processes` × `bantin start` (the CLI bundle, as `npm start` runs it) on one
 * database with TELEGRAM_RATE=1000 and paid broadcasts, the defaults otherwise (concurrency
 * 100, pool of 10 on PostgreSQL); the broadcast confirmed by `bantin broadcast <text> --yes`
 * from a shell with no token, which leaves the sending to the running processes.
 */
async function runProcesses(
  store: "sqlite" | "postgres",
  processes: number,
  chats: number[],
  limits: FakeTelegramLimits,
): Promise<ProcessRow> {
  let dir: string | undefined;
  let database: BenchDatabase | undefined;
  let url: string;
  let db: DbHandle;
  if (store === "sqlite") {
    dir = mkdtempSync(join(tmpdir(), "bantin-bench-processes-"));
    url = `sqlite:${join(dir, "bantin.db")}`;
    db = openDatabase({ kind: "sqlite", path: join(dir, "bantin.db") }).db;
  } else {
    database = await createBenchDatabase();
    url = database.url;
    db = openDatabase({ kind: "postgres", url, poolSize: 2 }).db;
  }
  const fake = await startFakeHost({ latencyMs: LATENCY_MS, limits });
  const bots: RunningBot[] = [];
  try {
    await migrateToLatest(db);
    await seedReaders(db, chats);
    const env = {
      DATABASE_URL: url,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_RATE: String(PROCESS_RATE),
      TELEGRAM_PAID_BROADCAST: "true",
    };
    for (let i = 0; i < processes; i++) {
      const bot = await startBotProcess(env);
      bot.child.stderr?.resume(); // warnings are not read; the pipe must not fill
      bots.push(bot);
    }
    await waitUntil(
      async () => (await Promise.all(bots.map(leadsSending))).some(Boolean),
      30_000,
      "a process to lead sending",
    );
    const cli = await runCli(["broadcast", TEXT, "--yes", "--json"], { DATABASE_URL: url });
    if (cli.code !== 0) throw new Error(`bantin broadcast failed: ${cli.stderr}`);
    const { id } = JSON.parse(cli.stdout) as { id: number };
    // Twice the time the rate allows, and a minute more for a slow start on a busy machine;
    // checked once a second (a count over every row of the broadcast), not to load the server.
    const deadline = Date.now() + (chats.length / PROCESS_RATE) * 2000 + 60_000;
    while ((await countOutboxByState(db, { broadcastId: id })).pending > 0) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the broadcast to finish");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const recorded = await fake.recorded();
    const sending = (await Promise.all(bots.map(leadsSending))).filter(Boolean).length;
    const broadcast = await db
      .selectFrom("broadcasts")
      .select("started_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const lastSend = recorded.sends.reduce((at, c) => (c.ok ? Math.max(at, c.at) : at), 0);
    const reach = await broadcastReach(db, id, broadcast.started_at ?? "");
    const label = store === "sqlite" ? "SQLite (one file)" : "PostgreSQL";
    return {
      scenario: "C: bantin start",
      sender: `${processes} × \`bantin start\` on ${label}`,
      store: label,
      processes,
      reach,
      confirmToLastSeconds: (lastSend - Date.parse(broadcast.started_at ?? "")) / 1000,
      sending,
      ...measure(recorded, chats, PROCESS_RATE),
    };
  } finally {
    for (const bot of bots) bot.child.kill("SIGTERM");
    await Promise.all(bots.map((bot) => exited(bot.child)));
    await fake.close();
    await db.destroy();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const n = (v: number) => v.toLocaleString("en-US");

function perSecond(row: Row): string {
  return row.wallSeconds >= 2 ? `${n(row.perSecond.median)} / ${n(row.perSecond.max)}` : "–";
}

function fmt(row: Row): string {
  return `| ${row.scenario} | ${row.sender} | ${n(row.readers)} | ${n(row.allowed)} | ${row.achieved.toFixed(1)} | ${row.ratio.toFixed(3)} | ${perSecond(row)} | ${row.tooMany} | ${row.lost} | ${row.duplicates} | ${row.wallSeconds.toFixed(1)} s |`;
}

const seconds = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)}`);

/** "telegram 5.1 / 9.2 / 10.3 s": seconds until 50 %, 90 % and 100 % were sent, per platform. */
function reachText(reach: BroadcastReach[]): string {
  return reach
    .map(
      (r) => `${r.platform} ${seconds(r.half)} / ${seconds(r.ninetyPercent)} / ${seconds(r.all)} s`,
    )
    .join("; ");
}

const PROCESS_HEADER = [
  "| store | processes | leading send:telegram | readers | allowed/s | achieved/s | ratio | per second: median / max | 429s | lost | duplicates | first → last send | confirmed → last send | reached 50 / 90 / 100 % |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];

function fmtProcesses(row: ProcessRow): string {
  return `| ${row.store} | ${row.processes} | ${row.sending} | ${n(row.readers)} | ${n(row.allowed)} | ${row.achieved.toFixed(1)} | ${row.ratio.toFixed(3)} | ${perSecond(row)} | ${row.tooMany} | ${row.lost} | ${row.duplicates} | ${row.wallSeconds.toFixed(1)} s | ${row.confirmToLastSeconds.toFixed(1)} s | ${reachText(row.reach)} |`;
}

/** One process row's figures for the JSON line. */
function processFigures(row: ProcessRow) {
  return {
    store: row.store,
    processes: row.processes,
    readers: row.readers,
    allowed: row.allowed,
    achieved: Number(row.achieved.toFixed(1)),
    ratio: Number(row.ratio.toFixed(3)),
    tooMany: row.tooMany,
    lost: row.lost,
    duplicates: row.duplicates,
    wallSeconds: Number(row.wallSeconds.toFixed(1)),
    confirmToLastSeconds: Number(row.confirmToLastSeconds.toFixed(1)),
    reach: row.reach,
  };
}

/** Child processes run the CLI bundle, as `npm start` does after `npm ci`. */
function buildBundle(): string {
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
    return "the CLI bundle (dist/, built first)";
  } catch {
    return "the TypeScript sources through tsx (the bundle did not build)";
  }
}

const PAID_LIMITS = { globalPerSecond: 30, paidGlobalPerSecond: 1000, perChatPerSecond: 1 };
const DEFAULT_PROCESS_READERS = 10_000;

/**
 * `npm run bench -- broadcast --readers N --processes P`: scenario C alone, P × `bantin start`
 * on PostgreSQL sending to N readers; figures printed, docs/BENCHMARKS.md left as it is.
 */
async function benchBroadcastAtSize(readers: number, processes: number): Promise<string> {
  const load = loadavg()[0] ?? 0;
  const bundle = buildBundle();
  const chats = Array.from({ length: readers }, (_, i) => 300_000_000 + i);
  const row = await runProcesses("postgres", processes, chats, PAID_LIMITS);
  const ninety = row.reach.find((r) => r.platform === "telegram")?.ninetyPercent ?? null;
  const aim = (readers * 0.9) / PROCESS_RATE;
  recordFigures("broadcast", {
    ...processFigures(row),
    loadAverage: Number(load.toFixed(1)),
    ninetyPercentAimSeconds: Number((aim * 1.1).toFixed(1)),
  });
  return `${n(readers)} readers, ${processes} × \`bantin start\` on PostgreSQL (${bundle}), TELEGRAM_RATE=${PROCESS_RATE}; load average ${load.toFixed(1)} when it began; ${new Date().toISOString()}

${[...PROCESS_HEADER, fmtProcesses(row)].join("\n")}

90 % reached after ${seconds(ninety)} s (aim: within 1.1 × ${aim.toFixed(0)} s = ${(aim * 1.1).toFixed(0)} s); ratio ${row.ratio.toFixed(3)} (aim ≥ 0.95); lost ${row.lost}, duplicates ${row.duplicates}.`;
}

/**
 * A breaking-news broadcast delivered through the outbox and the delivery worker, against the
 * fake Bot API enforcing Telegram's flood limits: in the bench process, then by real `bantin
 * start` processes (1 and 3, on SQLite and on PostgreSQL), beside grammY with auto-retry and
 * grammY with the throttler plugin.
 */
export async function benchBroadcast(
  options: { readers?: number; processes?: number } = {},
): Promise<string> {
  if (options.readers !== undefined || options.processes !== undefined) {
    return benchBroadcastAtSize(options.readers ?? DEFAULT_PROCESS_READERS, options.processes ?? 3);
  }
  const load = loadavg()[0] ?? 0;
  const paidLimits = PAID_LIMITS;
  const scenarios: Scenario[] = [
    {
      name: "A: paid broadcast",
      readers: 10_000,
      allowed: 1000,
      paid: true,
      limits: paidLimits,
      concurrencies: [{ value: concurrencyFor(1000), why: "concurrencyFor(1000)" }],
      baselineReaders: 200,
      baselineParallel: [1],
      throttler: true,
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
      throttler: false,
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
    if (s.throttler) {
      const throttled = await runGrammyThrottler(s, chats, html);
      rows.push(throttled.row);
      notes.push(
        `${s.name}, grammY + throttler: our event loop busy ${(throttled.busy * 100).toFixed(0)}% of the run`,
      );
    }
    for (const parallel of s.baselineParallel) {
      rows.push(await runGrammyLoop(s, chats.slice(0, s.baselineReaders), html, parallel));
    }
  }

  const bundle = buildBundle();
  const processRows: ProcessRow[] = [];
  let postgresNote = "";
  const processChats = Array.from({ length: DEFAULT_PROCESS_READERS }, (_, i) => base + i);
  for (const store of ["sqlite", "postgres"] as const) {
    for (const count of [1, 3]) {
      try {
        processRows.push(await runProcesses(store, count, processChats, paidLimits));
      } catch (error) {
        if (store !== "postgres" || count !== 1) throw error;
        postgresNote = postgresSkipped(error);
        break;
      }
    }
  }

  const table = [
    "| scenario | sender | readers | allowed/s | achieved/s | ratio | per second: median / max | 429s | lost | duplicates | wall time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(fmt),
  ].join("\n");
  const processTable = [...PROCESS_HEADER, ...processRows.map(fmtProcesses)].join("\n");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load.toFixed(1)} when the bench began.

One breaking-news broadcast to private chats, each run on a fresh fake Bot API (real HTTP on
127.0.0.1, in a child process of its own so that it does not share our event loop) that answers
every call after ${LATENCY_MS} ms and enforces flood limits with 429 + retry_after over sliding
one-second windows: A and C allow 1000/s for \`allow_paid_broadcast\` calls (30/s without),
B 30/s; all 1 message a second per chat. Achieved/s is successful \`sendMessage\` calls divided
by the time from the first to the last one (the wall time), as the fake recorded them; ratio is
achieved ÷ allowed (the aim is 0.95 or more); "per second" gives the median and the highest
count of successful sends in each whole second from the first send (the last, partial second
left out), which shows the pace held while sending apart from a slow start or a tail of
retries; "lost" counts readers who got no message, "duplicates" successful sends beyond one per
reader; 429s are the fake's answers (the aim is 0). The machine is shared: other work ran
beside the bench (see the load average above), and the figures move with it from run to run.

A and B: "bantin in the bench process" is the delivery path without the rest of bantin:
readers in a temp-file SQLite database, \`prepareBroadcast\` + \`confirmBroadcast\` into the
outbox, then \`worker.drain()\` with \`RateLimiter\` at the allowed rate and the Telegram
transport. The baselines are grammY as its users would write a broadcast: a plain loop with
\`autoRetry()\`, as grammY's docs suggest, over the first readers only (see the readers
column), since at this latency it sends about 20 a second; and, in A, grammY with
\`@grammyjs/transformer-throttler\` (its global reservoir set to 1000 a second, its per-chat
default of one send a second kept) and \`autoRetry()\` installed after it, every \`sendMessage\`
handed to grammY at once for the throttler to queue. ${notes.join("; ")}.

${table}

C: real \`bantin start\` child processes (${bundle}), 1 or 3 on one database: a temp-file SQLite
database the processes share, or a fresh PostgreSQL database (created for the run, dropped after
it). Each has \`TELEGRAM_RATE=${PROCESS_RATE}\`, \`TELEGRAM_PAID_BROADCAST=true\` and the defaults
otherwise (${concurrencyFor(PROCESS_RATE)} sends in flight, a pool of 10 connections on
PostgreSQL). ${n(processChats.length)} readers are seeded before they start; once one of them
leads \`send:telegram\` (its \`/readyz\`), \`bantin broadcast <text> --yes --json\` runs as a
process of its own with no token, as an editor would from a shell: it confirms the broadcast
into the outbox and leaves the sending to the running processes. "Leading send:telegram" counts
the processes that lead sending at the end (one sends, the others stand by and take over if it
dies: the rate is the platform's, shared, not per process); "confirmed → last send" runs from
the broadcast's \`started_at\` to the last successful send, so it includes the sender noticing
the new rows; "reached 50 / 90 / 100 %" gives, per platform, the seconds from \`started_at\` until
half, nine tenths and all of its readers were sent it, from the outbox's sent times
(\`broadcastReach\`, as \`bantin broadcast --json\` and the console report it).
\`npm run bench -- broadcast --readers N --processes P\` runs C alone on PostgreSQL at another
size and prints its figures without changing this page (see "Broadcast at scale" below).${postgresNote ? ` ${postgresNote}` : ""}

${processTable}`;
  writeSection("Broadcast delivery", body);
  recordFigures("broadcast", {
    inProcess: rows.map((r) => ({
      scenario: r.scenario,
      sender: r.sender,
      readers: r.readers,
      achieved: Number(r.achieved.toFixed(1)),
      ratio: Number(r.ratio.toFixed(3)),
      lost: r.lost,
      duplicates: r.duplicates,
    })),
    processes: processRows.map(processFigures),
  });
  return `${table}\n\n${processTable}${postgresNote ? `\n${postgresNote}` : ""}`;
}
