import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORY_SLUGS, type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { runCli, scratchDir } from "../helpers/cli";

const SEED_TEXT = join(import.meta.dirname, "../fixtures/articles/seed-baolaocai.txt");

let site: FakeNewsSite;
let env: Record<string, string>;

beforeAll(async () => {
  site = await startFakeNewsSite();
  env = { DATABASE_URL: `sqlite:${join(scratchDir(), "news.db")}` };
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

async function fails(args: string[], pattern: RegExp): Promise<void> {
  const result = await runCli(args, env);
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
    expect(human).toMatch(/3 feeds: 0 new, 0 updated/);
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

  it("refuses bad input with one clear line", async () => {
    await fails(
      ["source", "add", "not-a-url", "--category", "thoi-su"],
      /not an http\(s\) feed URL/,
    );
    await fails(["source", "add", site.feedUrl("x"), "--category", "nope"], /no category "nope"/);
    await fails(
      ["source", "add", site.feedUrl("thoi-su"), "--category", "thoi-su"],
      /already a source/,
    );
    await fails(["source", "remove", "999"], /no source with id 999/);
    await fails(["article", "999999"], /no story with id 999999/);
    await fails(
      ["import", "/no/such/file.txt", "--category", "thoi-su"],
      /cannot read \/no\/such\/file\.txt/,
    );
    await fails(["search", "x", "--limit", "0"], /--limit must be between 1 and 200/);
  });

  it("removes a source and keeps its stories", async () => {
    const before = JSON.parse(await ok(["stats", "--json"])).articles.total;
    await ok(["source", "remove", "1"]);
    expect(JSON.parse(await ok(["source", "list", "--json"]))).toHaveLength(2);
    expect(JSON.parse(await ok(["stats", "--json"])).articles.total).toBe(before);
    expect(CATEGORY_SLUGS).toContain("thoi-su");
  });
});
