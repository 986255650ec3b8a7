/**
 * The Bot API calls go over undici (src/adapters/telegram/fetch.ts), not grammY's node-fetch: what
 * a send makes of answers that are not the Bot API's JSON, and of a server that is not there.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";

const to = { chatId: "42", chatType: "private" as const };
const part = { kind: "text" as const, format: "html" as const, text: "<b>Tin</b> mới" };

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A Bot API root whose every answer `answer` writes; the requests it got are kept. */
async function botApi(answer: (res: import("node:http").ServerResponse) => void) {
  const requests: { url: string; headers: Record<string, unknown>; body: string }[] = [];
  const listening = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      requests.push({ url: req.url ?? "", headers: req.headers, body });
      answer(res);
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const port = (listening.address() as AddressInfo).port;
  return { apiRoot: `http://127.0.0.1:${port}`, requests };
}

describe("Telegram calls over undici", () => {
  it("posts the method's JSON and reads the message id from the answer", async () => {
    const api = await botApi((res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { message_id: 7, date: 0, chat: { id: 42 } } }));
    });
    const transport = createTelegramTransport({ ...api, token: "1:T", paidBroadcast: true });
    expect(await transport.send(to, part)).toEqual({ kind: "sent", messageIds: [7] });
    const [request] = api.requests;
    expect(request?.url).toBe("/bot1:T/sendMessage");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toMatchObject({
      chat_id: "42",
      text: "<b>Tin</b> mới",
      parse_mode: "HTML",
      allow_paid_broadcast: true,
    });
  });

  it("an HTML error page from a proxy is a failure to try again, not a crash", async () => {
    const api = await botApi((res) => {
      res.statusCode = 502;
      res.setHeader("content-type", "text/html");
      res.end("<html><body>Bad Gateway</body></html>");
    });
    const transport = createTelegramTransport({ ...api, token: "1:T", paidBroadcast: false });
    expect(await transport.send(to, part)).toMatchObject({ kind: "transient" });
  });

  it("a Bot API that is not listening is a failure to try again", async () => {
    const api = await botApi((res) => res.end());
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const transport = createTelegramTransport({ ...api, token: "1:T", paidBroadcast: false });
    expect(await transport.send(to, part)).toMatchObject({ kind: "transient" });
  });

  it("an answer cut off half-way is a failure to try again", async () => {
    const api = await botApi((res) => {
      res.setHeader("content-type", "application/json");
      res.write('{"ok":true,"result":{"message_');
      res.socket?.destroy();
    });
    const transport = createTelegramTransport({ ...api, token: "1:T", paidBroadcast: false });
    expect(await transport.send(to, part)).toMatchObject({ kind: "transient" });
  });
});
