import { type MigrationProvider, sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrations } from "../../../migrations";
import { migrateToLatest } from "../../../src/db";
import type { DbHandle } from "../../../src/db/schema";
import {
  type ArticleInput,
  articleTopicIds,
  countArticles,
  getArticle,
  latestArticles,
  storeArticle,
} from "../../../src/news/articles";
import { addFeed, removeFeed } from "../../../src/news/feeds";
import { searchArticles } from "../../../src/news/search";
import { addTopic } from "../../../src/news/topics";
import { searchTokens } from "../../../src/text/tokens";
import { seededRandom } from "../../fakes/base/random";
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
      topicId: thoiSu,
      ...overrides,
    };
  }

  beforeEach(async () => {
    db = await store.db();
    thoiSu = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
    kinhTe = (await addTopic(db, { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } })).id;
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
        topicId: thoiSu,
      });
    });

    it("the same story in two category feeds is one article listed in both", async () => {
      const first = await storeArticle(db, story());
      const second = await storeArticle(db, story({ topicId: kinhTe }));
      expect(second).toEqual({ id: first.id, outcome: "unchanged" });
      expect(await countArticles(db)).toBe(1);
      expect((await articleTopicIds(db, first.id)).sort()).toEqual([thoiSu, kinhTe].sort());
      expect(await latestArticles(db, { topicIds: [kinhTe], limit: 10 })).toHaveLength(1);
    });

    it("the same story stored from several feeds at once is one article listed in each", async () => {
      // On PostgreSQL these run side by side on the pool's connections.
      const stored = await Promise.all(
        [thoiSu, kinhTe, thoiSu, kinhTe].map((topicId) =>
          storeArticle(db, story({ topicId: topicId })),
        ),
      );
      const id = stored[0]?.id as number;
      expect(stored.every((s) => s.id === id)).toBe(true);
      expect(stored.filter((s) => s.outcome === "new")).toHaveLength(1);
      expect(await countArticles(db)).toBe(1);
      expect((await articleTopicIds(db, id)).sort()).toEqual([thoiSu, kinhTe].sort());
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
      const source = await addFeed(db, { url: "http://127.0.0.1/rss", topicId: thoiSu });
      const { id } = await storeArticle(db, story({ feedId: source.id }));
      const moved = await storeArticle(
        db,
        story({ feedId: source.id, url: "https://baolaocai.vn/new-slug-post1.html" }),
      );
      expect(moved.id).toBe(id);
      const mirrored = await storeArticle(
        db,
        story({ guid: null, feedId: null, url: "https://mirror.example/x" }),
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
      const source = await addFeed(db, { url: "http://127.0.0.1/rss2", topicId: thoiSu });
      const { id } = await storeArticle(db, story({ feedId: source.id }));
      await removeFeed(db, source.id);
      expect((await getArticle(db, id)).feedId).toBeNull();
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
            topicId: i % 2 ? thoiSu : kinhTe,
          }),
        );
      }
      const all = await latestArticles(db, { limit: 3 });
      expect(all.map((a) => a.guid)).toEqual(["g5", "g4", "g3"]);
      const page2 = await latestArticles(db, { limit: 3, offset: 3 });
      expect(page2.map((a) => a.guid)).toEqual(["g2", "g1"]);
      const economy = await latestArticles(db, { topicIds: [kinhTe], limit: 10 });
      expect(economy.map((a) => a.guid)).toEqual(["g4", "g2"]);
      const since = await latestArticles(db, { since: "2026-01-23T00:00:00.000Z", limit: 10 });
      expect(since.map((a) => a.guid)).toEqual(["g5", "g4"]);
      expect(await latestArticles(db, { topicIds: [], limit: 10 })).toEqual([]);
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

/**
 * Syllables of Vietnamese news, most frequent first: the first few are in most stories, the last
 * in a handful, so queries cover words most stories have, uncommon ones and rare ones.
 */
const SYLLABLES = (
  "tỉnh Lào Cai hội nghị công tác phát triển kinh tế người dân xã huyện đường giao thông " +
  "trường học sinh mưa lũ sạt lở cửa khẩu hàng hóa du lịch Sa Pa ruộng bậc thang chè cá hồi " +
  "thảo quả quế mận đào lễ hội Gầu Tào khèn Mông chợ phiên Bắc Hà voọc thiên thạch"
).split(" ");

interface Generated {
  id: number;
  title: string[];
  lead: string[];
  all: Set<string>;
  second: number;
}

/**
 * Which tier the rules put a story in for a query of `typed` words, or null: the words as typed
 * (repeats too) one after the other in the headline; every word in the headline; in the lead;
 * anywhere.
 */
function tierOf(story: Generated, typed: string[]): number | null {
  if (!typed.every((w) => story.all.has(w))) return null;
  const t = story.title;
  if (typed.length >= 2 && t.some((_, i) => typed.every((w, k) => t[i + k] === w))) return 0;
  if (typed.every((w) => t.includes(w))) return 1;
  if (typed.every((w) => story.lead.includes(w))) return 2;
  return 3;
}

describeStores("store: search ranking over 1,200 stories", (store) => {
  let db: DbHandle;
  const stories: Generated[] = [];

  beforeAll(async () => {
    db = await store.db();
    const topicId = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } }))
      .id;
    const random = seededRandom(1200);
    // Zipf-like: syllable i about 1/(i+1) as often as the first.
    const weights = SYLLABLES.map((_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const word = () => {
      let r = random() * total;
      for (const [i, w] of weights.entries()) {
        r -= w;
        if (r < 0) return SYLLABLES[i] as string;
      }
      return SYLLABLES[0] as string;
    };
    const text = (min: number, max: number) =>
      Array.from({ length: min + Math.floor(random() * (max - min)) }, word).join(" ");
    const start = Date.parse("2025-01-01T00:00:00Z");
    let previous = start;
    for (let i = 0; i < 1200; i++) {
      // Stored out of time order; one in twenty in the same second as the one before. Three in
      // four in the last 40 days, the rest in the year before.
      const days = random() < 0.75 ? 325 + random() * 40 : random() * 325;
      const at = random() < 0.05 ? previous : start + Math.floor(days * 86_400) * 1000;
      previous = at;
      const title = text(3, 9);
      const lead = text(5, 14);
      const body = [text(8, 20), text(8, 20)];
      const caption = random() < 0.2 ? text(3, 6) : "";
      const { id } = await storeArticle(db, {
        url: `https://x.vn/rank-${i}.html`,
        contentHash: `rank-${i}`,
        title,
        lead,
        body,
        photos: caption ? [{ url: `https://x.vn/${i}.jpg`, caption }] : [],
        fullText: true,
        publishedAt: new Date(at).toISOString(),
        fetchedAt: "2026-01-01T00:00:00.000Z",
        topicId: topicId,
      });
      const tokens = (s: string) => searchTokens(s);
      stories.push({
        id,
        title: tokens(title),
        lead: tokens(lead),
        all: new Set([title, lead, ...body, caption].flatMap(tokens)),
        second: Math.floor(at / 1000),
      });
    }
  }, 120_000);

  /** The page the rules give: by tier, then newest second, then the later stored. */
  function expected(typed: string[], limit: number, offset: number): number[] {
    return stories
      .map((s) => ({ s, tier: tierOf(s, typed) }))
      .filter((x): x is { s: Generated; tier: number } => x.tier !== null)
      .sort((a, b) => a.tier - b.tier || b.s.second - a.s.second || b.s.id - a.s.id)
      .slice(offset, offset + limit)
      .map((x) => x.s.id);
  }

  it("gives what the rules give for common, uncommon and rare words, page after page", async () => {
    const folded = (w: string) => searchTokens(w)[0] as string;
    const queries: string[][] = [
      ...["tinh", "lao", "hoi", "nghi", "duong", "cua", "khau", "sa", "mong", "vooc", "thach"].map(
        (w) => [w],
      ),
      ["lao", "cai"],
      ["cai", "lao"],
      ["tinh", "lao", "cai"],
      ["hoi", "nghi"],
      ["nghi", "hoi"],
      ["cua", "khau"],
      ["phat", "trien", "kinh", "te"],
      ["tinh", "vooc"],
      ["lao", "thien", "thach"],
      ["khen", "mong", "tinh"],
    ];
    // Phrases from headlines, so that the first tier has stories.
    const random = seededRandom(7);
    for (let i = 0; i < 12; i++) {
      const t = (stories[Math.floor(random() * stories.length)] as Generated).title;
      const at = Math.floor(random() * (t.length - 1));
      queries.push(t.slice(at, at + 2 + (i % 2)));
    }
    let checked = 0;
    for (const words of queries) {
      const query = words.join(" ");
      expect(words.map(folded)).toEqual(words);
      for (const [limit, offset] of [
        [6, 0],
        [6, 5],
        [10, 40],
        [20, 490],
        [5, 1195],
      ] as const) {
        const found = await searchArticles(db, query, { limit, offset });
        const want = expected(words, limit, offset);
        expect(
          found.map((a) => a.id),
          `${query} (limit ${limit}, offset ${offset})`,
        ).toEqual(want);
        checked += want.length;
      }
    }
    // Not a test of nothing: the pages held stories.
    expect(checked).toBeGreaterThan(1000);
  }, 60_000);
});

describeStores("migration 0004_search_tiers", (store) => {
  it("keeps the stories indexed before it, ranked by tier and time", async () => {
    const before0004: MigrationProvider = {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0004")),
    };
    const db = await store.emptyDb();
    await migrateToLatest(db, before0004);
    await sql`INSERT INTO categories (id, slug, name_vi, name_en) VALUES (1, 'x', 'X', 'X')`.execute(
      db,
    );
    // Stored by the code of that time, ids not in time order: [id, published, title, lead, body].
    const stories: [number, string, string, string, string][] = [
      [1, "2026-01-05T00:00:00.000Z", "cho phien bac ha", "", "mua xuan"],
      [2, "2026-01-09T00:00:00.000Z", "mua xuan tren nui", "", ""],
      [3, "2026-01-07T00:00:00.000Z", "le hoi", "mua xuan ve", "cho"],
      [4, "2026-01-08T00:00:00.000Z", "xuan mua", "", ""],
      [5, "2026-01-06T00:00:00.000Z", "mua xuan vung cao", "", ""],
    ];
    for (const [id, at, title, lead, body] of stories) {
      await sql`INSERT INTO articles (id, url, content_hash, title, lead, body, published_at, fetched_at, updated_at, category_id)
        VALUES (${id}, ${`https://x.vn/${id}.html`}, ${`h${id}`}, ${title}, ${lead}, ${body}, ${at}, ${at}, ${at}, 1)`.execute(
        db,
      );
      await sql`INSERT INTO article_search (rowid, title, lead, body) VALUES (${id}, ${title}, ${lead}, ${body})`.execute(
        db,
      );
    }
    expect(await migrateToLatest(db)).toContain("0004_search_tiers");
    const ids = async (query: string, limit = 10, offset = 0) =>
      (await searchArticles(db, query, { limit, offset })).map((a) => a.id);
    // The phrase in the headline (2, 5), both words in it (4), in the lead (3), the body (1).
    expect(await ids("mua xuan")).toEqual([2, 5, 4, 3, 1]);
    expect(await ids("mua xuan", 2, 2)).toEqual([4, 3]);
    expect(await ids("cho")).toEqual([1, 3]);
    // Stories stored after it are indexed by the triggers.
    await sql`INSERT INTO articles (id, url, content_hash, title, published_at, fetched_at, updated_at, category_id)
      VALUES (6, 'https://x.vn/6.html', 'h6', 'Mùa xuân', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)`.execute(
      db,
    );
    await sql`INSERT INTO article_search (rowid, title) VALUES (6, 'mua xuan')`.execute(db);
    expect(await ids("mua xuan")).toEqual([2, 5, 6, 4, 3, 1]);
    await sql`DELETE FROM article_search WHERE rowid = 2`.execute(db);
    expect(await ids("mua xuan")).toEqual([5, 6, 4, 3, 1]);
    await sql`UPDATE article_search SET title = 'nui' WHERE rowid = 5`.execute(db);
    expect(await ids("mua xuan")).toEqual([6, 4, 3, 1]);
    expect(await ids("nui")).toEqual([5]);
  });
});

describeStores("migration 0010_search_newest_first", (store) => {
  it("keeps the stories indexed before it, newest first, and indexes those after it", async () => {
    const before0010: MigrationProvider = {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0010")),
    };
    const db = await store.emptyDb();
    await migrateToLatest(db, before0010);
    await sql`INSERT INTO categories (id, slug, name_vi, name_en) VALUES (1, 'x', 'X', 'X')`.execute(
      db,
    );
    const add = async (id: number, at: string, title: string, lead: string, body: string) => {
      await sql`INSERT INTO articles (id, url, content_hash, title, lead, body, published_at, fetched_at, updated_at, category_id)
        VALUES (${id}, ${`https://x.vn/${id}.html`}, ${`h${id}`}, ${title}, ${lead}, ${body}, ${at}, ${at}, ${at}, 1)`.execute(
        db,
      );
      await sql`INSERT INTO article_search (rowid, title, lead, body) VALUES (${id}, ${title}, ${lead}, ${body})`.execute(
        db,
      );
    };
    // Ids not in time order; 3 and 4 in the same second (the later stored first).
    await add(1, "2026-01-05T00:00:00.000Z", "mua xuan vung cao", "", "");
    await add(2, "2026-01-09T00:00:00.000Z", "le hoi", "mua xuan ve", "");
    await add(3, "2026-01-07T00:00:00.000Z", "mua xuan tren nui", "", "");
    await add(4, "2026-01-07T00:00:00.000Z", "xuan mua", "", "cho");
    expect(await migrateToLatest(db)).toContain("0010_search_newest_first");
    const ids = async (query: string, limit = 10, offset = 0) =>
      (await searchArticles(db, query, { limit, offset })).map((a) => a.id);
    expect(await ids("mua xuan")).toEqual([3, 1, 4, 2]);
    expect(await ids("xuan")).toEqual([4, 3, 1, 2]);
    expect(await ids("xuan", 2, 1)).toEqual([3, 1]);
    await add(5, "2026-01-08T00:00:00.000Z", "mua xuan", "", "");
    expect(await ids("mua xuan")).toEqual([5, 3, 1, 4, 2]);
    await sql`UPDATE article_search SET title = 'nui' WHERE rowid = 3`.execute(db);
    await sql`DELETE FROM article_search WHERE rowid = 1`.execute(db);
    expect(await ids("mua xuan")).toEqual([5, 4, 2]);
    expect(await ids("nui")).toEqual([3]);
  });
});
