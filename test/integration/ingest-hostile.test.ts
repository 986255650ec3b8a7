/**
 * Ingest against hostile and awkward input, over real HTTP on 127.0.0.1: a full-text feed whose
 * links point at private addresses (fixtures/hostile/feeds), a short brief on a known CMS
 * layout, and text full of invisible format characters.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { readFileSync } from "node:fs";
import type { LookupFunction } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import { countArticles, getArticle, latestArticles } from "../../src/news/articles";
import { addFeed, getFeed } from "../../src/news/feeds";
import { createFetcher, type Fetcher } from "../../src/news/fetch/http-fetch";
import { type IngestDeps, runIngest } from "../../src/news/ingest";
import { searchArticles } from "../../src/news/search";
import { addTopic, type Topic } from "../../src/news/topics";
import { LocalHttpServer } from "../fakes/base/http";
import { type FakeNewsSite, SEED_ARTICLE_ID, startFakeNewsSite } from "../fakes/news-site";
import { createTestDb } from "../helpers/db";

const HOSTILE_FEED = readFileSync(
  new URL("../fixtures/hostile/feeds/private-links.rss", import.meta.url),
  "utf8",
);

let site: FakeNewsSite;
let feedServer: LocalHttpServer;
let internal: LocalHttpServer;
let internalHits: string[];
let fetcher: Fetcher;
let db: DbHandle;
let topic: Topic;
let deps: IngestDeps;

/** The test's resolver: localtest.example is loopback; other names as the system says. */
const lookup = ((
  hostname: string,
  options: { all?: boolean },
  callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
) => {
  if (hostname !== "localtest.example") return dnsLookup(hostname, options as never, callback);
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}) as unknown as LookupFunction;

beforeAll(async () => {
  site = await startFakeNewsSite();
  internalHits = [];
  internal = new LocalHttpServer((req, res) => {
    internalHits.push(req.url ?? "/");
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      '<html><body><article><h1 class="article__title">Bí mật nội bộ</h1><div class="article__sapo">Mã quản trị: 12345</div><div class="article__body"><p>Khóa truy cập của máy chủ nội bộ là 12345, không được để lộ ra ngoài trong bất kỳ trường hợp nào.</p></div></article></body></html>',
    );
  });
  const internalPort = new URL(await internal.listen()).port;
  feedServer = new LocalHttpServer((_req, res) => {
    res.setHeader("content-type", "application/rss+xml; charset=utf-8");
    res.end(
      HOSTILE_FEED.replaceAll("{{site}}", site.url)
        .replaceAll("{{story}}", site.articleUrl(SEED_ARTICLE_ID))
        .replaceAll("{{internal}}", internalPort),
    );
  });
  const feedUrl = await feedServer.listen();
  // FETCH_ALLOW_PRIVATE=127.0.0.1:<feed>,127.0.0.1:<site>: the two hosts a test newsroom uses,
  // and not the internal service.
  fetcher = createFetcher({
    lookup,
    allowPrivate: [new URL(feedUrl).host, new URL(site.url).host],
  });
});
afterAll(async () => {
  await fetcher.close();
  await Promise.all([site.close(), feedServer.close(), internal.close()]);
});

beforeEach(async () => {
  db = await createTestDb();
  topic = await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } });
  deps = {
    db,
    fetcher,
    clock: () => new Date("2026-01-27T00:00:00.000Z"),
    policy: { intervalMinutes: 15, maxBackoffMinutes: 360 },
    logger: silentLogger(),
    fetchLimits: { timeoutMs: 2_000 },
  };
  internalHits.length = 0;
});
afterEach(() => site.clearFailures());

describe("a full-text feed pointing at private addresses", () => {
  it("refuses every private link in plain words, stores none of them, and keeps the real story", async () => {
    site.fail("/chuyen-huong-post999001.html", {
      kind: "redirect",
      to: "http://169.254.169.254/latest/meta-data/",
    });
    const feed = await addFeed(db, {
      url: feedServer.url,
      topicId: topic.id,
      fullText: true,
    });
    const [summary] = await runIngest(deps, { all: true });

    expect(internalHits).toEqual([]);
    expect(summary).toMatchObject({ status: "ok", error: null, new: 1, failed: 7 });
    const refusals = summary?.warnings ?? [];
    expect(refusals).toHaveLength(7);
    expect(refusals.every((w) => /^story page \S+: refused: /.test(w))).toBe(true);
    expect(refusals.join("\n")).toContain("refused: 127.0.0.1 is a private address (loopback)");
    expect(refusals.join("\n")).toContain(
      "refused: 169.254.169.254 is a private address (link-local)",
    );
    expect(refusals.join("\n")).toContain("refused: localtest.example resolves to 127.0.0.1");

    // Only the real story is stored; nothing of the internal service is searchable.
    expect(await countArticles(db)).toBe(1);
    const [stored] = await latestArticles(db, { limit: 5 });
    expect(stored?.url).toBe(site.articleUrl(SEED_ARTICLE_ID));
    expect(stored?.fullText).toBe(true);
    expect(await searchArticles(db, "khoa truy cap", { limit: 5 })).toEqual([]);
    expect(await searchArticles(db, "12345", { limit: 5 })).toEqual([]);

    // Health: the feed is fine; its page problems are counted apart, the last one in words.
    const health = await getFeed(db, feed.id);
    expect(health).toMatchObject({ failuresInRow: 0, lastError: null, pageProblems: 7 });
    expect(health.lastPageProblem).toMatch(/refused: .* private address/);
  });

  it("refuses a feed whose own address is private, as the feed's error", async () => {
    const internalFeed = await addFeed(db, {
      url: `${internal.url}/rss/thoi-su.rss`,
      topicId: topic.id,
    });
    const [summary] = await runIngest(deps, { all: true });
    expect(summary).toMatchObject({
      status: "failed",
      error: "refused: 127.0.0.1 is a private address (loopback)",
    });
    expect(internalHits).toEqual([]);
    expect(await getFeed(db, internalFeed.id)).toMatchObject({
      failuresInRow: 1,
      lastError: "refused: 127.0.0.1 is a private address (loopback)",
      pageProblems: 0,
    });
  });
});

describe("awkward stories", () => {
  it("keeps a short brief on a known CMS layout as a full story", async () => {
    site.addArticle({
      id: 499_001,
      title: "Mở thêm giờ làm việc tại cửa khẩu phụ Bản Vược",
      lead: "Từ ngày 1/2, cửa khẩu phụ Bản Vược làm việc đến 22 giờ.",
      body: [
        { src: "/uploads/2026/01/26/ban-vuoc.jpg", caption: "Cửa khẩu phụ Bản Vược." },
        "Việc này giúp hàng hóa thông quan nhanh hơn.",
      ],
      categories: ["thoi-su"],
      author: "Thu Hà",
      publishedAt: "26/01/2026 20:27",
      image: "/uploads/2026/01/26/ban-vuoc.jpg",
    });
    const feed = await addFeed(db, {
      url: site.feedUrl("thoi-su"),
      topicId: topic.id,
      fullText: true,
    });
    const [summary] = await runIngest(deps, { all: true });
    expect(summary?.warnings).toEqual([]);
    const [brief] = await searchArticles(db, "cua khau ban vuoc", { limit: 1 });
    const story = await getArticle(db, brief?.id as number);
    expect(story).toMatchObject({
      title: "Mở thêm giờ làm việc tại cửa khẩu phụ Bản Vược",
      lead: "Từ ngày 1/2, cửa khẩu phụ Bản Vược làm việc đến 22 giờ.",
      body: ["Việc này giúp hàng hóa thông quan nhanh hơn."],
      fullText: true,
    });
    expect(story.photos).toEqual([
      { url: `${site.url}/uploads/2026/01/26/ban-vuoc.jpg`, caption: "Cửa khẩu phụ Bản Vược." },
    ]);
    expect(await getFeed(db, feed.id)).toMatchObject({ pageProblems: 0, lastPageProblem: null });
  });

  it("drops format characters from stored text, and finds the story with or without them", async () => {
    site.addArticle({
      id: 499_002,
      title: "Hà N\u200Dội đón đoàn công t\u00ADác của tỉnh Lào Cai",
      lead: "\uFEFFĐoàn công tác làm việc về hợp tác đối ng\u200Coại và du lịch.",
      body: [
        "Tại buổi làm việc, hai bên thống nhất nhiều nội dung hợp tác về thương m\u200Bại trong năm 2026.",
        "\u202BLãnh đạo hai địa phương\u202C cam kết tạo điều kiện thuận lợi cho doanh nghiệp và du khách.",
      ],
      categories: ["thoi-su"],
      author: "Thu Hà",
      publishedAt: "26/01/2026 21:00",
      image: "/uploads/2026/01/26/ha-noi.jpg",
    });
    await addFeed(db, { url: site.feedUrl("thoi-su"), topicId: topic.id, fullText: true });
    await runIngest(deps, { all: true });

    for (const query of [
      "ha noi cong tac",
      "Hà N\u200Bội",
      "hop tac doi ngoai",
      "thuong mai 2026",
      "Hà\u2060 Nội",
    ]) {
      const found = await searchArticles(db, query, { limit: 1 });
      expect(found[0]?.title, query).toBe("Hà Nội đón đoàn công tác của tỉnh Lào Cai");
    }
    const [stored] = await searchArticles(db, "ha noi", { limit: 1 });
    const story = await getArticle(db, stored?.id as number);
    const text = [story.title, story.lead, ...story.body].join("\n");
    expect(text).not.toMatch(/\p{Cf}/u);
    expect(story.lead).toBe("Đoàn công tác làm việc về hợp tác đối ngoại và du lịch.");
  });
});
