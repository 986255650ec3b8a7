import { sql } from "kysely";
import { createTelegramChannel, type TelegramChannel } from "./channels/telegram/channel";
import { createTelegramTransport } from "./channels/telegram/transport";
import { createZaloChannel, type ZaloChannel } from "./channels/zalo/channel";
import { createZaloClient } from "./channels/zalo/client";
import { createZaloTransport } from "./channels/zalo/transport";
import { createChatCore } from "./chat/core";
import { type Clock, systemClock } from "./clock";
import type { Config } from "./config";
import { migrateToLatest, openDatabase } from "./db";
import type { Db } from "./db/schema";
import { platformLimiter } from "./delivery/limiter";
import { purgeFinished } from "./delivery/outbox";
import { createDeliveryWorker, type DeliveryWorker, type WorkerOptions } from "./delivery/worker";
import { runDigestTick } from "./digest/run";
import { createMetrics } from "./http/metrics";
import { type HttpServer, type Routes, sendJson, startHttpServer } from "./http/server";
import type { Logger } from "./logging";
import { createFetcher } from "./news/fetch/http-fetch";
import { runIngest } from "./news/ingest";
import { applySourcesFile, readSourcesFile } from "./news/sources-file";
import { type Scheduler, startScheduler } from "./scheduler/scheduler";

export interface Running {
  /** One line for the operator: what runs, and how to turn on what does not. */
  summary: string;
  http: HttpServer;
  telegram?: TelegramChannel;
  zalo?: ZaloChannel;
  stop(): Promise<void>;
}

export function configuredChannels(config: Config): string[] {
  return [config.telegram.token && "telegram", config.zalo.token && "zalo"].filter(
    (c): c is string => Boolean(c),
  );
}

/**
 * Wiring only: configuration -> database -> migrations -> sources -> chat core -> channels,
 * HTTP server and scheduler. A channel that fails to start is logged and reported by /readyz;
 * the others keep running.
 */
export interface StartOptions {
  /** How often an admin's broadcast progress message is refreshed. */
  progressIntervalMs?: number;
  /** Long-poll timeout for Zalo's getUpdates (tests make it short). */
  zaloPollTimeoutSeconds?: number;
}

export async function startBantin(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  options: StartOptions = {},
): Promise<Running> {
  const database = openDatabase(config.database);
  const db = database.db;
  try {
    const applied = await migrateToLatest(db);
    logger
      .child({ subsystem: "db" })
      .info({ location: database.location, applied }, "database ready");
    if (config.sourcesFile) {
      const counts = await applySourcesFile(db, await readSourcesFile(config.sourcesFile));
      logger.child({ subsystem: "sources" }).info(counts, "sources file applied");
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }

  const metrics = createMetrics(db);
  const baseCore = createChatCore({
    db,
    clock,
    defaults: config.defaults,
    logger,
    admins: config.admins,
  });
  // Count every update a channel hands to the core.
  const core: typeof baseCore = {
    ...baseCore,
    handleText: (ctx, text) => {
      metrics.updatesHandled.inc({ platform: ctx.platform });
      return baseCore.handleText(ctx, text);
    },
    handleButton: (ctx, data) => {
      metrics.updatesHandled.inc({ platform: ctx.platform });
      return baseCore.handleButton(ctx, data);
    },
  };
  const countOutcome = (item: { platform: string; kind: string }, outcome: string) => {
    if (outcome === "sent") metrics.messagesSent.inc({ platform: item.platform, kind: item.kind });
    else metrics.messagesFailed.inc({ platform: item.platform, outcome });
  };
  // One budget per platform, shared by interactive replies (first) and bulk delivery.
  const telegramLimiter = platformLimiter(config.telegram.rate);
  const telegram = config.telegram.token
    ? createTelegramChannel({
        config: config.telegram,
        publicUrl: config.publicUrl,
        core,
        logger,
        limiter: telegramLimiter,
        ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
      })
    : undefined;
  const zaloLimiter = platformLimiter(config.zalo.rate);
  const zalo = config.zalo.token
    ? createZaloChannel({
        config: config.zalo,
        publicUrl: config.publicUrl,
        core,
        db,
        client: createZaloClient({ token: config.zalo.token, apiRoot: config.zalo.apiRoot }),
        limiter: zaloLimiter,
        logger,
        clock,
        ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
        ...(options.zaloPollTimeoutSeconds
          ? { pollTimeoutSeconds: options.zaloPollTimeoutSeconds }
          : {}),
      })
    : undefined;
  const workers: DeliveryWorker[] = [];

  const routes: Routes = {
    "GET /healthz": (_req, res) => sendJson(res, 200, { ok: true }),
    "GET /readyz": async (_req, res) => {
      const channels: Record<string, boolean> = {};
      if (telegram) channels.telegram = telegram.isRunning();
      if (zalo) channels.zalo = zalo.isRunning();
      let database = true;
      try {
        await sql`select 1`.execute(db);
      } catch {
        database = false;
      }
      const ready = database && Object.values(channels).every(Boolean);
      sendJson(res, ready ? 200 : 503, { ready, database, channels });
    },
    "GET /metrics": async (_req, res) => {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    },
    ...telegram?.routes,
    ...zalo?.routes,
  };
  const http = await startHttpServer({ ...config.http, routes }, logger);

  const fetcher = createFetcher();
  const scheduler: Scheduler = startScheduler(
    [
      {
        name: "ingest",
        schedule: "* * * * *",
        run: async () => {
          const summaries = await runIngest({
            db,
            fetcher,
            clock,
            policy: config.ingest,
            logger: logger.child({ subsystem: "ingest" }),
          });
          for (const s of summaries) {
            metrics.feedFetches.inc({
              result: s.error ? "error" : s.notModified ? "not_modified" : "ok",
            });
            if (s.error) metrics.feedErrors.inc();
          }
        },
      },
      {
        name: "digest",
        schedule: "* * * * *",
        run: async () => {
          const end = metrics.digestRunSeconds.startTimer();
          await runDigestTick({ db, clock, logger, perTopic: config.digest.storiesPerTopic });
          end();
        },
      },
      {
        name: "clean-up",
        schedule: "30 3 * * *",
        run: () => cleanUp(db, clock),
      },
    ],
    logger,
  );

  const started: string[] = [];
  /** Starts a channel, then its bulk sender; a channel that fails is logged, the rest go on. */
  async function startChannel(
    name: string,
    channel: { start(): Promise<void> },
    sender: () => Pick<WorkerOptions, "transport" | "limiter" | "concurrency">,
    hint: string,
  ) {
    try {
      await channel.start();
      started.push(name);
      const worker = createDeliveryWorker({
        ...sender(),
        db,
        clock,
        logger,
        leaseMs: config.delivery.leaseSeconds * 1000,
        onOutcome: countOutcome,
      });
      worker.start();
      workers.push(worker);
    } catch (error) {
      logger.error(
        { channel: name, error: (error as Error).message },
        `${name} did not start; ${hint}`,
      );
    }
  }
  const telegramToken = config.telegram.token;
  if (telegram && telegramToken) {
    await startChannel(
      `telegram (${config.telegram.mode})`,
      telegram,
      () => ({
        transport: createTelegramTransport({
          token: telegramToken,
          apiRoot: config.telegram.apiRoot,
          paidBroadcast: config.telegram.paidBroadcast,
        }),
        limiter: telegramLimiter,
        concurrency: config.delivery.concurrency.telegram,
      }),
      "check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT",
    );
  }
  if (zalo) {
    await startChannel(
      `zalo (${config.zalo.mode})`,
      zalo,
      () => ({
        transport: createZaloTransport(zalo.client),
        limiter: zaloLimiter,
        concurrency: config.delivery.concurrency.zalo,
      }),
      "check ZALO_BOT_TOKEN and ZALO_API_ROOT",
    );
  }

  return {
    summary: `bantin: serving ${started.length ? started.join(", ") : "no channel (see the log)"}; HTTP on ${http.url} (/healthz, /readyz); feeds checked when due; database ${database.location}.`,
    http,
    ...(telegram ? { telegram } : {}),
    ...(zalo ? { zalo } : {}),
    async stop() {
      await scheduler.stop();
      // Stop claiming, let the sends in flight finish, give back the rest.
      await Promise.all(workers.map((w) => w.stop()));
      await telegram?.stop();
      await zalo?.stop();
      await http.close();
      await db.destroy();
    },
  };
}

/** The daily clean-up: delivered rows older than 30 days, handled-update marks older than 7. */
async function cleanUp(db: Db, clock: Clock): Promise<void> {
  const day = 24 * 60 * 60 * 1000;
  const now = clock().getTime();
  await purgeFinished(db, new Date(now - 30 * day).toISOString());
  await db
    .deleteFrom("processed_updates")
    .where("at", "<", new Date(now - 7 * day).toISOString())
    .execute();
}
