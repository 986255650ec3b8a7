import { beforeEach, expect, it } from "vitest";
import { NotFoundError } from "../../src/db/errors";
import type { DbHandle } from "../../src/db/schema";
import { storeArticle } from "../../src/news/articles";
import {
  addCategory,
  InvalidCategoryError,
  listCategories,
  listCategoryFigures,
  moveCategory,
  renameCategory,
} from "../../src/news/categories";
import { addSource } from "../../src/news/sources";
import { registerReader } from "../../src/readers/readers";
import { subscribe } from "../../src/readers/topics";
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
      ids[slug] = (await addCategory(db, { slug, name: { vi, en } })).id;
    }
  });

  const order = async () => (await listCategories(db)).map((c) => c.slug);

  it("renames a topic with its names cleaned; the slug and place stay", async () => {
    const renamed = await renameCategory(db, ids["kinh-te"] as number, {
      vi: "  Kinh  te\u0302\u0301 \u00A0thị trường ",
      en: "Economy\tand markets",
    });
    expect(renamed).toMatchObject({
      slug: "kinh-te",
      name: { vi: "Kinh tế thị trường", en: "Economy and markets" },
      position: 1,
    });
    expect(renamed.name.vi).toBe(renamed.name.vi.normalize("NFC"));
    const listed = (await listCategories(db)).find((c) => c.slug === "kinh-te");
    expect(listed?.name).toEqual(renamed.name);
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
  });

  it("refuses empty or over-long names and unknown ids, changing nothing", async () => {
    const id = ids["thoi-su"] as number;
    const refused = async (name: { vi: string; en: string }) =>
      renameCategory(db, id, name).then(
        () => undefined,
        (error: unknown) => error,
      );
    const empty = await refused({ vi: "   ", en: "News" });
    expect(empty).toBeInstanceOf(InvalidCategoryError);
    expect((empty as InvalidCategoryError).reason).toBe("names");
    const long = await refused({ vi: "Thời sự", en: "x".repeat(101) });
    expect(long).toBeInstanceOf(InvalidCategoryError);
    expect((long as InvalidCategoryError).reason).toBe("length");
    // 100 characters is allowed.
    await expect(
      renameCategory(db, id, { vi: "Thời sự", en: "y".repeat(100) }),
    ).resolves.toBeTruthy();
    await renameCategory(db, id, { vi: "Thời sự", en: "News" });
    await expect(renameCategory(db, 9999, { vi: "A", en: "B" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await listCategories(db))[0]?.name).toEqual({ vi: "Thời sự", en: "News" });
  });

  it("moves a topic up and down by swapping with its neighbour", async () => {
    const up = await moveCategory(db, ids["the-thao"] as number, "up");
    expect(up.moved).toBe(true);
    expect(up.category.slug).toBe("the-thao");
    expect(await order()).toEqual(["thoi-su", "the-thao", "kinh-te", "van-hoa"]);
    await moveCategory(db, ids["thoi-su"] as number, "down");
    expect(await order()).toEqual(["the-thao", "thoi-su", "kinh-te", "van-hoa"]);
    await moveCategory(db, ids["the-thao"] as number, "down");
    await moveCategory(db, ids["the-thao"] as number, "down");
    await moveCategory(db, ids["the-thao"] as number, "down");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "van-hoa", "the-thao"]);
  });

  it("leaves the first where it is when moved up, and the last when moved down", async () => {
    const first = await moveCategory(db, ids["thoi-su"] as number, "up");
    expect(first.moved).toBe(false);
    const last = await moveCategory(db, ids["van-hoa"] as number, "down");
    expect(last.moved).toBe(false);
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    await expect(moveCategory(db, 9999, "up")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("numbers tied positions 0..n-1 first, so that a move always changes the order", async () => {
    // SOURCES_FILE or old data may leave every topic at position 0: listed by id then.
    await db.updateTable("categories").set({ position: 0 }).execute();
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    await moveCategory(db, ids["van-hoa"] as number, "up");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "van-hoa", "the-thao"]);
    const positions = (await listCategories(db)).map((c) => c.position);
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
    await moveCategory(db, ids["kinh-te"] as number, "down");
    expect(await order()).toEqual(["thoi-su", "van-hoa", "kinh-te", "the-thao"]);
    expect((await listCategories(db)).map((c) => c.position)).toEqual([0, 1, 2, 3]);
  });

  it("moves within the caller's transaction: rolled back, nothing moved", async () => {
    await db.updateTable("categories").set({ position: 0 }).execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await moveCategory(trx, ids["the-thao"] as number, "up");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await order()).toEqual(["thoi-su", "kinh-te", "the-thao", "van-hoa"]);
    expect((await listCategories(db)).map((c) => c.position)).toEqual([0, 0, 0, 0]);
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
    await addSource(db, { url: "https://example.vn/rss/thoi-su.rss", categoryId: thoiSu });
    await addSource(db, { url: "https://example.vn/rss/thoi-su-2.rss", categoryId: thoiSu });
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
        categoryId: n === 3 ? kinhTe : thoiSu,
      });
    }
    const figures = await listCategoryFigures(db);
    expect(figures.map((f) => [f.slug, f.readers, f.stories, f.feeds])).toEqual([
      ["thoi-su", 2, 2, 2],
      ["kinh-te", 1, 1, 0],
      ["the-thao", 0, 0, 0],
      ["van-hoa", 0, 0, 0],
    ]);
    expect(figures[0]?.name).toEqual({ vi: "Thời sự", en: "News" });
  });
});
