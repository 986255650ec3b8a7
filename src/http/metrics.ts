import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/schema";
import { countPendingByPlatform } from "../delivery/outbox";

/** The numbers an operator watches, in Prometheus text at GET /metrics. */
export interface Metrics {
  registry: Registry;
  updatesHandled: Counter<"platform">;
  messagesSent: Counter<"platform" | "kind">;
  messagesFailed: Counter<"platform" | "outcome">;
  feedFetches: Counter<"result">;
  feedErrors: Counter;
  digestRunSeconds: Histogram;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  const metrics: Metrics = {
    registry,
    updatesHandled: new Counter({
      name: "bantin_updates_handled_total",
      help: "Chat updates handled, by platform",
      labelNames: ["platform"],
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: "bantin_messages_sent_total",
      help: "Outbox messages delivered, by platform and kind (digest, broadcast)",
      labelNames: ["platform", "kind"],
      registers: [registry],
    }),
    messagesFailed: new Counter({
      name: "bantin_messages_failed_total",
      help: "Outbox messages not delivered, by platform and outcome (retry, blocked, dead, cancelled)",
      labelNames: ["platform", "outcome"],
      registers: [registry],
    }),
    feedFetches: new Counter({
      name: "bantin_feed_fetches_total",
      help: "Feed checks, by result (ok, not_modified, error)",
      labelNames: ["result"],
      registers: [registry],
    }),
    feedErrors: new Counter({
      name: "bantin_feed_errors_total",
      help: "Feed checks that failed",
      registers: [registry],
    }),
    digestRunSeconds: new Histogram({
      name: "bantin_digest_run_seconds",
      help: "Time to find, compose and enqueue one minute's digests",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
  };
  new Gauge({
    name: "bantin_outbox_depth",
    help: "Outbox messages waiting to be sent, by platform",
    labelNames: ["platform"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [platform, n] of await countPendingByPlatform(db)) this.set({ platform }, n);
    },
  });
  return metrics;
}
