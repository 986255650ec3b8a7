/**
 * A newsroom's day, compressed, with faults (issue 20): three `bantin start` in webhook mode on
 * one PostgreSQL server of the caller's own (it is stopped and started), readers with digests
 * due across the day, three breaking-news broadcasts, stories for news as it happens and keyword
 * follows, webhook updates at a steady rate; part-way a SIGKILL of the process leading
 * send:telegram (started again at once, as systemd would) and a restart of PostgreSQL. One
 * driver for both the bench (`npm run bench -- soak`) and its short form in the processes lane.
 */
import type { ChildProcess } from "node:child_process";
import { openDatabase } from "../../../src/db";
import type { DbHandle } from "../../../src/db/schema";
import { countOutboxByState } from "../../../src/delivery/outbox-counts";
import { readCursor, writeCursor } from "../../../src/instant/cursor";
import { INSTANT_JOB } from "../../../src/instant/run";
import { lastStoryId } from "../../../src/instant/stories";
import { confirmBroadcast, prepareBroadcast } from "../../../src/services/broadcasts";
import { exited, type RunningBot, startBotProcess } from "../processes";
import { WEBHOOK_SECRET } from "../telegram-harness";
import { type Counts, countDay, type Received } from "./count";
import { AT, broadcastMark, broadcastTopic, type SoakSize } from "./plan";
import { dueDigests, seedDay, storeDayStory } from "./seed";
import { WebhookUpdates } from "./updates";
import {
  medianOf,
  type RssSample,
  RssTrace,
  readiness,
  rssOver,
  SendPace,
  timeUntil,
} from "./watch";

/** The fake Bot API as the day needs it (in this process for a test, in a child for the bench). */
export interface SoakPlatform {
  apiRoot: string;
  token: string;
  /** Successful bulk sendMessage calls so far (those with allow_paid_broadcast: the outbox's). */
  bulkSent(): Promise<number>;
  /** Every successful sendMessage, with the marks of its text (plan.ts MARKS). */
  received(): Promise<Received[]>;
}

/** A PostgreSQL server the day may stop and start (test/helpers/private-postgres.ts). */
export interface SoakServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ProcessRss {
  slot: number;
  pid: number;
  /** Medians over a tenth of the day each (see SoakReport.rss). */
  start: number;
  middle: number;
  end: number;
  /** The median over a few seconds once the outbox had drained after the day (idle). */
  idle: number;
  /** The lowest and highest samples of the day (to the kill, for the process killed). */
  low: number;
  high: number;
  /**
   * Seconds into the day from which to which it led send:telegram, the digests and news as it
   * happens.
   */
  led: Record<"sending" | "digest" | "instant", [number, number][]>;
  role?: "killed" | "started again";
}

/** MB at the start, the middle and the end of the day (medians over a tenth of it each). */
export interface RssLevels {
  start: number;
  middle: number;
  end: number;
}

export interface SoakReport {
  size: SoakSize;
  counts: Counts;
  /** Sends in flight at the two faults at most: the bound on duplicates of outbox messages. */
  inFlightBound: number;
  kill: {
    /** SIGKILL → another process leads send:telegram. */
    takeoverSeconds: number;
    /** SIGKILL → the first bulk send of another process. */
    sendingSeconds: number | null;
    /** Outbox rows waiting when it was killed. */
    pendingAtFault: number;
    /** SIGKILL → the three processes (the one started again too) answer /readyz 200. */
    allReadySeconds: number;
  };
  database: {
    /** pg_ctl stop → pg_ctl start done. */
    downSeconds: number;
    /** /readyz of each process while it was down. */
    statusesWhileDown: number[];
    /** Start → every process /readyz 200 and one leading send:telegram. */
    readySeconds: number;
    /** Start → the first bulk send. */
    sendingSeconds: number | null;
    pendingAtFault: number;
  };
  /**
   * MB, per process, sampled every half second: its level at the start, the middle and the end
   * of the day, each the median over a tenth of the day (its first tenth, the tenth around the
   * middle, its last tenth), and idle after the drain. The process killed has no middle, and its
   * end is the tenth before the kill; the one started in its place starts once every process is
   * ready again.
   */
  rss: ProcessRss[];
  /**
   * The same three levels by role, whichever process held it: the samples of the process leading
   * send:telegram at the time, and those of the others.
   */
  rssByRole: { sending: RssLevels; others: RssLevels };
  /** Exits of processes the day did not kill (a crash loop shows here). */
  unexpectedExits: number;
  outbox: Record<string, number>;
  webhook: { accepted: number; retried: number };
  /** Bulk sends a second over the day and the drain. */
  bulkPerSecond: number;
  daySeconds: number;
  drainSeconds: number;
}

interface Traced {
  slot: number;
  trace: RssTrace;
  role?: ProcessRss["role"];
  /** When its trace ended (the kill). */
  endAt?: number;
}

/**
 * Each process's memory through the day (see SoakReport.rss) from its trace, `at` placing a share
 * of the day, `windowMs` a tenth of it; then each live one's idle figure, once the day drained.
 */
async function rssOfDay(
  traced: Traced[],
  at: (share: number) => number,
  windowMs: number,
): Promise<Pick<SoakReport, "rss" | "rssByRole">> {
  const idleMs = Math.min(5_000, windowMs / 2);
  const middle = [at(AT.middle) - windowMs / 2, at(AT.middle) + windowMs / 2] as const;
  const seconds = (ms: number) => Math.round((ms - at(0)) / 100) / 10;
  const rss = await Promise.all(
    traced.map(async ({ slot, trace, role, endAt }): Promise<ProcessRss> => {
      const until = endAt ?? at(1);
      const from = trace.startedAt;
      const idle = role === "killed" ? Number.NaN : await rssOver(trace.pid, idleMs);
      trace.stop();
      const { low, high } = trace.range(until);
      const spans = (job: string) =>
        trace
          .spansLeading(job, until)
          .map((span): [number, number] => [seconds(span.from), seconds(span.to)]);
      return {
        slot,
        pid: trace.pid,
        start: trace.medianBetween(from, from + windowMs),
        middle: role === "killed" ? Number.NaN : trace.medianBetween(...middle),
        end: trace.medianBetween(until - windowMs, until),
        idle,
        low,
        high,
        led: {
          sending: spans("send:telegram"),
          digest: spans("digest"),
          instant: spans("instant"),
        },
        ...(role ? { role } : {}),
      };
    }),
  );
  const samples = traced.flatMap(({ trace, endAt }) =>
    trace.samples.filter((s) => s.at <= (endAt ?? at(1))),
  );
  const levels = (sending: boolean): RssLevels => {
    const keep = (s: RssSample) =>
      s.led !== undefined && s.led.includes("send:telegram") === sending;
    return {
      start: medianOf(samples, at(0), at(0) + windowMs, keep),
      middle: medianOf(samples, ...middle, keep),
      end: medianOf(samples, at(1) - windowMs, at(1), keep),
    };
  };
  return { rss, rssByRole: { sending: levels(true), others: levels(false) } };
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** `promise`, or an error naming `what` once `ms` have passed without an answer. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`soak: no answer in ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The outbox's count once the day is over, asked again on another connection if one does not
 * answer within 10 s (a connection of the day's own pool may have been lost to the restart).
 */
async function outboxAtEnd(db: DbHandle): Promise<Record<string, number>> {
  for (let tries = 1; ; tries++) {
    try {
      return await within(10_000, "the outbox's count at the end", countOutboxByState(db));
    } catch (error) {
      if (tries >= 3) throw error;
    }
  }
}

/** Retries what the day itself writes while PostgreSQL is away. */
async function persist(what: () => Promise<unknown>): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await what();
      return;
    } catch (error) {
      if (tries > 120) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function left(db: DbHandle): Promise<Record<string, number>> {
  const today = new Date().toISOString().slice(0, 10);
  const [digests, instant, inbox, outbox, cursor, newest] = await Promise.all([
    db
      .selectFrom("readers")
      .leftJoin("digest_marks", "digest_marks.reader_id", "readers.id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where((eb) =>
        eb.or([
          eb("digest_marks.last_digest_date", "is", null),
          eb("digest_marks.last_digest_date", "<", today),
        ]),
      )
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("instant_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("sent_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("inbox_updates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("handled_at", "is", null)
      .executeTakeFirstOrThrow(),
    countOutboxByState(db),
    readCursor(db, INSTANT_JOB),
    lastStoryId(db),
  ]);
  return {
    digests: Number(digests.n),
    // Stories news as it happens has not read yet (it runs every 20 s) count as waiting too.
    instant: Number(instant.n) + Math.max(0, newest - Number(cursor ?? 0)),
    inbox: Number(inbox.n),
    outbox: outbox.pending,
  };
}

export async function runNewsroomDay(options: {
  size: SoakSize;
  server: SoakServer;
  platform: SoakPlatform;
  log?: (line: string) => void;
}): Promise<SoakReport> {
  const { size, server, platform } = options;
  const log = options.log ?? (() => {});
  const { db } = openDatabase({ kind: "postgres", url: server.url, poolSize: 3 });
  const slots: RunningBot[] = [];
  const killed = new Set<ChildProcess>();
  let unexpectedExits = 0;
  const watchExit = (bot: RunningBot) =>
    bot.child.once("exit", () => {
      if (killed.has(bot.child)) return;
      unexpectedExits++;
      log(`a process exited unasked:\n${bot.stderr().slice(-2_000)}`);
    });
  const env = {
    DATABASE_URL: server.url,
    DATABASE_POOL_SIZE: "6",
    TELEGRAM_BOT_TOKEN: platform.token,
    TELEGRAM_API_ROOT: platform.apiRoot,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_RATE: String(size.rate),
    TELEGRAM_PAID_BROADCAST: "true",
    DELIVERY_CONCURRENCY: String(size.concurrency),
    INSTANT_BATCH_MINUTES: String(size.instantBatchMinutes),
    ...(size.leaseSeconds ? { DELIVERY_LEASE_SECONDS: String(size.leaseSeconds) } : {}),
    ...(size.tickSeconds ? { BANTIN_TICK_SECONDS: String(size.tickSeconds) } : {}),
  };
  const everyBot: RunningBot[] = [];
  const starting: Promise<RunningBot>[] = [];
  const startSlot = () => {
    const start = (async () => {
      const bot = await startBotProcess(env);
      everyBot.push(bot);
      watchExit(bot);
      return bot;
    })();
    starting.push(start);
    return start;
  };
  const alive = () => slots.filter((b) => b.child.exitCode === null && !b.child.signalCode);
  const allReady = async () => {
    const states = await Promise.all(slots.map(readiness));
    return (
      states.every((s) => s.status === 200) &&
      states.some((s) => s.leading.includes("send:telegram"))
    );
  };
  const pace = new SendPace(() => platform.bulkSent());
  const updates = new WebhookUpdates(alive, size.readers);
  try {
    const seeding = Date.now();
    const topics = await seedDay(db, size.readers);
    // A newsroom that has run before: news as it happens reads on from the last story stored.
    // (A first run starts from whatever is newest then, so a story stored in the day before the
    // first instant tick, up to 20 s in, would never be pushed.)
    await writeCursor(db, INSTANT_JOB, String(await lastStoryId(db)), new Date().toISOString());
    log(`seeded ${size.readers} readers in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    slots.push(...(await Promise.all([startSlot(), startSlot(), startSlot()])));
    log(`three processes started in ${((Date.now() - seeding) / 1000).toFixed(1)} s from seeding`);
    await timeUntil(allReady, 30_000, "three processes ready, one sending");

    // The day begins.
    const t0 = Date.now();
    const at = (share: number) => t0 + share * size.daySeconds * 1000;
    if (!size.digestsAt) await dueDigests(db, t0, size.digestMinutes);
    const digestsDue = (async () => {
      if (!size.digestsAt) return;
      await sleepUntil(at(size.digestsAt));
      await persist(() => dueDigests(db, Date.now(), size.digestMinutes));
    })();
    const traceOf = (bot: RunningBot) =>
      new RssTrace(bot.child.pid as number, async () => {
        const r = await readiness(bot);
        return [...r.leading, ...r.clockJobs];
      });
    const traced: Traced[] = slots.map((bot, slot) => ({ slot, trace: traceOf(bot) }));
    for (const { trace } of traced) trace.start();
    pace.start();
    updates.start(size.updatesPerSecond);
    const stories = (async () => {
      for (let n = 0; n < size.stories; n++) {
        const share =
          AT.storiesFrom + ((AT.storiesUntil - AT.storiesFrom) * n) / Math.max(1, size.stories - 1);
        await sleepUntil(at(share));
        await persist(() => storeDayStory(db, topics, n));
      }
    })();
    const broadcast = async (k: number) => {
      await sleepUntil(at(AT.broadcasts[k] as number));
      const now = new Date().toISOString();
      const { broadcast } = await prepareBroadcast(
        db,
        {
          author: "cli",
          text: `${broadcastMark(k)} Tin nóng: bão số ${k + 3} đổ bộ, người dân cần sơ tán.`,
          topicSlug: `soak-${broadcastTopic(k) + 1}`,
        },
        now,
      );
      const audience = await confirmBroadcast(db, broadcast.id, "cli", now);
      log(
        `broadcast ${k + 1} to ${audience} readers at ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    };

    await broadcast(0);
    await broadcast(1);

    // Fault 1: the sending leader killed; systemd starts it again at once.
    await sleepUntil(at(AT.kill));
    const states = await Promise.all(slots.map(readiness));
    const victim = states.findIndex((s) => s.leading.includes("send:telegram"));
    if (victim < 0) throw new Error("soak: no process leads send:telegram");
    const pendingAtKill = (await countOutboxByState(db)).pending;
    const dead = slots[victim] as RunningBot;
    const deadTrace = traced[victim] as Traced;
    deadTrace.role = "killed";
    deadTrace.endAt = Date.now();
    deadTrace.trace.stop();
    killed.add(dead.child);
    dead.child.kill("SIGKILL");
    await exited(dead.child);
    const killedAt = Date.now();
    const others = slots.filter((_, i) => i !== victim);
    let started: RunningBot | undefined;
    const replacement = startSlot().then((bot) => {
      started = bot;
      return bot;
    });
    // Whichever leads next: one of the others, or the replacement if it asks first.
    const takeoverMs = await timeUntil(
      async () =>
        (await Promise.all([...others, ...(started ? [started] : [])].map(readiness))).some((s) =>
          s.leading.includes("send:telegram"),
        ),
      60_000,
      "another process to lead sending",
    );
    log(`killed the sender at ${((killedAt - t0) / 1000).toFixed(0)} s`);
    // The day goes on while the new process starts.
    const backAfterKill = (async () => {
      const bot = await replacement;
      slots[victim] = bot;
      await timeUntil(allReady, 60_000, "every process ready after the kill");
      const again = traceOf(bot);
      again.start();
      traced.push({ slot: victim, trace: again, role: "started again" });
      return Date.now() - killedAt;
    })();

    const allReadyAfterKill = await backAfterKill;
    await broadcast(2);

    // Fault 2: PostgreSQL stopped (every connection cut) and started again.
    await sleepUntil(at(AT.restartDatabase));
    const pendingAtStop = (await countOutboxByState(db)).pending;
    const stoppedAt = Date.now();
    await server.stop();
    const statusesWhileDown = (await Promise.all(slots.map(readiness))).map((s) => s.status);
    await new Promise((r) => setTimeout(r, size.downSeconds * 1000));
    await server.start();
    const startedAt = Date.now();
    const readyMs = await timeUntil(allReady, 90_000, "every process ready after the restart");
    log(`restarted PostgreSQL at ${((stoppedAt - t0) / 1000).toFixed(0)} s`);

    await stories;
    await digestsDue;
    await sleepUntil(at(AT.updatesUntil));
    await updates.stop();
    await sleepUntil(at(1));
    const dayEnd = Date.now();
    let shown = 0;
    await timeUntil(
      async () => {
        const waiting = await left(db).catch(() => ({ unknown: 1 }));
        if (Date.now() - shown > 5_000) {
          shown = Date.now();
          log(`left at ${((shown - t0) / 1000).toFixed(0)} s: ${JSON.stringify(waiting)}`);
        }
        return Object.values(waiting).every((n) => n === 0);
      },
      size.drainSeconds * 1000,
      "digests, news as it happens, replies and the outbox to drain",
      500,
    );
    const drainSeconds = (Date.now() - dayEnd) / 1000;
    await new Promise((r) => setTimeout(r, 1_000)); // the last answers reach the fake's log
    pace.stop();
    const memory = await rssOfDay(traced, at, size.daySeconds * 100);
    const received = await platform.received();
    log(
      `faults at ${((killedAt - t0) / 1000).toFixed(1)} s (kill) and ${((stoppedAt - t0) / 1000).toFixed(1)} s to ${((startedAt - t0) / 1000).toFixed(1)} s (PostgreSQL), day start ${new Date(t0).toISOString()}`,
    );
    const counts = countDay(received, {
      readers: size.readers,
      stories: size.stories,
      accepted: updates.accepted,
    });
    if (counts.total.lost > 0) {
      for (const bot of everyBot) log(`stderr of ${bot.child.pid}:\n${bot.stderr().slice(-4_000)}`);
    }
    return {
      size,
      counts,
      inFlightBound: 2 * size.concurrency,
      kill: {
        takeoverSeconds: takeoverMs / 1000,
        sendingSeconds: pace.resumedAfter(killedAt),
        allReadySeconds: allReadyAfterKill / 1000,
        pendingAtFault: pendingAtKill,
      },
      database: {
        downSeconds: (startedAt - stoppedAt) / 1000,
        statusesWhileDown,
        readySeconds: readyMs / 1000,
        sendingSeconds: pace.resumedAfter(startedAt),
        pendingAtFault: pendingAtStop,
      },
      ...memory,
      unexpectedExits,
      outbox: await outboxAtEnd(db),
      webhook: {
        accepted: [...updates.accepted.values()].reduce((a, b) => a + b, 0),
        retried: updates.refused,
      },
      bulkPerSecond: pace.sentBetween(t0, Date.now()) / ((Date.now() - t0) / 1000),
      daySeconds: (dayEnd - t0) / 1000,
      drainSeconds,
    };
  } finally {
    pace.stop();
    await updates.stop();
    // Every process started, a replacement still starting when the day failed included.
    await Promise.allSettled(starting);
    for (const bot of everyBot) {
      killed.add(bot.child);
      if (bot.child.exitCode === null) bot.child.kill("SIGTERM");
    }
    const stopping = Date.now();
    const stopped = Promise.all(everyBot.map((bot) => exited(bot.child)));
    const late = setTimeout(() => {
      for (const bot of everyBot) if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    }, 15_000);
    await stopped;
    clearTimeout(late);
    if (Date.now() - stopping > 5_000) log(`processes stopped in ${Date.now() - stopping} ms`);
    // The day's own pool, not a process under test: a connection it lost to the restart must
    // not hold the run up (a fresh clone once waited here past the test's timeout).
    await within(10_000, "the day's own database pool to close", db.destroy()).catch((error) =>
      log(`${(error as Error).message}; left to exit`),
    );
  }
}
