/**
 * Feed checks as a pool, against the fake news site on 127.0.0.1: a feed whose story pages never
 * answer holds one slot and one of the site's two connections, for one deadline; other feeds of
 * the same site are checked meanwhile, including feeds that fall due during the pass; shutdown
 * stops everything at once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import { countArticles } from "../../src/news/articles";
import { addFeed, type Feed, getFeed } from "../../src/news/feeds";
import { createFetcher } from "../../src/news/fetch/http-fetch";
import { type FeedSummary, type IngestDeps, runIngest } from "../../src/news/ingest";
import { addTopic, type Topic } from "../../src/news/topics";
import {
  CATEGORY_NAMES,
  CATEGORY_SLUGS,
  type FakeNewsSite,
  startFakeNewsSite,
} from "../fakes/news-site";
import { createTestDb } from "../helpers/db";

const HANGING = 20;
let site: FakeNewsSite;
let db: DbHandle;
let topics: Record<string, Topic>;
let now: Date;
let deps: IngestDeps;
const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });

beforeAll(async () => {
  site = await startFakeNewsSite();
  // Twenty sports briefs, older than the section's other stories, whose pages never answer.
  for (let i = 0; i < HANGING; i++) {
    site.addArticle({
      id: 490_000 + i,
      title: `Giải bóng đá phong trào số ${i + 1} khai mạc tại sân vận động tỉnh`,
      lead: `Trận thứ ${i + 1} của giải phong trào thu hút đông đảo người hâm mộ đến cổ vũ.`,
      body: ["Ban tổ chức cho biết giải năm nay có nhiều đội bóng trẻ tham dự hơn mọi năm."],
      categories: ["the-thao"],
      author: "Minh Khôi",
      publishedAt: `0${(i % 9) + 1}/01/2026 08:00`,
      image: "/uploads/2026/01/01/bong-da.jpg",
    });
  }
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
});

function hangPages(): void {
  for (let i = 0; i < HANGING; i++) site.fail(site.articlePath(490_000 + i), "timeout");
}

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
    policy: { intervalMinutes: 15, maxBackoffMinutes: 360, concurrency: 8, deadlineSeconds: 2 },
    logger: silentLogger(),
    // Longer than the deadline: the deadline, not the request timeout, ends the slow check.
    fetchLimits: { timeoutMs: 30_000 },
  };
  hangPages();
});
afterEach(() => site.clearFailures());

async function source(slug: string): Promise<Feed> {
  return addFeed(db, {
    url: site.feedUrl(slug),
    topicId: topics[slug]?.id as number,
    fullText: true,
  });
}

/** Runs a pass, noting when each feed's check ended (ms after the start). */
async function timedPass(
  options: Parameters<typeof runIngest>[1] = {},
): Promise<{ summaries: FeedSummary[]; ended: Map<number, number[]>; ms: number }> {
  const ended = new Map<number, number[]>();
  const started = performance.now();
  const summaries = await runIngest(deps, {
    ...options,
    onFeedDone: (s) => {
      ended.set(s.feedId, [...(ended.get(s.feedId) ?? []), performance.now() - started]);
    },
  });
  return { summaries, ended, ms: performance.now() - started };
}

describe("feed checks as a pool", { timeout: 30_000 }, () => {
  it("a feed whose pages never answer holds its own slot for one deadline, and no other feed", async () => {
    const slow = await source("the-thao");
    const healthy = await source("kinh-te");
    const { summaries, ended, ms } = await timedPass();

    // The healthy feed of the same site is done long before the slow feed's deadline.
    expect(ended.get(healthy.id)?.[0]).toBeLessThan(1000);
    const fine = summaries.find((s) => s.feedId === healthy.id);
    expect(fine).toMatchObject({ status: "ok", new: 2, waiting: 0, error: null });

    // The slow feed ends at its deadline: what was read is stored, the rest waits.
    expect(ms).toBeGreaterThan(1900);
    expect(ms).toBeLessThan(3500);
    const cut = summaries.find((s) => s.feedId === slow.id);
    expect(cut).toMatchObject({ status: "ok", new: 2, waiting: HANGING, error: null });
    expect(cut?.warnings.at(-1)).toBe(
      "the check stopped at its 2 s deadline; 20 stories wait for the next check",
    );
    expect(await countArticles(db)).toBe(4);

    // Health: the feed is fine, its pages are not; no validators kept, so the next check reads
    // the whole feed again and takes up the stories that waited.
    const health = await getFeed(db, slow.id);
    expect(health).toMatchObject({
      failuresInRow: 0,
      lastError: null,
      pageProblems: 1,
      etag: null,
      lastModified: null,
    });
    expect(health.lastPageProblem).toMatch(/deadline/);
    site.clearFailures();
    now = new Date("2026-01-27T00:16:00.000Z");
    const [again] = await runIngest(deps, { feedId: slow.id });
    expect(again).toMatchObject({ status: "ok", new: HANGING, waiting: 0, warnings: [] });
    expect(await getFeed(db, slow.id)).toMatchObject({ pageProblems: 0 });
    expect(await countArticles(db)).toBe(4 + HANGING);
  });

  it("takes up a feed that falls due while a slow check is in flight, within the poll", async () => {
    await source("the-thao");
    const healthy = await source("kinh-te");
    // A second later the healthy feed is due again (the clock moves past its next check).
    const later = setTimeout(() => {
      now = new Date("2026-01-27T00:16:00.000Z");
    }, 1000);
    const { summaries, ended } = await timedPass({ pollMs: 100 });
    clearTimeout(later);
    const checks = ended.get(healthy.id) ?? [];
    expect(checks).toHaveLength(2);
    expect(checks[1]).toBeLessThan(1000 + 500);
    expect(summaries.filter((s) => s.feedId === healthy.id).map((s) => s.status)).toEqual([
      "ok",
      "not-modified",
    ]);
  });

  it("checks FEED_CONCURRENCY feeds at once", async () => {
    for (const slug of CATEGORY_SLUGS) await source(slug);
    deps.policy = { ...deps.policy, concurrency: 2 };
    site.clearFailures();
    let inFlight = 0;
    let most = 0;
    const slowFetcher = {
      async fetchText(url: string, options?: Parameters<typeof fetcher.fetchText>[1]) {
        const feed = url.includes("/rss/");
        if (feed) most = Math.max(most, ++inFlight);
        try {
          return await fetcher.fetchText(url, options);
        } finally {
          if (feed) inFlight--;
        }
      },
      close: () => fetcher.close(),
    };
    site.fail("/rss/thoi-su.rss", { kind: "delay", ms: 100 });
    site.fail("/rss/xa-hoi.rss", { kind: "delay", ms: 100 });
    site.fail("/rss/van-hoa.rss", { kind: "delay", ms: 100 });
    const summaries = await runIngest({ ...deps, fetcher: slowFetcher });
    expect(summaries).toHaveLength(5);
    expect(most).toBe(2);
  });

  it("shutdown stops the checks in flight at once and records nothing for them", async () => {
    const slow = await source("the-thao");
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const started = performance.now();
    const summaries = await runIngest({ ...deps, signal: stop.signal });
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(300 + 500);
    expect(summaries).toEqual([expect.objectContaining({ status: "interrupted", error: null })]);
    // Not a failure, not a success: due again at the next start.
    expect(await getFeed(db, slow.id)).toMatchObject({
      failuresInRow: 0,
      lastSuccessAt: null,
      lastError: null,
      nextCheckAt: "1970-01-01T00:00:00.000Z",
    });
    // The hanging page requests were cut, not left open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(site.stats.inFlight).toBe(0);
    // An aborted signal starts nothing.
    expect(await runIngest({ ...deps, signal: stop.signal })).toEqual([]);
  });
});
