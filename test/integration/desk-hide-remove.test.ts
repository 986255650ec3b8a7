/**
 * The editorial desk from the command line, as readers see it in chat (the real bot against the
 * fake Bot API): `bantin story hide/unhide` takes a story out of /tim, /moi and the next digest
 * and brings it back; `bantin category remove` puts one notice per follower in the outbox.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runDigestTick } from "../../src/digest/run";
import { listAudit } from "../../src/editors/audit";
import { silentLogger } from "../../src/logging";
import { addFeed } from "../../src/news/feeds";
import { findTopicBySlug } from "../../src/news/topics";
import { readerTopicIds, setTopics } from "../../src/readers/reader-topics";
import { findReader } from "../../src/readers/readers";
import { runCli } from "../helpers/cli";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";
import {
  databaseEnv,
  type Harness,
  startTelegramHarness,
  TRICKY_TITLE,
  textOf,
} from "../helpers/telegram-harness";

/** The tricky headline as Telegram HTML carries it. */
const TRICKY_SHOWN = /trở lại &lt;script&gt;/;

describeStores("hiding a story and removing a topic, from the CLI, seen in chat", (store) => {
  let h: Harness;
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await store.newDatabaseUrl();
    h = await startTelegramHarness("polling", { databaseUrl: url });
    env = databaseEnv(url);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const say = async (chat: number, text: string) => {
    const calls = await h.send(h.fake.message({ chatId: chat, fromId: chat, text }));
    return calls
      .filter((c) => c.method === "sendMessage")
      .map(textOf)
      .join("\n");
  };
  const readerId = async (chat: number) =>
    (await findReader(h.db, "telegram", String(chat)))?.id as number;
  const topicId = async (slug: string) => (await findTopicBySlug(h.db, slug))?.id as number;

  it("a hidden story leaves /tim, /moi and the next digest at once; unhide brings it back", async () => {
    const chat = 5101;
    await say(chat, "/start");
    await setTopics(h.db, await readerId(chat), [await topicId("thoi-su")]);
    expect(await say(chat, "/tim gia tang tro lai")).toMatch(TRICKY_SHOWN);
    expect(await say(chat, "/moi")).toMatch(TRICKY_SHOWN);

    const hidden = await runCli(["story", "hide", String(h.trickyId)], env);
    expect(hidden.stderr).toBe("");
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).toContain(`Story ${h.trickyId} is hidden: ${TRICKY_TITLE}`);
    expect(await say(chat, "/tim gia tang tro lai")).not.toMatch(TRICKY_SHOWN);
    const latest = await say(chat, "/moi");
    expect(latest).not.toMatch(TRICKY_SHOWN);
    expect(latest).toContain("Cảnh báo mưa lớn"); // the rest are still listed
    expect(await say(chat, `/doc_${h.trickyId}`)).toMatch(/Không tìm thấy bài số/);

    // The next digest (07:00 the next morning in Hà Nội) carries the others, not it.
    const digest = async (day: string) => {
      await runDigestTick({
        db: h.db,
        clock: () => new Date(`${day}T00:00:00.000Z`),
        logger: silentLogger(),
        perTopic: 50,
      });
      const item = await outboxItemByKey(h.db, `digest:${await readerId(chat)}:${day}`);
      return (item?.payload.parts ?? []).map((p) => ("text" in p ? p.text : "")).join("\n");
    };
    const next = await digest("2026-01-28");
    expect(next).toContain("Mùa vàng trên ruộng bậc thang");
    expect(next).not.toMatch(TRICKY_SHOWN);

    const printed = await runCli(["article", String(h.trickyId)], env);
    expect(printed.stdout).toContain(`bantin story unhide ${h.trickyId} shows it again`);
    const again = await runCli(["story", "hide", String(h.trickyId)], env);
    expect(again.stdout).toContain("was already hidden; nothing changed");
    const shown = await runCli(["story", "unhide", String(h.trickyId), "--json"], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: h.trickyId,
      hiddenAt: null,
      changed: true,
    });
    expect(await say(chat, "/tim gia tang tro lai")).toMatch(TRICKY_SHOWN);
    expect(await say(chat, "/moi")).toMatch(TRICKY_SHOWN);

    const entries = (await listAudit(h.db, { limit: 100 })).filter((e) =>
      e.action.startsWith("story."),
    );
    expect(entries.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ["cli", "story.unhide", { articleId: h.trickyId, title: TRICKY_TITLE }],
      ["cli", "story.hide", { articleId: h.trickyId, title: TRICKY_TITLE }],
    ]);
    const missing = await runCli(["story", "hide", "999999"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("no story with id 999999");
  });

  it("removing a topic asks about its feeds, tells its followers once, keeps their other topics", async () => {
    const chat = 5102;
    await say(chat, "/start");
    const [thoiSu, kinhTe] = [await topicId("thoi-su"), await topicId("kinh-te")];
    await setTopics(h.db, await readerId(chat), [thoiSu, kinhTe]);
    const feed = await addFeed(h.db, { url: "https://kinhte.example/rss", topicId: kinhTe });

    const refused = await runCli(["category", "remove", "kinh-te"], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${feed.id} https://kinhte.example/rss`);
    expect(refused.stderr).toContain("--move-feeds-to");
    expect(await topicId("kinh-te")).toBe(kinhTe);

    const removed = await runCli(
      ["category", "remove", "kinh-te", "--move-feeds-to", "thoi-su", "--json"],
      env,
    );
    expect(removed.stderr).toBe("");
    expect(JSON.parse(removed.stdout)).toMatchObject({
      slug: "kinh-te",
      told: 1,
      feeds: 1,
      feedsMovedTo: "thoi-su",
      stories: 1,
    });
    // The CLI's clock is the real one and the bot's is fixed (NOW): the notice waits in the
    // outbox here; the console's test (console/topic-remove.test.ts) sees it delivered.
    const notice = await outboxItemByKey(h.db, `topic-removed:${kinhTe}:${await readerId(chat)}`);
    expect(notice?.kind).toBe("notice");
    expect(notice?.payload.parts.map((p) => ("text" in p ? p.text : ""))).toEqual([
      "Chuyên mục «Kinh tế» đã ngừng; bạn vẫn nhận các chuyên mục khác.",
    ]);
    expect(await findTopicBySlug(h.db, "kinh-te")).toBeUndefined();
    expect(await readerTopicIds(h.db, await readerId(chat))).toEqual([thoiSu]);
    const moved = await h.db.selectFrom("sources").select("category_id").where("id", "=", feed.id);
    expect((await moved.executeTakeFirstOrThrow()).category_id).toBe(thoiSu);
    // Its story stays, searchable, now in the topic its feeds went to.
    expect(await say(chat, "/tim gia lua van ban")).toContain("Giá lúa tăng");

    const twice = await runCli(["category", "remove", "kinh-te", "--with-feeds"], env);
    expect(twice.stderr).toContain('no topic "kinh-te"');
    const notices = await h.db
      .selectFrom("outbox")
      .select("id")
      .where("idempotency_key", "like", "topic-removed:%")
      .execute();
    expect(notices).toHaveLength(1);
    const [entry] = (await listAudit(h.db, { limit: 100 })).filter(
      (e) => e.action === "topic.remove",
    );
    expect(entry).toMatchObject({
      actor: "cli",
      detail: { slug: "kinh-te", told: 1, feeds: 1, feedsMovedTo: "thoi-su", stories: 1 },
    });
  });
});
