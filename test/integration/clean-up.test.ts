/**
 * The nightly clean-up keeps each growing table to its rule (docs/OPERATIONS.md, "What grows,
 * and how long it is kept"): here the reading counts, kept 400 days.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, NOW, startTelegramHarness } from "../helpers/telegram-harness";

describe("the nightly clean-up", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTelegramHarness("polling");
  }, 30_000);
  afterAll(() => h?.stop());

  it("forgets reading counts older than 400 days and keeps the rest", async () => {
    const story = await h.db.selectFrom("articles").select("id").executeTakeFirstOrThrow();
    const day = (daysAgo: number) =>
      new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    await h.db
      .insertInto("story_reads")
      .values([401, 399, 30, 0].map((d) => ({ article_id: story.id, day: day(d), count: 5 })))
      .execute();
    await h.running.runJob("clean-up");
    const left = await h.db
      .selectFrom("story_reads")
      .select("day")
      .where("article_id", "=", story.id)
      .orderBy("day")
      .execute();
    expect(left.map((r) => r.day)).toEqual([day(399), day(30), day(0)]);
  });
});
