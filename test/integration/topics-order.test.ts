import { beforeEach, expect, it } from "vitest";
import { NotFoundError } from "../../src/db/errors";
import type { DbHandle } from "../../src/db/schema";
import { storeArticle } from "../../src/news/articles";
import { addFeed } from "../../src/news/feeds";
import {
  addTopic,
  InvalidTopicError,
  listTopicFigures,
  listTopics,
  moveTopic,
  renameTopic,
} from "../../src/news/topics";
import { subscribe } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import { describeStores } from "../helpers/stores";

const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
const NOW = "2026-01-27T03:00:00.000Z";

describeStores("renaming and reordering topics", (store) => {
  let db: DbHandle;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    db = await store.db();
    for (const [slug, vi, en] of [
      ["thoi-su", "Thời sự", "News"],
      ["kinh-te", "Kinh tế", "Economy"],
      ["the-thao", "Thể thao", "Sports"],
      ["van-hoa", "Văn hóa", "Culture"],
    ] as const) {
      ids[slug] = (await addTopic(db, { slug, name: { vi, en } })).id;
    }
  });

  const order = async () => (await listTopics(db)).map((c) => c.slug);

  it("renames a topic with its names cleaned; the slug and place stay", async () => {
    const renamed = await renameTopic(db, ids["kinh-te"] as number, {
      vi: "  Kinh  te\u0302\u0301 \u00A0thị trường ",
      en: "Economy\tand markets",
    });
    expect(renamed).toMatchObject({
      slug: "kinh-te",
      name: { vi: "Kinh tế thị trường", en: "Economy and markets" },
      position: 1,
    });
    expect(renamed.name.vi).toBe(renamed.name.vi.normalize("NFC"));
    const listed = (await listTopics(db)).find((c) => c.slug === "kinh-te");
    expect(listed?.name).toEqual(renamed.name);
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
  });

  it("refuses empty or over-long names and unknown ids, changing nothing", async () => {
    const id = ids["thoi-su"] as number;
    const refused = async (name: { vi: string; en: string }) =>
      renameTopic(db, id, name).then(
        () => undefined,
        (error: unknown) => error,
      );
    const empty = await refused({ vi: "   ", en: "News" });
    expect(empty).toBeInstanceOf(InvalidTopicError);
    expect((empty as InvalidTopicError).reason).toBe("names");
    const long = await refused({ vi: "Thời sự", en: "x".repeat(101) });
    expect(long).toBeInstanceOf(InvalidTopicError);
    expect((long as InvalidTopicError).reason).toBe("length");
    // 100 characters is allowed.
    await expect(renameTopic(db, id, { vi: "Thời sự", en: "y".repeat(100) })).resolves.toBeTruthy();
    await renameTopic(db, id, { vi: "Thời sự", en: "News" });
    await expect(renameTopic(db, 9999, { vi: "A", en: "B" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listTopics(db))[0]?.name).toEqual({ vi: "Thời sự", en: "News" });
  });

  it("moves a topic up and down by swapping with its neighbour", async () => {
    const up = await moveTopic(db, ids["the-thao"] as number, "up");
    expect(up.moved).toBe(true);
    expect(up.topic.slug).toBe("the-thao");
    expect(await order()).toEqual(["thoi-su", "the-thao", "kinh-te", "van-hoa"]);
    await moveTopic(db, ids["thoi-su"] as number, "down");
    expect(await order()).toEqual(["the-thao", "thoi-su", "kinh-te", "van-hoa"]);
    await moveTopic(db, ids["the-thao"] as number, "down");
    await moveTopic(db, ids["the-thao"] as number, "down");
    await moveTopic(db, ids["the-thao"] as number, "down");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "van-hoa", "the-thao"]);
  });

  it("leaves the first where it is when moved up, and the last when moved down", async () => {
    const first = await moveTopic(db, ids["thoi-su"] as number, "up");
    expect(first.moved).toBe(false);
    const last = await moveTopic(db, ids["van-hoa"] as number, "down");
    expect(last.moved).toBe(false);
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    await expect(moveTopic(db, 9999, "up")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("numbers tied positions 0..n-1 first, so that a move always changes the order", async () => {
    // SOURCES_FILE or old data may leave every topic at position 0: listed by id then.
    await db.updateTable("categories").set({ position: 0 }).execute();
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    await moveTopic(db, ids["van-hoa"] as number, "up");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "van-hoa", "the-thao"]);
    const positions = (await listTopics(db)).map((c) => c.position);
    expect(positions).toEqual([0, 1, 2, 3]);

    // Ties in the middle only: 0, 5, 5, 9.
    await db
      .updateTable("categories")
      .set({ position: 5 })
      .where("slug", "in", ["kinh-te", "van-hoa"])
      .execute();
    await db
      .updateTable("categories")
      .set({ position: 9 })
      .where("slug", "=", "the-thao")
      .execute();
    expect(await order()).toEqual(["thoi-su", "kinh-te", "van-hoa", "the-thao"]);
    await moveTopic(db, ids["kinh-te"] as number, "down");
    expect(await order()).toEqual(["thoi-su", "van-hoa", "kinh-te", "the-thao"]);
    expect((await listTopics(db)).map((c) => c.position)).toEqual([0, 1, 2, 3]);
  });

  it("moves within the caller's transaction: rolled back, nothing moved", async () => {
    await db.updateTable("categories").set({ position: 0 }).execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await moveTopic(trx, ids["the-thao"] as number, "up");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    expect((await listTopics(db)).map((c) => c.position)).toEqual([0, 0, 0, 0]);
  });

  it("counts each topic's active readers (not channels), stories and feeds", async () => {
    const thoiSu = ids["thoi-su"] as number;
    const kinhTe = ids["kinh-te"] as number;
    const reader = async (chatId: string, chatType: "private" | "channel" = "private") =>
      (await registerReader(db, { platform: "telegram", chatId, chatType }, DEFAULTS, NOW)).reader
        .id;
    const a = await reader("1");
    const b = await reader("2");
    const stopped = await reader("3");
    const channel = await reader("-100", "channel");
    for (const id of [a, b, stopped, channel]) await subscribe(db, id, thoiSu);
    await subscribe(db, a, kinhTe);
    await db.updateTable("readers").set({ status: "stopped" }).where("id", "=", stopped).execute();
    await addFeed(db, { url: "https://example.vn/rss/thoi-su.rss", topicId: thoiSu });
    await addFeed(db, { url: "https://example.vn/rss/thoi-su-2.rss", topicId: thoiSu });
    for (const n of [1, 2, 3]) {
      await storeArticle(db, {
        url: `https://example.vn/tin-${n}.html`,
        contentHash: `hash-${n}`,
        title: `Tin ${n}`,
        lead: "",
        body: [],
        photos: [],
        fullText: false,
        publishedAt: NOW,
        fetchedAt: NOW,
        topicId: n === 3 ? kinhTe : thoiSu,
      });
    }
    const figures = await listTopicFigures(db);
    expect(figures.map((f) => [f.slug, f.readers, f.stories, f.feeds])).toEqual([
      ["thoi-su", 2, 2, 2],
      ["kinh-te", 1, 1, 0],
      ["the-thao", 0, 0, 0],
      ["van-hoa", 0, 0, 0],
    ]);
    expect(figures[0]?.name).toEqual({ vi: "Thời sự", en: "News" });
  });
});
