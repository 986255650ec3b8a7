/**
 * What runs on the clock: feed checks, digests and alerts to admins every minute, news as it
 * happens every 20 seconds, scheduled breaking news every 10 seconds, a clean-up every night. Each job asks the database what is due; the timer only asks.
 */
import { type PlatformFact, runAlertsTick } from "../alerts/run";
import type { Clock } from "../clock";
import type { Config } from "../config";
import type { Db } from "../db/schema";
import { purgeFinished } from "../delivery/outbox";
import { runDigestTick } from "../digest/run";
import { purgeExpiredSessions } from "../editors/console-sessions";
import type { Metrics } from "../http/metrics";
import { purgeHandledUpdates } from "../inbox/updates";
import { runInstantTick } from "../instant/run";
import type { Logger } from "../logging";
import type { Fetcher } from "../news/fetch/http-fetch";
import { runIngest } from "../news/ingest";
import { purgeReadsBefore } from "../news/reads";
import { purgeInstantItems } from "../readers/instant-items";
import { sendDueBroadcasts } from "../services/broadcast-desk";
import type { Job } from "./scheduler";

/** Reading counts are kept a year and a month: a year's figures, compared month by month. */
const READS_KEPT_DAYS = 400;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The clock's jobs that one process at a time runs (the one leading each); ingest is everyone's. */
export const LED_CLOCK_JOBS = ["digest", "instant", "alerts", "broadcasts"] as const;
export type LedClockJob = (typeof LED_CLOCK_JOBS)[number];

export function bantinJobs(deps: {
  db: Db;
  clock: Clock;
  config: Config;
  fetcher: Fetcher;
  metrics: Metrics;
  logger: Logger;
  /** Shutdown: cuts the feed fetches in flight. */
  signal?: AbortSignal;
  /** Whether this process runs the job this time (its role; the one process leading it). */
  runs?: (job: "ingest" | LedClockJob) => boolean | Promise<boolean>;
  /** The platforms this process serves, for the alerts (a refused token). */
  platforms?: () => PlatformFact[];
}): Job[] {
  const { db, clock, config, metrics, logger } = deps;
  // BANTIN_TICK_SECONDS (tests of real processes): every clock job but the nightly clean-up asks
  // at that pace. The jobs find what is due from the database and the clock, so asking more
  // often only finds it sooner: a test need not wait for the next whole minute.
  const every = (schedule: string) =>
    config.tickSeconds ? `*/${config.tickSeconds} * * * * *` : schedule;
  const runs = async (job: "ingest" | LedClockJob) => (deps.runs ? deps.runs(job) : true);
  return [
    {
      name: "ingest",
      schedule: every("* * * * *"),
      run: async () => {
        if (!(await runs("ingest"))) return;
        await runIngest(
          {
            db,
            fetcher: deps.fetcher,
            clock,
            policy: config.ingest,
            logger: logger.child({ subsystem: "ingest" }),
            ...(deps.signal ? { signal: deps.signal } : {}),
          },
          {
            // A pass runs as long as feeds keep falling due: count each check as it ends.
            onFeedDone(s) {
              if (s.status === "interrupted") return;
              const result = { ok: "ok", "not-modified": "not_modified", failed: "error" }[
                s.status
              ];
              metrics.feedFetches.inc({ result });
              if (s.status === "failed") metrics.feedErrors.inc();
            },
          },
        );
      },
    },
    {
      name: "digest",
      schedule: every("* * * * *"),
      run: async () => {
        if (!(await runs("digest"))) return;
        const end = metrics.digestRunSeconds.startTimer();
        await runDigestTick({
          db,
          clock,
          logger,
          perTopic: config.digest.storiesPerTopic,
          newsroom: config.newsroomName,
          ...(config.digest.mostRead
            ? { mostRead: { count: 3, timeZone: config.defaults.timeZone } }
            : {}),
        });
        end();
      },
    },
    {
      name: "instant",
      schedule: every("*/20 * * * * *"), // every 20 s: a story stored goes out within a minute
      run: async () => {
        if (!(await runs("instant"))) return;
        await runInstantTick({
          db,
          clock,
          logger,
          batchMinutes: config.instant?.batchMinutes ?? 10,
        });
      },
    },
    {
      name: "broadcasts",
      // Scheduled breaking news whose time has come: each claimed by one statement, so it goes
      // once however many processes look, and never before its time.
      schedule: every("*/10 * * * * *"),
      run: async () => {
        if (!(await runs("broadcasts"))) return;
        const sent = await sendDueBroadcasts(db, clock().toISOString(), config.newsroomName);
        if (sent.length > 0) {
          logger.child({ subsystem: "broadcasts" }).info({ sent }, "scheduled breaking news sent");
        }
      },
    },
    {
      name: "alerts",
      schedule: every("* * * * *"),
      // The stored facts (feeds, outbox) where this process leads the job; its own platforms
      // (a refused token) in every process that runs them.
      run: async () => {
        const stored = await runs("alerts");
        const platforms = deps.platforms?.() ?? [];
        if (!stored && platforms.length === 0) return;
        await runAlertsTick(
          {
            db,
            clock,
            logger,
            admins: config.admins,
            policy: config.alerts,
            configured: (["telegram", "zalo"] as const).filter((p) => config[p].token),
            rates: { telegram: config.telegram.rate, zalo: config.zalo.rate },
            defaults: {
              ...config.defaults,
              ...(config.instant ? { quietHours: config.instant.quietHours } : {}),
            },
          },
          { stored, platforms },
        );
      },
    },
    {
      name: "clean-up",
      schedule: "30 3 * * *",
      // What is kept how long: docs/OPERATIONS.md, "What grows, and how long it is kept".
      run: async () => {
        if (!(await runs("digest"))) return;
        const now = clock().getTime();
        await purgeFinished(db, new Date(now - 30 * DAY_MS).toISOString());
        await purgeHandledUpdates(db, new Date(now - 7 * DAY_MS).toISOString());
        await purgeExpiredSessions(db, new Date(now).toISOString());
        await purgeInstantItems(db, new Date(now - 30 * DAY_MS).toISOString());
        await purgeReadsBefore(
          db,
          new Date(now - READS_KEPT_DAYS * DAY_MS).toISOString().slice(0, 10),
        );
      },
    },
  ];
}
