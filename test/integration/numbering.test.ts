/**
 * The one numbering rule beyond the shared scenarios: the last list and the numbered choices
 * survive a restart of the bot (kept in the database), Zalo's numbered choices line up with the
 * item numbers, and every story opened through the bot is counted, which `bantin stats` shows.
 */
import { describe, expect, it } from "vitest";
import { runDigestTick } from "../../src/digest/run";
import { silentLogger } from "../../src/logging";
import { countRead, dayBefore, readDay, readsOn } from "../../src/news/reads";
import { findTopicBySlug } from "../../src/news/topics";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import { parseTelegramHtml, type RecordedCall } from "../fakes/telegram-api";
import { runCli } from "../helpers/cli";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";
import {
  buttonsOf,
  NOW,
  prepareNewsDb,
  startTelegramHarness,
  textOf,
} from "../helpers/telegram-harness";
import { startZaloHarness, zaloTexts } from "../helpers/zalo-harness";

const RAIN = /Người dân cần theo dõi bản tin thời tiết/;
const RICE = /năng suất đạt trên 55 tạ\/ha/;
const SAPA = /Chợ phiên, lễ hội xuống đồng/;
/** Story ids in the test news: 2 "Giá lúa tăng", 4 "Cảnh báo mưa lớn" (the 2nd of /moi). */
const RICE_ID = 2;
const RAIN_ID = 4;
const DAY = readDay(NOW, "Asia/Ho_Chi_Minh");

function telegramText(calls: RecordedCall[]): string {
  return calls
    .filter((c) => ["sendMessage", "sendPhoto", "editMessageText"].includes(c.method))
    .map((c) => {
      const parsed = parseTelegramHtml(textOf(c));
      return parsed.ok ? parsed.text : textOf(c);
    })
    .join("\n---\n");
}

describeStores("numbering and read counts", (store) => {
  it("Zalo: the last list and its numbered choices work after a restart", async () => {
    const url = await store.newDatabaseUrl();
    // Ids go on across the restart, as the platform's own would (the inbox drops repeats).
    let sent = 0;
    const say = async (h: Awaited<ReturnType<typeof startZaloHarness>>, text: string) => {
      const event = h.zalo.textEvent({ chatId: "zr", text, messageId: `zr-${++sent}` });
      return zaloTexts(await h.send(event)).join("\n---\n");
    };
    const first = await startZaloHarness("webhook", { databaseUrl: url });
    try {
      expect(await say(first, "/moi")).toMatch(/\[2\] 📖 Đọc 2: Cảnh báo mưa lớn/);
      const page2 = await say(first, "6"); // [6] is "Sau ›" after items 1–5
      expect(page2).toMatch(/\[6\] 📖 Đọc 6: Sa Pa/);
      expect(page2).toMatch(/\[8\] 📖 Đọc 8: /);
      expect(page2).toMatch(/\[9\] ‹ Trước/);
      expect(page2).not.toMatch(/\[1\] /);
    } finally {
      await first.stop();
    }
    const second = await startZaloHarness("webhook", { databaseUrl: url });
    try {
      expect(await say(second, "6")).toMatch(SAPA); // a bare number: choice [6], item 6
      expect(await say(second, "đọc 6")).toMatch(SAPA);
      expect(await say(second, "2")).toMatch(/Không có số 2\. Hãy chọn từ 6 đến 9\./);
      expect(await say(second, "9")).toMatch(/\[2\] 📖 Đọc 2: Cảnh báo mưa lớn/); // ‹ Trước
      expect(await say(second, "2")).toMatch(RAIN);
      // The topics menu offers other choices: a bare number ticks a topic, "đọc N" still reads.
      const topics = await say(second, "chủ đề");
      expect(topics).toMatch(/\[2\] /);
      expect(topics).not.toMatch(/📖/);
      expect(await say(second, "đọc 3")).toMatch(RICE);
      expect(await say(second, "1")).toMatch(/Đã theo dõi: |Đã bỏ theo dõi: /);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it("Telegram: /doc N and a bare number open the last list's item after a restart", async () => {
    const url = await store.newDatabaseUrl();
    const first = await startTelegramHarness("polling", { databaseUrl: url });
    try {
      const list = await first.send(first.fake.message({ chatId: 501, text: "/moi" }));
      expect(telegramText(list)).toMatch(/2\. Cảnh báo mưa lớn/);
    } finally {
      await first.stop();
    }
    const second = await startTelegramHarness("polling", { databaseUrl: url });
    try {
      // Update ids go on across the restart, as Telegram's do (the inbox drops repeats).
      let updateId = 1000;
      const send = async (text: string, chatId = 501) =>
        telegramText(
          await second.send({ ...second.fake.message({ chatId, text }), update_id: ++updateId }),
        );
      expect(await send("/doc 2")).toMatch(RAIN);
      expect(await send("3")).toMatch(RICE);
      // Another chat has its own (no) list.
      expect(await send("/doc 2", 502)).toMatch(/Chưa có danh sách tin nào ở đây/);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it("counts every story opened through the bot, with no reader kept", async () => {
    const h = await startTelegramHarness("polling", { databaseUrl: await store.newDatabaseUrl() });
    try {
      const list = await h.send(h.fake.message({ chatId: 601, text: "/moi" }));
      const listCall = list.find((c) => c.method === "sendMessage" && buttonsOf(c).length > 0);
      const read2 = buttonsOf(listCall).find((b) => /Đọc 2\b/.test(b.text));
      const messageId = Number((listCall?.result as { message_id?: number })?.message_id);
      // A read button, /doc N, a bare number, /doc_<id> and the deep link all count.
      await h.send(
        h.fake.callbackQuery({ chatId: 601, data: read2?.callback_data ?? "", messageId }),
      );
      await h.send(h.fake.message({ chatId: 601, text: "/doc 2" }));
      await h.send(h.fake.message({ chatId: 601, text: "3" }));
      await h.send(h.fake.message({ chatId: 601, text: `/doc_${RICE_ID}` }));
      await h.send(h.fake.message({ chatId: 602, text: `/start doc_${RICE_ID}` }));
      // Nothing opened, nothing counted.
      await h.send(h.fake.message({ chatId: 601, text: "/doc 99" }));
      await h.send(h.fake.message({ chatId: 601, text: "/doc_987654" }));
      expect(await readsOn(h.db, RAIN_ID, DAY)).toBe(2);
      expect(await readsOn(h.db, RICE_ID, DAY)).toBe(3);
      const rows = await h.db.selectFrom("story_reads").select(["article_id", "count"]).execute();
      expect(rows.reduce((sum, r) => sum + Number(r.count), 0)).toBe(5);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

describe("bantin stats: the day's most read", () => {
  it("lists the day's most-read stories, in text and JSON, and refuses a bad --day", async () => {
    const { url, db } = await prepareNewsDb();
    for (let i = 0; i < 3; i++) await countRead(db, RAIN_ID, DAY);
    await countRead(db, RICE_ID, DAY);
    await countRead(db, RICE_ID, "2026-01-01");
    await db.destroy();
    const env = { DATABASE_URL: url, DEFAULT_TIMEZONE: "Asia/Ho_Chi_Minh" };

    const json = await runCli(["stats", "--json", "--day", DAY], env);
    expect(json.code, json.stderr).toBe(0);
    const stats = JSON.parse(json.stdout) as {
      mostRead: { day: string; stories: { articleId: number; reads: number; title: string }[] };
    };
    expect(stats.mostRead.day).toBe(DAY);
    expect(stats.mostRead.stories.map((s) => [s.articleId, s.reads])).toEqual([
      [RAIN_ID, 3],
      [RICE_ID, 1],
    ]);

    const text = await runCli(["stats", "--day", DAY], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Most read on ${DAY}:`);
    expect(text.stdout).toMatch(/ {2}3 × 4 Cảnh báo mưa lớn/);

    const today = await runCli(["stats"], env); // the real today: nothing read
    expect(today.stdout).toMatch(/Most read on \d{4}-\d{2}-\d{2}: none yet/);

    const bad = await runCli(["stats", "--day", "2026-02-30"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--day must be a date as YYYY-MM-DD, not "2026-02-30"/);
  }, 60_000);
});

describeStores("digest: the most-read line", (store) => {
  it("shows the most-read stories of today and yesterday when on, and nothing when off", async () => {
    const { db } = await prepareNewsDb(await store.newDatabaseUrl());
    try {
      const news = await findTopicBySlug(db, "xa-hoi");
      const { reader } = await registerReader(
        db,
        { platform: "zalo", chatId: "d1", chatType: "private" },
        { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "10:00" },
        "2026-01-20T00:00:00.000Z",
      );
      await setTopics(db, reader.id, [news?.id as number]);
      await countRead(db, RICE_ID, dayBefore(DAY));
      await countRead(db, RICE_ID, dayBefore(DAY));
      await countRead(db, RAIN_ID, DAY);
      await countRead(db, 3, dayBefore(DAY, 2)); // too old
      const tick = (mostRead?: { count: number; timeZone: string }) =>
        runDigestTick({
          db,
          clock: () => NOW, // 10:00 in Hà Nội
          logger: silentLogger(),
          perTopic: 5,
          ...(mostRead ? { mostRead } : {}),
        });
      expect(await tick({ count: 3, timeZone: "Asia/Ho_Chi_Minh" })).toMatchObject({ enqueued: 1 });
      const row = await outboxItemByKey(db, `digest:${reader.id}:${DAY}`);
      const text = (row?.payload.parts ?? [])
        .map((p) => (p.kind === "text" ? p.text : ""))
        .join("\n");
      expect(text).toMatch(
        /🔥 Đọc nhiều: Giá lúa tăng, nông dân Văn Bàn phấn khởi: https:\/\/\S+ · Cảnh báo mưa lớn/,
      );
      expect(text).not.toMatch(/Sa Pa/);

      // DIGEST_MOST_READ=false: no line.
      const { reader: other } = await registerReader(
        db,
        { platform: "zalo", chatId: "d2", chatType: "private" },
        { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "10:00" },
        "2026-01-20T00:00:00.000Z",
      );
      await setTopics(db, other.id, [news?.id as number]);
      expect(await tick()).toMatchObject({ enqueued: 1 });
      const plain = await outboxItemByKey(db, `digest:${other.id}:${DAY}`);
      const plainText = JSON.stringify(plain?.payload);
      expect(plainText).toMatch(/Cảnh báo mưa lớn/);
      expect(plainText).not.toMatch(/Đọc nhiều/);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
