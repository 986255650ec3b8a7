import { databaseAnswers } from "../db/ping";
import type { Db } from "../db/schema";
import type { Metrics } from "./metrics";
import type { HttpPlugin } from "./server";

/**
 * GET /healthz (the process lives), GET /readyz (the database answers and every configured
 * platform is served; the body says which) and GET /metrics (Prometheus text).
 */
export function healthRoutes(options: {
  db: Db;
  metrics: Metrics;
  /** Each configured platform and whether its adapter is running now. */
  platforms: () => Record<string, boolean>;
  /** What this process does, and which of the jobs run once at a time it leads now. */
  roles?: () => { roles: string[]; leading: string[] };
}): HttpPlugin {
  return async (app) => {
    app.get("/healthz", async () => ({ ok: true }));
    app.get("/readyz", async (_request, reply) => {
      const platforms = options.platforms();
      const database = await databaseAnswers(options.db);
      const ready = database && Object.values(platforms).every(Boolean);
      return (
        reply
          .code(ready ? 200 : 503)
          // `channels` is the same as `platforms`, under the name it had before (for scripts).
          .send({ ready, database, platforms, channels: platforms, ...options.roles?.() })
      );
    });
    app.get("/metrics", async (_request, reply) =>
      reply.type(options.metrics.contentType).send(await options.metrics.scrape()),
    );
  };
}
