import { databaseAnswers } from "../db/ping";
import type { Db } from "../db/schema";
import type { Metrics } from "./metrics";
import { type Routes, sendJson } from "./server";

/**
 * GET /healthz (the process lives), GET /readyz (the database answers and every configured
 * channel runs; the body says which) and GET /metrics (Prometheus text).
 */
export function healthRoutes(options: {
  db: Db;
  metrics: Metrics;
  /** Each configured channel and whether it is running now. */
  channels: () => Record<string, boolean>;
  /** What this process does, and which of the jobs run once at a time it leads now. */
  roles?: () => { roles: string[]; leading: string[] };
}): Routes {
  return {
    "GET /healthz": (_req, res) => sendJson(res, 200, { ok: true }),
    "GET /readyz": async (_req, res) => {
      const channels = options.channels();
      const database = await databaseAnswers(options.db);
      const ready = database && Object.values(channels).every(Boolean);
      sendJson(res, ready ? 200 : 503, { ready, database, channels, ...options.roles?.() });
    },
    "GET /metrics": async (_req, res) => {
      res.writeHead(200, { "content-type": options.metrics.registry.contentType });
      res.end(await options.metrics.registry.metrics());
    },
  };
}
