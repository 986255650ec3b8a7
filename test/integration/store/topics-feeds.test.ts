import { beforeEach, describe, expect, it } from "vitest";
import { DuplicateError, NotFoundError } from "../../../src/db";
import type { DbHandle } from "../../../src/db/schema";
import {
  addFeed,
  findDueFeeds,
  getFeed,
  listFeeds,
  recordFetchFailure,
  recordFetchSuccess,
  removeFeed,
  upsertFeed,
} from "../../../src/news/feeds";
import {
  addTopic,
  getTopicBySlug,
  InvalidTopicError,
  listTopics,
  upsertTopic,
} from "../../../src/news/topics";
import { describeStores } from "../../helpers/stores";

describeStores("store: categories and sources", (store) => {
  let db: DbHandle;
  beforeEach(async () => {
    db = await store.db();
  });

  describe("categories", () => {
    it("are stored with both names in NFC and listed in order", async () => {
      await addTopic(db, { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" }, position: 1 });
      await addTopic(db, {
        slug: "thoi-su",
        name: { vi: "Thời sự".normalize("NFD"), en: "Current affairs" },
        position: 0,
      });
      // A position is a whole number from 0: one PostgreSQL's integer column (and db copy) takes.
      for (const position of [-1, 1.5, 1e99, Number.NaN]) {
        await expect(
          addTopic(db, { slug: "xa-hoi", name: { vi: "Xã hội", en: "Society" }, position }),
        ).rejects.toThrow(/a topic's position is a whole number from 0 to 100000/);
      }
      // A slug goes into deep links (start=topic_<slug>, at most 64 characters).
      await expect(
        addTopic(db, { slug: "a".repeat(59), name: { vi: "A", en: "A" } }),
      ).rejects.toThrow(/a topic slug is at most 58 characters/);
      const list = await listTopics(db);
      expect(list.map((c) => c.slug)).toEqual(["thoi-su", "kinh-te"]);
      expect(list[0]?.name.vi).toBe("Thời sự");
      expect(list[0]?.name.vi).toBe(list[0]?.name.vi.normalize("NFC"));
    });

    it("refuse a duplicate slug with a clear error and keep the first", async () => {
      await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "Current affairs" } });
      await expect(
        addTopic(db, { slug: "thoi-su", name: { vi: "Khác", en: "Other" } }),
      ).rejects.toThrow(new DuplicateError(`topic "thoi-su" already exists`));
      expect((await getTopicBySlug(db, "thoi-su")).name.vi).toBe("Thời sự");
    });

    it("refuse bad slugs and empty names", async () => {
      for (const slug of ["Thời-sự", "thoi su", "", "-x", "a--b"]) {
        await expect(addTopic(db, { slug, name: { vi: "x", en: "x" } })).rejects.toBeInstanceOf(
          InvalidTopicError,
        );
      }
      await expect(
        addTopic(db, { slug: "ok", name: { vi: "  ", en: "x" } }),
      ).rejects.toBeInstanceOf(InvalidTopicError);
    });

    it("upsert updates names by slug", async () => {
      const first = await upsertTopic(db, {
        slug: "the-thao",
        name: { vi: "Thể thao", en: "Sport" },
      });
      const second = await upsertTopic(db, {
        slug: "the-thao",
        name: { vi: "Thể thao", en: "Sports" },
      });
      expect(second.id).toBe(first.id);
      expect(second.name.en).toBe("Sports");
      expect(await listTopics(db)).toHaveLength(1);
    });

    it("an unknown slug is NotFound", async () => {
      await expect(getTopicBySlug(db, "nope")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("sources", () => {
    let topicId: number;
    beforeEach(async () => {
      topicId = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
    });

    it("are unique by URL and keep fetch state across upserts", async () => {
      const source = await addFeed(db, {
        url: "http://127.0.0.1/rss/a.rss",
        topicId: topicId,
        fullText: true,
      });
      expect(source.fullText).toBe(true);
      await expect(addFeed(db, { url: source.url, topicId: topicId })).rejects.toBeInstanceOf(
        DuplicateError,
      );
      await recordFetchSuccess(db, source.id, {
        at: "2026-01-01T00:00:00.000Z",
        nextCheckAt: "2026-01-01T00:15:00.000Z",
        etag: '"v1"',
        lastModified: "Thu, 01 Jan 2026 00:00:00 GMT",
      });
      const updated = await upsertFeed(db, {
        url: source.url,
        topicId: topicId,
        fullText: false,
        selectors: { body: ".content" },
      });
      expect(updated.id).toBe(source.id);
      expect(updated.fullText).toBe(false);
      expect(updated.selectors).toEqual({ body: ".content" });
      expect(updated.etag).toBe('"v1"');
    });

    it("record failures in a row, and a success clears them", async () => {
      const source = await addFeed(db, { url: "http://127.0.0.1/rss/b.rss", topicId: topicId });
      for (let i = 0; i < 3; i++) {
        await recordFetchFailure(db, source.id, {
          at: "2026-01-01T00:00:00.000Z",
          error: "HTTP 500 Internal Server Error",
          nextCheckAt: "2026-01-01T01:00:00.000Z",
        });
      }
      let health = await getFeed(db, source.id);
      expect(health.failuresInRow).toBe(3);
      expect(health.lastError).toBe("HTTP 500 Internal Server Error");
      await recordFetchSuccess(db, source.id, {
        at: "2026-01-01T02:00:00.000Z",
        nextCheckAt: "2026-01-01T02:15:00.000Z",
      });
      health = await getFeed(db, source.id);
      expect(health.failuresInRow).toBe(0);
      expect(health.lastSuccessAt).toBe("2026-01-01T02:00:00.000Z");
      expect(health.lastError).toBe("HTTP 500 Internal Server Error"); // kept for the record
    });

    it("due sources are those whose next check has come, most overdue first", async () => {
      const a = await addFeed(db, { url: "http://127.0.0.1/a", topicId: topicId });
      const b = await addFeed(db, { url: "http://127.0.0.1/b", topicId: topicId });
      const c = await addFeed(db, { url: "http://127.0.0.1/c", topicId: topicId });
      const at = "2026-01-01T00:00:00.000Z";
      await recordFetchSuccess(db, a.id, { at, nextCheckAt: "2026-01-01T00:10:00.000Z" });
      await recordFetchSuccess(db, b.id, { at, nextCheckAt: "2026-01-01T00:05:00.000Z" });
      await recordFetchSuccess(db, c.id, { at, nextCheckAt: "2026-01-01T09:00:00.000Z" });
      const due = await findDueFeeds(db, "2026-01-01T00:30:00.000Z");
      expect(due.map((s) => s.id)).toEqual([b.id, a.id]);
    });

    it("removing a source keeps its articles; removing an unknown id is NotFound", async () => {
      const source = await addFeed(db, { url: "http://127.0.0.1/rm", topicId: topicId });
      await removeFeed(db, source.id);
      expect(await listFeeds(db)).toEqual([]);
      await expect(removeFeed(db, source.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
