import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { nextCheckAfterFailure, nextCheckAfterSuccess } from "../../src/news/check-schedule";
import { addFeed, listFeeds } from "../../src/news/feeds";
import { applySourcesFile, readSourcesFile, SourcesFileError } from "../../src/news/sources-file";
import { addTopic, listTopics } from "../../src/news/topics";
import { scratchDir } from "../helpers/cli";
import { createTestDb } from "../helpers/db";

let db: DbHandle;
beforeEach(async () => {
  db = await createTestDb();
});

function file(content: unknown): string {
  const path = join(scratchDir(), "sources.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const SAMPLE = {
  categories: [
    { slug: "thoi-su", name: { vi: "Thời sự", en: "Current affairs" } },
    { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } },
  ],
  sources: [
    { url: "https://example.vn/rss/thoi-su.rss", category: "thoi-su", fullText: true },
    {
      url: "https://example.vn/rss/kinh-te.rss",
      category: "kinh-te",
      selectors: { body: ".content", remove: [".ads"] },
    },
  ],
};

describe("SOURCES_FILE", () => {
  it("knows a feed stored before addresses were checked: no second row, its address rewritten", async () => {
    const topic = await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } });
    // As an older version stored it from a SOURCES_FILE: exactly as typed.
    const old = await addFeed(db, { url: "https://Example.vn", topicId: topic.id });
    const typed = {
      categories: [],
      sources: [{ url: "https://Example.vn", category: "thoi-su", fullText: true }],
    };
    await applySourcesFile(db, await readSourcesFile(file(typed)));
    await applySourcesFile(db, await readSourcesFile(file(typed)));
    const feeds = await listFeeds(db);
    expect(feeds.map((f) => [f.id, f.url, f.fullText])).toEqual([
      [old.id, "https://example.vn/", true],
    ]);
  });

  it("upserts categories and sources, and applying twice changes nothing", async () => {
    const path = file(SAMPLE);
    expect(await applySourcesFile(db, await readSourcesFile(path))).toEqual({
      categories: 2,
      sources: 2,
    });
    await applySourcesFile(db, await readSourcesFile(path));
    const categories = await listTopics(db);
    expect(categories.map((c) => [c.slug, c.name.vi])).toEqual([
      ["thoi-su", "Thời sự"],
      ["kinh-te", "Kinh tế"],
    ]);
    const sources = await listFeeds(db);
    expect(sources).toHaveLength(2);
    expect(sources[0]).toMatchObject({ fullText: true, selectors: null });
    expect(sources[1]).toMatchObject({
      fullText: false,
      selectors: { body: ".content", remove: [".ads"] },
    });
  });

  it.each([
    ["{ not json", /is not valid JSON/],
    [
      { sources: [{ url: "ftp://x", category: "a" }] },
      /sources\.0\.url: "ftp:\/\/x" is not an http\(s\) feed URL/,
    ],
    [{ categories: [{ slug: "x" }] }, /categories\.0\.name/],
  ])("refuses %o with a clear message", async (content, pattern) => {
    await expect(readSourcesFile(file(content))).rejects.toThrow(SourcesFileError);
    await expect(readSourcesFile(file(content))).rejects.toThrow(pattern);
  });

  it("refuses a missing file and a source in an unknown category, applying nothing", async () => {
    await expect(readSourcesFile("/no/such/sources.json")).rejects.toThrow(/cannot read/);
    const bad = {
      ...SAMPLE,
      sources: [...SAMPLE.sources, { url: "https://x.vn/a.rss", category: "nope" }],
    };
    await expect(applySourcesFile(db, await readSourcesFile(file(bad)))).rejects.toThrow(
      /no topic "nope"/,
    );
    expect(await listTopics(db)).toEqual([]);
    expect(await listFeeds(db)).toEqual([]);
  });
});

describe("feed check schedule", () => {
  const policy = { intervalMinutes: 10, maxBackoffMinutes: 60 };
  const now = new Date("2026-01-01T00:00:00.000Z");
  it("checks healthy feeds every interval and backs off failures, capped", () => {
    expect(nextCheckAfterSuccess(now, policy)).toBe("2026-01-01T00:10:00.000Z");
    const waits = [1, 2, 3, 4, 5, 50].map(
      (n) => (Date.parse(nextCheckAfterFailure(now, n, policy)) - now.getTime()) / 60_000,
    );
    expect(waits).toEqual([10, 20, 40, 60, 60, 60]);
  });
});
