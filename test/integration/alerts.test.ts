/**
 * Alerts to admins, tick by tick with a controlled clock, on both stores: a feed failing, dead
 * letters, an outbox behind its rate, a refused token; one message per incident when it opens and
 * one when it clears, delivered to the admins' chats on the fake Bot APIs; never twice, not even
 * from two processes; nothing (and no error) without ADMINS. Then the same through a running
 * bantin whose Telegram token is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";
import { createZaloClient } from "../../src/adapters/zalo/client";
import { createZaloTransport } from "../../src/adapters/zalo/transport";
import type { AlertPolicy } from "../../src/alerts/detect";
import { openIncidents } from "../../src/alerts/incidents";
import { type AlertsDeps, type PlatformFact, runAlertsTick } from "../../src/alerts/run";
import { type AdminId, ConfigError, createConfig, parseDatabaseUrl } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { RateLimiter } from "../../src/delivery/limiter";
import { enqueue, markFinal, markSentMany } from "../../src/delivery/outbox";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import type { Transport } from "../../src/delivery/transport";
import { createDeliveryWorker } from "../../src/delivery/worker";
import { silentLogger } from "../../src/logging";
import { textMessage } from "../../src/message/model";
import { renderPayload } from "../../src/message/payload";
import { addFeed, recordFetchFailure, recordFetchSuccess, removeFeed } from "../../src/news/feeds";
import { addTopic } from "../../src/news/topics";
import {
  findReader,
  registerReader,
  setReaderStatus,
  updatePreferences,
} from "../../src/readers/readers";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type FakeZalo, startFakeZalo } from "../fakes/zalo-api";
import { describeStores } from "../helpers/stores";
import { NOW } from "../helpers/telegram-harness";
import { startZaloHarness } from "../helpers/zalo-harness";

const POLICY: AlertPolicy = { feedFailures: 4, deadLetters: 20, outboxLagMinutes: 15 };
const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
const TG_ADMIN = "7001";
const ZALO_ADMIN = "z-admin-1";
const FEED = "https://baolaocai.vn/rss/thoi-su.rss";

describeStores("alerts to admins", (store) => {
  let db: DbHandle;
  let now: Date;
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let admins: AdminId[];

  const minutesLater = (m: number) => {
    now = new Date(now.getTime() + m * 60_000);
  };
  const iso = (offsetMinutes = 0) => new Date(now.getTime() + offsetMinutes * 60_000).toISOString();

  function deps(over: Partial<AlertsDeps> = {}, on: DbHandle = db): AlertsDeps {
    return {
      db: on,
      clock: () => now,
      logger: silentLogger(),
      admins,
      policy: POLICY,
      configured: ["telegram", "zalo"],
      rates: { telegram: 30, zalo: 5 },
      defaults: DEFAULTS,
      ...over,
    };
  }
  const tick = (platforms: PlatformFact[] = [], over: Partial<AlertsDeps> = {}) =>
    runAlertsTick(deps(over), { stored: true, platforms });

  function transports(): Transport[] {
    return [
      createTelegramTransport({
        token: telegram.token,
        apiRoot: telegram.apiRoot,
        paidBroadcast: false,
        timeoutSeconds: 2,
      }),
      createZaloTransport(createZaloClient({ token: zalo.token, apiRoot: zalo.apiRoot })),
    ];
  }

  /** Sends what is due on both platforms, as the running senders would. */
  async function deliverAll(only?: "telegram" | "zalo") {
    for (const transport of transports()) {
      if (only && transport.platform !== only) continue;
      const worker = createDeliveryWorker({
        db,
        transport,
        limiter: new RateLimiter({ perSecond: 100, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
        clock: () => now,
        logger: silentLogger(),
        concurrency: 1, // one chat's messages in order
      });
      await worker.drain();
      await worker.stop();
    }
  }

  const telegramTexts = (chatId: string) =>
    telegram.sentMessages(chatId).map((c) => String(c.params.text ?? ""));

  async function alertRows() {
    return db
      .selectFrom("outbox")
      .select(["idempotency_key", "platform", "kind", "state"])
      .where("kind", "=", "alert")
      .orderBy("id")
      .execute();
  }

  async function feed() {
    const topic = await addTopic(db, {
      slug: "thoi-su",
      name: { vi: "Thời sự", en: "News" },
    });
    return addFeed(db, { url: FEED, topicId: topic.id });
  }
  async function fail(sourceId: number, times = 1) {
    for (let i = 0; i < times; i++) {
      await recordFetchFailure(db, sourceId, {
        at: iso(),
        error: "HTTP 503 Service Unavailable",
        nextCheckAt: iso(15),
      });
    }
  }

  /** A reader with `rows` rows in the outbox, each due `dueMinutesAgo` ago. */
  async function queued(
    platform: "telegram" | "zalo",
    chatId: string,
    rows: number,
    dueMinutesAgo: number,
  ): Promise<number[]> {
    const { reader } = await registerReader(
      db,
      { platform, chatId, chatType: "private" },
      DEFAULTS,
      iso(-120),
    );
    const payload = renderPayload(platform, textMessage("Tin"), "vi");
    const keys = Array.from({ length: rows }, (_, i) => `test:${chatId}:${i}`);
    await enqueue(
      db,
      keys.map((key) => ({
        idempotencyKey: key,
        readerId: reader.id,
        platform,
        kind: "broadcast" as const,
        payload,
        nextAttemptAt: iso(-dueMinutesAgo),
      })),
    );
    const ids = await db
      .selectFrom("outbox")
      .select("id")
      .where("idempotency_key", "in", keys)
      .execute();
    return ids.map((r) => r.id);
  }

  beforeEach(async () => {
    db = await store.db();
    now = new Date("2026-01-27T03:00:00.000Z");
    admins = [
      { platform: "telegram", userId: TG_ADMIN },
      { platform: "zalo", userId: ZALO_ADMIN },
    ];
    telegram = await startFakeTelegram();
    zalo = await startFakeZalo();
  });
  afterEach(async () => {
    await telegram.close();
    await zalo.close();
  });

  it("a feed failing 4 times tells each admin once, in their chat; 5 and 6 say nothing more; a success tells it cleared, once", async () => {
    const source = await feed();
    await fail(source.id, 3);
    expect(await tick()).toEqual({ opened: [], cleared: [], messages: 0 });
    await fail(source.id);
    minutesLater(1);
    expect(await tick()).toMatchObject({ opened: [`feed:${source.id}`], messages: 2 });
    await deliverAll();
    expect(telegramTexts(TG_ADMIN)).toEqual([
      `⚠️ Nguồn tin ${FEED} lỗi 4 lần liên tiếp: HTTP 503 Service Unavailable`,
    ]);
    expect(zalo.textsTo(ZALO_ADMIN)).toEqual([
      `⚠️ Nguồn tin ${FEED} lỗi 4 lần liên tiếp: HTTP 503 Service Unavailable`,
    ]);
    // The admins who never wrote to the bot got a private reader row each.
    expect(await findReader(db, "telegram", TG_ADMIN)).toMatchObject({
      chatType: "private",
      status: "active",
    });

    for (const _ of [5, 6]) {
      await fail(source.id);
      minutesLater(1);
      expect(await tick()).toEqual({ opened: [], cleared: [], messages: 0 });
    }
    await deliverAll();
    expect(telegramTexts(TG_ADMIN)).toHaveLength(1);

    await recordFetchSuccess(db, source.id, { at: iso(), nextCheckAt: iso(15) });
    minutesLater(1);
    expect(await tick()).toMatchObject({ cleared: [`feed:${source.id}`], messages: 2 });
    expect(await tick()).toEqual({ opened: [], cleared: [], messages: 0 });
    await deliverAll();
    expect(telegramTexts(TG_ADMIN)).toEqual([
      `⚠️ Nguồn tin ${FEED} lỗi 4 lần liên tiếp: HTTP 503 Service Unavailable`,
      `✅ Nguồn tin ${FEED} đã hoạt động trở lại.`,
    ]);
    expect(zalo.textsTo(ZALO_ADMIN)).toHaveLength(2);
    expect(await openIncidents(db)).toEqual([]);

    // Failing again later is a new incident, told again.
    await fail(source.id, 4);
    minutesLater(1);
    expect(await tick()).toMatchObject({ opened: [`feed:${source.id}`], messages: 2 });
  });

  it("speaks each admin's language, and writes to no admin who stopped the bot", async () => {
    const { reader: english } = await registerReader(
      db,
      { platform: "telegram", chatId: TG_ADMIN, chatType: "private" },
      DEFAULTS,
      iso(),
    );
    await updatePreferences(db, english.id, { locale: "en" }, iso());
    const { reader: stopped } = await registerReader(
      db,
      { platform: "zalo", chatId: ZALO_ADMIN, chatType: "private" },
      DEFAULTS,
      iso(),
    );
    await setReaderStatus(db, stopped.id, "stopped", iso());
    const source = await feed();
    await fail(source.id, 4);
    expect(await tick()).toMatchObject({ messages: 1 });
    await deliverAll();
    expect(telegramTexts(TG_ADMIN)).toEqual([
      `⚠️ Feed ${FEED} failed 4 checks in a row: HTTP 503 Service Unavailable`,
    ]);
    expect(zalo.textsTo(ZALO_ADMIN)).toEqual([]);
    expect((await findReader(db, "zalo", ZALO_ADMIN))?.status).toBe("stopped");
  });

  it("two ticks at once tell once", async () => {
    const source = await feed();
    await fail(source.id, 4);
    const results = await Promise.all([tick(), tick()]);
    expect(results.map((r) => r.messages).sort()).toEqual([0, 2]);
    expect(await alertRows()).toHaveLength(2);
  });

  it("two processes, and a restart, tell once", async () => {
    const url = await store.newDatabaseUrl();
    const open = () => {
      const config = parseDatabaseUrl(url);
      return openDatabase(config.kind === "postgres" ? { ...config, poolSize: 2 } : config).db;
    };
    const first = open();
    await migrateToLatest(first);
    const second = open();
    try {
      const topic = await addTopic(first, {
        slug: "kinh-te",
        name: { vi: "Kinh tế", en: "Economy" },
      });
      const source = await addFeed(first, { url: FEED, topicId: topic.id });
      for (let i = 0; i < 4; i++) {
        await recordFetchFailure(first, source.id, { at: iso(), error: "x", nextCheckAt: iso() });
      }
      const run = (on: DbHandle) => runAlertsTick(deps({}, on), { stored: true, platforms: [] });
      // Side by side on PostgreSQL; on SQLite one after the other (better-sqlite3 waits for a
      // lock synchronously, so two connections of one test process cannot wait for each other).
      const results =
        store.kind === "postgres"
          ? await Promise.all([run(first), run(second)])
          : [await run(first), await run(second)];
      expect(results.map((r) => r.messages).sort()).toEqual([0, 2]);
      // A restart (a new connection, the same database) finds the incident open.
      const third = open();
      expect(await run(third)).toMatchObject({ messages: 0 });
      await third.destroy();
      const rows = await first.selectFrom("outbox").select("idempotency_key").execute();
      expect(rows.map((r) => r.idempotency_key)).toEqual([
        expect.stringMatching(new RegExp(`^alert:feed:${source.id}:opened:`)),
        expect.stringMatching(new RegExp(`^alert:feed:${source.id}:opened:`)),
      ]);
    } finally {
      await first.destroy();
      await second.destroy();
    }
  });

  it("dead letters over the threshold within an hour: one alert; it clears when they fall below", async () => {
    const ids = await queued("telegram", "9001", 20, 5);
    for (const id of ids.slice(0, 19)) await markFinal(db, id, "dead", "400 Bad Request");
    expect(await tick()).toMatchObject({ opened: [], messages: 0 });
    await markFinal(db, ids[19] as number, "dead", "400 Bad Request");
    expect(await tick()).toMatchObject({ opened: ["dead:telegram"], messages: 2 });
    expect(await tick()).toMatchObject({ messages: 0 });
    await deliverAll();
    expect(telegramTexts(TG_ADMIN)).toEqual([
      "⚠️ 20 tin nhắn Telegram không gửi được (đã bỏ) trong 60 phút qua. Xem: bantin delivery list",
    ]);
    minutesLater(61); // out of the hour
    expect(await tick()).toMatchObject({ cleared: ["dead:telegram"], messages: 2 });
    await deliverAll();
    expect(zalo.textsTo(ZALO_ADMIN)).toEqual([
      "⚠️ 20 tin nhắn Telegram không gửi được (đã bỏ) trong 60 phút qua. Xem: bantin delivery list",
      "✅ Số tin nhắn Telegram không gửi được trong 60 phút qua đã xuống dưới ngưỡng.",
    ]);
  });

  it("an outbox whose oldest due row waits 15 minutes unsent is behind; it clears once it caught up", async () => {
    await queued("zalo", "z-reader", 3, 14);
    expect(await tick()).toMatchObject({ opened: [], messages: 0 });
    minutesLater(2); // the oldest now waits 16 minutes
    expect(await tick()).toMatchObject({ opened: ["lag:zalo"], messages: 2 });
    await deliverAll("telegram"); // the Zalo admin's alert waits in the Zalo outbox too
    expect(telegramTexts(TG_ADMIN)).toEqual([
      "⚠️ Hàng đợi gửi Zalo chậm 16 phút: 3 tin nhắn đang chờ.",
    ]);
    expect(await tick()).toMatchObject({ messages: 0 });
    await deliverAll("zalo");
    expect(zalo.textsTo("z-reader")).toHaveLength(3);
    expect(await tick()).toMatchObject({ cleared: ["lag:zalo"], messages: 2 });
    await deliverAll();
    expect(telegramTexts(TG_ADMIN).at(-1)).toBe("✅ Hàng đợi gửi Zalo đã theo kịp.");
    expect(zalo.textsTo(ZALO_ADMIN)).toEqual([
      "⚠️ Hàng đợi gửi Zalo chậm 16 phút: 3 tin nhắn đang chờ.",
      "✅ Hàng đợi gửi Zalo đã theo kịp.",
    ]);
  });

  it("a long send at the platform's rate is not behind; one that slows below half of it is", async () => {
    const rates = { telegram: 1, zalo: 5 }; // 15 minutes at 1/s: 900 messages
    const sent = await queued("telegram", "9100", 450, 30);
    await markSentMany(db, sent, iso(-5));
    await queued("telegram", "9101", 1, 20);
    expect(await tick([], { rates })).toMatchObject({ opened: [], messages: 0 });
    minutesLater(11); // what went 5 minutes ago is now 16 minutes old: too little went lately
    expect(await tick([], { rates })).toMatchObject({ opened: ["lag:telegram"] });
  });

  it("a refused token is told on the other platform, once; it clears when the platform is served again", async () => {
    const refused: PlatformFact = {
      platform: "telegram",
      refused: "401 Unauthorized",
      startedAt: null,
    };
    expect(await tick([refused])).toMatchObject({ opened: ["token:telegram"], messages: 1 });
    expect(await tick([refused])).toMatchObject({ messages: 0 });
    const rows = await alertRows();
    expect(rows.map((r) => r.platform)).toEqual(["zalo"]);
    // A feed failing meanwhile is told where it can be: not to the Telegram admin.
    const source = await feed();
    await fail(source.id, 4);
    expect(await tick([refused])).toMatchObject({ opened: [`feed:${source.id}`], messages: 1 });
    // A process whose channel ran since before the refusal proves nothing.
    const runningBefore: PlatformFact = {
      platform: "telegram",
      refused: null,
      startedAt: iso(-10),
    };
    expect(await tick([runningBefore])).toMatchObject({ cleared: [], messages: 0 });
    // No channel here: another process judges it.
    expect(await runAlertsTick(deps(), { stored: false, platforms: [] })).toMatchObject({
      cleared: [],
    });
    minutesLater(5);
    const restarted: PlatformFact = { platform: "telegram", refused: null, startedAt: iso() };
    expect(await tick([restarted])).toMatchObject({ cleared: ["token:telegram"], messages: 2 });
    await deliverAll();
    expect(zalo.textsTo(ZALO_ADMIN)).toEqual([
      "⚠️ Telegram từ chối token của bot (401 Unauthorized): bantin đã ngừng phục vụ Telegram. Hãy kiểm tra TELEGRAM_BOT_TOKEN rồi khởi động lại bantin.",
      `⚠️ Nguồn tin ${FEED} lỗi 4 lần liên tiếp: HTTP 503 Service Unavailable`,
      "✅ bantin đã phục vụ Telegram trở lại.",
    ]);
    expect(telegramTexts(TG_ADMIN)).toEqual(["✅ bantin đã phục vụ Telegram trở lại."]);
  });

  it("without ADMINS nothing is sent and nothing fails; the incident is still kept", async () => {
    admins = [];
    const source = await feed();
    await fail(source.id, 4);
    expect(await tick()).toEqual({ opened: [`feed:${source.id}`], cleared: [], messages: 0 });
    expect(await countOutboxByState(db)).toMatchObject({ pending: 0, sent: 0 });
    expect(await db.selectFrom("readers").selectAll().execute()).toEqual([]);
    expect((await openIncidents(db)).map((i) => i.key)).toEqual([`feed:${source.id}`]);
  });

  it("a feed removed while failing clears without a word; an admin on a platform without a token is not written to", async () => {
    const source = await feed();
    await fail(source.id, 4);
    expect(await tick([], { configured: ["zalo"] })).toMatchObject({ messages: 1 });
    expect((await alertRows()).map((r) => r.platform)).toEqual(["zalo"]);
    await removeFeed(db, source.id);
    expect(await tick()).toEqual({ opened: [], cleared: [`feed:${source.id}`], messages: 0 });
  });

  it("the alerts job: stored facts where this process leads it, its platforms everywhere", async () => {
    const { bantinJobs } = await import("../../src/scheduler/jobs");
    const { createMetrics } = await import("../../src/http/metrics");
    let leads = false;
    let platforms: PlatformFact[] = [];
    const job = bantinJobs({
      db,
      clock: () => now,
      config: createConfig({
        TELEGRAM_BOT_TOKEN: "1:x",
        ZALO_BOT_TOKEN: "2:y",
        ADMINS: `telegram:${TG_ADMIN},zalo:${ZALO_ADMIN}`,
      }),
      fetcher: {} as never,
      metrics: createMetrics(db),
      logger: silentLogger(),
      runs: (name) => name === "alerts" && leads,
      platforms: () => platforms,
    }).find((j) => j.name === "alerts");
    expect(job?.schedule).toBe("* * * * *");
    const source = await feed();
    await fail(source.id, 4);
    await job?.run(); // not leading, no channel: nothing
    expect(await alertRows()).toEqual([]);
    platforms = [{ platform: "zalo", refused: "401 Unauthorized: invalid token", startedAt: null }];
    await job?.run(); // its channel only
    expect((await openIncidents(db)).map((i) => i.key)).toEqual(["token:zalo"]);
    leads = true;
    await job?.run();
    expect((await openIncidents(db)).map((i) => i.key).sort()).toEqual([
      `feed:${source.id}`,
      "token:zalo",
    ]);
    expect((await alertRows()).map((r) => r.platform)).toEqual(["telegram", "telegram"]);
  });

  describe("a running bantin", () => {
    it("whose Telegram token is refused tells the Zalo admins, on Zalo", async () => {
      const harness = await startZaloHarness("polling", {
        withTelegram: true,
        admins: `telegram:${TG_ADMIN},zalo:${ZALO_ADMIN}`,
        env: { TELEGRAM_BOT_TOKEN: "999:refused-token" },
        databaseUrl: await store.newDatabaseUrl(),
      });
      try {
        expect(harness.running.telegram?.isRunning()).toBe(false);
        await harness.running.runJob("alerts");
        await harness.running.runJob("alerts"); // a minute later: nothing more
        const until = Date.now() + 10_000;
        while (harness.zalo.textsTo(ZALO_ADMIN).length === 0 && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 300));
        expect(harness.zalo.textsTo(ZALO_ADMIN)).toEqual([
          "⚠️ Telegram từ chối token của bot (401 Unauthorized): bantin đã ngừng phục vụ Telegram. Hãy kiểm tra TELEGRAM_BOT_TOKEN rồi khởi động lại bantin.",
        ]);
        expect(harness.telegram?.sentMessages()).toEqual([]);
      } finally {
        await harness.stop();
      }
    });

    it("whose Telegram token is revoked while it runs (webhook mode) stops Telegram, says so on /readyz and tells the Zalo admins", async () => {
      const harness = await startZaloHarness("polling", {
        withTelegram: true,
        admins: `zalo:${ZALO_ADMIN}`,
        env: {
          TELEGRAM_MODE: "webhook",
          TELEGRAM_WEBHOOK_SECRET: "tg-secret-123",
          PUBLIC_URL: "https://tin.example.vn",
        },
        databaseUrl: await store.newDatabaseUrl(),
      });
      try {
        const telegram = harness.telegram as FakeTelegram;
        expect(harness.running.telegram?.isRunning()).toBe(true);
        expect((await fetch(`${harness.running.http.url}/readyz`)).status).toBe(200);

        telegram.revokeToken();
        const db = harness.db;
        const now = NOW.toISOString(); // the harness's clock
        const { reader } = await registerReader(
          db,
          { platform: "telegram", chatId: "5005", chatType: "private" },
          DEFAULTS,
          now,
        );
        await enqueue(db, [
          {
            idempotencyKey: "revoked:1",
            readerId: reader.id,
            platform: "telegram",
            kind: "broadcast",
            payload: renderPayload("telegram", textMessage("tin thử"), "vi"),
            nextAttemptAt: now,
          },
        ]);
        const until = Date.now() + 10_000;
        while (harness.running.telegram?.isRunning() && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(harness.running.telegram?.isRunning()).toBe(false);
        expect(harness.running.telegram?.failure()).toContain("401");
        const ready = await fetch(`${harness.running.http.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.text()).toContain("telegram");
        // The message that met the refusal is kept, not lost: it goes once the token is fixed.
        expect((await countOutboxByState(db)).pending).toBe(1);

        await harness.running.runJob("alerts");
        const sent = Date.now() + 10_000;
        while (harness.zalo.textsTo(ZALO_ADMIN).length === 0 && Date.now() < sent) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(harness.zalo.textsTo(ZALO_ADMIN)).toEqual([
          expect.stringMatching(/^⚠️ Telegram từ chối token của bot \(401 Unauthorized\)/),
        ]);
      } finally {
        await harness.stop();
      }
    });
  });
});

describe("alert settings", () => {
  it("default to 4 failures, 20 dead letters, 15 minutes", () => {
    expect(createConfig({}).alerts).toEqual({
      feedFailures: 4,
      deadLetters: 20,
      outboxLagMinutes: 15,
    });
    expect(
      createConfig({
        ADMIN_ALERT_FEED_FAILURES: "2",
        ADMIN_ALERT_DEAD_LETTERS: "5",
        ADMIN_ALERT_OUTBOX_LAG_MINUTES: "30",
      }).alerts,
    ).toEqual({ feedFailures: 2, deadLetters: 5, outboxLagMinutes: 30 });
  });

  it.each([
    ["ADMIN_ALERT_FEED_FAILURES", "0"],
    ["ADMIN_ALERT_FEED_FAILURES", "four"],
    ["ADMIN_ALERT_DEAD_LETTERS", "0"],
    ["ADMIN_ALERT_OUTBOX_LAG_MINUTES", "1.5"],
  ])("%s=%s stops start-up with one line naming it", (name, value) => {
    let error: unknown;
    try {
      createConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^${name}: `));
    expect((error as Error).message).not.toContain("\n");
  });
});
