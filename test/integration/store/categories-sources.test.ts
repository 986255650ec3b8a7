import { beforeEach, describe, expect, it } from "vitest";
import { DuplicateError, NotFoundError } from "../../../src/db";
import type { DbHandle } from "../../../src/db/schema";
import {
  addCategory,
  getCategoryBySlug,
  InvalidCategoryError,
  listCategories,
  upsertCategory,
} from "../../../src/news/categories";
import {
  addSource,
  findDueSources,
  getSource,
  listSources,
  recordFetchFailure,
  recordFetchSuccess,
  removeSource,
  upsertSource,
} from "../../../src/news/sources";
import { describeStores } from "../../helpers/stores";

describeStores("store: categories and sources", (store) => {
  let db: DbHandle;
  beforeEach(async () => {
    db = await store.db();
  });

  describe("categories", () => {
    it("are stored with both names in NFC and listed in order", async () => {
      await addCategory(db, { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } });
      await addCategory(db, {
        slug: "thoi-su",
        name: { vi: "Thời sự".normalize("NFD"), en: "Current affairs" },
        position: -1,
      });
      const list = await listCategories(db);
      expect(list.map((c) => c.slug)).toEqual(["thoi-su", "kinh-te"]);
      expect(list[0]?.name.vi).toBe("Thời sự");
      expect(list[0]?.name.vi).toBe(list[0]?.name.vi.normalize("NFC"));
    });

    it("refuse a duplicate slug with a clear error and keep the first", async () => {
      await addCategory(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "Current affairs" } });
      await expect(
        addCategory(db, { slug: "thoi-su", name: { vi: "Khác", en: "Other" } }),
      ).rejects.toThrow(new DuplicateError('category "thoi-su" already exists'));
      expect((await getCategoryBySlug(db, "thoi-su")).name.vi).toBe("Thời sự");
    });

    it("refuse bad slugs and empty names", async () => {
      for (const slug of ["Thời-sự", "thoi su", "", "-x", "a--b"]) {
        await expect(addCategory(db, { slug, name: { vi: "x", en: "x" } })).rejects.toBeInstanceOf(
          InvalidCategoryError,
        );
      }
      await expect(
        addCategory(db, { slug: "ok", name: { vi: "  ", en: "x" } }),
      ).rejects.toBeInstanceOf(InvalidCategoryError);
    });

    it("upsert updates names by slug", async () => {
      const first = await upsertCategory(db, {
        slug: "the-thao",
        name: { vi: "Thể thao", en: "Sport" },
      });
      const second = await upsertCategory(db, {
        slug: "the-thao",
        name: { vi: "Thể thao", en: "Sports" },
      });
      expect(second.id).toBe(first.id);
      expect(second.name.en).toBe("Sports");
      expect(await listCategories(db)).toHaveLength(1);
    });

    it("an unknown slug is NotFound", async () => {
      await expect(getCategoryBySlug(db, "nope")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("sources", () => {
    let categoryId: number;
    beforeEach(async () => {
      categoryId = (await addCategory(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } }))
        .id;
    });

    it("are unique by URL and keep fetch state across upserts", async () => {
      const source = await addSource(db, {
        url: "http://127.0.0.1/rss/a.rss",
        categoryId,
        fullText: true,
      });
      expect(source.fullText).toBe(true);
      await expect(addSource(db, { url: source.url, categoryId })).rejects.toBeInstanceOf(
        DuplicateError,
      );
      await recordFetchSuccess(db, source.id, {
        at: "2026-01-01T00:00:00.000Z",
        nextCheckAt: "2026-01-01T00:15:00.000Z",
        etag: '"v1"',
        lastModified: "Thu, 01 Jan 2026 00:00:00 GMT",
      });
      const updated = await upsertSource(db, {
        url: source.url,
        categoryId,
        fullText: false,
        selectors: { body: ".content" },
      });
      expect(updated.id).toBe(source.id);
      expect(updated.fullText).toBe(false);
      expect(updated.selectors).toEqual({ body: ".content" });
      expect(updated.etag).toBe('"v1"');
    });

    it("record failures in a row, and a success clears them", async () => {
      const source = await addSource(db, { url: "http://127.0.0.1/rss/b.rss", categoryId });
      for (let i = 0; i < 3; i++) {
        await recordFetchFailure(db, source.id, {
          at: "2026-01-01T00:00:00.000Z",
          error: "HTTP 500 Internal Server Error",
          nextCheckAt: "2026-01-01T01:00:00.000Z",
        });
      }
      let health = await getSource(db, source.id);
      expect(health.failuresInRow).toBe(3);
      expect(health.lastError).toBe("HTTP 500 Internal Server Error");
      await recordFetchSuccess(db, source.id, {
        at: "2026-01-01T02:00:00.000Z",
        nextCheckAt: "2026-01-01T02:15:00.000Z",
      });
      health = await getSource(db, source.id);
      expect(health.failuresInRow).toBe(0);
      expect(health.lastSuccessAt).toBe("2026-01-01T02:00:00.000Z");
      expect(health.lastError).toBe("HTTP 500 Internal Server Error"); // kept for the record
    });

    it("due sources are those whose next check has come, most overdue first", async () => {
      const a = await addSource(db, { url: "http://127.0.0.1/a", categoryId });
      const b = await addSource(db, { url: "http://127.0.0.1/b", categoryId });
      const c = await addSource(db, { url: "http://127.0.0.1/c", categoryId });
      const at = "2026-01-01T00:00:00.000Z";
      await recordFetchSuccess(db, a.id, { at, nextCheckAt: "2026-01-01T00:10:00.000Z" });
      await recordFetchSuccess(db, b.id, { at, nextCheckAt: "2026-01-01T00:05:00.000Z" });
      await recordFetchSuccess(db, c.id, { at, nextCheckAt: "2026-01-01T09:00:00.000Z" });
      const due = await findDueSources(db, "2026-01-01T00:30:00.000Z");
      expect(due.map((s) => s.id)).toEqual([b.id, a.id]);
    });

    it("removing a source keeps its articles; removing an unknown id is NotFound", async () => {
      const source = await addSource(db, { url: "http://127.0.0.1/rm", categoryId });
      await removeSource(db, source.id);
      expect(await listSources(db)).toEqual([]);
      await expect(removeSource(db, source.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
