/**
 * A retraction on Zalo, which has no edit or delete: a reader who got the story within a day
 * gets one short notice, delivered through the fake Zalo Bot API, once however often the story
 * is retracted; a reader who got it earlier gets none.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runDigestTick } from "../../src/digest/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { findTopicBySlug } from "../../src/news/topics";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import { localParts } from "../../src/text/time";
import { runCli } from "../helpers/cli";
import { describeStores } from "../helpers/stores";
import { databaseEnv } from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness } from "../helpers/zalo-harness";

const HOUR = 60 * 60 * 1000;
const ZONE = "Asia/Ho_Chi_Minh";
const NOTICE = "Tòa soạn đã gỡ bài «Số liệu sai về lũ ở Huế» gửi bạn trước đó. Xin bỏ qua bài này.";

describeStores("retracting a story on Zalo", (store) => {
  let h: ZaloHarness;
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await store.newDatabaseUrl();
    // The test ticks the digest itself: the bot's own minute tick stays out.
    h = await startZaloHarness("polling", {
      databaseUrl: url,
      clock: () => new Date(),
      roles: ["web", "chat", "send"],
    });
    env = databaseEnv(url);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("tells each reader who got it within a day once, and no one who got it earlier", async () => {
    const topic = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    const at = new Date(Date.now() - HOUR).toISOString();
    const { id } = await storeArticle(h.db, {
      url: `https://tin.example/lu-hue-${Date.now()}.html`,
      contentHash: `lu-hue-${Date.now()}`,
      title: "Số liệu sai về lũ ở Huế",
      lead: "",
      body: [],
      photos: [],
      fullText: false,
      publishedAt: at,
      fetchedAt: at,
      topicId: topic,
    });
    const digestTime = localParts(new Date(Date.now() - 2 * 60_000), ZONE).time;
    const reader = async (chatId: string) => {
      const { reader: r } = await registerReader(
        h.db,
        { platform: "zalo", chatId, chatType: "private" },
        { locale: "vi", timeZone: ZONE, digestTime },
        new Date(Date.now() - 72 * HOUR).toISOString(),
      );
      await setTopics(h.db, r.id, [topic]);
      return r.id;
    };
    const recent = await reader("zr-1");
    const earlier = await reader("zr-2");
    await runDigestTick({
      db: h.db,
      clock: () => new Date(),
      logger: silentLogger(),
      perTopic: 50,
    });
    for (const chat of ["zr-1", "zr-2"]) {
      await h.zalo.waitFor(
        (c) =>
          c.method === "sendMessage" &&
          String(c.params.chat_id) === chat &&
          String(c.params.text).includes("Số liệu sai về lũ ở Huế"),
        10_000,
      );
    }
    let sentRows = 0;
    for (let i = 0; i < 100 && sentRows < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sentRows = (
        await h.db
          .selectFrom("outbox")
          .select("id")
          .where("reader_id", "in", [recent, earlier])
          .where("state", "=", "sent")
          .execute()
      ).length;
    }
    expect(sentRows).toBe(2);
    await h.db
      .updateTable("outbox")
      .set({ sent_at: new Date(Date.now() - 30 * HOUR).toISOString() })
      .where("reader_id", "=", earlier)
      .execute();

    const retracted = await runCli(
      ["story", "retract", String(id), "--reason", "Số liệu sai"],
      env,
    );
    expect(retracted.stderr).toBe("");
    expect(retracted.stdout).toContain(
      "Zalo (no edit or delete): 1 reader(s) who got it within a day will be told once; 1 older message(s) get no notice.",
    );
    await h.zalo.waitFor(
      (c) => c.method === "sendMessage" && String(c.params.text) === NOTICE,
      10_000,
    );
    const again = await runCli(["story", "retract", String(id), "--reason", "lần nữa"], env);
    expect(again.stdout).toContain("already retracted");
    expect(h.zalo.textsTo("zr-1").filter((text) => text === NOTICE)).toHaveLength(1);
    expect(h.zalo.textsTo("zr-2")).not.toContain(NOTICE);
  }, 60_000);
});
