import { sql } from "kysely";
import { createTelegramChannel, type TelegramChannel } from "./channels/telegram/channel";
import { createChatCore } from "./chat/core";
import { type Clock, systemClock } from "./clock";
import type { Config } from "./config";
import { migrateToLatest, openDatabase } from "./db";
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
export async function startBantin(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
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

  const core = createChatCore({ db, clock, defaults: config.defaults, logger });
  const telegram = config.telegram.token
    ? createTelegramChannel({ config: config.telegram, publicUrl: config.publicUrl, core, logger })
    : undefined;

  const routes: Routes = {
    "GET /healthz": (_req, res) => sendJson(res, 200, { ok: true }),
    "GET /readyz": async (_req, res) => {
      const channels: Record<string, boolean> = {};
      if (telegram) channels.telegram = telegram.isRunning();
      let database = true;
      try {
        await sql`select 1`.execute(db);
      } catch {
        database = false;
      }
      const ready = database && Object.values(channels).every(Boolean);
      sendJson(res, ready ? 200 : 503, { ready, database, channels });
    },
    ...telegram?.routes,
  };
  const http = await startHttpServer({ ...config.http, routes }, logger);

  const fetcher = createFetcher();
  const scheduler: Scheduler = startScheduler(
    [
      {
        name: "ingest",
        schedule: "* * * * *",
        run: () =>
          runIngest({
            db,
            fetcher,
            clock,
            policy: config.ingest,
            logger: logger.child({ subsystem: "ingest" }),
          }),
      },
    ],
    logger,
  );

  const started: string[] = [];
  if (telegram) {
    try {
      await telegram.start();
      started.push(`telegram (${config.telegram.mode})`);
    } catch (error) {
      logger
        .child({ subsystem: "telegram" })
        .error(
          { error: (error as Error).message },
          "telegram channel did not start; check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT",
        );
    }
  }
  if (config.zalo.token) {
    logger.warn("ZALO_BOT_TOKEN is set, but this version has no Zalo channel yet");
  }

  return {
    summary: `bantin: serving ${started.length ? started.join(", ") : "no channel (see the log)"}; HTTP on ${http.url} (/healthz, /readyz); feeds checked when due; database ${database.location}.`,
    http,
    ...(telegram ? { telegram } : {}),
    async stop() {
      await scheduler.stop();
      await telegram?.stop();
      await http.close();
      await db.destroy();
    },
  };
}
