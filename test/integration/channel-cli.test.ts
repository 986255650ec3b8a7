/**
 * `bantin channel add/list/remove` against the fake Telegram Bot API, as an operator runs it,
 * then a digest-mode channel's digest through the real digest tick and delivery worker, and
 * `bantin stats` counting the posts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";
import { parseDatabaseUrl } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { RateLimiter } from "../../src/delivery/limiter";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { createDeliveryWorker, type DeliveryWorker } from "../../src/delivery/worker";
import { runDigestTick } from "../../src/digest/run";
import { runInstantTick } from "../../src/instant/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { addTopic } from "../../src/news/topics";
import { countAudience } from "../../src/readers/audience";
import { setTopics } from "../../src/readers/reader-topics";
import { findReader, registerReader } from "../../src/readers/readers";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { runCli } from "../helpers/cli";
import { describeStores } from "../helpers/stores";

const KENH = -1001000000001; // @kenh: the bot is an administrator that may post
const MEMBER = -1001000000002; // @kenhthanhvien: the bot is only a member
const NO_POST = -1001000000003; // @kenhkhongdang: administrator without "Post messages"
const SANG = -1001000000004; // @kenhsang: digest mode

describeStores("bantin channel", (store) => {
  let fake: FakeTelegram;
  let db: DbHandle;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

  const channelRows = () =>
    db.selectFrom("readers").selectAll().where("chat_type", "=", "channel").execute();

  beforeAll(async () => {
    fake = await startFakeTelegram();
    fake.addChannel({ id: KENH, title: "Kênh Tin Nhanh", username: "kenh" });
    fake.addChannel({
      id: MEMBER,
      title: "Kênh Thành Viên",
      username: "kenhthanhvien",
      bot: "member",
    });
    fake.addChannel({
      id: NO_POST,
      title: "Kênh Không Đăng",
      username: "kenhkhongdang",
      canPostMessages: false,
    });
    fake.addChannel({ id: SANG, title: "Bản tin sáng", username: "kenhsang" });
    const url = await store.newDatabaseUrl();
    db = openDatabase(parseDatabaseUrl(url)).db;
    await migrateToLatest(db);
    for (const [slug, vi, en] of [
      ["thoi-su", "Thời sự", "News"],
      ["kinh-te", "Kinh tế", "Economy"],
      ["the-thao", "Thể thao", "Sport"],
    ] as const) {
      await addTopic(db, { slug, name: { vi, en } });
    }
    env = {
      DATABASE_URL: url,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    };
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await fake?.close();
  });

  describe("add", { timeout: 60_000 }, () => {
    it("registers a channel where the bot may post, and says what it will post", async () => {
      const result = await cli(
        "channel",
        "add",
        "@kenh",
        "--topics",
        "thoi-su,kinh-te",
        "--mode",
        "instant",
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        `Added channel @kenh "Kênh Tin Nhanh" (${KENH}).\n` +
          "bantin will post one post per new story (photo, headline, lead, link) in thoi-su, kinh-te, in Vietnamese.\n",
      );
      // The bot asked who it is, resolved the name, and checked its own rights in that chat.
      expect(fake.callsTo("getChat").at(-1)?.params.chat_id).toBe("@kenh");
      const member = fake.callsTo("getChatMember").at(-1);
      expect(member?.params).toMatchObject({ chat_id: KENH, user_id: fake.botInfo.id });

      const reader = await findReader(db, "telegram", String(KENH));
      expect(reader).toMatchObject({
        chatType: "channel",
        status: "active",
        displayName: "Kênh Tin Nhanh (@kenh)",
        digestEnabled: false,
      });
      const topics = await db
        .selectFrom("reader_topics")
        .innerJoin("categories", "categories.id", "reader_topics.category_id")
        .select(["categories.slug", "reader_topics.mode"])
        .where("reader_id", "=", reader?.id as number)
        .orderBy("categories.slug")
        .execute();
      expect(topics).toEqual([
        { slug: "kinh-te", mode: "instant" },
        { slug: "thoi-su", mode: "instant" },
      ]);
    });

    it("adding again changes topics and mode, keeping one reader", async () => {
      const result = await cli(
        "channel",
        "add",
        "@kenh",
        "--topics",
        "the-thao",
        "--mode",
        "digest",
        "--time",
        "6:30",
        "--lang",
        "en",
        "--json",
      );
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({
        chatId: String(KENH),
        username: "kenh",
        title: "Kênh Tin Nhanh",
        topics: ["the-thao"],
        mode: "digest",
        digestTime: "06:30",
        timeZone: "Asia/Ho_Chi_Minh",
        locale: "en",
        status: "active",
        added: false,
      });
      const rows = await channelRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ digest_enabled: 1, digest_time: "06:30", locale: "en" });
      const modes = await db
        .selectFrom("reader_topics")
        .select("mode")
        .where("reader_id", "=", rows[0]?.id as number)
        .execute();
      expect(modes).toEqual([{ mode: "digest" }]);
    });

    it.each([
      [
        ["@kenhthanhvien"],
        "bantin: bantin (@bantin_test_bot) is not an administrator of @kenhthanhvien: add the bot as an administrator with the right to post messages\n",
      ],
      [
        ["@kenhkhongdang"],
        'bantin: bantin (@bantin_test_bot) is an administrator of @kenhkhongdang without the right to post messages: give it "Post messages" in the channel\'s administrator settings\n',
      ],
      [
        ["@khongcokenh"],
        "bantin: Telegram does not know the channel @khongcokenh: check the name, or add the bot to the channel and give its -100… id\n",
      ],
      [
        ["-1009999999999"],
        "bantin: -1009999999999 is a supergroup chat, not a channel: bantin posts only to channels\n",
      ],
    ])("%o: one plain line, exit 1, nothing stored", async ([ref], line) => {
      const before = await channelRows();
      const result = await cli(
        "channel",
        "add",
        ref as string,
        "--topics",
        "thoi-su",
        "--mode",
        "instant",
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(line);
      expect(result.stdout).toBe("");
      expect(await channelRows()).toEqual(before);
    });

    it("refuses an unknown topic, naming the known ones, before asking Telegram", async () => {
      const calls = fake.calls.length;
      const result = await cli(
        "channel",
        "add",
        "@kenh",
        "--topics",
        "thoi-su,bong-da",
        "--mode",
        "instant",
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "bantin: unknown topic bong-da; known topics: thoi-su, kinh-te, the-thao\n",
      );
      expect(fake.calls.length).toBe(calls);
    });

    it.each([
      [
        ["kenh", "--topics", "thoi-su", "--mode", "instant"],
        /"kenh" is not a channel: give its @username/,
      ],
      [
        ["@kenh", "--topics", "thoi-su", "--mode", "weekly"],
        /--mode must be instant or digest, got "weekly"/,
      ],
      [
        ["@kenh", "--topics", "thoi-su", "--mode", "digest", "--time", "25:00"],
        /--time must be HH:MM/,
      ],
      [
        ["@kenh", "--topics", "thoi-su", "--mode", "instant", "--time", "07:00"],
        /--time is for --mode digest/,
      ],
    ])("%o: a usage mistake is one line", async (args, pattern) => {
      const result = await cli("channel", "add", ...(args as string[]));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    });

    it("needs the bot's token", async () => {
      const result = await runCli(
        ["channel", "add", "@kenh", "--topics", "thoi-su", "--mode", "instant"],
        { DATABASE_URL: env.DATABASE_URL },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^bantin: TELEGRAM_BOT_TOKEN is not set/);
    });
  });

  describe("a digest-mode channel", { timeout: 60_000 }, () => {
    let worker: DeliveryWorker;
    let now: Date;
    const tick = () => runDigestTick({ db, clock: () => now, logger: silentLogger(), perTopic: 5 });

    beforeAll(() => {
      worker = createDeliveryWorker({
        db,
        transport: createTelegramTransport({
          token: fake.token,
          apiRoot: fake.apiRoot,
          paidBroadcast: false,
          timeoutSeconds: 5,
        }),
        limiter: new RateLimiter({ perSecond: 100, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
        clock: () => now, // the digest's rows are due at the tick's time
        logger: silentLogger(),
        concurrency: 2,
        leaseMs: 60_000,
      });
    });
    afterAll(async () => {
      if (!worker.stopped) await worker.stop();
    });

    async function deliverAll() {
      const until = Date.now() + 15_000;
      while ((await countOutboxByState(db)).pending > 0) {
        if (Date.now() > until) throw new Error("outbox did not drain in time");
        await worker.drain();
        await new Promise((r) => setTimeout(r, 40));
      }
    }

    let seq = 0;
    async function story(title: string, at: Date) {
      const topic = await db
        .selectFrom("categories")
        .select("id")
        .where("slug", "=", "thoi-su")
        .executeTakeFirstOrThrow();
      seq++;
      await storeArticle(db, {
        url: `https://tin.example/thoi-su/bai-${seq}.html`,
        contentHash: `channel-${seq}`,
        title,
        lead: "Tóm tắt.",
        body: ["Nội dung."],
        photos: [],
        fullText: true,
        publishedAt: at.toISOString(),
        fetchedAt: at.toISOString(),
        topicId: topic.id,
      });
    }

    it("gets its daily digest through the digest tick and the Telegram sender", async () => {
      const added = await cli(
        "channel",
        "add",
        "@kenhsang",
        "--topics",
        "thoi-su",
        "--mode",
        "digest",
        "--time",
        "00:00",
      );
      expect(added.stderr).toBe("");
      expect(added.stdout).toMatch(
        /bantin will post one digest a day at 00:00 \(Asia\/Ho_Chi_Minh\) of thoi-su, in Vietnamese\./,
      );
      await story("Mưa lớn <kéo dài> ở Hà Nội", new Date(Date.now() + 60 * 60_000));
      now = new Date(Date.now() + 25 * 60 * 60_000); // past midnight tomorrow, local time
      const summary = await tick();
      expect(summary.enqueued).toBeGreaterThanOrEqual(1);
      await deliverAll();

      const posts = fake.sentMessages(SANG);
      expect(posts).toHaveLength(1);
      const text = String(posts[0]?.params.text);
      expect(text).toMatch(/^<b>[^<]*Bản tin ngày \d\d\/\d\d<\/b>/);
      expect(text).toContain(
        '<a href="https://tin.example/thoi-su/bai-1.html">Mưa lớn &lt;kéo dài&gt; ở Hà Nội</a>',
      );
      // A channel's readers cannot use the read buttons: none is sent there.
      expect(posts[0]?.params.reply_markup).toBeUndefined();
    });

    it("counts the posts in channel list and in stats, apart from chat readers", async () => {
      const list = await cli("channel", "list", "--json");
      expect(list.stderr).toBe("");
      const channels = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(channels.map((c) => c.username)).toEqual(["kenh", "kenhsang"]);
      expect(channels[1]).toMatchObject({
        chatId: String(SANG),
        title: "Bản tin sáng",
        topics: ["thoi-su"],
        mode: "digest",
        digestTime: "00:00",
        status: "active",
        posts: 1,
      });
      expect(channels[1]?.lastPostAt).toEqual(expect.any(String));
      expect(channels[0]).toMatchObject({ posts: 0, lastPostAt: null });
      // The table says when in the newsroom's zone, as everywhere on the CLI and the console.
      expect((await cli("channel", "list")).stdout).toMatch(
        /@kenhsang\s.*\s1\s+\d{4}-\d\d-\d\d \d\d:\d\d \(GMT\+7\)\s+active/,
      );

      const stats = await cli("stats", "--json");
      const parsed = JSON.parse(stats.stdout);
      expect(parsed.channels).toMatchObject({ total: 2, posts: 1 });
      expect(parsed.channels.list[1]).toMatchObject({ username: "kenhsang", posts: 1 });
      expect(parsed.readers.total).toBe(0); // the channels are not counted as readers

      const human = await cli("stats");
      expect(human.stdout).toContain("Channels: 2, 1 posts delivered");
      expect(human.stdout).toMatch(
        / {2}@kenhsang \(Bản tin sáng\): digest, active, 1 posts, last \d{4}-\d\d-\d\d \d\d:\d\d \(GMT\+7\)\n/,
      );
    });

    it("breaking news does not go to channels", async () => {
      const { reader } = await registerReader(
        db,
        { platform: "telegram", chatId: "777", chatType: "private" },
        { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
        new Date().toISOString(),
      );
      const topic = await db
        .selectFrom("categories")
        .select("id")
        .where("slug", "=", "thoi-su")
        .executeTakeFirstOrThrow();
      await setTopics(db, reader.id, [topic.id]);
      expect(await countAudience(db, { topicId: null, platform: null })).toBe(1);
      expect(await countAudience(db, { topicId: topic.id, platform: "telegram" })).toBe(1);
      await db.deleteFrom("readers").where("id", "=", reader.id).execute();
    });

    it("a channel that took the bot's right to post is marked blocked, and list says so", async () => {
      fake.setChannelBot(SANG, "administrator", false);
      await story("Tin ngày hôm sau", new Date(now.getTime() + 60 * 60_000));
      now = new Date(now.getTime() + 24 * 60 * 60_000);
      expect((await tick()).enqueued).toBeGreaterThanOrEqual(1);
      await deliverAll();
      const refused = fake
        .sentMessages(SANG, { includeFailed: true })
        .filter((c) => c.ok === false);
      expect(refused.at(-1)).toMatchObject({
        errorCode: 400,
        description: "Bad Request: need administrator rights in the channel chat",
      });
      expect((await findReader(db, "telegram", String(SANG)))?.status).toBe("blocked");
      const list = await cli("channel", "list");
      expect(list.stdout).toMatch(
        /@kenhsang +Bản tin sáng +thoi-su +digest +00:00 +1 .*blocked \(lost its rights\?\)/,
      );
    });

    it("a channel the bot was removed from is unreachable too (403)", async () => {
      fake.setChannelBot(KENH, "left");
      const transport = createTelegramTransport({
        token: fake.token,
        apiRoot: fake.apiRoot,
        paidBroadcast: false,
      });
      const outcome = await transport.send(
        { chatId: String(KENH), chatType: "channel" },
        { kind: "text", format: "html", text: "Tin" },
      );
      expect(outcome).toEqual({
        kind: "unreachable",
        reason: "Forbidden: bot is not a member of the channel chat",
      });
      fake.setChannelBot(KENH, "administrator", true);
    });
  });

  describe("remove", { timeout: 60_000 }, () => {
    it("stops posting to the channel and says so", async () => {
      const result = await cli("channel", "remove", "@kenh");
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(
        `Stopped posting to @kenh "Kênh Tin Nhanh"; it had 0 post(s). bantin channel add brings it back.\n`,
      );
      expect((await findReader(db, "telegram", String(KENH)))?.status).toBe("stopped");
      const list = JSON.parse((await cli("channel", "list", "--json")).stdout);
      expect(list[0]).toMatchObject({ username: "kenh", status: "stopped" });
    });

    it("by id too, and an unknown channel is one line", async () => {
      const byId = await cli("channel", "remove", String(SANG), "--json");
      expect(JSON.parse(byId.stdout)).toMatchObject({ username: "kenhsang", status: "stopped" });
      const unknown = await cli("channel", "remove", "@khongcokenh");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        "bantin: no channel @khongcokenh has been added (see bantin channel list)\n",
      );
    });
  });

  describe("an instant-mode channel", { timeout: 60_000 }, () => {
    it("gets one post per new story: photo, bold headline, lead and a Đọc tiếp link", async () => {
      const added = await cli(
        "channel",
        "add",
        "@kenh",
        "--topics",
        "kinh-te",
        "--mode",
        "instant",
        "--lang",
        "vi", // it was set to English above; a re-add without --lang keeps the language
      );
      expect(added.stdout).toMatch(/^Updated channel @kenh/); // removed before: back again
      expect((await findReader(db, "telegram", String(KENH)))?.status).toBe("active");

      const tick = () =>
        runInstantTick({ db, clock: () => new Date(), logger: silentLogger(), batchMinutes: 10 });
      await tick(); // the first tick only sets the cursor: older stories are not news now
      const topic = await db
        .selectFrom("categories")
        .select("id")
        .where("slug", "=", "kinh-te")
        .executeTakeFirstOrThrow();
      const at = new Date().toISOString();
      for (const n of [1, 2]) {
        await storeArticle(db, {
          url: `https://tin.example/kinh-te/gia-vang-${n}.html`,
          contentHash: `instant-${n}`,
          title: `Giá vàng tăng <mạnh> lần ${n}`,
          lead: "Giá vàng miếng sáng nay tăng thêm 500.000 đồng mỗi lượng.",
          body: ["Nội dung."],
          photos: n === 1 ? [{ url: "https://tin.example/anh/vang.jpg", caption: "Ảnh" }] : [],
          fullText: true,
          publishedAt: at,
          fetchedAt: at,
          topicId: topic.id,
        });
      }
      expect(await tick()).toMatchObject({ queued: 2, messages: 2 });

      const worker = createDeliveryWorker({
        db,
        transport: createTelegramTransport({
          token: fake.token,
          apiRoot: fake.apiRoot,
          paidBroadcast: false,
          timeoutSeconds: 5,
        }),
        limiter: new RateLimiter({ perSecond: 100, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
        clock: () => new Date(),
        logger: silentLogger(),
        concurrency: 1,
        leaseMs: 60_000,
      });
      try {
        const until = Date.now() + 15_000;
        while ((await countOutboxByState(db)).pending > 0) {
          if (Date.now() > until) throw new Error("outbox did not drain in time");
          await worker.drain();
          await new Promise((r) => setTimeout(r, 40));
        }
      } finally {
        await worker.stop();
      }
      const posts = fake.sentMessages(KENH);
      expect(posts.map((p) => p.method).sort()).toEqual(["sendMessage", "sendPhoto"]);
      const photo = posts.find((p) => p.method === "sendPhoto");
      expect(photo?.params.photo).toBe("https://tin.example/anh/vang.jpg");
      expect(photo?.params.caption).toBe(
        "<b>Giá vàng tăng &lt;mạnh&gt; lần 1</b>\n\nGiá vàng miếng sáng nay tăng thêm 500.000 đồng mỗi lượng.\n\n" +
          '<a href="https://tin.example/kinh-te/gia-vang-1.html">Đọc tiếp</a>',
      );
      const text = posts.find((p) => p.method === "sendMessage");
      expect(String(text?.params.text)).toMatch(/^<b>Giá vàng tăng &lt;mạnh&gt; lần 2<\/b>/);

      const list = JSON.parse((await cli("channel", "list", "--json")).stdout);
      expect(list[0]).toMatchObject({ username: "kenh", mode: "instant", posts: 2 });
    });
  });
});
