import { beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../../src/db/schema";
import {
  type ArticleInput,
  articleCategoryIds,
  countArticles,
  getArticle,
  latestArticles,
  storeArticle,
} from "../../../src/news/articles";
import { addCategory } from "../../../src/news/categories";
import { searchArticles } from "../../../src/news/search";
import { addSource, removeSource } from "../../../src/news/sources";
import { describeStores } from "../../helpers/stores";

describeStores("store: articles and search", (store) => {
  let db: DbHandle;
  let thoiSu: number;
  let kinhTe: number;

  function story(overrides: Partial<ArticleInput> = {}): ArticleInput {
    return {
      url: "https://baolaocai.vn/nang-cao-chat-luong-post1.html",
      guid: "post1",
      contentHash: "h1",
      title: "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
      lead: "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị.",
      body: ["Đoạn một.", "Đoạn hai về Đường Hoàng Liên."],
      photos: [{ url: "https://baolaocai.vn/111.jpg", caption: "Quang cảnh hội nghị." }],
      author: "Minh Anh",
      fullText: true,
      publishedAt: "2026-01-26T01:27:00.000Z",
      fetchedAt: "2026-01-26T02:00:00.000Z",
      categoryId: thoiSu,
      ...overrides,
    };
  }

  beforeEach(async () => {
    db = await store.db();
    thoiSu = (await addCategory(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
    kinhTe = (await addCategory(db, { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } }))
      .id;
  });

  describe("storing stories once", () => {
    it("round-trips every field", async () => {
      const { id, outcome } = await storeArticle(db, story());
      expect(outcome).toBe("new");
      const article = await getArticle(db, id);
      expect(article).toMatchObject({
        title: story().title,
        body: ["Đoạn một.", "Đoạn hai về Đường Hoàng Liên."],
        photos: [{ url: "https://baolaocai.vn/111.jpg", caption: "Quang cảnh hội nghị." }],
        author: "Minh Anh",
        fullText: true,
        categoryId: thoiSu,
      });
    });

    it("the same story in two category feeds is one article listed in both", async () => {
      const first = await storeArticle(db, story());
      const second = await storeArticle(db, story({ categoryId: kinhTe }));
      expect(second).toEqual({ id: first.id, outcome: "unchanged" });
      expect(await countArticles(db)).toBe(1);
      expect((await articleCategoryIds(db, first.id)).sort()).toEqual([thoiSu, kinhTe].sort());
      expect(await latestArticles(db, { categoryIds: [kinhTe], limit: 10 })).toHaveLength(1);
    });

    it("the same story stored from several feeds at once is one article listed in each", async () => {
      // On PostgreSQL these run side by side on the pool's connections.
      const stored = await Promise.all(
        [thoiSu, kinhTe, thoiSu, kinhTe].map((categoryId) =>
          storeArticle(db, story({ categoryId })),
        ),
      );
      const id = stored[0]?.id as number;
      expect(stored.every((s) => s.id === id)).toBe(true);
      expect(stored.filter((s) => s.outcome === "new")).toHaveLength(1);
      expect(await countArticles(db)).toBe(1);
      expect((await articleCategoryIds(db, id)).sort()).toEqual([thoiSu, kinhTe].sort());
      // Edits that come at once: one of them wins, and the index says what the story says.
      const edits = await Promise.all(
        ["bien gioi", "hai dang", "cua khau"].map((words, i) =>
          storeArticle(db, story({ contentHash: `e${i}`, title: `Tin sửa ${words}` })),
        ),
      );
      expect(edits.every((e) => e.id === id && e.outcome === "updated")).toBe(true);
      const title = (await getArticle(db, id)).title;
      const words = title.replace("Tin sửa ", "");
      expect((await searchArticles(db, words, { limit: 5 })).map((a) => a.id)).toEqual([id]);
      expect(await searchArticles(db, "tin sua", { limit: 5 })).toHaveLength(1);
    });

    it("an edited story updates the article, and the search index with it", async () => {
      const { id } = await storeArticle(db, story());
      const edited = await storeArticle(
        db,
        story({
          contentHash: "h2",
          title: "Tiêu đề đã sửa về biên giới",
          fetchedAt: "2026-01-26T05:00:00.000Z",
        }),
      );
      expect(edited).toEqual({ id, outcome: "updated" });
      expect((await getArticle(db, id)).title).toBe("Tiêu đề đã sửa về biên giới");
      expect((await getArticle(db, id)).updatedAt).toBe("2026-01-26T05:00:00.000Z");
      expect(await searchArticles(db, "bien gioi", { limit: 5 })).toHaveLength(1);
      expect(await searchArticles(db, "quyen con nguoi", { limit: 5 })).toHaveLength(0);
    });

    it("matches by GUID within a source when the URL changed, and by content hash", async () => {
      const source = await addSource(db, { url: "http://127.0.0.1/rss", categoryId: thoiSu });
      const { id } = await storeArticle(db, story({ sourceId: source.id }));
      const moved = await storeArticle(
        db,
        story({ sourceId: source.id, url: "https://baolaocai.vn/new-slug-post1.html" }),
      );
      expect(moved.id).toBe(id);
      const mirrored = await storeArticle(
        db,
        story({ guid: null, sourceId: null, url: "https://mirror.example/x" }),
      );
      expect(mirrored.id).toBe(id);
      expect(await countArticles(db)).toBe(1);
    });

    it("a feed-only copy never overwrites a full story", async () => {
      const { id } = await storeArticle(db, story());
      const feedOnly = await storeArticle(
        db,
        story({ contentHash: "lead-only", body: [], fullText: false }),
      );
      expect(feedOnly.outcome).toBe("unchanged");
      expect((await getArticle(db, id)).body).toHaveLength(2);
    });

    it("articles outlive their source", async () => {
      const source = await addSource(db, { url: "http://127.0.0.1/rss2", categoryId: thoiSu });
      const { id } = await storeArticle(db, story({ sourceId: source.id }));
      await removeSource(db, source.id);
      expect((await getArticle(db, id)).sourceId).toBeNull();
    });

    it("lists newest first, by topic and since a time", async () => {
      for (let i = 1; i <= 5; i++) {
        await storeArticle(
          db,
          story({
            url: `https://x.vn/a-post${i}.html`,
            guid: `g${i}`,
            contentHash: `h${i}`,
            publishedAt: `2026-01-2${i}T00:00:00.000Z`,
            categoryId: i % 2 ? thoiSu : kinhTe,
          }),
        );
      }
      const all = await latestArticles(db, { limit: 3 });
      expect(all.map((a) => a.guid)).toEqual(["g5", "g4", "g3"]);
      const page2 = await latestArticles(db, { limit: 3, offset: 3 });
      expect(page2.map((a) => a.guid)).toEqual(["g2", "g1"]);
      const economy = await latestArticles(db, { categoryIds: [kinhTe], limit: 10 });
      expect(economy.map((a) => a.guid)).toEqual(["g4", "g2"]);
      const since = await latestArticles(db, { since: "2026-01-23T00:00:00.000Z", limit: 10 });
      expect(since.map((a) => a.guid)).toEqual(["g5", "g4"]);
      expect(await latestArticles(db, { categoryIds: [], limit: 10 })).toEqual([]);
    });
  });

  describe("search", () => {
    beforeEach(async () => {
      await storeArticle(db, story());
      await storeArticle(
        db,
        story({
          url: "https://x.vn/b-post2.html",
          guid: "post2",
          contentHash: "b",
          title: "Giá lúa tăng mạnh",
          lead: "Nông dân phấn khởi.",
          body: ["Công tác thông tin đối ngoại cũng được nhắc tới."],
          photos: [],
          publishedAt: "2026-01-27T00:00:00.000Z",
        }),
      );
      await storeArticle(
        db,
        story({
          url: "https://x.vn/c-post3.html",
          guid: "post3",
          contentHash: "c",
          title: "Đường lên Sa Pa thông xe",
          lead: "",
          body: ["Ô tô đi lại bình thường."],
          photos: [],
          publishedAt: "2026-01-20T00:00:00.000Z",
        }),
      );
    });

    it("is accent-insensitive and ranks headline matches above body matches", async () => {
      const results = await searchArticles(db, "doi ngoai", { limit: 10 });
      expect(results.map((r) => r.guid)).toEqual(["post1", "post2"]); // post2 is newer, but body-only
      expect((await searchArticles(db, "đối ngoại", { limit: 10 })).map((r) => r.guid)).toEqual([
        "post1",
        "post2",
      ]);
    });

    it("finds Đường by duong and Đường, and text stored in NFD", async () => {
      expect((await searchArticles(db, "duong", { limit: 10 })).map((r) => r.guid)).toContain(
        "post3",
      );
      expect((await searchArticles(db, "Đường", { limit: 10 })).map((r) => r.guid)).toContain(
        "post3",
      );
      await storeArticle(
        db,
        story({
          url: "https://x.vn/nfd-post4.html",
          guid: "post4",
          contentHash: "d",
          title: "Hội chợ văn hóa vùng cao".normalize("NFD"),
          body: [],
          photos: [],
        }),
      );
      expect((await searchArticles(db, "van hoa", { limit: 10 })).map((r) => r.guid)).toEqual([
        "post4",
      ]);
    });

    it("ignores format characters on both sides: in stored text and in queries", async () => {
      // A zero-width joiner, non-joiner or soft hyphen inside a word of the stored text ...
      await storeArticle(
        db,
        story({
          url: "https://x.vn/zw-post5.html",
          guid: "post5",
          contentHash: "e",
          title: "Hà N\u200Dội mở rộng đường vành đai",
          lead: "Công t\u00ADác giải phóng mặt bằng hoàn thành sớm.",
          body: ["Tuyến đường đi qua khu đô thị mới ở Hoàng M\u200Cai."],
          photos: [],
        }),
      );
      const guids = async (query: string) =>
        (await searchArticles(db, query, { limit: 10 })).map((r) => r.guid);
      expect(await guids("ha noi vanh dai")).toEqual(["post5"]);
      expect(await guids("cong tac giai phong")).toEqual(["post5"]);
      expect(await guids("hoang mai")).toEqual(["post5"]);
      // ... and a zero-width space, BOM, word joiner or bidi mark inside a word of the query.
      expect(await guids("Hà N\u200Bội vành đai")).toEqual(["post5"]);
      expect(await guids("\uFEFFhoàng\u200E m\u2060ai")).toEqual(["post5"]);
      expect(await guids("\u202Bđường vành đai\u202C")).toEqual(["post5"]);
    });

    it("searches photo captions as part of the body", async () => {
      expect((await searchArticles(db, "quang canh", { limit: 10 })).map((r) => r.guid)).toEqual([
        "post1",
      ]);
    });

    it("accepts any user text without an SQL, FTS or tsquery error", async () => {
      for (const query of [
        '"',
        "*",
        "AND(",
        "NOT",
        "a OR b",
        "'; drop table articles; --",
        "🎉",
        "<b>x</b>",
        "NEAR(a b)",
        "title:x",
        "^x",
        "a & !b | c:* <-> (d)",
        "\\'",
        "x".repeat(5000),
      ]) {
        await expect(searchArticles(db, query, { limit: 5 })).resolves.toBeInstanceOf(Array);
      }
      expect(await countArticles(db)).toBe(3);
      expect(await searchArticles(db, "   ", { limit: 5 })).toEqual([]);
    });

    it("pages results", async () => {
      const page1 = await searchArticles(db, "thong tin", { limit: 1 });
      const page2 = await searchArticles(db, "thong tin", { limit: 1, offset: 1 });
      expect(page1.map((r) => r.guid)).toEqual(["post1"]);
      expect(page2.map((r) => r.guid)).toEqual(["post2"]);
    });
  });
});
