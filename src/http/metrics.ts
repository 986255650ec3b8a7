/**
 * The numbers an operator watches, in Prometheus text at GET /metrics. Counters and histograms
 * count what this process did; the gauges read the database at scrape time (feeds, the outbox,
 * broadcasts being sent), so every process tells the same truth. Node's own process metrics
 * (CPU, memory, event loop, GC; prom-client's default names) come from one registry per process,
 * however many bots a process starts (tests start several).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { sendingBroadcasts } from "../broadcasts/broadcasts";
import type { Db } from "../db/schema";
import type { OutboxState } from "../delivery/outbox";
import { countOutboxByState } from "../delivery/outbox-counts";
import { type Feed, listFeeds } from "../news/feeds";

export interface Metrics {
  /** bantin's own metrics (the process metrics are added by `scrape`). */
  registry: Registry;
  updatesHandled: Counter<"platform">;
  messagesSent: Counter<"platform" | "kind">;
  messagesFailed: Counter<"platform" | "outcome">;
  feedFetches: Counter<"result">;
  feedErrors: Counter;
  digestRunSeconds: Histogram;
  /** From an update being stored in the inbox to its handling done (its replies sent). */
  replySeconds: Histogram<"platform">;
  /** The Prometheus text of bantin's metrics and the process's. */
  scrape(): Promise<string>;
  contentType: string;
}

/** The platforms the outbox depth is always reported for, 0 included. */
const PLATFORMS = ["telegram", "zalo"] as const;
const OUTBOX_STATES: OutboxState[] = ["pending", "sent", "blocked", "dead", "cancelled"];

let processRegistry: Registry | undefined;

/** Node's process metrics, collected once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const seconds = (iso: string | null) => (iso ? Date.parse(iso) / 1000 : Number.NaN);

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
    replySeconds: new Histogram({
      name: "bantin_reply_seconds",
      help: "From an update being stored in the inbox to its replies being sent, by platform",
      labelNames: ["platform"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    async scrape() {
      return `${await registry.metrics()}\n${await processMetrics().metrics()}`;
    },
    contentType: registry.contentType,
  };

  new Gauge({
    name: "bantin_outbox_depth",
    help: "Outbox rows by platform and state (pending: waiting to be sent; the others are kept until cleaned up)",
    labelNames: ["platform", "state"],
    registers: [registry],
    async collect() {
      const counts = await Promise.all(
        PLATFORMS.map((platform) => countOutboxByState(db, { platform })),
      );
      this.reset();
      PLATFORMS.forEach((platform, i) => {
        for (const state of OUTBOX_STATES) this.set({ platform, state }, counts[i]?.[state] ?? 0);
      });
    },
  });

  // Per feed, labelled by its id only (`bantin source list` maps ids to URLs). The three gauges
  // are collected together (prom-client collects a registry's metrics at once): one read.
  let loading: ReturnType<typeof listFeeds> | undefined;
  const loadFeeds = () => {
    loading ??= listFeeds(db).finally(() => {
      loading = undefined;
    });
    return loading;
  };
  const feedGauge = (name: string, help: string, value: (feed: Feed) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["source"],
      registers: [registry],
      async collect() {
        const feeds = await loadFeeds();
        this.reset();
        for (const feed of feeds) {
          const v = value(feed);
          if (Number.isFinite(v)) this.set({ source: String(feed.id) }, v); // the label's name since the first release
        }
      },
    });
  feedGauge(
    "bantin_feed_last_success_seconds",
    "When the feed was last read (seconds since the epoch); absent until it has been",
    (feed) => seconds(feed.lastSuccessAt),
  );
  feedGauge(
    "bantin_feed_last_failure_seconds",
    "When a check of the feed last failed (seconds since the epoch); absent until one has",
    (feed) => seconds(feed.lastErrorAt),
  );
  feedGauge(
    "bantin_feed_failures_in_row",
    "Failed checks of the feed in a row (0 once it is read again)",
    (feed) => feed.failuresInRow,
  );

  new Gauge({
    name: "bantin_broadcast_messages",
    help: "Messages of each broadcast being sent, by state (pending, sent, blocked, dead, cancelled)",
    labelNames: ["broadcast", "state"],
    registers: [registry],
    async collect() {
      const running = await sendingBroadcasts(db);
      this.reset();
      for (const { id, counts } of running) {
        for (const state of OUTBOX_STATES)
          this.set({ broadcast: String(id), state }, counts[state]);
      }
    },
  });
  return metrics;
}
