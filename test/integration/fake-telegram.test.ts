import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, GrammyError, InlineKeyboard, webhookCallback } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeTelegram,
  parseTelegramHtml,
  type RecordedCall,
  startFakeTelegram,
} from "../fakes/telegram-api";

const PRIVATE = 1001;

let fake: FakeTelegram;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeTelegram();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await fake.close();
});

function makeBot(target: FakeTelegram = fake): Bot {
  return new Bot(target.token, {
    botInfo: target.botInfo,
    client: { apiRoot: target.apiRoot },
  });
}

async function expectGrammyError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GrammyError);
    return error as GrammyError;
  }
  throw new Error("expected the call to fail");
}

async function raw(method: string, body: unknown, token = fake.token) {
  const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("fake Telegram Bot API with grammY", () => {
  it("answers getMe, and 401/404 for a wrong token or method", async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    await bot.init();
    expect(bot.botInfo.username).toBe("bantin_test_bot");
    expect(fake.callsTo("getMe")).toHaveLength(1);

    const wrong = await raw("getMe", {}, "999:WRONG");
    expect(wrong).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    const unknown = await raw("sendTelepathy", { chat_id: 1 });
    expect(unknown.json).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  it("long polling: a pushed /start reaches the handler and the reply is recorded", async () => {
    const bot = makeBot();
    bot.command("start", (ctx) => ctx.reply(`Xin chào ${ctx.from?.first_name}!`));
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "ok" });
      await ctx.editMessageText(`chọn ${ctx.callbackQuery.data}`);
    });
    const started = new Promise<void>((resolve) => {
      void bot.start({ onStart: () => resolve(), timeout: 5 });
    });
    await started;

    fake.pushUpdate(fake.message({ chatId: PRIVATE, text: "/start", firstName: "Minh" }));
    const reply = await fake.waitFor((c) => c.method === "sendMessage");
    expect(reply.params).toMatchObject({ chat_id: PRIVATE, text: "Xin chào Minh!" });
    const sent = fake.sentMessages(PRIVATE);
    expect(sent).toHaveLength(1);
    const messageId = (sent[0]?.result as { message_id: number } | undefined)?.message_id ?? 0;

    fake.pushUpdate(fake.callbackQuery({ chatId: PRIVATE, data: "d:1", messageId }));
    const edit = await fake.waitFor((c) => c.method === "editMessageText");
    expect(edit.params).toMatchObject({
      chat_id: PRIVATE,
      message_id: messageId,
      text: "chọn d:1",
    });
    expect(fake.callsTo("answerCallbackQuery")).toHaveLength(1);

    await bot.stop();
    // bot.stop() confirms the handled updates with a last getUpdates.
    const last = fake.callsTo("getUpdates").at(-1);
    expect(last?.params.offset).toBeGreaterThan(1);
  });

  it("group commands with @username are routed", async () => {
    const bot = makeBot();
    bot.command("help", (ctx) => ctx.reply("help"));
    const update = fake.message({
      chatId: -5001,
      chatType: "group",
      fromId: 77,
      text: "/help@bantin_test_bot now",
    });
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 21 }]);
    await bot.handleUpdate(update);
    expect(fake.sentMessages(-5001)[0]?.result).toMatchObject({
      chat: { id: -5001, type: "group" },
      text: "help",
    });
  });

  it("webhook mode: setWebhook blocks getUpdates, deliverWebhook reaches grammY, wrong secret is 401", async () => {
    const bot = makeBot();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const server: Server = createServer(
      webhookCallback(bot, "http", { secretToken: "s3cret-tok" }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`;

    await bot.api.setWebhook(url, { secret_token: "s3cret-tok" });
    expect(fake.webhook).toEqual({ url, secretToken: "s3cret-tok" });
    expect((await bot.api.getWebhookInfo()).url).toBe(url);
    const conflict = await expectGrammyError(bot.api.getUpdates());
    expect(conflict.error_code).toBe(409);

    const delivered = await fake.deliverWebhook(fake.message({ chatId: PRIVATE, text: "chào" }));
    expect(delivered.status).toBe(200);
    expect(fake.sentMessages(PRIVATE).map((c) => c.params.text)).toEqual(["echo: chào"]);

    const rejected = await fake.deliverWebhook(fake.message({ chatId: PRIVATE, text: "x" }), {
      secret: "wrong",
    });
    expect(rejected.status).toBe(401);
    expect(fake.sentMessages(PRIVATE)).toHaveLength(1);

    await bot.api.deleteWebhook();
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("a retry_after fault surfaces as GrammyError with parameters.retry_after", async () => {
    const bot = makeBot();
    fake.fault(PRIVATE, { kind: "retry_after", seconds: 7 }, 1);
    const error = await expectGrammyError(bot.api.sendMessage(PRIVATE, "tin"));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe("Too Many Requests: retry after 7");
    expect(error.parameters.retry_after).toBe(7);
    // times = 1: the next one goes through
    await bot.api.sendMessage(PRIVATE, "tin");
    expect(fake.sentMessages(PRIVATE)).toHaveLength(1);
    expect(fake.sentMessages(PRIVATE, { includeFailed: true })).toHaveLength(2);
    expect(fake.stats.tooManyRequests).toBe(1);
  });

  it("blocked, migrated, chat not found and server errors have the real shapes", async () => {
    const bot = makeBot();
    fake.fault(2002, { kind: "blocked" });
    fake.fault(-3003, { kind: "migrated", toChatId: -1003003 });
    fake.fault(4004, { kind: "chat_not_found" });
    fake.fault("*", { kind: "server_error", status: 502 }, 1);

    const gateway = await expectGrammyError(bot.api.sendMessage(5005, "a"));
    expect(gateway.error_code).toBe(502);

    const blocked = await expectGrammyError(bot.api.sendMessage(2002, "a"));
    expect([blocked.error_code, blocked.description]).toEqual([
      403,
      "Forbidden: bot was blocked by the user",
    ]);
    const migrated = await raw("sendMessage", { chat_id: -3003, text: "a" });
    expect(migrated.json).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: group chat was upgraded to a supergroup chat",
      parameters: { migrate_to_chat_id: -1003003 },
    });
    const missing = await expectGrammyError(bot.api.sendMessage(4004, "a"));
    expect(missing.description).toBe("Bad Request: chat not found");

    fake.clearFaults();
    await bot.api.sendMessage(2002, "a");
    expect(fake.stats.faults).toBe(4);
  });

  it("the HTML validator follows Telegram's rules", async () => {
    const bot = makeBot();
    const foo = await expectGrammyError(
      bot.api.sendMessage(PRIVATE, "Tin <foo> nóng", { parse_mode: "HTML" }),
    );
    expect(foo.description).toMatch(/^Bad Request: can't parse entities/);
    expect(foo.description).toContain('Unsupported start tag "foo" at byte offset 4');

    const amp = await expectGrammyError(
      bot.api.sendMessage(PRIVATE, "Mưa & gió", { parse_mode: "HTML" }),
    );
    expect(amp.description).toMatch(/^Bad Request: can't parse entities/);

    const unclosed = await expectGrammyError(
      bot.api.sendMessage(PRIVATE, "<b>đậm <i>nghiêng</b></i>", { parse_mode: "HTML" }),
    );
    expect(unclosed.description).toContain("Unmatched end tag");

    const good = await bot.api.sendMessage(PRIVATE, '<b>A &amp; B</b> <a href="https://x">y</a>', {
      parse_mode: "HTML",
    });
    expect(good.text).toBe("A & B y");
    expect(good.entities).toEqual([
      { type: "bold", offset: 0, length: 5 },
      { type: "text_link", offset: 6, length: 1, url: "https://x" },
    ]);

    expect(
      parseTelegramHtml(
        '<blockquote expandable><tg-spoiler>s</tg-spoiler> <pre><code class="language-ts">x</code></pre></blockquote> &lt;&#33;&#x21;',
      ),
    ).toMatchObject({ ok: true, text: "s x <!!" });
    expect(parseTelegramHtml('<span class="x">a</span>').ok).toBe(false);
    expect(parseTelegramHtml("a < b").ok).toBe(false);
    expect(parseTelegramHtml("<b>a").ok).toBe(false);
  });

  it("rejects too-long and empty texts, long captions and 65-byte callback data", async () => {
    const bot = makeBot();
    const long = await expectGrammyError(bot.api.sendMessage(PRIVATE, "x".repeat(4097)));
    expect(long.description).toBe("Bad Request: message is too long");
    // 4096 visible characters are fine even when the HTML source is longer.
    await bot.api.sendMessage(PRIVATE, `<b>${"đ".repeat(4096)}</b>`, { parse_mode: "HTML" });
    const empty = await expectGrammyError(
      bot.api.sendMessage(PRIVATE, "<b> </b>", { parse_mode: "HTML" }),
    );
    expect(empty.description).toBe("Bad Request: message text is empty");
    const caption = await expectGrammyError(
      bot.api.sendPhoto(PRIVATE, "https://example.test/a.jpg", { caption: "c".repeat(1025) }),
    );
    expect(caption.description).toBe("Bad Request: message caption is too long");

    const data65 = `${"ế".repeat(21)}xx`; // 21 * 3 + 2 = 65 bytes
    const button = await expectGrammyError(
      bot.api.sendMessage(PRIVATE, "chọn", {
        reply_markup: new InlineKeyboard().text("Đọc", data65),
      }),
    );
    expect(button.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const okMsg = await bot.api.sendMessage(PRIVATE, "chọn", {
      reply_markup: new InlineKeyboard().text("Đọc", data65.slice(0, -1)),
    });
    expect(okMsg.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ text: "Đọc" });

    const same = await expectGrammyError(
      bot.api.editMessageText(PRIVATE, okMsg.message_id, "chọn", {
        reply_markup: new InlineKeyboard().text("Đọc", data65.slice(0, -1)),
      }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const edited = await bot.api.editMessageText(PRIVATE, okMsg.message_id, "chọn lại");
    expect(edited).toMatchObject({ text: "chọn lại" });
  });

  it("parses multipart uploads (InputFile) and form bodies", async () => {
    const { InputFile } = await import("grammy");
    const bot = makeBot();
    const msg = await bot.api.sendPhoto(PRIVATE, new InputFile(Buffer.from("JPEG"), "a.jpg"), {
      caption: "<i>ảnh</i>",
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Xem", "v:1"),
    });
    expect(msg.caption).toBe("ảnh");
    expect(msg.photo?.length).toBeGreaterThan(0);
    const call = fake.callsTo("sendPhoto")[0] as RecordedCall;
    expect(call.params.chat_id).toBe(PRIVATE);
    expect(call.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Xem", callback_data: "v:1" }]],
    });

    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: String(PRIVATE), text: "form" }),
    });
    expect(((await form.json()) as { result: { text: string } }).result.text).toBe("form");
  });

  it("takes a document upload with its name and bytes, and refuses an attach:// with no part", async () => {
    const { InputFile } = await import("grammy");
    const bot = makeBot();
    const msg = await bot.api.sendDocument(
      PRIVATE,
      new InputFile(Buffer.from('{"a":"ả"}', "utf8"), "data.json"),
      { caption: "JSON" },
    );
    expect(msg.document).toMatchObject({ file_name: "data.json", file_size: 11 });
    const call = fake.callsTo("sendDocument")[0] as RecordedCall;
    const part = String(call.params.document).replace(/^attach:\/\//, "");
    expect(call.params[part]).toMatchObject({ filename: "data.json", text: '{"a":"ả"}' });

    const missing = await fetch(`${fake.apiRoot}/bot${fake.token}/sendDocument`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: PRIVATE, document: "attach://nothing" }),
    });
    expect(missing.status).toBe(400);
  });

  it("limits answer 429 with retry_after once exceeded", async () => {
    const limited = await startFakeTelegram({
      limits: { globalPerSecond: 5, perChatPerSecond: 2, perGroupPerMinute: 3 },
    });
    cleanups.push(() => limited.close());
    const bot = makeBot(limited);

    await bot.api.sendMessage(1, "a");
    await bot.api.sendMessage(1, "b");
    const perChat = await expectGrammyError(bot.api.sendMessage(1, "c"));
    expect(perChat.error_code).toBe(429);
    expect(perChat.parameters.retry_after).toBeGreaterThanOrEqual(1);

    for (const g of [-10, -10, -10]) await bot.api.sendMessage(g, "g").catch(() => undefined);
    expect(limited.stats.sends).toBe(4); // 2 private + 2 to the group (per-chat 2/s hit first)

    const results = await Promise.allSettled(
      [2, 3, 4, 5, 6, 7].map((chat) => bot.api.sendMessage(chat, "x")),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.length).toBe(5); // only one global slot left in this second
    expect(limited.stats.tooManyRequests).toBe(7);
  });

  it("per-group limit is per minute and paid broadcasts use their own global limit", async () => {
    const limited = await startFakeTelegram({
      limits: { globalPerSecond: 2, perGroupPerMinute: 2, paidGlobalPerSecond: 100 },
    });
    cleanups.push(() => limited.close());
    const bot = makeBot(limited);
    await bot.api.sendMessage(-20, "1");
    await bot.api.sendMessage(-20, "2");
    limited.stats.tooManyRequests = 0;
    const group = await expectGrammyError(
      bot.api.sendMessage(-20, "3", { allow_paid_broadcast: true }),
    );
    expect(group.parameters.retry_after).toBeGreaterThan(50);
    const paid = await Promise.all(
      [1, 2, 3, 4, 5].map((chat) => bot.api.sendMessage(chat, "p", { allow_paid_broadcast: true })),
    );
    expect(paid).toHaveLength(5);
    await expectGrammyError(bot.api.sendMessage(9, "free"));
  });

  it("chat members, commands and waitFor timeouts", async () => {
    const bot = makeBot();
    fake.setChatMemberStatus(-700, 42, "administrator");
    fake.setChatMemberStatus(-700, 43, "creator");
    expect((await bot.api.getChatMember(-700, 42)).status).toBe("administrator");
    expect((await bot.api.getChatMember(-700, 44)).status).toBe("member");
    expect((await bot.api.getChatAdministrators(-700)).map((m) => m.user.id)).toEqual([42, 43]);
    await bot.api.setMyCommands([{ command: "tin", description: "Tin mới" }]);
    expect(await bot.api.getMyCommands()).toEqual([{ command: "tin", description: "Tin mới" }]);
    await expect(bot.api.setMyCommands([{ command: "Bad-Cmd", description: "x" }])).rejects.toThrow(
      "BOT_COMMAND_INVALID",
    );
    await expect(fake.waitFor((c) => c.method === "sendPoll", 50)).rejects.toThrow(
      /no matching call within 50 ms.*\n.*setMyCommands/s,
    );
  });

  it("slow and timeout faults, latency, and close() ends pending polls", async () => {
    const slow = await startFakeTelegram({ latencyMs: 30 });
    cleanups.push(() => slow.close());
    const bot = makeBot(slow);
    slow.fault(PRIVATE, { kind: "slow", ms: 100 }, 1);
    const t0 = Date.now();
    await bot.api.sendMessage(PRIVATE, "chậm");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(120);

    slow.fault(PRIVATE, { kind: "timeout" }, 1);
    const hanging = bot.api.sendMessage(PRIVATE, "never").then(
      () => "answered",
      () => "failed",
    );
    const poll = bot.api.getUpdates({ timeout: 30 });
    await slow.waitFor((c) => c.method === "getUpdates");
    await slow.close();
    expect(await poll).toEqual([]);
    expect(await hanging).toBe("failed");
  });

  it("random faults are seeded and only hit sends", async () => {
    const run = async () => {
      const f = await startFakeTelegram({
        randomFaults: { rate: 0.5, seed: 42, kinds: ["blocked", "server_error"] },
      });
      const bot = makeBot(f);
      await bot.api.getMe();
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await bot.api.sendMessage(100 + i, "r").then(
            () => "ok",
            (e: GrammyError) => String(e.error_code),
          ),
        );
      }
      await f.close();
      return outcomes;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first).toContain("ok");
    expect(first.some((o) => o !== "ok")).toBe(true);
  });
});
