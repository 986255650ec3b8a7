/**
 * GET /metrics as Prometheus scrapes it, from a running bot: Node's process metrics, the outbox
 * depth with its zeros, a feed's gauges after a failed and a successful check, the reply latency
 * histogram counting a reply, and the progress of a broadcast being sent. Several bots in one
 * process (as here and in other files) never clash over a metric's registration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcast, updateBroadcast } from "../../src/broadcasts/broadcasts";
import { enqueue } from "../../src/delivery/outbox";
import { silentLogger } from "../../src/logging";
import { addFeed } from "../../src/news/feeds";
import { createFetcher } from "../../src/news/fetch/http-fetch";
import { runIngest } from "../../src/news/ingest";
import { findTopicBySlug } from "../../src/news/topics";
import { registerReader } from "../../src/readers/readers";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { describeStores } from "../helpers/stores";
import { type Harness, NOW, startTelegramHarness } from "../helpers/telegram-harness";

/** The value of one sample, or undefined when the scrape does not have it. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-z_]+)="([^"]*)"/gi)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describeStores("GET /metrics", (store) => {
  let h: Harness;
  let site: FakeNewsSite;
  const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });
  const scrape = async () => {
    const response = await fetch(`${h.running.http.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    site = await startFakeNewsSite();
    h = await startTelegramHarness("webhook", { databaseUrl: await store.newDatabaseUrl() });
  });
  afterAll(async () => {
    await h?.stop();
    await fetcher.close();
    await site?.close();
  });

  it("has Node's process metrics, once, beside bantin's", async () => {
    const text = await scrape();
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(text.match(/^# TYPE process_cpu_user_seconds_total /gm)).toHaveLength(1);
    expect(text).toContain("# TYPE bantin_updates_handled_total counter");
  });

  it("reports the outbox depth of every platform and state, 0 included", async () => {
    const text = await scrape();
    for (const platform of ["telegram", "zalo"]) {
      for (const state of ["pending", "sent", "blocked", "dead", "cancelled"]) {
        expect(
          sample(text, "bantin_outbox_depth", { platform, state }),
          `${platform} ${state}`,
        ).toBe(0);
      }
    }
  });

  it("counts a reply in the reply latency histogram of its platform", async () => {
    const before = sample(await scrape(), "bantin_reply_seconds_count", { platform: "telegram" });
    const calls = await h.send(h.fake.message({ chatId: 88_001, text: "/trogiup" }));
    expect(calls.some((c) => c.method === "sendMessage" && c.ok)).toBe(true);
    const text = await scrape();
    expect(sample(text, "bantin_reply_seconds_count", { platform: "telegram" })).toBe(
      (before ?? 0) + 1,
    );
    expect(sample(text, "bantin_reply_seconds_bucket", { platform: "telegram", le: "+Inf" })).toBe(
      (before ?? 0) + 1,
    );
  });

  it("a feed's gauges: its failure, then its success, by source id", async () => {
    const category = await findTopicBySlug(h.db, "thoi-su");
    const feed = await addFeed(h.db, {
      url: site.feedUrl("thoi-su"),
      topicId: category?.id as number,
      fullText: false,
    });
    const source = { source: String(feed.id) };
    let text = await scrape();
    expect(sample(text, "bantin_feed_failures_in_row", source)).toBe(0);
    expect(sample(text, "bantin_feed_last_success_seconds", source)).toBeUndefined();
    expect(sample(text, "bantin_feed_last_failure_seconds", source)).toBeUndefined();

    const deps = {
      db: h.db,
      fetcher,
      clock: () => NOW, // the bot's clock: its own scheduler records the same times
      policy: { intervalMinutes: 15, maxBackoffMinutes: 360 },
      logger: silentLogger(),
      fetchLimits: { timeoutMs: 2_000 },
    };
    site.fail("/rss/thoi-su.rss", { kind: "status", status: 503 });
    await runIngest(deps, { feedId: feed.id, all: true });
    await runIngest(deps, { feedId: feed.id, all: true });
    text = await scrape();
    expect(sample(text, "bantin_feed_failures_in_row", source)).toBe(2);
    expect(sample(text, "bantin_feed_last_failure_seconds", source)).toBe(NOW.getTime() / 1000);
    expect(sample(text, "bantin_feed_last_success_seconds", source)).toBeUndefined();

    site.clearFailures();
    await runIngest(deps, { feedId: feed.id, all: true });
    text = await scrape();
    expect(sample(text, "bantin_feed_failures_in_row", source)).toBe(0);
    expect(sample(text, "bantin_feed_last_success_seconds", source)).toBe(NOW.getTime() / 1000);
    expect(sample(text, "bantin_feed_last_failure_seconds", source)).toBe(NOW.getTime() / 1000);
  });

  it("shows a broadcast being sent, by state, and the outbox rows it waits on", async () => {
    // A Zalo reader in a bot that serves only Telegram: the row stays pending.
    const { reader } = await registerReader(
      h.db,
      { platform: "zalo", chatId: "zmetrics", chatType: "private" },
      { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      NOW.toISOString(),
    );
    const broadcast = await createBroadcast(h.db, {
      author: "cli",
      text: "Tin nóng",
      createdAt: NOW.toISOString(),
    });
    await enqueue(h.db, [
      {
        idempotencyKey: `metrics-broadcast-${broadcast.id}`,
        readerId: reader.id,
        platform: "zalo",
        kind: "broadcast",
        payload: { parts: [{ kind: "text", format: "plain", text: "Tin nóng" }] },
        broadcastId: broadcast.id,
        nextAttemptAt: NOW.toISOString(),
      },
    ]);
    const labels = { broadcast: String(broadcast.id) };
    let text = await scrape();
    expect(sample(text, "bantin_broadcast_messages", labels)).toBeUndefined(); // a draft
    expect(sample(text, "bantin_outbox_depth", { platform: "zalo", state: "pending" })).toBe(1);

    await updateBroadcast(h.db, broadcast.id, { state: "sending", total: 1 });
    text = await scrape();
    expect(sample(text, "bantin_broadcast_messages", { ...labels, state: "pending" })).toBe(1);
    expect(sample(text, "bantin_broadcast_messages", { ...labels, state: "sent" })).toBe(0);

    await updateBroadcast(h.db, broadcast.id, { state: "done" });
    text = await scrape();
    expect(sample(text, "bantin_broadcast_messages", labels)).toBeUndefined();
  });
});

describe("HTTP answers around the routes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTelegramHarness("webhook");
  });
  afterAll(() => h?.stop());

  it("404 for an unknown path and 405 (with Allow) for a known one, before any body is read", async () => {
    const unknown = await fetch(`${h.running.http.url}/nope`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe("not found\n");
    const wrongMethod = await fetch(`${h.running.http.url}/telegram/webhook`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await wrongMethod.text()).toBe("method not allowed\n");
  });

  it("close lets a request in flight finish, then refuses new connections", async () => {
    const slow = await startTelegramHarness("webhook");
    const { app } = slow.running.http;
    expect(app.hasRoute({ method: "GET", url: "/healthz" })).toBe(true);
    // A request whose body is still coming when the close begins.
    const { request } = await import("node:http");
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        `${slow.running.http.url}/telegram/webhook`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": "test-secret_123",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write('{"update_id": 77000001, ');
      setTimeout(
        () =>
          req.end(
            '"message": {"message_id": 1, "date": 1, "chat": {"id": 77001, "type": "private"}, "text": "/trogiup"}}',
          ),
        300,
      );
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = Date.now();
    const closed = slow.running.http.close();
    expect(await answer).toBe(200);
    await closed;
    // The answered connection ended with its answer: no wait for a keep-alive timeout.
    expect(Date.now() - closing).toBeLessThan(2_000);
    await expect(fetch(`${slow.running.http.url}/healthz`)).rejects.toThrow();
    await slow.stop();
  });
});
