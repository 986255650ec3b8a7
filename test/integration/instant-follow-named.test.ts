/**
 * A story pushed as it happens for a keyword follow says which follow it matched ("⚡ Theo dõi
 * «lũ quét»"), on Telegram and on Zalo: the reader follows words in chat, a matching story is
 * stored, and the real bot's push reaches the fake Bot API. A story a topic brought says none.
 */
import { expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { runInstantTick } from "../../src/instant/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { findTopicBySlug } from "../../src/news/topics";
import { describeStores } from "../helpers/stores";
import { NOW, startTelegramHarness, textOf } from "../helpers/telegram-harness";
import { startZaloHarness } from "../helpers/zalo-harness";

const tick = (db: DbHandle) =>
  runInstantTick({ db, clock: () => NOW, logger: silentLogger(), batchMinutes: 10 });

let seq = 0;
async function story(db: DbHandle, title: string) {
  const topic = await findTopicBySlug(db, "thoi-su");
  const n = ++seq;
  await storeArticle(db, {
    url: `https://x.vn/theo-doi-${n}.html`,
    contentHash: `theo-doi-${n}`,
    title,
    lead: "",
    body: [],
    photos: [],
    fullText: false,
    publishedAt: NOW.toISOString(),
    fetchedAt: NOW.toISOString(),
    topicId: topic?.id as number,
  });
}

describeStores("keyword pushes name the follow", (store) => {
  it("on Telegram: ⚡ Theo dõi «lũ quét» under the story", async () => {
    const h = await startTelegramHarness("polling", { databaseUrl: await store.newDatabaseUrl() });
    try {
      await h.send(h.fake.message({ chatId: 8101, text: "/theodoi lũ quét" }));
      await h.send(h.fake.message({ chatId: 8101, text: "/theodoi Sạt lở" }));
      await tick(h.db); // the first run starts from now
      await story(h.db, "Lũ quét ở vùng cao Lào Cai");
      await tick(h.db);
      const pushed = () =>
        h.fake
          .callsTo("sendMessage")
          .map(textOf)
          .filter((text) => text.includes("Lũ quét ở vùng cao"));
      await expect.poll(() => pushed().length, { timeout: 10_000 }).toBe(1);
      expect(pushed()[0]).toMatch(
        /Lũ quét ở vùng cao Lào Cai<\/a>[^\n]*\n<i>⚡ Theo dõi «lũ quét»<\/i>$/,
      );
      expect(pushed()[0]).not.toContain("Sạt lở");
    } finally {
      await h.stop();
    }
  }, 60_000);

  it("on Zalo: the same line, in plain text", async () => {
    const z = await startZaloHarness("polling", { databaseUrl: await store.newDatabaseUrl() });
    try {
      await z.send(z.zalo.textEvent({ chatId: "z-theodoi", text: "theo doi lũ quét" }));
      await z.send(z.zalo.textEvent({ chatId: "z-theodoi", text: "theo doi Lào Cai" }));
      await tick(z.db);
      await story(z.db, "Lũ quét ở vùng cao Lào Cai");
      await tick(z.db);
      const pushed = () => z.zalo.textsTo("z-theodoi").filter((t) => t.includes("Lũ quét ở"));
      await expect.poll(() => pushed().length, { timeout: 10_000 }).toBe(1);
      // Both follows matched: both are named, as the reader typed them.
      expect(pushed()[0]).toContain("⚡ Theo dõi «lũ quét», «Lào Cai»");
    } finally {
      await z.stop();
    }
  }, 60_000);
});
