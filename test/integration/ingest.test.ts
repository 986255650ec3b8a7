import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import {
  articleTopicIds,
  countArticles,
  getArticle,
  latestArticles,
} from "../../src/news/articles";
import { addFeed, type Feed, getFeed } from "../../src/news/feeds";
import { createFetcher } from "../../src/news/fetch/http-fetch";
import { type IngestDeps, runIngest } from "../../src/news/ingest";
import { searchArticles } from "../../src/news/search";
import { addTopic, type Topic } from "../../src/news/topics";
import {
  CATEGORY_NAMES,
  CATEGORY_SLUGS,
  EDITABLE_ARTICLE_ID,
  type FakeNewsSite,
  SEED_ARTICLE_ID,
  SHARED_ARTICLE_ID,
  startFakeNewsSite,
} from "../fakes/news-site";
import { createTestDb } from "../helpers/db";

let site: FakeNewsSite;
let db: DbHandle;
let topics: Record<string, Topic>;
let now: Date;
let deps: IngestDeps;
// The fake site is on 127.0.0.1, which the fetch guard refuses unless allowed (FETCH_ALLOW_PRIVATE).
const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });

beforeAll(async () => {
  site = await startFakeNewsSite();
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
});

beforeEach(async () => {
  db = await createTestDb();
  topics = {};
  for (const slug of CATEGORY_SLUGS) {
    topics[slug] = await addTopic(db, {
      slug,
      name: { vi: CATEGORY_NAMES[slug], en: slug },
    });
  }
  now = new Date("2026-01-27T00:00:00.000Z");
  deps = {
    db,
    fetcher,
    clock: () => now,
    policy: { intervalMinutes: 15, maxBackoffMinutes: 360 },
    logger: silentLogger(),
    fetchLimits: { timeoutMs: 1_000 },
  };
  site.requests.length = 0;
});
afterEach(() => site.clearFailures());

async function source(url: string, slug: string, fullText = true): Promise<Feed> {
  return addFeed(db, { url, topicId: topics[slug]?.id as number, fullText });
}

function feedArticleIds(slug: string): number[] {
  return site
    .articles()
    .filter((a) => a.categories.includes(slug as never))
    .map((a) => a.id);
}

describe("ingest against the fake news site", () => {
  it("stores every story of every feed once, with its full text", async () => {
    const feeds = [
      await source(site.feedUrl("thoi-su"), "thoi-su"),
      await source(site.feedUrl("xa-hoi"), "xa-hoi"),
      await source(site.feedUrl("kinh-te"), "kinh-te"),
      await source(site.atomUrl("van-hoa"), "van-hoa"),
      await source(site.jsonFeedUrl("the-thao"), "the-thao"),
    ];
    const summaries = await runIngest(deps, { all: true });
    expect(summaries.map((s) => s.error)).toEqual(feeds.map(() => null));
    const expected = new Set(CATEGORY_SLUGS.flatMap(feedArticleIds));
    expect(await countArticles(db)).toBe(expected.size);
    expect(summaries.reduce((n, s) => n + s.new, 0)).toBe(expected.size);

    // The story in two topic feeds (one link with utm_* parameters) is one article in both.
    const shared = site.getArticle(SHARED_ARTICLE_ID);
    const [stored] = await searchArticles(db, shared.title, { limit: 1 });
    expect(stored?.title).toBe(shared.title);
    expect(stored?.url).toBe(site.articleUrl(SHARED_ARTICLE_ID));
    expect((await articleTopicIds(db, stored?.id as number)).sort()).toEqual(
      [topics["thoi-su"]?.id, topics["xa-hoi"]?.id].sort(),
    );

    // Full text: the seed story has its body paragraphs and every photo caption.
    const seed = site.getArticle(SEED_ARTICLE_ID);
    const [seedStored] = await searchArticles(db, "quyen con nguoi doi ngoai", { limit: 1 });
    const article = await getArticle(db, seedStored?.id as number);
    expect(article.title).toBe(seed.title);
    expect(article.fullText).toBe(true);
    const paragraphs = seed.body.filter((b): b is string => typeof b === "string");
    const captions = seed.body
      .filter((b) => typeof b !== "string")
      .map((b) => (b as { caption: string }).caption);
    expect(article.body).toEqual(paragraphs);
    expect(article.photos.map((p) => p.caption)).toEqual(captions);
    expect(article.photos.every((p) => p.url.startsWith(site.url))).toBe(true);
    const text = [article.lead, ...article.body].join("\n");
    expect(text).not.toContain("Tin cùng chuyên mục");
    expect(text).not.toContain("Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân");
    expect(text).toBe(text.normalize("NFC"));
    expect(article.publishedAt <= now.toISOString()).toBe(true);

    // Health: every feed succeeded and is next due one interval later.
    for (const feed of feeds) {
      const health = await getFeed(db, feed.id);
      expect(health).toMatchObject({ failuresInRow: 0, lastSuccessAt: now.toISOString() });
      expect(health.nextCheckAt).toBe("2026-01-27T00:15:00.000Z");
    }
  });

  it("checks again with conditional headers and stores nothing new", async () => {
    await source(site.feedUrl("thoi-su"), "thoi-su");
    await source(site.atomUrl("van-hoa"), "van-hoa");
    await runIngest(deps, { all: true });
    const count = await countArticles(db);
    site.requests.length = 0;
    const again = await runIngest(deps, { all: true });
    expect(again.every((s) => s.notModified && s.new === 0 && s.error === null)).toBe(true);
    expect(await countArticles(db)).toBe(count);
    const feedRequests = site.requests.filter((r) => /^\/(rss|atom)\//.test(r.path));
    expect(feedRequests).toHaveLength(2);
    for (const request of feedRequests) {
      expect(request.headers["if-none-match"] ?? request.headers["if-modified-since"]).toBeTruthy();
    }
    expect(site.requests.some((r) => r.path.endsWith(".html"))).toBe(false);
  });

  it("only due feeds are checked; the database decides", async () => {
    await source(site.feedUrl("thoi-su"), "thoi-su");
    expect(await runIngest(deps)).toHaveLength(1);
    expect(await runIngest(deps)).toHaveLength(0);
    now = new Date("2026-01-27T00:16:00.000Z");
    expect(await runIngest(deps)).toHaveLength(1);
  });

  it("an edited story updates its article instead of adding one", async () => {
    await source(site.feedUrl("thoi-su"), "thoi-su");
    await runIngest(deps, { all: true });
    const count = await countArticles(db);
    site.editArticle(EDITABLE_ARTICLE_ID, {
      title: "Tổng Bí thư, Chủ tịch nước Lào bắt đầu chuyến thăm (cập nhật)",
    });
    const [summary] = await runIngest(deps, { all: true });
    expect(summary).toMatchObject({ updated: 1, new: 0, error: null });
    expect(await countArticles(db)).toBe(count);
    const [edited] = await searchArticles(db, "cap nhat chuyen tham", { limit: 5 });
    expect(edited?.title).toBe("Tổng Bí thư, Chủ tịch nước Lào bắt đầu chuyến thăm (cập nhật)");
  });

  it("a feed-only source stores the feed's lead and photo without fetching pages", async () => {
    await source(site.feedUrl("kinh-te"), "kinh-te", false);
    await runIngest(deps, { all: true });
    expect(site.requests.some((r) => r.path.endsWith(".html"))).toBe(false);
    const stories = await latestArticles(db, { limit: 50 });
    expect(stories.length).toBe(feedArticleIds("kinh-te").length);
    for (const story of stories) {
      expect(story.fullText).toBe(false);
      expect(story.lead.length).toBeGreaterThan(20);
      expect(story.photos[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1/);
    }
  });
});

describe("bad feeds and pages", () => {
  it.each([
    ["malformed-xml", /not well-formed XML/i],
    ["html-as-feed", /HTML page, not a feed/i],
    ["entity-bomb", /entities/i],
    ["external-entity", /entities/i],
    ["huge", /larger than/i],
    ["redirect-loop", /redirect/i],
    ["timeout", /timed out/i],
    [{ kind: "status", status: 404 }, /404/],
    [{ kind: "status", status: 500 }, /500/],
  ] as const)(
    "%o: recorded on the source, nothing stored, other feeds unaffected",
    async (mode, pattern) => {
      const bad = await source(site.feedUrl("the-thao"), "the-thao");
      const good = await source(site.feedUrl("kinh-te"), "kinh-te");
      site.fail("/rss/the-thao.rss", mode as never);
      const summaries = await runIngest(deps, { all: true });
      const badSummary = summaries.find((s) => s.feedId === bad.id);
      expect(badSummary?.error).toMatch(pattern);
      expect(badSummary?.error).not.toContain("\n");
      expect(summaries.find((s) => s.feedId === good.id)).toMatchObject({ error: null });
      expect(
        await latestArticles(db, {
          topicIds: [topics["the-thao"]?.id as number],
          limit: 50,
        }),
      ).toEqual([]);
      expect(await countArticles(db)).toBe(feedArticleIds("kinh-te").length);
      const health = await getFeed(db, bad.id);
      expect(health.failuresInRow).toBe(1);
      expect(health.lastError).toMatch(pattern);
      expect(health.nextCheckAt).toBe("2026-01-27T00:15:00.000Z");
    },
  );

  it("backs off after failures in a row, up to a cap, and recovers", async () => {
    const bad = await source(site.feedUrl("the-thao"), "the-thao");
    site.fail("/rss/the-thao.rss", { kind: "status", status: 500 });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await runIngest(deps, { feedId: bad.id });
      const health = await getFeed(db, bad.id);
      waits.push((Date.parse(health.nextCheckAt) - now.getTime()) / 60_000);
    }
    expect(waits).toEqual([15, 30, 60, 120, 240, 360, 360]);
    site.clearFailures();
    await runIngest(deps, { feedId: bad.id });
    expect(await getFeed(db, bad.id)).toMatchObject({ failuresInRow: 0 });
  });

  it("skips items with no link, and records why", async () => {
    const feed = await source(site.feedUrl("the-thao"), "the-thao", false);
    site.fail("/rss/the-thao.rss", "item-no-link");
    const [summary] = await runIngest(deps, { all: true });
    expect(summary?.error).toBeNull();
    expect(summary?.skipped).toBeGreaterThan(0);
    const health = await getFeed(db, feed.id);
    expect(health.lastError).toBeNull();
    expect(health.pageProblems).toBe(summary?.warnings.length);
    expect(health.lastPageProblem).toMatch(/link|title/i);
  });

  it("keeps a huge item within bounds", async () => {
    await source(site.feedUrl("the-thao"), "the-thao", false);
    site.fail("/rss/the-thao.rss", "huge-item");
    const [summary] = await runIngest(deps, { all: true });
    expect(summary?.error).toBeNull();
    for (const story of await latestArticles(db, { limit: 50 })) {
      expect(story.lead.length).toBeLessThanOrEqual(1001);
      expect(story.title.length).toBeLessThanOrEqual(500);
    }
  });

  it("a story page with no recognisable body keeps the feed's lead, marked not full text", async () => {
    await source(site.feedUrl("thoi-su"), "thoi-su");
    site.fail(site.articlePath(SEED_ARTICLE_ID), "no-body-article");
    const [summary] = await runIngest(deps, { all: true });
    expect(summary?.error).toBeNull();
    const [seed] = await searchArticles(db, "quyen con nguoi", { limit: 1 });
    expect(seed?.fullText).toBe(false);
    expect(seed?.lead).toMatch(/^Trong 2 ngày/);
    expect(summary?.warnings.join(" ")).toMatch(/no story text/);
  });

  it("keeps the feed's own error apart from page problems in source health", async () => {
    const feed = await source(site.feedUrl("thoi-su"), "thoi-su");
    site.fail(site.articlePath(SEED_ARTICLE_ID), "no-body-article");
    await runIngest(deps, { all: true });
    // The feed was read: healthy, with one page problem counted and worded apart.
    let health = await getFeed(db, feed.id);
    expect(health).toMatchObject({
      failuresInRow: 0,
      lastError: null,
      lastErrorAt: null,
      pageProblems: 1,
      lastPageProblemAt: now.toISOString(),
    });
    expect(health.lastPageProblem).toMatch(/^no story text found on .*-post370001\.html/);

    // The feed itself fails: its error is the feed's, the page problem stays as it was.
    now = new Date("2026-01-27T00:20:00.000Z");
    site.fail("/rss/thoi-su.rss", { kind: "status", status: 503 });
    await runIngest(deps, { all: true });
    health = await getFeed(db, feed.id);
    expect(health).toMatchObject({
      failuresInRow: 1,
      lastError: "HTTP 503 Service Unavailable",
      pageProblems: 1,
    });
    expect(health.lastPageProblem).toMatch(/^no story text/);

    // Back to normal, pages read: no page problems in the latest check.
    now = new Date("2026-01-27T01:00:00.000Z");
    site.clearFailures();
    site.editArticle(EDITABLE_ARTICLE_ID, { lead: "Một đoạn mở đầu mới để nguồn tin thay đổi." });
    await runIngest(deps, { all: true });
    health = await getFeed(db, feed.id);
    expect(health).toMatchObject({ failuresInRow: 0, pageProblems: 0 });
  });

  it("a story page that fails is stored from the feed and fetched again later", async () => {
    await source(site.feedUrl("thoi-su"), "thoi-su");
    site.fail(site.articlePath(SEED_ARTICLE_ID), { kind: "status", status: 503 });
    const [first] = await runIngest(deps, { all: true });
    expect(first?.failed).toBe(1);
    expect(first?.warnings.join(" ")).toMatch(/503/);
    site.clearFailures();
    site.editArticle(EDITABLE_ARTICLE_ID, { lead: "Một đoạn mở đầu mới để nguồn tin thay đổi." });
    await runIngest(deps, { all: true });
    const [seed] = await searchArticles(db, "quyen con nguoi", { limit: 1 });
    expect(seed?.fullText).toBe(true);
  });
});

describe("a full disk", () => {
  it("is named as the cause in the feed's summary and its last error, and a later check recovers", async () => {
    const feed = await source(site.feedUrl("thoi-su"), "thoi-su", true);
    // A story far bigger than the room left: no page more than the database holds now.
    site.addArticle({
      id: 484_001,
      title: "Một bài rất dài không còn chỗ để lưu",
      lead: "Đĩa đã đầy.",
      body: Array.from({ length: 200 }, (_, i) => `Đoạn ${i}: ${"chữ ".repeat(120)}`),
      categories: ["thoi-su"],
      author: "Thu Hà",
      publishedAt: "27/01/2026 07:00",
      image: "/uploads/2026/01/27/dai.jpg",
    });
    const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db);
    await sql.raw(`PRAGMA max_page_count = ${rows[0]?.page_count}`).execute(db);
    const [summary] = await runIngest(deps, { feedId: feed.id });
    expect(summary?.status).toBe("failed");
    expect(summary?.error).toMatch(/^the disk is full \(database or disk is full\)/);
    await sql.raw("PRAGMA max_page_count = 1073741823").execute(db);
    const stored = await getFeed(db, feed.id);
    expect(stored.lastError).toMatch(/^the disk is full/);
    // Once there is room again, the next check reads it all.
    const [again] = await runIngest(deps, { feedId: feed.id });
    expect(again).toMatchObject({ status: "ok" });
    expect(again?.new).toBeGreaterThan(0);
  });
});
