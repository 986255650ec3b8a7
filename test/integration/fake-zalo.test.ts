import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeZalo, type FakeZaloOptions, startFakeZalo } from "../fakes/zalo-api";

const CHAT = "user-8841";
const OTHER = "user-9902";

let fake: FakeZalo;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeZalo();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await fake.close();
});

async function another(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  const extra = await startFakeZalo(options);
  cleanups.push(() => extra.close());
  return extra;
}

async function call(
  method: string,
  body: unknown = {},
  opts: { target?: FakeZalo; token?: string } = {},
) {
  const target = opts.target ?? fake;
  const res = await fetch(`${target.apiRoot}/bot${opts.token ?? target.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver like ours: 401 on a wrong secret, else 200. */
async function webhookReceiver(secret: string): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const okSecret = req.headers["x-bot-api-secret-token"] === secret;
      res.writeHead(okSecret ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: okSecret }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/zalo/webhook`, received };
}

describe("fake Zalo Bot API", () => {
  it("answers getMe by POST and GET", async () => {
    const posted = await call("getMe");
    expect(posted).toEqual({
      status: 200,
      json: {
        ok: true,
        result: {
          id: "1234567890",
          account_name: "bantin_test_bot",
          account_type: "BASIC",
          can_join_groups: false,
        },
      },
    });
    const got = await fetch(`${fake.apiRoot}/bot${fake.token}/getMe`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { ok: boolean }).ok).toBe(true);
    expect(fake.callsTo("getMe")).toHaveLength(2);
    expect(fake.callsTo("getMe")[0]).toMatchObject({ ok: true, token: fake.token });
  });

  it("answers 401 for a wrong token and 404 for an unknown or miscased method", async () => {
    const wrong = await call("getMe", {}, { token: "1234567890:wrong" });
    expect(wrong).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: "Unauthorized: invalid token" },
    });
    expect(fake.calls[0]).toMatchObject({ token: "1234567890:wrong", ok: false, errorCode: 401 });
    const unknown = await call("sendTelepathy", { chat_id: CHAT });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ ok: false, error_code: 404 });
    const miscased = await call("sendmessage", { chat_id: CHAT, text: "hi" });
    expect(miscased.status).toBe(404);
    expect(fake.stats.sends).toBe(0);
  });

  it("records sendMessage / sendPhoto and validates sizes", async () => {
    const sent = await call("sendMessage", { chat_id: CHAT, text: "Xin chào" });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ ok: true, result: { message_id: expect.any(String) } });
    expect(typeof (sent.json.result as { date: unknown }).date).toBe("number");

    const photo = await call("sendPhoto", {
      chat_id: CHAT,
      photo: "https://img.example.test/a.jpg",
      caption: "Ảnh bão",
    });
    expect(photo.status).toBe(200);
    expect((await call("sendMessage", { chat_id: CHAT, text: "x".repeat(2000) })).status).toBe(200);

    const tooLong = await call("sendMessage", { chat_id: CHAT, text: "x".repeat(2001) });
    expect(tooLong).toEqual({
      status: 400,
      json: { ok: false, error_code: 400, description: "text too long" },
    });
    const empty = await call("sendMessage", { chat_id: CHAT, text: "" });
    expect(empty.json).toMatchObject({ error_code: 400, description: "text is empty" });
    const longCaption = await call("sendPhoto", {
      chat_id: CHAT,
      photo: "https://img.example.test/a.jpg",
      caption: "y".repeat(2001),
    });
    expect(longCaption.status).toBe(400);
    expect((await call("sendMessage", { text: "no chat" })).status).toBe(400);

    expect((await call("sendChatAction", { chat_id: CHAT, action: "typing" })).status).toBe(200);
    expect((await call("sendChatAction", { chat_id: CHAT, action: "dancing" })).status).toBe(400);

    expect(fake.sentTo(CHAT)).toHaveLength(3);
    expect(fake.textsTo(CHAT)).toEqual(["Xin chào", "Ảnh bão", "x".repeat(2000)]);
    expect(fake.sentTo(OTHER)).toEqual([]);
    expect(fake.stats.sends).toBe(3);
    expect(fake.callsTo("sendMessage")).toHaveLength(5);
    const waited = await fake.waitFor((c) => c.params.text === "Xin chào");
    expect(waited.ok).toBe(true);
  });

  it("long polling returns pushed events one per call, oldest first, and 408 on timeout", async () => {
    const pending = call("getUpdates", { timeout: 5 });
    await fake.waitFor((c) => c.method === "getUpdates");
    const first = fake.textEvent({ chatId: CHAT, text: "tin mới", displayName: "Minh" });
    fake.pushUpdate(first);
    const answered = await pending;
    expect(answered).toEqual({ status: 200, json: { ok: true, result: first } });
    expect(first).toMatchObject({
      event_name: "message.text.received",
      message: {
        from: { id: CHAT, display_name: "Minh", is_bot: false },
        chat: { id: CHAT, chat_type: "PRIVATE" },
        text: "tin mới",
        message_id: expect.any(String),
        date: expect.any(Number),
      },
    });

    const image = fake.imageEvent({ chatId: CHAT, caption: "ảnh" });
    const sticker = fake.stickerEvent({ chatId: CHAT });
    fake.pushUpdate(image);
    fake.pushUpdate(sticker);
    expect((await call("getUpdates", { timeout: 1 })).json.result).toEqual(image);
    expect((await call("getUpdates", { timeout: 1 })).json.result).toEqual(sticker);
    expect(image.event_name).toBe("message.image.received");
    expect(image.message?.photo).toMatch(/^https:/);
    expect(sticker.event_name).toBe("message.sticker.received");

    const started = Date.now();
    const empty = await call("getUpdates", { timeout: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(empty).toEqual({
      status: 408,
      json: { ok: false, error_code: 408, description: "Request timeout" },
    });
  });

  it("an aborted poll does not swallow the next update", async () => {
    const controller = new AbortController();
    const aborted = fetch(`${fake.apiRoot}/bot${fake.token}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ timeout: 30 }),
      signal: controller.signal,
    });
    await fake.waitFor((c) => c.method === "getUpdates");
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const event = fake.textEvent({ chatId: CHAT, text: "tìm bão lũ" });
    fake.pushUpdate(event);
    expect((await call("getUpdates", { timeout: 1 })).json.result).toEqual(event);
  });

  it("setWebhook + deliverWebhook POST with the secret header, bare or wrapped", async () => {
    const secret = "s3cret-token-42";
    const hook = await webhookReceiver(secret);
    expect((await call("setWebhook", { url: hook.url, secret_token: "short" })).status).toBe(400);
    expect(
      (await call("setWebhook", { url: "http://example.com/hook", secret_token: secret })).status,
    ).toBe(400);
    const set = await call("setWebhook", { url: hook.url, secret_token: secret });
    expect(set.json).toMatchObject({ ok: true, result: { url: hook.url } });
    expect((await call("getWebhookInfo")).json.result).toMatchObject({ url: hook.url });
    expect(fake.webhook).toEqual({ url: hook.url, secretToken: secret });

    const blocked = await call("getUpdates", { timeout: 1 });
    expect(blocked).toEqual({
      status: 400,
      json: {
        ok: false,
        error_code: 400,
        description: "Webhook is set; getUpdates is unavailable",
      },
    });

    const event = fake.textEvent({ chatId: CHAT, text: "1 3 5", chatType: "GROUP", fromId: OTHER });
    expect(await fake.deliverWebhook(event)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(await fake.deliverWebhook(event, { wrap: true })).toMatchObject({ status: 200 });
    expect((await fake.deliverWebhook(event, { secret: "wrong-secret" })).status).toBe(401);
    expect((await fake.deliverWebhook(event, { secret: null })).status).toBe(401);
    const unknownKind = fake.rawEvent({ event_name: "message.reaction.received", message: {} });
    expect((await fake.deliverWebhook(unknownKind)).status).toBe(200);
    expect((await fake.deliverWebhook("{not json")).status).toBe(200);

    const [bare, wrapped, wrongSecret, noSecret, raw, garbage] = hook.received;
    expect(bare?.headers["x-bot-api-secret-token"]).toBe(secret);
    expect(bare?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(bare?.body ?? "")).toEqual(event);
    expect(JSON.parse(wrapped?.body ?? "")).toEqual({ ok: true, result: event });
    expect(wrongSecret?.headers["x-bot-api-secret-token"]).toBe("wrong-secret");
    expect(noSecret?.headers["x-bot-api-secret-token"]).toBeUndefined();
    expect(JSON.parse(raw?.body ?? "")).toEqual({
      event_name: "message.reaction.received",
      message: {},
    });
    expect(garbage?.body).toBe("{not json");

    expect((await call("deleteWebhook")).status).toBe(200);
    expect(fake.webhook).toBeUndefined();
    expect((await call("getUpdates", { timeout: 0 })).status).toBe(408);
  });

  it("wraps webhook bodies by default when wrapWebhookPayload is set", async () => {
    const wrapping = await another({ wrapWebhookPayload: true });
    const hook = await webhookReceiver("abcdefgh");
    const event = fake.textEvent({ chatId: CHAT, text: "đọc 12" });
    await wrapping.deliverWebhook(event, { url: hook.url, secret: "abcdefgh" });
    await wrapping.deliverWebhook(event, { url: hook.url, secret: "abcdefgh", wrap: false });
    expect(JSON.parse(hook.received[0]?.body ?? "")).toEqual({ ok: true, result: event });
    expect(JSON.parse(hook.received[1]?.body ?? "")).toEqual(event);
  });

  it("injects per-chat and global faults", async () => {
    fake.fault(CHAT, { kind: "quota" }, 1);
    fake.fault(OTHER, { kind: "unknown_chat" }, 1);
    const msg = (chat_id: string) => call("sendMessage", { chat_id, text: "tin" });

    expect(await msg(CHAT)).toEqual({
      status: 429,
      json: { ok: false, error_code: 429, description: "Quota exceeded" },
    });
    expect((await msg(CHAT)).status).toBe(200);
    expect(await msg(OTHER)).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: "chat not found" },
    });

    fake.fault(CHAT, { kind: "unauthorized" }, 1);
    expect((await msg(CHAT)).json).toEqual({
      ok: false,
      error_code: 401,
      description: "Unauthorized: invalid token",
    });
    fake.fault(CHAT, { kind: "server_error" }, 1);
    expect((await msg(CHAT)).status).toBe(500);
    fake.fault(CHAT, { kind: "server_error", status: 503 }, 1);
    expect((await msg(CHAT)).json).toMatchObject({ error_code: 503 });
    fake.fault(CHAT, { kind: "timeout" }, 1);
    expect((await msg(CHAT)).status).toBe(408);
    fake.fault(CHAT, { kind: "unknown_chat", status: 403 }, 1);
    expect((await msg(CHAT)).json).toMatchObject({
      error_code: 403,
      description: "chat not found",
    });

    fake.fault(CHAT, { kind: "slow", ms: 150 }, 1);
    const started = Date.now();
    expect((await msg(CHAT)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    fake.fault("*", { kind: "unauthorized" }, 1);
    expect((await call("getMe")).status).toBe(401);
    expect((await call("getMe")).status).toBe(200);

    fake.fault(CHAT, { kind: "quota" });
    fake.clearFaults();
    expect((await msg(CHAT)).status).toBe(200);
    expect(fake.stats).toEqual({ sends: 3, tooManyRequests: 1, faults: 9 });
  });

  it("a hanging call is cut by close(), and close() answers pending polls", async () => {
    const target = await another();
    target.fault(CHAT, { kind: "hang" });
    const hung = call("sendMessage", { chat_id: CHAT, text: "…" }, { target });
    const poll = call("getUpdates", { timeout: 30 }, { target });
    const recorded = await target.waitFor((c) => c.method === "sendMessage");
    await target.waitFor((c) => c.method === "getUpdates");
    expect(recorded.ok).toBeUndefined();
    await target.close();
    await expect(hung).rejects.toThrow();
    expect((await poll).status).toBe(408);
  });

  it("limits.perSecond answers 429 beyond the quota", async () => {
    const limited = await another({ limits: { perSecond: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await call("sendMessage", { chat_id: CHAT, text: `${i}` }, { target: limited })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited.stats).toMatchObject({ sends: 3, tooManyRequests: 2 });
    expect(limited.textsTo(CHAT)).toEqual(["0", "1", "2"]);
  });

  it("random faults repeat with a seed, and latencyMs delays answers", async () => {
    const flaky = await another({ randomFaults: { rate: 1, seed: 7, kinds: ["server_error"] } });
    expect(
      (await call("sendMessage", { chat_id: CHAT, text: "a" }, { target: flaky })).status,
    ).toBe(500);
    expect((await call("getMe", {}, { target: flaky })).status).toBe(200);
    expect(flaky.stats.faults).toBe(1);

    const slow = await another({ latencyMs: 120 });
    const started = Date.now();
    expect((await call("getMe", {}, { target: slow })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});
