import { databaseAnswers } from "../db/ping";
import type { Db } from "../db/schema";
import type { Metrics } from "./metrics";
import type { HttpPlugin } from "./server";

/**
 * GET /healthz (the process lives), GET /readyz (the database answers and every configured
 * platform is served; the body says which) and GET /metrics (Prometheus text).
 */
/** A database that has not answered /readyz's ping by then counts as down. */
const READY_PING_TIMEOUT_MS = 3_000;

export function healthRoutes(options: {
  db: Db;
  metrics: Metrics;
  /** Each configured platform and whether its adapter is running now. */
  platforms: () => Record<string, boolean>;
  /**
   * What this process does, which of the platforms' jobs run once at a time it leads now
   * (polling, sending), and which of the clock's (digests, news as it happens, alerts, scheduled
   * broadcasts: taken at their first tick and held).
   */
  roles?: () => { roles: string[]; leading: string[]; clockJobs: string[] };
  /** Why the lock connection (PostgreSQL) is down, while it is. */
  locksProblem?: () => Promise<string | null>;
}): HttpPlugin {
  return async (app) => {
    app.get("/healthz", async () => ({ ok: true }));
    app.get("/readyz", async (_request, reply) => {
      const platforms = options.platforms();
      const [database, locksProblem] = await Promise.all([
        databaseAnswers(options.db, READY_PING_TIMEOUT_MS),
        options.locksProblem?.() ?? null,
      ]);
      const problems = [
        ...(database ? [] : ["the database does not answer"]),
        ...(locksProblem ? [locksProblem] : []),
        ...Object.entries(platforms)
          .filter(([, serving]) => !serving)
          .map(([platform]) => `${platform} is not served`),
      ];
      const ready = problems.length === 0;
      return reply.code(ready ? 200 : 503).send({
        ready,
        database,
        locks: locksProblem === null,
        platforms,
        // `channels` is the same as `platforms`, under the name it had before (for scripts).
        channels: platforms,
        ...options.roles?.(),
        problems,
      });
    });
    app.get("/metrics", async (_request, reply) =>
      reply.type(options.metrics.contentType).send(await options.metrics.scrape()),
    );
  };
}
