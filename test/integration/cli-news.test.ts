import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORY_SLUGS, type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { Interrupts, newSqliteUrl, runCli, scratchDir } from "../helpers/cli";

const SEED_TEXT = join(import.meta.dirname, "../fixtures/articles/seed-baolaocai.txt");

let site: FakeNewsSite;
let env: Record<string, string>;

beforeAll(async () => {
  site = await startFakeNewsSite();
  // The fake site is on 127.0.0.1, which the fetch guard refuses unless allowed.
  env = {
    DATABASE_URL: newSqliteUrl("news.db"),
    FETCH_ALLOW_PRIVATE: "127.0.0.1",
  };
});
afterAll(async () => {
  await site.close();
});

async function ok(args: string[]): Promise<string> {
  const result = await runCli(args, env);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

async function fails(
  args: string[],
  pattern: RegExp,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const result = await runCli(args, { ...env, ...extraEnv });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
}

describe("news from the command line", { timeout: 120_000 }, () => {
  it("adds feeds, ingests every story once, then finds nothing new", async () => {
    await ok(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "Current affairs"]);
    await ok(["category", "add", "xa-hoi", "--vi", "Xã hội", "--en", "Society"]);
    await ok(["category", "add", "van-hoa", "--vi", "Văn hóa", "--en", "Culture"]);
    await ok(["source", "add", site.feedUrl("thoi-su"), "--category", "thoi-su", "--full-text"]);
    await ok(["source", "add", site.feedUrl("xa-hoi"), "--category", "xa-hoi", "--full-text"]);
    await ok(["source", "add", site.atomUrl("van-hoa"), "--category", "van-hoa", "--full-text"]);

    const first = JSON.parse(await ok(["ingest", "--all", "--json"]));
    expect(first).toHaveLength(3);
    const expected = new Set(
      site
        .articles()
        .filter((a) => a.categories.some((c) => ["thoi-su", "xa-hoi", "van-hoa"].includes(c)))
        .map((a) => a.id),
    );
    expect(first.reduce((n: number, s: { new: number }) => n + s.new, 0)).toBe(expected.size);
    const stats = JSON.parse(await ok(["stats", "--json"]));
    expect(stats.articles.total).toBe(expected.size);
    expect(stats.feeds).toMatchObject({ total: 3, healthy: 3, failing: 0 });

    const second = JSON.parse(await ok(["ingest", "--all", "--json"]));
    expect(
      second.every((s: { notModified: boolean; new: number }) => s.notModified && s.new === 0),
    ).toBe(true);

    const human = await ok(["ingest", "--all"]);
    expect(human).toMatch(/3 feeds: 3 ok, 0 failed; stories: 0 new, 0 updated, \d+ unchanged/);
  });

  it("searches accent-insensitively and prints a story", async () => {
    const results = JSON.parse(await ok(["search", "doi ngoai", "--json"]));
    expect(results[0]).toEqual({
      id: expect.any(Number),
      title: "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
      url: expect.stringMatching(/-post370001\.html$/),
      category: "thoi-su",
      publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const story = await ok(["article", String(results[0].id)]);
    expect(story).toMatch(/^Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người\n/);
    expect(story).toContain("Quang cảnh hội nghị.");
    expect(JSON.parse(await ok(["search", "AND(", "*", "--json"]))).toEqual([]);
  });

  it("shows source health", async () => {
    const sources = JSON.parse(await ok(["source", "list", "--json"]));
    expect(sources).toHaveLength(3);
    expect(sources[0]).toMatchObject({ category: "thoi-su", failuresInRow: 0, lastError: null });
    expect(sources[0].lastSuccessAt).toBeTruthy();
    const table = await ok(["source", "list"]);
    expect(table).toMatch(/thoi-su\s+ok/);
  });

  it("keeps a feed's page problems apart from its own error, in the table and in --json", async () => {
    // A new story whose page has no story text: the feed is fine, one of its pages is not.
    site.addArticle({
      id: 481_001,
      title: "Video: lễ hội xuống đồng của người Giáy",
      lead: "Lễ hội xuống đồng diễn ra vào đầu xuân.",
      body: ["Người dân tham gia đông vui trong không khí phấn khởi của những ngày đầu năm mới."],
      categories: ["thoi-su"],
      author: "Thu Hà",
      publishedAt: "27/01/2026 06:00",
      image: "/uploads/2026/01/27/le-hoi.jpg",
    });
    site.fail(site.articlePath(481_001), "no-body-article");
    try {
      const [summary] = JSON.parse(await ok(["ingest", "--source", "1", "--json"]));
      expect(summary).toMatchObject({ status: "ok", error: null, new: 1 });
    } finally {
      site.clearFailures();
    }
    const [thoiSu] = JSON.parse(await ok(["source", "list", "--json"]));
    expect(thoiSu).toMatchObject({
      id: 1,
      health: "page problems",
      failuresInRow: 0,
      lastError: null,
      pageProblems: 1,
    });
    expect(thoiSu.lastPageProblem).toMatch(/^no story text found on .*-post481001\.html/);
    const table = await ok(["source", "list"]);
    expect(table).toMatch(/thoi-su\s+ok, 1 page problem\s/);
    expect(table).toMatch(/source 1: last page problem .*: no story text found on/);
    expect(table).not.toMatch(/last error/);
  });

  it("refuses to fetch from a private address unless FETCH_ALLOW_PRIVATE allows it", async () => {
    const url = site.articleUrl(481_001);
    const refused = await runCli(["import", url, "--category", "thoi-su"], {
      DATABASE_URL: env.DATABASE_URL,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("bantin: refused: 127.0.0.1 is a private address (loopback)\n");
    const wrongPort = await runCli(["import", url, "--category", "thoi-su"], {
      DATABASE_URL: env.DATABASE_URL,
      FETCH_ALLOW_PRIVATE: "127.0.0.1:1",
    });
    expect(wrongPort.stderr).toMatch(/^bantin: refused: 127\.0\.0\.1 is a private address/);
    await fails(
      ["source", "list"],
      /^bantin: FETCH_ALLOW_PRIVATE: "http:\/\/x" is not a host or host:port/,
      { FETCH_ALLOW_PRIVATE: "http://x" },
    );
    await fails(["source", "list"], /^bantin: FEED_CONCURRENCY: must be 1-100/, {
      FEED_CONCURRENCY: "0",
    });
  });

  it("imports the seed text: headline, lead, body with captions, no furniture", async () => {
    const imported = JSON.parse(await ok(["import", SEED_TEXT, "--category", "thoi-su", "--json"]));
    expect(imported.title).toBe(
      "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
    );
    const story = JSON.parse(await ok(["article", String(imported.id), "--json"]));
    expect(story.lead).toMatch(/^Trong 2 ngày \(7 - 8\/12\), tại tỉnh Hòa Bình diễn ra Hội nghị/);
    expect(story.photos.map((p: { caption: string }) => p.caption)).toContain(
      "Quang cảnh hội nghị.",
    );
    const text = JSON.stringify(story);
    expect(text).not.toContain("Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân");
    expect(text).not.toContain("Có thể bạn quan tâm");
    expect(text).not.toMatch(/fb yt zl tw/);
  });

  it("imports a file named from the run's folder, and again as an update, under its name as typed", async () => {
    const cwd = scratchDir();
    // The seed with a headline of its own (the seed itself was imported above).
    const seed = readFileSync(SEED_TEXT, "utf8").replace(
      "Nâng cao chất lượng công tác thông tin đối ngoại",
      "Thử nhập lại một tin đã sửa về thông tin đối ngoại",
    );
    writeFileSync(join(cwd, "tin.txt"), seed);
    const importIn = async () => {
      const result = await runCli(["import", "./tin.txt", "--category", "thoi-su", "--json"], env, {
        cwd,
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as { id: number; outcome: string; url: string };
    };
    const first = await importIn();
    expect(first).toMatchObject({ outcome: "new", url: "file:///tin.txt" });
    // The newsroom corrects the file and imports it again: the same story, updated.
    writeFileSync(join(cwd, "tin.txt"), seed.replace("Trong 2 ngày", "Trong hai ngày"));
    const again = await importIn();
    expect(again).toMatchObject({ id: first.id, outcome: "updated", url: "file:///tin.txt" });
  });

  it("refuses bad input with one clear line", async () => {
    await fails(
      ["source", "add", "not-a-url", "--category", "thoi-su"],
      /not an http\(s\) feed URL/,
    );
    await fails(["source", "add", site.feedUrl("x"), "--category", "nope"], /no topic "nope"/);
    await fails(
      ["source", "add", site.feedUrl("thoi-su"), "--category", "thoi-su"],
      /is already added/,
    );
    await fails(["source", "remove", "999"], /no feed with id 999/);
    await fails(["article", "999999"], /no story with id 999999/);
    await fails(
      ["import", "/no/such/file.txt", "--category", "thoi-su"],
      /cannot read \/no\/such\/file\.txt/,
    );
    await fails(["search", "x", "--limit", "0"], /--limit must be between 1 and 200/);
  });

  it("reads an address once before adding it: a page, a 404 and a section that names its feed", async () => {
    const before = JSON.parse(await ok(["source", "list", "--json"])).length;
    const story = site.articles()[0] as { id: number };
    await fails(
      ["source", "add", site.articleUrl(story.id), "--category", "thoi-su"],
      /^bantin: http:\/\/127\.0\.0\.1:\d+\/.+ is not a feed \(this is an HTML page, not a feed\); give the feed's own address, or add it anyway with --no-check\n$/,
    );
    await fails(
      ["source", "add", `${site.url}/rss/khong-co-nua.rss`, "--category", "thoi-su"],
      /^bantin: cannot read .*khong-co-nua\.rss \(.*404.*\); check the address, or add it anyway with --no-check if the site is down now\n$/,
    );
    await fails(
      ["source", "add", `${site.url}/van-hoa`, "--category", "van-hoa"],
      new RegExp(
        `^bantin: ${site.url}/van-hoa is a web page; it names this feed: ${site.feedUrl("van-hoa")} \\(Văn hóa\\); add it\n$`,
      ),
    );
    expect(JSON.parse(await ok(["source", "list", "--json"]))).toHaveLength(before);
    // A feed's own address is read and added: the first test added three that way.
  });

  it("removes a source and keeps its stories", async () => {
    const before = JSON.parse(await ok(["stats", "--json"])).articles.total;
    await ok(["source", "remove", "1"]);
    expect(JSON.parse(await ok(["source", "list", "--json"]))).toHaveLength(2);
    expect(JSON.parse(await ok(["stats", "--json"])).articles.total).toBe(before);
    expect(CATEGORY_SLUGS).toContain("thoi-su");
  });

  it("pauses a source (not checked, listed as paused) and resumes it; both are in the audit log", async () => {
    expect(await ok(["source", "pause", "2"])).toContain("Paused source 2");
    const listed = JSON.parse(await ok(["source", "list", "--json"]));
    expect(listed.find((s: { id: number }) => s.id === 2)).toMatchObject({ health: "paused" });
    expect(await ok(["source", "list"])).toMatch(/^\s*2\s+\S+\s+paused/m);
    const summaries = JSON.parse(
      (await runCli(["ingest", "--all", "--json"], { ...env, LOG_LEVEL: "error" })).stdout,
    );
    expect(summaries.map((s: { sourceId: number }) => s.sourceId)).not.toContain(2);
    expect(await ok(["source", "resume", "2"])).toContain("Resumed source 2");
    const resumed = JSON.parse(await ok(["source", "list", "--json"]));
    expect(resumed.find((s: { id: number }) => s.id === 2).health).not.toBe("paused");
    // Due at once: its next check is "now", its last success a local time with its zone.
    expect(await ok(["source", "list"])).toMatch(
      /^\s*2\s+\S+\s+\S+\s+\d{4}-\d\d-\d\d \d\d:\d\d \(GMT\+7\)\s+now\s+http/m,
    );
    const audit = JSON.parse(await ok(["audit", "--json"]));
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["feed.pause", "feed.resume"]),
    );
    await fails(["source", "pause", "999"], /no feed with id 999/);
  });

  it("ingest exits 1 when a feed failed, and counts that feed as failed", async () => {
    // A feed that is down right now can still be added, when asked.
    await ok([
      "source",
      "add",
      `${site.url}/rss/khong-co.rss`,
      "--category",
      "thoi-su",
      "--no-check",
    ]);
    const quiet = { ...env, LOG_LEVEL: "error" };
    const human = await runCli(["ingest", "--all"], quiet);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^4\s+0\s+0\s+0\s+failed: HTTP 404 Not Found$/m);
    expect(human.stdout).toMatch(/^3 feeds: 2 ok, 1 failed; stories: /m);
    expect(human.stderr).toBe("bantin: 1 of 3 feeds failed; `bantin source list` shows why\n");

    const json = await runCli(["ingest", "--all", "--json"], quiet);
    expect(json.code).toBe(1);
    const summaries = JSON.parse(json.stdout);
    expect(summaries.map((s: { status: string }) => s.status)).toEqual([
      "not-modified",
      "not-modified",
      "failed",
    ]);
    expect(summaries[2]).toMatchObject({ sourceId: 4, error: "HTTP 404 Not Found" });
    expect(json.stderr.trim().split("\n")).toHaveLength(1);
    await ok(["source", "remove", "4"]);
  });

  it("ingest stops at once on SIGTERM: fetches in flight are cut, the run ends within 5 s", async () => {
    for (let i = 0; i < 3; i++) {
      site.addArticle({
        id: 482_000 + i,
        title: `Liên hoan văn nghệ quần chúng lần thứ ${i + 1}`,
        lead: "Các đội văn nghệ tham gia với nhiều tiết mục đặc sắc.",
        body: ["Liên hoan thu hút đông đảo người dân đến xem và cổ vũ các đội tham gia."],
        categories: ["van-hoa"],
        author: "Thu Hà",
        publishedAt: "27/01/2026 07:00",
        image: "/uploads/2026/01/27/van-nghe.jpg",
      });
      site.fail(site.articlePath(482_000 + i), "timeout");
    }
    try {
      const interrupts = new Interrupts();
      const running = runCli(["ingest", "--all"], { ...env, LOG_LEVEL: "error" }, { interrupts });
      // Wait until a story page hangs, then stop. (test/processes/cli-signals.test.ts sends a
      // real SIGTERM to a real process.)
      const deadline = Date.now() + 15_000;
      while (!site.requests.some((r) => r.path.includes("-post48200")) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const stopped = Date.now();
      interrupts.send("SIGTERM");
      const { code, stderr } = await running;
      expect(Date.now() - stopped).toBeLessThan(5000);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^bantin: interrupted; /);
    } finally {
      site.clearFailures();
    }
  });
});
