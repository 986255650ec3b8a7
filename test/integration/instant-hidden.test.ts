/**
 * A story an editor hides is never pushed as it happens, neither for a topic followed as it
 * happens nor for a keyword follow, even when it was matched before it was hidden.
 */
import { beforeEach, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { runInstantTick } from "../../src/instant/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { addTopic } from "../../src/news/topics";
import { follow } from "../../src/readers/keywords";
import { setTopicMode } from "../../src/readers/reader-topics";
import { registerReader, setQuietHours } from "../../src/readers/readers";
import { storyService } from "../../src/services/stories";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";

describeStores("hidden stories and news as it happens", (store) => {
  let db: DbHandle;
  let now: Date;
  const topics: Record<string, number> = {};
  const tick = () =>
    runInstantTick({ db, clock: () => now, logger: silentLogger(), batchMinutes: 10 });
  const stories = () => storyService({ db, clock: () => now });
  let seq = 0;
  const story = async (topic: string, title: string) =>
    (
      await storeArticle(db, {
        url: `https://x.vn/an-${++seq}.html`,
        contentHash: `an${seq}`,
        title,
        lead: "",
        body: [],
        photos: [],
        fullText: false,
        publishedAt: now.toISOString(),
        fetchedAt: now.toISOString(),
        topicId: topics[topic] as number,
      })
    ).id;
  const pushed = async (readerId: number) => {
    const rows = await db
      .selectFrom("outbox")
      .select("idempotency_key")
      .where("reader_id", "=", readerId)
      .where("kind", "=", "instant")
      .execute();
    const texts = await Promise.all(
      rows.map(async (r) => {
        const item = await outboxItemByKey(db, r.idempotency_key);
        return (item?.payload.parts ?? []).map((p) => ("text" in p ? p.text : "")).join("\n");
      }),
    );
    return texts.join("\n");
  };

  beforeEach(async () => {
    db = await store.db();
    for (const [slug, vi, en] of [
      ["thoi-su", "Thời sự", "News"],
      ["kinh-te", "Kinh tế", "Economy"],
    ] as const) {
      topics[slug] = (await addTopic(db, { slug, name: { vi, en } })).id;
    }
    now = new Date("2026-01-26T03:00:00.000Z"); // 10:00 in Hà Nội
    seq = 0;
  });

  async function reader(chatId: string) {
    const { reader } = await registerReader(
      db,
      { platform: "telegram", chatId, chatType: "private" },
      { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      "2026-01-25T00:00:00.000Z",
    );
    await setTopicMode(db, reader.id, topics["thoi-su"] as number, "instant");
    await setQuietHours(db, reader.id, { from: "00:00", until: "00:00" }, now.toISOString());
    await follow(db, reader.id, "bão lũ", now.toISOString());
    return reader.id;
  }

  it("a hidden story is read past: neither its topic nor a keyword pushes it", async () => {
    const id = await reader("701");
    await tick(); // the first run starts from now
    now = new Date(now.getTime() + 60_000);
    const topicHidden = await story("thoi-su", "Tin ẩn theo chủ đề");
    const keywordHidden = await story("kinh-te", "Bão lũ: tin ẩn theo từ khóa");
    const shown = await story("thoi-su", "Tin được đẩy ngay");
    await stories().hide("cli", topicHidden);
    await stories().hide("cli", keywordHidden);
    await tick();
    const text = await pushed(id);
    expect(text).toContain("Tin được đẩy ngay");
    expect(text).not.toContain("Tin ẩn");
    expect(await outboxItemByKey(db, `instant:${id}:${shown}`)).toBeDefined();
  });

  it("a story hidden after it was matched, before it went, does not go", async () => {
    const id = await reader("702");
    await tick();
    now = new Date(now.getTime() + 60_000);
    await story("thoi-su", "Tin đầu tiên");
    await tick(); // goes at once: the next one waits for the 10-minute batch
    now = new Date(now.getTime() + 60_000);
    const later = await story("kinh-te", "Bão lũ: ẩn khi đang chờ");
    const kept = await story("thoi-su", "Tin thứ hai");
    await tick();
    expect(await pushed(id)).not.toContain("Tin thứ hai"); // held for the batch
    await stories().hide("cli", later);
    now = new Date(now.getTime() + 10 * 60_000);
    await tick();
    const text = await pushed(id);
    expect(text).toContain("Tin thứ hai");
    expect(text).not.toContain("ẩn khi đang chờ");
    expect(kept).toBeGreaterThan(later);
  });
});
