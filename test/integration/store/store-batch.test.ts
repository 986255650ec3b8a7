import { beforeEach, expect, it } from "vitest";
import type { DbHandle } from "../../../src/db/schema";
import { type ArticleInput, countArticles } from "../../../src/news/articles";
import { searchArticles } from "../../../src/news/search";
import { createStoreBatch } from "../../../src/news/store-batch";
import { addTopic } from "../../../src/news/topics";
import { describeStores } from "../../helpers/stores";

describeStores("store: stories stored in batches", (store) => {
  let db: DbHandle;
  let topic: number;

  function story(n: number, overrides: Partial<ArticleInput> = {}): ArticleInput {
    return {
      url: `https://baolaocai.vn/tin-so-${n}-post${n}.html`,
      guid: `post${n}`,
      contentHash: `hash-${n}`,
      title: `Tin số ${n} về hội nghị tỉnh Lào Cai`,
      lead: `Phần mở đầu của tin số ${n}.`,
      body: [`Đoạn thân bài của tin số ${n}.`],
      photos: [],
      author: null,
      fullText: false,
      publishedAt: "2026-01-26T01:27:00.000Z",
      fetchedAt: "2026-01-26T02:00:00.000Z",
      topicId: topic,
      ...overrides,
    };
  }

  beforeEach(async () => {
    db = await store.db();
    topic = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
  });

  it("stores every story found in one turn, once, and indexes each for search", async () => {
    const batch = createStoreBatch(db, 50);
    const stored = await Promise.all(
      Array.from({ length: 120 }, (_, i) => batch.store(story(i + 1))),
    );
    expect(stored.map((s) => s.outcome)).toEqual(Array(120).fill("new"));
    expect(new Set(stored.map((s) => s.id)).size).toBe(120);
    expect(await countArticles(db)).toBe(120);
    expect((await searchArticles(db, "tin so 77", { limit: 5 })).map((a) => a.title)).toContain(
      "Tin số 77 về hội nghị tỉnh Lào Cai",
    );
    // The same stories again: unchanged, nothing added.
    const again = await Promise.all([1, 2, 3].map((n) => batch.store(story(n))));
    expect(again.map((s) => s.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(await countArticles(db)).toBe(120);
  });

  it("a story that cannot be stored costs only itself, not its batch", async () => {
    const batch = createStoreBatch(db);
    const results = await Promise.allSettled([
      batch.store(story(1)),
      // No such topic: the database refuses this one (foreign key).
      batch.store(story(2, { topicId: 999_999 })),
      batch.store(story(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await countArticles(db)).toBe(2);
  });
});
