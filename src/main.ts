/**
 * Composition only: configuration -> database -> migrations -> feeds -> chat -> platform adapters,
 * HTTP server, scheduler and senders. A platform that fails to start is logged and reported by
 * /readyz; the others keep running.
 */

import { type Adapters, createAdapters, type PlatformSender } from "./adapters/index";
import type { TelegramAdapter } from "./adapters/telegram/adapter";
import type { ZaloAdapter } from "./adapters/zalo/adapter";
import { type PlatformFact, refusalReason } from "./alerts/run";
import { checkPhotoUrl } from "./broadcasts/photo";
import { createChatCore } from "./chat/core";
import { UpdateInbox } from "./chat/inbox";
import { type Clock, pause, systemClock } from "./clock";
import { type Config, ROLES, type Role } from "./config";
import { migrateToLatest, openDatabase } from "./db";
import { leadershipFor } from "./db/leadership";
import type { Db } from "./db/schema";
import { closeSessionLocks, sessionLocksProblem } from "./db/session-locks";
import { createDeliveryWorker } from "./delivery/worker";
import { CONSOLE_PAGES } from "./http/console/pages/index";
import { adminConsole } from "./http/console/plugin";
import { healthRoutes } from "./http/health";
import { createMetrics } from "./http/metrics";
import { type HttpServer, startHttpServer } from "./http/server";
import type { Logger } from "./logging";
import { ingestFeed } from "./news/check-feed";
import { createFetcher } from "./news/fetch/http-fetch";
import { probeFeed } from "./news/probe-feed";
import { applySourcesFile, readSourcesFile } from "./news/sources-file";
import { bantinJobs, LED_CLOCK_JOBS } from "./scheduler/jobs";
import { type LedJob, type LedJobs, runLedJobs } from "./scheduler/led-jobs";
import { startScheduler } from "./scheduler/scheduler";
import { editorServices } from "./services";

export interface Running {
  /** One line for the operator: what runs, and how to turn on what does not. */
  summary: string;
  http: HttpServer;
  telegram?: TelegramAdapter;
  zalo?: ZaloAdapter;
  /** Resolves once every stored update is handled (tests). */
  idle(): Promise<void>;
  /** Resolves once each configured platform is connected, or gave up (a refused token). */
  platformsSettled(): Promise<void>;
  /** Runs one scheduled job now, as its tick would (tests). */
  runJob(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** How long a stop waits for the updates in hand to be answered. */
const INBOX_STOP_DEADLINE_MS = 5_000;
/** A platform that cannot be reached is tried again after this long, doubling up to the max. */
const CONNECT_FIRST_RETRY_MS = 1_000;
const CONNECT_MAX_RETRY_MS = 60_000;
/** /readyz lists which of these a process leads now, beside its led platform jobs. */
const ledClockJobs = new Set<string>(LED_CLOCK_JOBS);

/** "platforms telegram (polling), zalo (webhook), connecting": what this process serves. */
function platformsLine(config: Config, adapters: Adapters): string {
  const names = (["telegram", "zalo"] as const)
    .filter((p) => adapters[p])
    .map((p) => `${p} (${config[p].mode})`);
  return names.length
    ? `platforms ${names.join(", ")} (connecting; /readyz says when each serves)`
    : "no platform (see the log)";
}

export interface StartOptions {
  /** How often an admin's broadcast progress message is refreshed. */
  progressIntervalMs?: number;
  /** Long-poll timeout for Zalo's getUpdates (tests make it short). */
  zaloPollTimeoutSeconds?: number;
  /** What this process does (`--roles`); all of it by default. */
  roles?: readonly Role[];
}

async function prepareDatabase(
  config: Config,
  logger: Logger,
): Promise<{ db: Db; location: string }> {
  const database = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    logger
      .child({ subsystem: "db" })
      .info({ location: database.location, applied }, "database ready");
    if (config.sourcesFile) {
      const counts = await applySourcesFile(database.db, await readSourcesFile(config.sourcesFile));
      logger.child({ subsystem: "sources" }).info(counts, "sources file applied");
    }
    return { db: database.db, location: database.location };
  } catch (error) {
    await database.db.destroy();
    throw error;
  }
}

export async function startBantin(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  options: StartOptions = {},
): Promise<Running> {
  const roles = new Set<Role>(options.roles ?? ROLES);
  const { db, location } = await prepareDatabase(config, logger);
  const leadership = await leadershipFor(db);
  const metrics = createMetrics(db);
  const fetcher = createFetcher({ allowPrivate: config.fetch.allowPrivate });
  const shutdown = new AbortController();
  const services = editorServices({
    db,
    clock,
    editors: config.admins,
    ...(config.adminWebToken ? { webToken: config.adminWebToken } : {}),
    // Adding a feed reads it once first, through the same fetch guard.
    probeFeed: (url) => probeFeed(fetcher, url),
    // "Check now" on the console reads the feed as the ingest job would.
    checkFeed: (feed) =>
      ingestFeed(
        { db, fetcher, clock, logger, policy: config.ingest, signal: shutdown.signal },
        feed,
      ),
  });
  const core = createChatCore({
    db,
    clock,
    defaults: {
      ...config.defaults,
      ...(config.instant ? { quietHours: config.instant.quietHours } : {}),
    },
    newsroom: config.newsroomName,
    logger,
    editors: config.admins,
    // The web console is served by processes with the web role; links point at PUBLIC_URL if set.
    consoleUrl: () => config.publicUrl ?? httpUrl,
    consoleAccess: services.access,
    ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
    onUpdate: (platform) => metrics.updatesHandled.inc({ platform }),
  });
  const inbox = new UpdateInbox({
    db,
    clock,
    logger,
    onHandled: (platform, seconds) => metrics.replySeconds.observe({ platform }, seconds),
  });
  const adapters: Adapters =
    roles.has("web") || roles.has("chat") || roles.has("send")
      ? createAdapters(config, { core, inbox }, logger, options)
      : {};
  const { telegram, zalo } = adapters;
  let ledJobs: LedJobs | undefined;
  let httpUrl: string | undefined;

  const http = await startHttpServer(
    {
      ...config.http,
      plugins: [
        healthRoutes({
          db,
          metrics,
          platforms: () => ({
            ...(telegram ? { telegram: telegram.adapter.isRunning() } : {}),
            ...(zalo ? { zalo: zalo.adapter.isRunning() } : {}),
          }),
          roles: () => ({
            roles: [...roles],
            leading: ledJobs?.leading() ?? [],
            clockJobs: leadership.leading().filter((job) => ledClockJobs.has(job)),
          }),
          locksProblem: () => sessionLocksProblem(db),
        }),
        ...(roles.has("web")
          ? [
              ...(telegram?.adapter.routes ?? []),
              ...(zalo?.adapter.routes ?? []),
              adminConsole(
                {
                  db,
                  clock,
                  logger,
                  ...(config.adminWebToken ? { adminWebToken: config.adminWebToken } : {}),
                  newsroom: config.newsroomName,
                  timeZone: config.defaults.timeZone,
                  secureCookies: config.publicUrl?.startsWith("https:") ?? false,
                  services,
                  // Breaking news: tests go to the editors, compose offers the platforms served,
                  // a photo's address is read once through the fetch guard.
                  editors: config.admins,
                  platforms: (["telegram", "zalo"] as const).filter((p) => config[p].token),
                  checkPhoto: (url) => checkPhotoUrl(fetcher, url),
                },
                CONSOLE_PAGES,
              ),
            ]
          : []),
      ],
    },
    logger,
  );
  httpUrl = http.url;
  // When each platform of this process started, and whether its token was refused: the alerts
  // tell the admins of a refused token, and that it cleared once the platform starts after it.
  const platformStarts: Partial<Record<"telegram" | "zalo", string>> = {};
  const platformFacts = (): PlatformFact[] =>
    (["telegram", "zalo"] as const).flatMap((platform) => {
      const adapter = adapters[platform]?.adapter;
      if (!adapter) return [];
      const failure = adapter.failure();
      return [
        {
          platform,
          refused: failure ? refusalReason(failure) : null,
          startedAt: platformStarts[platform] ?? null,
        },
      ];
    });
  const jobs = bantinJobs({
    db,
    clock,
    config,
    fetcher,
    metrics,
    logger,
    signal: shutdown.signal,
    // Every ingest process checks feeds (each due feed is claimed by one); one process at a
    // time composes the digests.
    runs: (job) =>
      job === "ingest" ? roles.has("ingest") : roles.has("digest") && leadership.tryLead(job),
    platforms: platformFacts,
  });
  const scheduler = startScheduler(jobs, logger);

  const led: LedJob[] = [];
  const connecting: Promise<void>[] = [];
  /**
   * Serves a platform: its adapter connects in the background, trying again with backoff while
   * the platform cannot be reached (never when it refuses the token), so that start-up never
   * waits on a platform and one platform down leaves the others serving. Its polling and its
   * sender run where this process leads them, once it is connected.
   */
  function servePlatform(
    platform: "telegram" | "zalo",
    adapter: TelegramAdapter | ZaloAdapter,
    sender: PlatformSender,
    hint: string,
  ) {
    const name = `${platform} (${config[platform].mode})`;
    let connected = false;
    const usable = () => connected && adapter.failure() === null;
    if (roles.has("chat") && adapter.polls) {
      led.push({
        job: `poll:${platform}`,
        ready: usable,
        start: () => adapter.startPolling(),
        stop: () => adapter.stopPolling(),
      });
    }
    if (roles.has("send")) {
      const worker = createDeliveryWorker({
        ...sender,
        db,
        clock,
        logger,
        leaseMs: config.delivery.leaseSeconds * 1000,
        onUnauthorized: (error) => adapter.tokenRefused(error),
        onOutcome: (item, outcome) => {
          if (outcome === "sent")
            metrics.messagesSent.inc({ platform: item.platform, kind: item.kind });
          else metrics.messagesFailed.inc({ platform: item.platform, outcome });
        },
      });
      // One sender per platform for all processes: the platform's rate holds for them together.
      led.push({
        job: `send:${platform}`,
        ready: usable,
        start: () => worker.start(),
        stop: () => worker.stop(),
      });
    }
    connecting.push(
      (async () => {
        for (let delay = CONNECT_FIRST_RETRY_MS; !shutdown.signal.aborted; ) {
          try {
            await adapter.start(shutdown.signal);
            connected = true;
            platformStarts[platform] = clock().toISOString();
            ledJobs?.poke(); // its polling and sender start now, not at the next round
            return;
          } catch (error) {
            if (adapter.failure() !== null || shutdown.signal.aborted) {
              logger.error(
                { platform: name, error: (error as Error).message },
                `${name} did not start; ${hint}`,
              );
              return;
            }
            logger.warn(
              { platform: name, error: (error as Error).message, retryInMs: delay },
              `${name} cannot be reached yet; trying again`,
            );
            await pause(delay, shutdown.signal);
            delay = Math.min(delay * 2, CONNECT_MAX_RETRY_MS);
          }
        }
      })(),
    );
  }
  if (telegram) {
    servePlatform(
      "telegram",
      telegram.adapter,
      telegram.sender,
      "check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT",
    );
  }
  if (zalo) {
    servePlatform("zalo", zalo.adapter, zalo.sender, "check ZALO_BOT_TOKEN and ZALO_API_ROOT");
  }
  ledJobs = runLedJobs(leadership, led, { logger });

  // Also takes what an earlier run stored and did not finish; webhooks are answered first.
  if (roles.has("chat")) inbox.start({ ackFirst: () => http.inBurst() });

  return {
    summary: `bantin: ${[...roles].join(", ")}; ${platformsLine(config, adapters)}; HTTP on ${http.url} (/healthz, /readyz); database ${location}.`,
    platformsSettled: () => Promise.all(connecting).then(() => undefined),
    http,
    ...(telegram ? { telegram: telegram.adapter } : {}),
    ...(zalo ? { zalo: zalo.adapter } : {}),
    idle: () => inbox.idle(),
    async runJob(name) {
      await jobs.find((job) => job.name === name)?.run();
    },
    async stop() {
      // Feed fetches in flight end now (their feeds are checked next time), and platforms still
      // connecting stop trying.
      shutdown.abort();
      // The port goes first, so that a process replacing this one can serve at once; requests
      // in flight (webhook updates being stored) finish. Platforms send refused webhooks again.
      await http.close();
      await Promise.all(connecting);
      await scheduler.stop();
      // Take no more updates; finish those in hand, leave the rest stored for the next start.
      await telegram?.adapter.stop();
      await zalo?.adapter.stop();
      await inbox.stop(INBOX_STOP_DEADLINE_MS);
      // Stop polling and claiming sends, let those in flight finish, give back the rest.
      await ledJobs?.stop();
      await leadership.close();
      core.close();
      await fetcher.close();
      await closeSessionLocks(db);
      await db.destroy();
    },
  };
}
