import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZaloApiError, zaloOutcome } from "../../src/adapters/zalo/client";
import { unwrapEvent } from "../../src/adapters/zalo/event-schema";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { runDigestTick } from "../../src/digest/run";
import { sameSecret } from "../../src/http/webhook";
import { silentLogger } from "../../src/logging";
import { readerTopicIds } from "../../src/readers/reader-topics";
import { findReader } from "../../src/readers/readers";
import { NOW } from "../helpers/telegram-harness";
import {
  startZaloHarness,
  ZALO_SECRET,
  type ZaloHarness,
  zaloTexts,
} from "../helpers/zalo-harness";

describe("Zalo, in Zalo's idiom (webhook)", () => {
  let h: ZaloHarness;
  let n = 0;
  const chat = () => `zc${++n}`;
  const say = async (chatId: string, text: string) =>
    zaloTexts(await h.send(h.zalo.textEvent({ chatId, text, displayName: "Minh" })));

  beforeAll(async () => {
    h = await startZaloHarness("webhook");
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("topics by number: '1 3 5' toggles those topics at once", async () => {
    const id = chat();
    const start = (await say(id, "chủ đề")).join("\n");
    expect(start).toMatch(
      /\[1\] Thời sự\n\[2\] Kinh tế\n\[3\] Xã hội\n\[4\] Văn hóa\n\[5\] Thể thao\n\[6\] ⚙️ Cách nhận tin\n\[7\] Xong/,
    );
    const toggled = (await say(id, "1 3 5")).join("\n");
    expect(toggled).toContain("Đã theo dõi: Thời sự");
    expect(toggled).toContain("Đã theo dõi: Thể thao");
    expect(toggled).toMatch(/\[1\] ✅ Thời sự[\s\S]*\[3\] ✅ Xã hội[\s\S]*\[5\] ✅ Thể thao/);
    const reader = await findReader(h.db, "zalo", id);
    expect(await readerTopicIds(h.db, reader?.id as number)).toHaveLength(3);
    expect((await say(id, "7")).join("\n")).toMatch(
      /Đã lưu\. Bạn đang theo dõi: Thời sự, Xã hội, Thể thao\./,
    );
  });

  it("numbers out of range, or with no list, get a clear answer", async () => {
    const id = chat();
    expect(await say(id, "3")).toEqual([
      "Chưa có danh sách nào để chọn. Gõ “mới”, “chủ đề” hoặc “tìm <từ khóa>”.",
    ]);
    await say(id, "/chude");
    expect(await say(id, "1 9")).toEqual(["Không có số 9. Hãy chọn từ 1 đến 7."]);
    const reader = await findReader(h.db, "zalo", id);
    expect(await readerTopicIds(h.db, reader?.id as number)).toEqual([]); // nothing half done
  });

  it("numbered story lists: 'đọc 2' opens the second, accents optional", async () => {
    const id = chat();
    const list = (await say(id, "mới")).join("\n");
    expect(list).toMatch(/^Tin mới nhất\n\n1\. /);
    const second = /\n2\. (.+)\n/.exec(list)?.[1] as string;
    expect((await say(id, "đọc 2"))[0]?.split("\n")[0]).toBe(second);
    expect((await say(id, "doc 2"))[0]?.split("\n")[0]).toBe(second);
    const next = (await say(id, "6")).join("\n"); // "Sau ›"
    expect(next).toMatch(/\n6\. /);
    expect((await say(id, "đọc 6"))[0]).toBeTruthy();
  });

  it("a long story comes in parts under 2,000 characters, cut at paragraphs; photos with captions", async () => {
    const id = chat();
    const calls = await h.send(h.zalo.textEvent({ chatId: id, text: `/doc_${h.longId}` }));
    const texts = calls.filter((c) => c.method === "sendMessage").map((c) => String(c.params.text));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(2000);
      expect(text).not.toMatch(/^\s|\s$/);
    }
    const joined = texts.join("\n\n");
    for (let i = 1; i <= 12; i++) expect(joined).toContain(`Đoạn ${i}: `);
    const photo = calls.find((c) => c.method === "sendPhoto");
    expect(photo?.params).toMatchObject({
      photo: "https://baolaocai.vn/uploads/mua-vang.jpg",
      caption: "Ruộng bậc thang mùa lúa chín.",
    });
  });

  it("plain text with < & and quotes goes out as it is", async () => {
    const texts = await say(chat(), `/doc_${h.trickyId}`);
    expect(texts[0]).toMatch(/^Giá <5% & "tăng" trở lại <script>\n/);
  });

  it("refuses a wrong or missing secret with 401 and a malformed body with 400, doing nothing", async () => {
    const before = h.zalo.calls.length;
    const event = h.zalo.textEvent({ chatId: chat(), text: "/start" });
    expect((await h.zalo.deliverWebhook(event, { secret: "wrong-secret" })).status).toBe(401);
    expect((await h.zalo.deliverWebhook(event, { secret: null })).status).toBe(401);
    const url = `${h.running.http.url}/zalo/webhook`;
    const headers = { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET };
    expect((await fetch(url, { method: "POST", headers, body: "{not json" })).status).toBe(400);
    expect(
      (await fetch(url, { method: "POST", headers, body: JSON.stringify({ hello: 1 }) })).status,
    ).toBe(400);
    await h.running.idle();
    expect(h.zalo.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
  });

  it("accepts both payload shapes and handles a message delivered twice once", async () => {
    const id = chat();
    const event = h.zalo.textEvent({ chatId: id, text: "/trogiup" });
    expect((await h.zalo.deliverWebhook(event, { wrap: true })).status).toBe(200);
    await h.running.idle();
    expect((await h.zalo.deliverWebhook(event)).status).toBe(200);
    await h.running.idle();
    expect(h.zalo.textsTo(id)).toHaveLength(1);
    expect(h.zalo.textsTo(id)[0]).toMatch(/\/tim <từ khóa>/);
  });

  it("ignores unknown events; answers stickers and images with a hint", async () => {
    const id = chat();
    expect(
      zaloTexts(
        await h.send(h.zalo.rawEvent({ event_name: "user.follow", message: { chat: { id } } })),
      ),
    ).toEqual([]);
    expect(zaloTexts(await h.send(h.zalo.stickerEvent({ chatId: id })))).toEqual([
      "Tôi chỉ đọc được tin nhắn chữ. Gõ “trợ giúp” để xem cách dùng.",
    ]);
    expect(zaloTexts(await h.send(h.zalo.imageEvent({ chatId: id, caption: "ảnh" })))).toHaveLength(
      1,
    );
  });

  it("a reply that meets three 500s in a row still reaches the reader, seconds later", async () => {
    const id = chat();
    h.zalo.fault(id, { kind: "server_error" }, 3);
    const calls = await h.send(h.zalo.textEvent({ chatId: id, text: "trợ giúp" }));
    const tries = calls.filter((c) => c.method === "sendMessage");
    expect(tries).toHaveLength(4);
    // 1 s, 2 s and 4 s apart: a brief outage is waited out, not hammered.
    const gaps = tries.slice(1).map((c, i) => c.at - (tries[i]?.at ?? 0));
    expect(gaps.every((gap, i) => gap >= 1000 * 2 ** i - 50)).toBe(true);
    expect(zaloTexts(calls).join("\n")).toContain("Trợ giúp");
  });

  it("answers a 10,000-character message without crashing", async () => {
    const texts = await say(chat(), `tìm ${"bão lũ ".repeat(1500)}`);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.length <= 2000)).toBe(true);
  });

  it("a scheduled digest reaches a Zalo reader, as plain text", async () => {
    const id = chat();
    await say(id, "/start topic_xa-hoi");
    const reader = await findReader(h.db, "zalo", id);
    // The story is new since the reader signed up, and the reader's 07:00 has come next morning.
    await h.db
      .updateTable("readers")
      .set({
        created_at: "2026-01-20T00:00:00.000Z",
      })
      .where("id", "=", reader?.id as number)
      .execute();
    const summary = await runDigestTick({
      db: h.db,
      clock: () => NOW, // 10:00 in Hà Nội: today's 07:00 digest is due
      logger: silentLogger(),
      perTopic: 5,
    });
    expect(summary.enqueued).toBeGreaterThanOrEqual(1);
    const digest = await h.zalo.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.params.chat_id === id &&
        /Bản tin ngày 27\/01/.test(String(c.params.text)),
      10_000,
    );
    expect(String(digest.params.text)).toMatch(/Xã hội\n1\. Cảnh báo mưa lớn/);
    expect(String(digest.params.text)).not.toMatch(/<[a-z]/);
  });

  it("a delivered digest is the chat's last list: a bare number and “đọc N” open its stories", async () => {
    const id = chat();
    await say(id, "/start topic_xa-hoi");
    const reader = await findReader(h.db, "zalo", id);
    await h.db
      .updateTable("readers")
      .set({
        created_at: "2026-01-20T00:00:00.000Z",
      })
      .where("id", "=", reader?.id as number)
      .execute();
    await runDigestTick({ db: h.db, clock: () => NOW, logger: silentLogger(), perTopic: 5 });
    await h.zalo.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.params.chat_id === id &&
        /Bản tin ngày/.test(String(c.params.text)),
      10_000,
    );
    // The row is marked sent (and the list remembered) just after the send; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await say(id, "đọc 1")).join("\n")).toMatch(/Người dân cần theo dõi bản tin thời tiết/);
    expect((await say(id, "1")).join("\n")).toMatch(/Người dân cần theo dõi bản tin thời tiết/);
  });
});

describe("both platforms from one process", () => {
  let h: ZaloHarness;
  afterEach(async () => {
    await h?.stop();
  });

  it("a Zalo admin's breaking news reaches Telegram and Zalo readers", async () => {
    h = await startZaloHarness("webhook", {
      withTelegram: true,
      admins: "telegram:42,zalo:zadmin",
    });
    const telegram = h.telegram;
    if (!telegram) throw new Error("no Telegram fake");
    // Readers on both platforms.
    await h.send(h.zalo.textEvent({ chatId: "zr1", text: "/start" }));
    await h.db
      .insertInto("readers")
      .values({
        platform: "telegram",
        chat_id: "9002",
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();

    // The Zalo admin: preview with numbered choices, "1" sends, a summary when it is done.
    const preview = zaloTexts(
      await h.send(
        h.zalo.textEvent({ chatId: "zadmin", text: "/tinnong Mưa lớn ở Sa Pa, hạn chế đi lại" }),
      ),
    );
    expect(preview.join("\n")).toMatch(
      /Xem trước tin nóng #\d+[\s\S]*Người nhận: \d+ — tất cả độc giả[\s\S]*\[1\] ✅ Gửi cho \d+ người\n\[2\] ✖ Hủy/,
    );
    await h.send(h.zalo.textEvent({ chatId: "zadmin", text: "1" }));
    await h.zalo.waitFor(
      (c) => c.params.chat_id === "zr1" && /TIN NÓNG/.test(String(c.params.text)),
      15_000,
    );
    await telegram.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        String(c.params.chat_id) === "9002" &&
        /TIN NÓNG/.test(String(c.params.text)),
      15_000,
    );
    await h.zalo.waitFor(
      (c) => c.params.chat_id === "zadmin" && /Đã gửi xong tin nóng/.test(String(c.params.text)),
      15_000,
    );
    const zaloText = h.zalo.textsTo("zr1").find((t) => t.includes("TIN NÓNG"));
    expect(zaloText).toBe("🔴 TIN NÓNG · bantin\n\nMưa lớn ở Sa Pa, hạn chế đi lại");

    // One process serves both: both channels ready, nothing left in the outbox.
    expect((await countOutboxByState(h.db)).pending).toBe(0);
    const ready = await fetch(`${h.running.http.url}/readyz`);
    expect(await ready.json()).toMatchObject({
      ready: true,
      platforms: { telegram: true, zalo: true },
      channels: { telegram: true, zalo: true },
    });
  });

  it("a token Zalo rejects stops serving Zalo with one clear line; Telegram keeps running", async () => {
    h = await startZaloHarness("polling", {
      withTelegram: true,
      env: { ZALO_BOT_TOKEN: "999:not-the-token" },
    });
    const ready = await fetch(`${h.running.http.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ready: false,
      platforms: { telegram: true, zalo: false },
      channels: { telegram: true, zalo: false },
    });
    expect(h.running.zalo?.failure()).toMatch(
      /^Zalo refused the token \(401 .*\): bantin stopped serving Zalo; check ZALO_BOT_TOKEN$/,
    );
    const telegram = h.telegram;
    if (!telegram) throw new Error("no Telegram fake");
    const id = telegram.pushUpdate(telegram.message({ chatId: 4242, text: "/help" }));
    await telegram.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > id,
      10_000,
    );
    await h.running.idle();
    expect(telegram.sentMessages(4242)).toHaveLength(1);
  });
});

describe("Zalo long polling, stopped", () => {
  it("cuts the poll in progress: an event that comes after the stop stays with Zalo", async () => {
    const h = await startZaloHarness("polling");
    try {
      // A long poll is held open by the fake.
      await h.zalo.waitFor((c) => c.method === "getUpdates" && c.ok === undefined, 10_000);
      await h.running.stop();
      const event = h.zalo.textEvent({ chatId: "zstop", text: "trợ giúp" });
      const messageId = event.message?.message_id;
      h.zalo.pushUpdate(event);
      // Longer than the harness's 1 s polls: a poll left open would have taken it by now.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const handedOver = h.zalo.calls.filter(
        (c) =>
          c.method === "getUpdates" &&
          (c.result as { message?: { message_id?: string } } | undefined)?.message?.message_id ===
            messageId,
      );
      expect(handedOver).toEqual([]);
      // Still there for the next start.
      const next = await fetch(`${h.zalo.apiRoot}/bot${h.zalo.token}/getUpdates`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeout: 0 }),
      });
      const taken = (await next.json()) as { result?: { message?: { message_id?: string } } };
      expect(taken.result?.message?.message_id).toBe(messageId);
    } finally {
      await h.db.destroy();
      await h.zalo.close();
    }
  });
});

describe("Zalo helpers", () => {
  it("map Zalo's errors to the delivery outcomes", () => {
    expect(zaloOutcome(new ZaloApiError("sendMessage", 401, "invalid token")).kind).toBe(
      "unauthorized",
    );
    expect(zaloOutcome(new ZaloApiError("sendMessage", 429, "Quota exceeded"))).toEqual({
      kind: "retryAfter",
      seconds: 5,
    });
    expect(zaloOutcome(new ZaloApiError("sendMessage", 408, "timeout")).kind).toBe("transient");
    expect(zaloOutcome(new ZaloApiError("sendMessage", 502, "bad gateway")).kind).toBe("transient");
    expect(zaloOutcome(new ZaloApiError("sendMessage", 0, "network error")).kind).toBe("transient");
    expect(zaloOutcome(new ZaloApiError("sendMessage", 404, "chat not found")).kind).toBe(
      "unreachable",
    );
    expect(zaloOutcome(new ZaloApiError("sendMessage", 400, "text too long")).kind).toBe(
      "permanent",
    );
  });

  it("compare secrets in constant time and unwrap both payload shapes", () => {
    expect(sameSecret("abcdefgh", "abcdefgh")).toBe(true);
    expect(sameSecret("abcdefg", "abcdefgh")).toBe(false);
    expect(sameSecret(undefined, "abcdefgh")).toBe(false);
    const event = { event_name: "message.text.received", message: { text: "x" } };
    expect(unwrapEvent(event)).toEqual(event);
    expect(unwrapEvent({ ok: true, result: event })).toEqual(event);
    expect(unwrapEvent({ ok: true })).toBeNull();
    expect(unwrapEvent("nope")).toBeNull();
  });
});
