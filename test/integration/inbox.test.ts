/**
 * The inbox: every update is stored before it is acknowledged, a repeat is a no-op, and a body
 * that is not an update is refused with the reason. (That nothing acknowledged is lost when the
 * process stops or dies is test/processes/inbox-restart.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countUpdatesByState } from "../../src/inbox/updates";
import { postRaw } from "../helpers/processes";
import {
  answersTo,
  type Harness,
  startTelegramHarness,
  telegramHeaders,
} from "../helpers/telegram-harness";
import { startZaloHarness, ZALO_SECRET, type ZaloHarness } from "../helpers/zalo-harness";

const post = postRaw;

describe("the Telegram webhook", () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startTelegramHarness("webhook", {
      env: { TELEGRAM_RATE: "1000", TELEGRAM_PAID_BROADCAST: "true" },
    });
    url = `${h.running.http.url}/telegram/webhook`;
  });
  afterAll(() => h?.stop());

  it("answers the same update posted three times once", async () => {
    const update = h.fake.message({ chatId: 61_001, text: "/trogiup" });
    for (let i = 0; i < 3; i++) expect((await h.fake.deliverWebhook(update)).status).toBe(200);
    await h.running.idle();
    expect(answersTo(h.fake.calls, 61_001)).toBe(1);
  });

  it.each([
    ["not JSON", "{not json", /not JSON/],
    ["null", "null", /update/],
    ["a number", "42", /update/],
    ["no update_id", JSON.stringify({ message: {} }), /update_id/],
    [
      "a number where text belongs",
      JSON.stringify({
        update_id: 9_000_001,
        message: { message_id: 1, date: 1, chat: { id: 61_002, type: "private" }, text: 12 },
      }),
      /message\.text/,
    ],
    [
      "a chat id that is an object",
      JSON.stringify({
        update_id: 9_000_002,
        message: { message_id: 1, date: 1, chat: { id: { x: 1 }, type: "private" }, text: "hi" },
      }),
      /message\.chat\.id/,
    ],
  ])("refuses %s with 400 and the reason, storing and answering nothing", async (_, body, why) => {
    const before = h.fake.calls.length;
    const stored = await countUpdatesByState(h.db);
    const answer = await post(url, body, telegramHeaders);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).description).toMatch(why);
    await h.running.idle();
    expect(await countUpdatesByState(h.db)).toEqual(stored);
    expect(h.fake.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
  });

  it("refuses a body over 1 MiB with 413, declared or streamed, and keeps serving", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await post(url, big, telegramHeaders);
    expect(declared.status).toBe(413);
    const streamed = await post(url, big, { ...telegramHeaders, "transfer-encoding": "chunked" });
    expect(streamed.status).toBe(413);
    const update = h.fake.message({ chatId: 61_003, text: "/trogiup" });
    expect((await h.fake.deliverWebhook(update)).status).toBe(200);
    await h.running.idle();
    expect(answersTo(h.fake.calls, 61_003)).toBe(1);
  });

  it("a wrong secret is 401 and stores nothing", async () => {
    const stored = await countUpdatesByState(h.db);
    const update = h.fake.message({ chatId: 61_004, text: "/trogiup" });
    expect((await h.fake.deliverWebhook(update, { secret: "wrong-secret" })).status).toBe(401);
    expect(await countUpdatesByState(h.db)).toEqual(stored);
  });

  it("500 updates at once from 500 chats: every one acknowledged 2xx, every chat answered once", async () => {
    const chats = Array.from({ length: 500 }, (_, i) => 62_000 + i);
    const answers = await Promise.all(
      chats.map((chatId) =>
        post(url, JSON.stringify(h.fake.message({ chatId, text: "/trogiup" })), telegramHeaders),
      ),
    );
    expect(answers.filter((a) => a.status >= 300)).toEqual([]);
    await h.running.idle();
    const calls = h.fake.calls;
    expect(chats.filter((chatId) => answersTo(calls, chatId) !== 1)).toEqual([]);
  });

  it("a chat's updates are answered in the order they came", async () => {
    const chatId = 61_005;
    for (const text of ["/lang en", "/help", "/lang vi", "/trogiup"]) {
      expect((await h.fake.deliverWebhook(h.fake.message({ chatId, text }))).status).toBe(200);
    }
    await h.running.idle();
    const texts = h.fake
      .sentMessages(chatId)
      .map((c) => String(c.params.text))
      .map((t) => t.split("\n")[0]);
    expect(texts).toEqual([
      "Switched to English.",
      "<b>Help</b>",
      "Đã chuyển sang tiếng Việt.",
      "<b>Trợ giúp</b>",
    ]);
  });
});

describe("the Zalo webhook", () => {
  let h: ZaloHarness;
  let url: string;
  const headers = { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET };
  beforeAll(async () => {
    h = await startZaloHarness("webhook");
    url = `${h.running.http.url}/zalo/webhook`;
  });
  afterAll(() => h?.stop());

  it.each([
    ["a chat id that is an object", { chat: { id: { x: 1 }, chat_type: "PRIVATE" } }, /chat\.id/],
    ["text that is a number", { chat: { id: "z1", chat_type: "PRIVATE" }, text: 5 }, /text/],
    ["no chat", { text: "hi" }, /chat/],
  ])("refuses %s with 400 and creates no reader", async (_, message, why) => {
    const body = JSON.stringify({
      event_name: "message.text.received",
      message: { from: { id: "u1", display_name: "Lan" }, message_id: "x1", ...message },
    });
    const answer = await post(url, body, headers);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).description).toMatch(why);
    const readers = await h.db.selectFrom("readers").select("chat_id").execute();
    expect(readers.map((r) => r.chat_id)).not.toContain("[object Object]");
  });

  it("the same message delivered three times is answered once", async () => {
    const event = h.zalo.textEvent({ chatId: "zdup", text: "trợ giúp" });
    for (let i = 0; i < 3; i++) expect((await h.zalo.deliverWebhook(event)).status).toBe(200);
    await h.running.idle();
    expect(h.zalo.textsTo("zdup")).toHaveLength(1);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const answer = await post(url, Buffer.alloc(2 * 1024 * 1024, 0x20), headers);
    expect(answer.status).toBe(413);
  });
});
