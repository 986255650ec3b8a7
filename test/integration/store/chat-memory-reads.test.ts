import { beforeEach, expect, it } from "vitest";
import type { DbHandle } from "../../../src/db/schema";
import { storeArticle } from "../../../src/news/articles";
import { countRead, dayBefore, mostRead, readDay, readsOn } from "../../../src/news/reads";
import { addTopic } from "../../../src/news/topics";
import { lastChoices, lastList, rememberShown } from "../../../src/readers/chat-memory";
import { collectStats } from "../../../src/services/stats";
import { describeStores } from "../../helpers/stores";

describeStores("store: chat memory and read counts", (store) => {
  let db: DbHandle;
  const ids: number[] = [];
  const zalo = { platform: "zalo", chatId: "z1" };
  const telegram = { platform: "telegram", chatId: "z1" };

  beforeEach(async () => {
    db = await store.db();
    const topic = await addTopic(db, {
      slug: "thoi-su",
      name: { vi: "Thời sự", en: "News" },
    });
    ids.length = 0;
    for (const n of [1, 2, 3]) {
      const stored = await storeArticle(db, {
        url: `https://baolaocai.vn/tin-${n}.html`,
        contentHash: `h${n}`,
        title: `Tin số ${n}`,
        lead: "",
        body: ["Đoạn."],
        photos: [],
        fullText: true,
        publishedAt: `2026-01-26T0${n}:00:00.000Z`,
        fetchedAt: "2026-01-26T04:00:00.000Z",
        topicId: topic.id,
      });
      ids.push(stored.id);
    }
  });

  it("keeps the last list and the last choices per chat, each replacing the one before", async () => {
    expect(await lastList(db, zalo)).toBeNull();
    expect(await lastChoices(db, zalo)).toBeNull();
    const t0 = "2026-01-26T05:00:00.000Z";
    await rememberShown(
      db,
      zalo,
      {
        items: [
          { number: 6, articleId: 30 },
          { number: 7, articleId: 12 },
        ],
        choices: [
          { number: 6, action: "r:30" },
          { number: 7, action: "r:12" },
          { number: 8, action: "l:-:0" },
        ],
      },
      t0,
    );
    expect(await lastList(db, zalo)).toEqual([
      { number: 6, articleId: 30 },
      { number: 7, articleId: 12 },
    ]);
    // Another message with choices only (topics): the list stays, the choices change.
    await rememberShown(db, zalo, { choices: [{ number: 1, action: "t:3" }] }, t0);
    expect(await lastList(db, zalo)).toEqual([
      { number: 6, articleId: 30 },
      { number: 7, articleId: 12 },
    ]);
    expect(await lastChoices(db, zalo)).toEqual([{ number: 1, action: "t:3" }]);
    // A new list replaces the old one; nothing at all changes nothing.
    await rememberShown(db, zalo, { items: [{ number: 1, articleId: 5 }] }, t0);
    await rememberShown(db, zalo, {}, t0);
    expect(await lastList(db, zalo)).toEqual([{ number: 1, articleId: 5 }]);
    // Same chat id on another platform is another chat.
    expect(await lastList(db, telegram)).toBeNull();
  });

  it("reads back only well-formed entries, and nothing from a broken row", async () => {
    await rememberShown(db, zalo, { items: [{ number: 1, articleId: 5 }] }, "t");
    const row = await db
      .selectFrom("chat_memory")
      .select(["list_items", "choices"])
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.list_items ?? "null")).toEqual([[1, 5]]);
    expect(row.choices).toBeNull();
    // A row spoiled by hand: only what has the right shape comes back.
    await db
      .updateTable("chat_memory")
      .set({
        list_items: JSON.stringify([[1, 5], [2, "x"], [3], "y", [4, -1], [5, 6]]),
        choices: "{not json",
      })
      .execute();
    expect(await lastList(db, zalo)).toEqual([
      { number: 1, articleId: 5 },
      { number: 5, articleId: 6 },
    ]);
    expect(await lastChoices(db, zalo)).toEqual([]);
  });

  it("counts readings per story and day, from many writers at once, and ranks them", async () => {
    const [a, b, c] = ids as [number, number, number];
    await Promise.all(Array.from({ length: 20 }, () => countRead(db, b, "2026-01-26")));
    for (let i = 0; i < 3; i++) await countRead(db, a, "2026-01-26");
    await countRead(db, c, "2026-01-25");
    await countRead(db, c, "2026-01-25");
    await countRead(db, 999_999, "2026-01-26"); // no such story: nothing counted, no error
    expect(await readsOn(db, b, "2026-01-26")).toBe(20);
    expect(await readsOn(db, a, "2026-01-26")).toBe(3);
    expect(await readsOn(db, a, "2026-01-25")).toBe(0);

    expect(await mostRead(db, { fromDay: "2026-01-26", toDay: "2026-01-26", limit: 5 })).toEqual([
      { articleId: b, title: "Tin số 2", url: "https://baolaocai.vn/tin-2.html", reads: 20 },
      { articleId: a, title: "Tin số 1", url: "https://baolaocai.vn/tin-1.html", reads: 3 },
    ]);
    const twoDays = await mostRead(db, { fromDay: "2026-01-25", toDay: "2026-01-26", limit: 2 });
    expect(twoDays.map((s) => [s.articleId, s.reads])).toEqual([
      [b, 20],
      [a, 3],
    ]);
    const rows = await db.selectFrom("story_reads").selectAll().execute();
    // No reader beside the count.
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(["article_id", "count", "day"]);

    const stats = await collectStats(db, { day: "2026-01-25" });
    expect(stats.mostRead).toEqual({
      day: "2026-01-25",
      stories: [
        { articleId: c, title: "Tin số 3", url: "https://baolaocai.vn/tin-3.html", reads: 2 },
      ],
    });
  });

  it("dates a reading in the newsroom's zone", () => {
    // 18:30 UTC on the 26th is already the 27th in Hà Nội.
    const at = new Date("2026-01-26T18:30:00.000Z");
    expect(readDay(at, "Asia/Ho_Chi_Minh")).toBe("2026-01-27");
    expect(readDay(at, "UTC")).toBe("2026-01-26");
    expect(dayBefore("2026-03-01")).toBe("2026-02-28");
    expect(() => dayBefore("yesterday")).toThrow(RangeError);
  });
});
