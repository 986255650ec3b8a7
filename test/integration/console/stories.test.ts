/**
 * The console's stories page (Tin bài): the newest stories, searched; hide and show again, pin
 * atop the digests until a time, retract with a reason (the push that carried it is deleted on
 * Telegram), each through the services with the page's CSRF token, refusals said in Vietnamese.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueue } from "../../../src/delivery/outbox";
import { listAudit } from "../../../src/editors/audit";
import { instantMessage } from "../../../src/instant/render";
import { renderPayload } from "../../../src/message/payload";
import { findArticle } from "../../../src/news/articles";
import { registerReader } from "../../../src/readers/readers";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { NOW } from "../../helpers/telegram-harness";

/** The row of one story in the table, as HTML. */
function row(body: string, id: number): string {
  return new RegExp(`<tr id="story-${id}">([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? "";
}

describeStores("the console's stories page", (store) => {
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

  it("lists and searches stories; hides, pins and unpins one; refuses a bad time", async () => {
    const page = await client.get("/admin/stories");
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/admin/stories" aria-current="page">Tin bài</a>');
    expect(row(page.body, h.trickyId)).toContain(
      "Giá &lt;5% &amp; &quot;tăng&quot; trở lại &lt;script&gt;",
    );
    const found = await client.get(`/admin/stories?q=${encodeURIComponent("tăng")}`);
    expect(row(found.body, h.trickyId)).not.toBe("");
    expect(found.body).not.toContain(`<tr id="story-${h.longId}">`);
    const byNumber = await client.get(`/admin/stories?q=${h.longId}`);
    expect(row(byNumber.body, h.longId)).not.toBe("");

    const forged = await client.post(`/admin/stories/${h.trickyId}/hide`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    const hidden = await client.follow(await client.post(`/admin/stories/${h.trickyId}/hide`));
    expect(hidden.body).toContain("Đã ẩn bài.");
    expect(row(hidden.body, h.trickyId)).toContain("Đã ẩn");
    expect((await findArticle(h.db, h.trickyId))?.hiddenAt).not.toBeNull();
    const pinHidden = await client.post(`/admin/stories/${h.trickyId}/pin`, { until: "18:00" });
    expect(pinHidden.status).toBe(400);
    expect(pinHidden.body).toContain("Bài đang ẩn; hiện lại trước khi ghim.");
    await client.follow(await client.post(`/admin/stories/${h.trickyId}/unhide`));

    const bad = await client.post(`/admin/stories/${h.trickyId}/pin`, { until: "mai" });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Giờ không hợp lệ");
    // The console's clock is 10:00 in Hà Nội: 18:00 is today's.
    const pinned = await client.follow(
      await client.post(`/admin/stories/${h.trickyId}/pin`, { until: "18:00" }),
    );
    expect(pinned.body).toContain("Đã ghim bài lên đầu bản tin.");
    expect(row(pinned.body, h.trickyId)).toContain("📌 Ghim đến 2026-01-27 18:00 (GMT+7)");
    expect((await findArticle(h.db, h.trickyId))?.pinnedUntil).toBe("2026-01-27T11:00:00.000Z");
    const unpinned = await client.follow(await client.post(`/admin/stories/${h.trickyId}/unpin`));
    expect(row(unpinned.body, h.trickyId)).not.toContain("📌 Ghim đến");
    expect(unpinned.body).toContain("Đã bỏ ghim.");
    const actions = (await listAudit(h.db, { limit: 50 })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["story.hide", "story.unhide", "story.pin", "story.unpin"]),
    );
  });

  it("retracts a story with a reason and deletes the push that carried it", async () => {
    const chat = 7301;
    const { reader } = await registerReader(
      h.db,
      { platform: "telegram", chatId: String(chat), chatType: "private" },
      { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      NOW.toISOString(),
    );
    const story = await findArticle(h.db, h.longId);
    if (!story) throw new Error("no long story");
    const message = instantMessage([{ ...story, publishedAt: story.publishedAt }], {
      locale: "vi",
      timeZone: "Asia/Ho_Chi_Minh",
      now: NOW,
    });
    await enqueue(h.db, [
      {
        idempotencyKey: `instant:${reader.id}:${story.id}`,
        readerId: reader.id,
        platform: "telegram",
        kind: "instant",
        payload: renderPayload("telegram", message, "vi"),
        nextAttemptAt: NOW.toISOString(),
        stories: [story.id],
      },
    ]);
    const sent = await h.fake.waitFor(
      (c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chat),
      10_000,
    );
    const messageId = Number((sent.result as { message_id: number }).message_id);
    for (let i = 0; i < 100; i++) {
      const row = await h.db
        .selectFrom("outbox")
        .select("state")
        .where("reader_id", "=", reader.id)
        .executeTakeFirst();
      if (row?.state === "sent") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    await client.get("/admin/stories");
    const noReason = await client.post(`/admin/stories/${story.id}/retract`, { reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain("Cần ghi lý do gỡ bài.");
    const overlong = await client.post(`/admin/stories/${story.id}/retract`, {
      reason: "x".repeat(501),
    });
    expect(overlong.status).toBe(400);
    expect(overlong.body).toContain("Lý do gỡ bài dài tối đa 500 ký tự.");
    const done = await client.post(`/admin/stories/${story.id}/retract`, {
      reason: "Vi phạm bản quyền",
    });
    expect(done.status).toBe(200);
    expect(done.body).toContain("Đã gỡ bài. Telegram: sẽ xóa 1 tin, sửa 0 tin");
    expect(row(done.body, story.id)).toContain("Đã gỡ lúc");
    expect(row(done.body, story.id)).not.toContain("/retract");
    await h.fake.waitFor(
      (c) => c.method === "deleteMessage" && String(c.params.chat_id) === String(chat),
      10_000,
    );
    expect(h.fake.messageIn(chat, messageId)).toBeUndefined();
    const [entry] = (await listAudit(h.db, { limit: 50 })).filter(
      (e) => e.action === "story.retract",
    );
    expect(entry?.actor).toBe(`telegram:${CONSOLE_ADMIN}`);
    expect(entry?.detail).toMatchObject({ reason: "Vi phạm bản quyền", deleted: 1 });
    const audit = await client.get("/admin/audit");
    expect(audit.body).toContain("vì: Vi phạm bản quyền");
  });
});
