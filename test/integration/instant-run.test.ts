/**
 * News as it happens, driven tick by tick with a controlled clock, on both stores: matching new
 * stories to topics followed as they happen and to keyword follows, batching, quiet hours,
 * Telegram channels, and how the digest and these pushes share the stories.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";
import { createConfig } from "../../src/config";
import type { DbHandle } from "../../src/db/schema";
import { RateLimiter } from "../../src/delivery/limiter";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { createDeliveryWorker, type DeliveryWorker } from "../../src/delivery/worker";
import { runDigestTick } from "../../src/digest/run";
import { createMetrics } from "../../src/http/metrics";
import { runInstantTick } from "../../src/instant/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import type { Fetcher } from "../../src/news/fetch/http-fetch";
import { addTopic } from "../../src/news/topics";
import { claimInstantItems, queueInstantItems } from "../../src/readers/instant-items";
import { follow } from "../../src/readers/keywords";
import { setTopicMode, type TopicMode } from "../../src/readers/reader-topics";
import { registerReader, setQuietHours } from "../../src/readers/readers";
import { bantinJobs } from "../../src/scheduler/jobs";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";

describeStores("news as it happens", (store) => {
  let db: DbHandle;
  let topics: Record<string, number>;
  let now: Date;
  let batchMinutes: number;

  const tick = () => runInstantTick({ db, clock: () => now, logger: silentLogger(), batchMinutes });
  const digestTick = () =>
    runDigestTick({ db, clock: () => now, logger: silentLogger(), perTopic: 5 });
  const at = (iso: string) => {
    now = new Date(iso);
  };
  const minutesLater = (m: number) => {
    now = new Date(now.getTime() + m * 60_000);
  };

  async function reader(
    chatId: string,
    opts: {
      topics?: Record<string, TopicMode>;
      platform?: "telegram" | "zalo";
      chatType?: "private" | "channel";
      quiet?: { from: string; until: string };
      registeredAt?: string;
    } = {},
  ) {
    const { reader } = await registerReader(
      db,
      {
        platform: opts.platform ?? "telegram",
        chatId,
        chatType: opts.chatType ?? "private",
      },
      { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      opts.registeredAt ?? "2026-01-25T00:00:00.000Z",
    );
    const chosen: Record<string, TopicMode> = opts.topics ?? { "thoi-su": "instant" };
    for (const [slug, mode] of Object.entries(chosen)) {
      await setTopicMode(db, reader.id, topics[slug] as number, mode);
    }
    // No quiet hours unless the test asks for them.
    await setQuietHours(
      db,
      reader.id,
      opts.quiet ?? { from: "00:00", until: "00:00" },
      now.toISOString(),
    );
    return reader.id;
  }

  let seq = 0;
  async function story(
    topic: string,
    title: string,
    opts: { lead?: string; body?: string[]; photo?: string; publishedAt?: string } = {},
  ) {
    const n = ++seq;
    const { id } = await storeArticle(db, {
      url: `https://x.vn/tin-${n}.html`,
      contentHash: `h${n}`,
      title,
      lead: opts.lead ?? "",
      body: opts.body ?? [],
      photos: opts.photo ? [{ url: opts.photo, caption: "Ảnh" }] : [],
      fullText: false,
      publishedAt: opts.publishedAt ?? now.toISOString(),
      fetchedAt: now.toISOString(),
      topicId: topics[topic] as number,
    });
    return id;
  }

  async function outboxRows(readerId?: number) {
    const rows = await db
      .selectFrom("outbox")
      .select(["idempotency_key", "reader_id", "kind"])
      .orderBy("id")
      .execute();
    return rows.filter((r) => readerId === undefined || r.reader_id === readerId);
  }

  async function payloadText(key: string) {
    const row = await outboxItemByKey(db, key);
    return (row?.payload.parts ?? [])
      .map((part) => (part.kind === "text" ? part.text : part.kind === "photo" ? part.caption : ""))
      .join("\n");
  }

  async function items(readerId: number) {
    return db
      .selectFrom("instant_items")
      .select(["article_id", "reason", "sent_at"])
      .where("reader_id", "=", readerId)
      .orderBy("article_id")
      .execute();
  }

  beforeEach(async () => {
    db = await store.db();
    topics = {};
    for (const [slug, vi, en] of [
      ["thoi-su", "Thời sự", "News"],
      ["kinh-te", "Kinh tế", "Economy"],
      ["the-thao", "Thể thao", "Sport"],
    ] as const) {
      topics[slug] = (await addTopic(db, { slug, name: { vi, en } })).id;
    }
    at("2026-01-26T03:00:00.000Z"); // 10:00 in Hà Nội
    batchMinutes = 10;
    seq = 0;
  });

  describe("delivery to the Bot API", () => {
    let fake: FakeTelegram;
    let worker: DeliveryWorker | undefined;
    beforeEach(async () => {
      fake = await startFakeTelegram();
    });
    afterEach(async () => {
      if (worker && !worker.stopped) await worker.stop();
      await fake.close();
    });

    async function deliverAll() {
      worker = createDeliveryWorker({
        db,
        transport: createTelegramTransport({
          token: fake.token,
          apiRoot: fake.apiRoot,
          paidBroadcast: false,
          timeoutSeconds: 2,
        }),
        limiter: new RateLimiter({ perSecond: 100, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
        clock: () => new Date(),
        logger: silentLogger(),
        concurrency: 2,
        leaseMs: 60_000,
      });
      const until = Date.now() + 10_000;
      while ((await countOutboxByState(db)).pending > 0) {
        if (Date.now() > until) throw new Error("outbox did not drain");
        await worker.drain();
        await new Promise((r) => setTimeout(r, 30));
      }
    }

    it("a new story in a topic followed as it happens goes out at the next tick", async () => {
      const instant = await reader("501", { topics: { "thoi-su": "instant" } });
      const digestOnly = await reader("502", { topics: { "thoi-su": "digest" } });
      const both = await reader("503", { topics: { "thoi-su": "both" } });
      await tick(); // the first run starts from now
      const id = await story("thoi-su", "Mưa lớn <khẩn> & ngập ở Hà Nội");
      now = new Date(now.getTime() + 20_000); // the next tick, 20 s later
      expect(await tick()).toMatchObject({ stories: 1, queued: 2, messages: 2 });
      expect((await outboxRows()).map((r) => r.idempotency_key)).toEqual([
        `instant:${instant}:${id}`,
        `instant:${both}:${id}`,
      ]);
      expect(await outboxRows(digestOnly)).toEqual([]);
      await deliverAll();
      const sent = fake.sentMessages("501");
      expect(sent).toHaveLength(1);
      expect(String(sent[0]?.params.text)).toContain("⚡ Tin mới");
      expect(String(sent[0]?.params.text)).toContain("Mưa lớn &lt;khẩn&gt; &amp; ngập ở Hà Nội");
      expect(JSON.stringify(sent[0]?.params.reply_markup)).toContain(`"r:${id}"`);
      expect(fake.sentMessages("503")).toHaveLength(1);
      expect(fake.sentMessages("502")).toHaveLength(0);
      expect(await tick()).toMatchObject({ stories: 0, messages: 0 }); // nothing twice
    });

    it("a channel gets one post per story, photo first, with no batching", async () => {
      fake.addChannel({ id: -1001234567890, title: "Kênh tin" });
      const channel = await reader("-1001234567890", {
        chatType: "channel",
        topics: { "thoi-su": "instant" },
        quiet: { from: "00:00", until: "23:59" }, // a channel has no quiet hours
      });
      await tick();
      const a = await story("thoi-su", "Tin có ảnh", {
        lead: "Lời dẫn của tin có ảnh.",
        photo: "https://x.vn/anh.jpg",
      });
      const b = await story("thoi-su", "Tin chữ", { lead: "Lời dẫn tin chữ." });
      expect(await tick()).toMatchObject({ messages: 2 });
      expect((await outboxRows(channel)).map((r) => r.idempotency_key)).toEqual([
        `instant:${channel}:${a}`,
        `instant:${channel}:${b}`,
      ]);
      minutesLater(1); // well inside a batch window: a channel does not wait
      const c = await story("thoi-su", "Tin thứ ba");
      expect(await tick()).toMatchObject({ messages: 1 });
      expect((await outboxRows(channel)).at(-1)?.idempotency_key).toBe(`instant:${channel}:${c}`);
      await deliverAll();
      const posts = fake.sentMessages("-1001234567890");
      expect(posts.map((p) => p.method)).toEqual(["sendPhoto", "sendMessage", "sendMessage"]);
      expect(String(posts[0]?.params.caption)).toContain("<b>Tin có ảnh</b>");
      expect(String(posts[0]?.params.caption)).toContain("Lời dẫn của tin có ảnh.");
      expect(String(posts[1]?.params.text)).toContain('href="https://x.vn/tin-2.html"');
    });
  });

  it("the scheduler runs it every 20 s, where this process leads the instant job", async () => {
    let lead = false;
    const asked: string[] = [];
    const jobs = bantinJobs({
      db,
      clock: () => now,
      config: createConfig({ INSTANT_BATCH_MINUTES: "0" }),
      fetcher: {} as Fetcher,
      metrics: createMetrics(db),
      logger: silentLogger(),
      runs: (job) => {
        asked.push(job);
        return job === "instant" && lead;
      },
    });
    const job = jobs.find((j) => j.name === "instant");
    expect(job?.schedule).toBe("*/20 * * * * *");
    const id = await reader("401");
    await job?.run(); // not leading: nothing, not even the cursor
    expect(await db.selectFrom("job_cursors").selectAll().execute()).toEqual([]);
    lead = true;
    await job?.run();
    await story("thoi-su", "Tin qua lịch");
    await job?.run();
    expect(asked).toEqual(["instant", "instant", "instant"]);
    expect(await outboxRows(id)).toHaveLength(1);
  });

  describe("batching and quiet hours", () => {
    it("two stories within the batch window make one message; later ones wait for it to pass", async () => {
      const id = await reader("601");
      await tick();
      const a = await story("thoi-su", "Tin A");
      const b = await story("thoi-su", "Tin B");
      expect(await tick()).toMatchObject({ queued: 2, messages: 1 });
      const first = await payloadText(`instant:${id}:${a}`);
      expect(first).toMatch(/1\. .*Tin B[\s\S]*2\. .*Tin A/); // newest first, numbered
      const payload = JSON.stringify((await outboxItemByKey(db, `instant:${id}:${a}`))?.payload);
      expect(payload).toContain(`"r:${b}"`); // a read button per story
      expect(payload).toContain(`"r:${a}"`);

      minutesLater(2);
      const c = await story("thoi-su", "Tin C");
      expect(await tick()).toMatchObject({ queued: 1, messages: 0, held: 1 });
      minutesLater(7); // 9 minutes after the first message
      expect(await tick()).toMatchObject({ messages: 0, held: 1 });
      minutesLater(1); // 10 minutes: the window has passed
      expect(await tick()).toMatchObject({ messages: 1 });
      const second = await payloadText(`instant:${id}:${c}`);
      expect(second).toContain("Tin C");
      expect(second).not.toContain("Tin A");
      expect(await outboxRows(id)).toHaveLength(2);
    });

    it("with INSTANT_BATCH_MINUTES=0 each tick's stories go at once", async () => {
      batchMinutes = 0;
      const id = await reader("602");
      await tick();
      await story("thoi-su", "Tin 1");
      await tick();
      now = new Date(now.getTime() + 20_000);
      await story("thoi-su", "Tin 2");
      expect(await tick()).toMatchObject({ messages: 1 });
      expect(await outboxRows(id)).toHaveLength(2);
    });

    it("quiet hours hold stories back and release them after, in one message", async () => {
      at("2026-01-26T16:00:00.000Z"); // 23:00 in Hà Nội
      const id = await reader("603", { quiet: { from: "22:00", until: "06:00" } });
      await tick();
      await story("thoi-su", "Tin đêm 1");
      expect(await tick()).toMatchObject({ queued: 1, messages: 0, held: 1 });
      at("2026-01-26T20:00:00.000Z"); // 03:00
      await story("thoi-su", "Tin đêm 2");
      expect(await tick()).toMatchObject({ messages: 0, held: 1 });
      expect(await outboxRows(id)).toEqual([]);
      at("2026-01-26T23:00:00.000Z"); // 06:00: quiet hours are over
      expect(await tick()).toMatchObject({ messages: 1 });
      const [row] = await outboxRows(id);
      const text = await payloadText(row?.idempotency_key ?? "");
      expect(text).toContain("Tin đêm 1");
      expect(text).toContain("Tin đêm 2");
      expect((await items(id)).every((i) => i.sent_at !== null)).toBe(true);
    });

    it("a gap in the story ids holds the cursor a while; a story committed late in it still goes", async () => {
      batchMinutes = 0;
      const id = await reader("605");
      await tick();
      const late = await story("thoi-su", "Tin đến muộn");
      const after = await story("thoi-su", "Tin sau");
      // As if the first story's transaction had not committed yet: take it away for now.
      const row = await db
        .selectFrom("articles")
        .selectAll()
        .where("id", "=", late)
        .executeTakeFirstOrThrow();
      await db.deleteFrom("article_categories").where("article_id", "=", late).execute();
      await db.deleteFrom("articles").where("id", "=", late).execute();
      expect(await tick()).toMatchObject({ stories: 1, queued: 1 });
      const cursor = () =>
        db
          .selectFrom("job_cursors")
          .select("position")
          .where("job", "=", "instant")
          .executeTakeFirst();
      expect((await cursor())?.position).toBe(String(late - 1)); // waits at the gap
      now = new Date(now.getTime() + 20_000);
      await db.insertInto("articles").values(row).execute(); // it commits, with its own id
      await db
        .insertInto("article_categories")
        .values({
          article_id: late,
          category_id: topics["thoi-su"] as number,
          published_at: row.published_at,
        })
        .execute();
      expect(await tick()).toMatchObject({ stories: 2, queued: 1 }); // only the late one is new
      expect((await items(id)).map((i) => i.article_id)).toEqual([late, after]);
      expect((await cursor())?.position).toBe(String(after));
    });

    it("a gap that stays (a rolled-back insert) is passed after 30 seconds", async () => {
      const id = await reader("606");
      await tick();
      const gone = await story("thoi-su", "Tin bị hủy");
      const kept = await story("thoi-su", "Tin còn");
      await db.deleteFrom("article_categories").where("article_id", "=", gone).execute();
      await db.deleteFrom("articles").where("id", "=", gone).execute();
      await tick();
      const cursor = () =>
        db
          .selectFrom("job_cursors")
          .select("position")
          .where("job", "=", "instant")
          .executeTakeFirst();
      now = new Date(now.getTime() + 20_000);
      await tick();
      expect((await cursor())?.position).toBe(String(gone - 1));
      now = new Date(now.getTime() + 20_000); // 40 s after the gap was first seen
      await tick();
      expect((await cursor())?.position).toBe(String(kept));
      expect((await items(id)).map((i) => i.article_id)).toEqual([kept]);
    });

    it("old news (a new feed's backlog) and stories from before the first run are not pushed", async () => {
      const id = await reader("604");
      await story("thoi-su", "Trước khi chạy");
      await tick(); // starts from here
      await story("thoi-su", "Tin cũ", { publishedAt: "2026-01-20T03:00:00.000Z" });
      expect(await tick()).toMatchObject({ stories: 1, queued: 0, messages: 0 });
      expect(await outboxRows(id)).toEqual([]);
    });
  });

  describe("keyword alerts", () => {
    it("a follow matches accent-insensitively, words in any order, all of them needed", async () => {
      const id = await reader("701", { topics: {} });
      await follow(db, id, "Bão LŨ", now.toISOString());
      await tick();
      const yes = await story("kinh-te", "Lũ lớn sau cơn bão số 3");
      await story("kinh-te", "Bão tan, trời nắng"); // "lũ" missing
      const inBody = await story("the-thao", "Trận đấu bị hoãn", {
        body: ["Vì bao lu, ban tổ chức hoãn trận."],
      });
      expect(await tick()).toMatchObject({ queued: 2, messages: 1 });
      expect((await items(id)).map((i) => [i.article_id, i.reason])).toEqual([
        [yes, "keyword"],
        [inBody, "keyword"],
      ]);
    });

    it("a story matching a topic and a keyword reaches the reader once", async () => {
      const id = await reader("702", { topics: { "thoi-su": "instant" } });
      await follow(db, id, "ngập", now.toISOString());
      await tick();
      const s = await story("thoi-su", "Ngập sâu ở trung tâm");
      expect(await tick()).toMatchObject({ queued: 1, messages: 1 });
      expect(await items(id)).toMatchObject([{ article_id: s, reason: "topic+keyword" }]);
      const text = await payloadText(`instant:${id}:${s}`);
      expect(text.match(/Ngập sâu ở trung tâm/g)).toHaveLength(1);
      await tick();
      expect(await outboxRows(id)).toHaveLength(1);
    });

    it("followers are matched and released a page at a time: each reader once, with all that matched", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) {
        const both = i % 3 === 0;
        ids.push(
          await reader(`80${i}`, {
            topics: both ? { "thoi-su": "instant", "kinh-te": "both" } : { "thoi-su": "instant" },
          }),
        );
      }
      const keywordOnly = await reader("899", { topics: {} });
      for (const id of [ids[4] as number, keywordOnly])
        await follow(db, id, "cầu", now.toISOString());
      const paged = () =>
        runInstantTick({ db, clock: () => now, logger: silentLogger(), batchMinutes, pageSize: 2 });
      await paged();
      const a = await story("thoi-su", "Khánh thành cầu mới");
      const b = await story("kinh-te", "Giá lúa tăng");
      const summary = await paged();
      // a: 7 topic followers and the keyword-only reader; b: the 3 who follow kinh-te.
      expect(summary).toMatchObject({ stories: 2, queued: 11, messages: 8 });
      expect(await items(ids[4] as number)).toMatchObject([
        { article_id: a, reason: "topic+keyword" },
      ]);
      expect(await items(keywordOnly)).toMatchObject([{ article_id: a, reason: "keyword" }]);
      expect((await items(ids[3] as number)).map((i) => i.article_id)).toEqual([a, b]);
      for (const id of [...ids, keywordOnly]) expect(await outboxRows(id)).toHaveLength(1);
      expect(await paged()).toMatchObject({ queued: 0, messages: 0 });
    });

    it("users' text never acts as a pattern: regex and FTS characters are plain words", async () => {
      const id = await reader("703", { topics: {} });
      for (const words of ["c++ (beta)", '"OR" NEAR *', ".*"]) {
        await follow(db, id, words, now.toISOString());
      }
      await tick();
      await story("kinh-te", "Mọi thứ đều khớp .* với bất cứ gì"); // would match a regex .*
      const cpp = await story("kinh-te", "Ra mắt C beta mới");
      const or = await story("kinh-te", "Lệnh OR và NEAR trong tìm kiếm");
      await tick();
      expect((await items(id)).map((i) => i.article_id)).toEqual([cpp, or]);
    });
  });

  describe("with the digest", () => {
    it("a first digest carries the last 24 hours, though the reader signed up after", async () => {
      at("2026-01-26T00:50:00.000Z"); // 07:50 in Hà Nội
      await story("thoi-su", "Tin tối qua"); // stored before the reader came
      const id = await reader("801", {
        topics: { "thoi-su": "digest" },
        registeredAt: "2026-01-26T00:50:00.000Z",
      });
      await db.updateTable("readers").set({ digest_time: "07:56" }).where("id", "=", id).execute();
      at("2026-01-26T00:56:00.000Z");
      expect(await digestTick()).toMatchObject({ due: 1, enqueued: 1 });
      expect(await payloadText(`digest:${id}:2026-01-26`)).toContain("Tin tối qua");
    });

    it("a first digest leaves out what is older than a day", async () => {
      at("2026-01-24T00:00:00.000Z");
      await story("thoi-su", "Tin hai ngày trước");
      at("2026-01-25T12:00:00.000Z");
      await story("thoi-su", "Tin hôm qua");
      const id = await reader("802", {
        topics: { "thoi-su": "digest" },
        registeredAt: "2026-01-25T20:00:00.000Z",
      });
      at("2026-01-26T00:00:00.000Z");
      await digestTick();
      const text = await payloadText(`digest:${id}:2026-01-26`);
      expect(text).toContain("Tin hôm qua");
      expect(text).not.toContain("Tin hai ngày trước");
    });

    it("topics followed only as they happen stay out of the digest, and pushed stories too", async () => {
      at("2026-01-25T03:00:00.000Z");
      const id = await reader("803", {
        topics: { "thoi-su": "both", "kinh-te": "instant", "the-thao": "digest" },
      });
      await tick();
      const pushed = await story("thoi-su", "Tin đã báo ngay");
      await story("kinh-te", "Tin kinh tế");
      await story("the-thao", "Tin thể thao");
      expect(await tick()).toMatchObject({ messages: 1 });
      minutesLater(60);
      await story("thoi-su", "Tin thời sự chưa báo"); // stored after the last tick: not pushed
      at("2026-01-26T00:00:00.000Z");
      await digestTick();
      const text = await payloadText(`digest:${id}:2026-01-26`);
      expect(text).toContain("Tin thể thao");
      expect(text).toContain("Tin thời sự chưa báo");
      expect(text).not.toContain("Tin kinh tế");
      expect(text).not.toContain("Tin đã báo ngay");
      expect(pushed).toBeGreaterThan(0);
    });

    it("a story the digest showed before this job read it is not pushed after it", async () => {
      at("2026-01-25T23:59:00.000Z"); // 06:59 in Hà Nội
      const id = await reader("805", {
        topics: { "thoi-su": "both", "kinh-te": "instant" },
      });
      await follow(db, id, "mưa lũ", now.toISOString());
      await tick();
      // Stored a moment before 07:00; the digest goes before the next tick reads them.
      await story("thoi-su", "Tin sát giờ bản tin");
      await story("kinh-te", "Tin kinh tế sát giờ");
      await story("the-thao", "Mưa lũ ở vùng cao"); // a keyword follow, not a digest topic
      at("2026-01-26T00:00:00.000Z");
      await digestTick();
      expect(await payloadText(`digest:${id}:2026-01-26`)).toContain("Tin sát giờ bản tin");
      minutesLater(1);
      const after = await story("thoi-su", "Tin sau bản tin");
      expect(await tick()).toMatchObject({ messages: 1 });
      const pushed = (await outboxRows(id)).filter((r) => r.kind === "instant");
      expect(pushed).toHaveLength(1);
      const text = await payloadText(pushed[0]?.idempotency_key ?? "");
      expect(text).not.toContain("Tin sát giờ bản tin");
      expect(text).toContain("Tin kinh tế sát giờ");
      expect(text).toContain("Mưa lũ ở vùng cao");
      expect(text).toContain("Tin sau bản tin");
      // Every item is settled: nothing waits to go later.
      expect((await items(id)).every((item) => item.sent_at !== null)).toBe(true);
      expect(after).toBeGreaterThan(0);
    });

    it("waiting stories are taken once: a second sender racing for them gets none", async () => {
      at("2026-01-25T03:00:00.000Z");
      const id = await reader("806", { topics: { "thoi-su": "both" } });
      await tick();
      const a = await story("thoi-su", "Tin một");
      const b = await story("thoi-su", "Tin hai");
      await queueInstantItems(
        db,
        [a, b].map((articleId) => ({ readerId: id, articleId, reason: "topic" as const })),
        now.toISOString(),
      );
      const first = await claimInstantItems(db, id, [a], now.toISOString());
      const second = await claimInstantItems(db, id, [a, b], now.toISOString());
      expect([...first]).toEqual([a]);
      expect([...second]).toEqual([b]);
      expect(await claimInstantItems(db, id, [a, b], now.toISOString())).toEqual(new Set());
    });

    it("what quiet hours held back goes in the digest, and is not pushed again", async () => {
      at("2026-01-25T16:00:00.000Z"); // 23:00 in Hà Nội
      const id = await reader("804", {
        topics: { "thoi-su": "both" },
        quiet: { from: "22:00", until: "07:30" },
      });
      await tick();
      const night = await story("thoi-su", "Tin trong đêm");
      expect(await tick()).toMatchObject({ held: 1 });
      at("2026-01-26T00:00:00.000Z"); // 07:00: the digest, still quiet
      expect(await digestTick()).toMatchObject({ enqueued: 1 });
      expect(await payloadText(`digest:${id}:2026-01-26`)).toContain("Tin trong đêm");
      expect(await items(id)).toMatchObject([{ article_id: night }]);
      expect((await items(id))[0]?.sent_at).not.toBeNull();
      at("2026-01-26T01:00:00.000Z"); // 08:00: quiet hours over, nothing left to push
      expect(await tick()).toMatchObject({ messages: 0 });
      expect((await outboxRows(id)).map((r) => r.kind)).toEqual(["digest"]);
    });
  });
});
