import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../../../src/editors/audit";
import { addFeed } from "../../../src/news/feeds";
import { findTopicBySlug } from "../../../src/news/topics";
import { readerTopicIds, setTopics } from "../../../src/readers/reader-topics";
import { registerReader } from "../../../src/readers/readers";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { NOW, textOf } from "../../helpers/telegram-harness";

describeStores("removing a topic from the console", (store) => {
  let h: ConsoleHarness;
  let client: ConsoleClient;

  beforeAll(async () => {
    h = await startConsoleHarness(
      store.kind === "postgres" ? { databaseUrl: await store.newDatabaseUrl() } : {},
    );
    client = await h.signedIn();
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const topicId = async (slug: string) => (await findTopicBySlug(h.db, slug))?.id as number;
  const reader = async (chatId: number, locale: "vi" | "en", topics: string[]) => {
    const defaults = { locale, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
    const chat = {
      platform: "telegram" as const,
      chatId: String(chatId),
      chatType: "private" as const,
    };
    const { reader } = await registerReader(h.db, chat, defaults, NOW.toISOString());
    await setTopics(h.db, reader.id, await Promise.all(topics.map(topicId)));
    return reader.id;
  };
  const told = (chat: number, text: string) =>
    h.fake.waitFor(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chat && textOf(c) === text,
      10_000,
    );

  it("asks about its feeds, then removes it: followers told once in their language", async () => {
    const [theThao, vanHoa] = [await topicId("the-thao"), await topicId("van-hoa")];
    const lan = await reader(6101, "vi", ["the-thao", "van-hoa"]);
    await reader(6102, "en", ["the-thao"]);
    const feed = await addFeed(h.db, { url: "https://thethao.example/rss", topicId: theThao });

    const page = await client.get("/admin/topics");
    expect(page.body).toContain(`action="/admin/topics/${theThao}/remove"`);
    expect(page.body).toContain('name="feeds" value="move"');
    expect(page.body).toContain('name="feeds" value="with"');
    expect(page.body).toContain("Gỡ chủ đề “Thể thao”");

    const refused = await client.post(`/admin/topics/${theThao}/remove`, {});
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      `Chủ đề còn nguồn tin: ${feed.id} https://thethao.example/rss. Hãy chọn chuyển chúng sang chủ đề khác hoặc gỡ luôn.`,
    );
    expect(await topicId("the-thao")).toBe(theThao);

    await client.get("/admin/topics");
    const answer = await client.post(`/admin/topics/${theThao}/remove`, { feeds: "with" });
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe("/admin/topics?done=removed");
    const after = await client.follow(answer);
    expect(after.body).toContain("Đã gỡ chủ đề.");
    expect(after.body).not.toContain('data-slug="the-thao"');
    expect(await findTopicBySlug(h.db, "the-thao")).toBeUndefined();
    expect(
      await h.db.selectFrom("sources").select("id").where("id", "=", feed.id).execute(),
    ).toEqual([]);
    expect(await readerTopicIds(h.db, lan)).toEqual([vanHoa]);

    await told(6101, "Chuyên mục «Thể thao» đã ngừng; bạn vẫn nhận các chuyên mục khác.");
    await told(6102, "The topic «Sport» has ended; you still get your other topics.");

    // Its story stays stored and found.
    const search = await h.send(
      h.fake.message({ chatId: 6101, fromId: 6101, text: "/tim giai bong da thanh nien" }),
    );
    expect(search.map(textOf).join("\n")).toContain("Khai mạc giải bóng đá thanh niên");
    expect(h.fake.sentMessages(6101).filter((c) => textOf(c).includes("đã ngừng"))).toHaveLength(1);

    const [entry] = (await listAudit(h.db, { limit: 100 })).filter(
      (e) => e.action === "topic.remove",
    );
    expect(entry).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      detail: { slug: "the-thao", told: 2, feeds: 1, stories: 1 },
    });
    const audit = await client.get("/admin/audit");
    expect(audit.body).toContain(
      "Gỡ chủ đề the-thao (Thể thao / Sport); báo cho 2 bạn đọc theo dõi; gỡ luôn 1 nguồn tin",
    );
  });

  it("moves the feeds to the topic chosen; not to the topic itself", async () => {
    const [xaHoi, vanHoa] = [await topicId("xa-hoi"), await topicId("van-hoa")];
    const feed = await addFeed(h.db, { url: "https://xahoi.example/rss", topicId: xaHoi });
    await client.get("/admin/topics");
    const same = await client.post(`/admin/topics/${xaHoi}/remove`, {
      feeds: "move",
      moveTo: String(xaHoi),
    });
    expect(same.status).toBe(400);
    expect(same.body).toContain("Không thể chuyển nguồn tin sang chính chủ đề đang gỡ.");

    await client.get("/admin/topics");
    const answer = await client.post(`/admin/topics/${xaHoi}/remove`, {
      feeds: "move",
      moveTo: String(vanHoa),
    });
    expect(answer.status, answer.body).toBe(303);
    const moved = await h.db
      .selectFrom("sources")
      .select("category_id")
      .where("id", "=", feed.id)
      .executeTakeFirstOrThrow();
    expect(moved.category_id).toBe(vanHoa);
    // Its story is now listed in the topic its feeds went to.
    const listed = await h.db
      .selectFrom("article_categories as ac")
      .innerJoin("articles as a", "a.id", "ac.article_id")
      .select("a.title")
      .where("ac.category_id", "=", vanHoa)
      .execute();
    expect(listed.map((r) => r.title)).toContain(
      "Cảnh báo mưa lớn, nguy cơ lũ quét và sạt lở đất ở vùng núi",
    );
  });
});
