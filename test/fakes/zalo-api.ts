/**
 * A fake Zalo Bot API (bot.zaloplatforms.com) on node:http at 127.0.0.1 and a random port.
 * Point the client's API root at `fake.apiRoot`; it appends `/bot<token>/<method>`. It records
 * every call, validates like the documented API (text and caption 1–2000 characters, webhook
 * secret 8–256 characters), long-polls `getUpdates` one update per call (408 when nothing came),
 * delivers webhook POSTs with `X-Bot-Api-Secret-Token`, enforces an optional per-second quota
 * with 429, and injects per-chat or random faults (429, 401, chat not found, 5xx, 408, slow,
 * never-answering).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeBotApi, HANG, listening, type Outcome } from "./base/bot-api";
import { type ErrorReply, err, ok, type Reply } from "./base/call-log";
import { postBody } from "./base/http";
import { SlidingWindow } from "./base/sliding-window";
import { ZaloEventBuilder } from "./zalo/events";
import type {
  EventOptions,
  FakeZalo,
  FakeZaloOptions,
  ZaloCall,
  ZaloEvent,
  ZaloFault,
  ZaloFaultKind,
} from "./zalo/types";
import { EventQueue, requestTimeout } from "./zalo/updates";

export type * from "./zalo/types";

type Params = Record<string, unknown>;
type Handler = (params: Params, res: ServerResponse) => Reply | Promise<Reply>;

/** How a call is answered: the outcome, after the delay a "slow" fault adds. */
type Decision = { outcome: Outcome; slowMs: number };

const MAX_TEXT = 2000;

const badRequest = (description: string) => err(400, description);
const quotaExceeded = () => err(429, "Quota exceeded");

/** Methods addressed to one chat: per-chat and random faults apply to them. */
const CHAT_METHODS = new Set(["sendMessage", "sendPhoto", "sendSticker", "sendChatAction"]);
const CHAT_ACTIONS = new Set(["typing", "upload_photo"]);

function chatKeyOf(chatId: unknown): string | undefined {
  if (typeof chatId === "number" && Number.isFinite(chatId)) return String(chatId);
  if (typeof chatId === "string" && chatId.trim() !== "") return chatId.trim();
  return undefined;
}

function randomFault(kind: ZaloFaultKind): ZaloFault {
  return kind === "slow" ? { kind, ms: 200 } : { kind };
}

function parseParams(req: IncomingMessage, body: Buffer, url: URL): Params {
  const params: Params = Object.fromEntries(url.searchParams);
  if (body.length === 0) return params;
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (contentType.includes("application/x-www-form-urlencoded")) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
    return params;
  }
  const parsed: unknown = JSON.parse(body.toString("utf8"));
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("body is not a JSON object");
  }
  return Object.assign(params, parsed);
}

class FakeZaloServer extends FakeBotApi<ZaloFault, ZaloFaultKind> implements FakeZalo {
  readonly token: string;

  private readonly handlers = new Map<string, Handler>();
  private readonly botId: string;
  private readonly botName: string;
  private readonly wrapWebhook: boolean;
  private readonly window: SlidingWindow | undefined;
  private readonly events = new EventQueue();
  private readonly builder = new ZaloEventBuilder();
  private webhookInfo: { url: string; secretToken: string } | undefined;
  private webhookUpdatedAt = 0;
  private nextMessageId = 1;

  constructor(options: FakeZaloOptions) {
    super({
      name: "Zalo",
      describeKeys: ["chat_id", "text", "caption", "photo", "action", "url", "timeout"],
      latencyMs: options.latencyMs,
      randomFaults: options.randomFaults,
      randomFault,
      chatKey: chatKeyOf,
    });
    this.token = options.token ?? "1234567890:zalo-test-secret";
    this.botId = this.token.split(":")[0] || "1234567890";
    this.botName = options.botName ?? "bantin_test_bot";
    this.wrapWebhook = options.wrapWebhookPayload ?? false;
    const perSecond = options.limits?.perSecond;
    if (perSecond !== undefined && perSecond > 0) this.window = new SlidingWindow(perSecond, 1000);
    this.registerHandlers();
  }

  get webhook(): { url: string; secretToken: string } | undefined {
    if (!this.webhookInfo) return undefined;
    return { url: this.webhookInfo.url, secretToken: this.webhookInfo.secretToken };
  }

  // --- inspection ------------------------------------------------------------------------------

  callsTo(method: string): ZaloCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  sentTo(chatId: string): ZaloCall[] {
    const key = chatKeyOf(chatId);
    return this.calls.filter(
      (c) =>
        (c.method === "sendMessage" || c.method === "sendPhoto") &&
        // An answer without a result delivered nothing.
        c.ok === true &&
        c.result !== undefined &&
        chatKeyOf(c.params.chat_id) === key,
    );
  }

  textsTo(chatId: string): string[] {
    return this.sentTo(chatId).map((c) => {
      const v = c.method === "sendMessage" ? c.params.text : c.params.caption;
      return typeof v === "string" ? v : "";
    });
  }

  // --- events ----------------------------------------------------------------------------------

  textEvent(opts: EventOptions & { text: string }): ZaloEvent {
    return this.builder.text(opts);
  }

  imageEvent(opts: EventOptions & { photoUrl?: string; caption?: string }): ZaloEvent {
    return this.builder.image(opts);
  }

  stickerEvent(opts: EventOptions & { sticker?: string }): ZaloEvent {
    return this.builder.sticker(opts);
  }

  rawEvent(body: unknown): ZaloEvent {
    return body as ZaloEvent;
  }

  pushUpdate(event: ZaloEvent): void {
    this.events.push(event);
  }

  async deliverWebhook(
    event: ZaloEvent | string,
    opts: { url?: string; secret?: string | null; wrap?: boolean } = {},
  ): Promise<{ status: number; body: string }> {
    const url = opts.url ?? this.webhookInfo?.url;
    if (!url) {
      throw new Error("fake Zalo: deliverWebhook needs a URL (call setWebhook or pass opts.url)");
    }
    const wrap = opts.wrap ?? this.wrapWebhook;
    const text =
      typeof event === "string"
        ? event
        : JSON.stringify(wrap ? { ok: true, result: event } : event);
    const secret = opts.secret === undefined ? this.webhookInfo?.secretToken : opts.secret;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secret !== null && secret !== undefined) headers["x-bot-api-secret-token"] = secret;
    return postBody(url, Buffer.from(text, "utf8"), headers);
  }

  // --- methods ---------------------------------------------------------------------------------

  private registerHandlers(): void {
    const on = (name: string, fn: Handler) => this.handlers.set(name, fn);

    on("getMe", () =>
      ok({
        id: this.botId,
        account_name: this.botName,
        account_type: "BASIC",
        can_join_groups: false,
      }),
    );
    on("getUpdates", (params, res) => {
      if (this.webhookInfo) return badRequest("Webhook is set; getUpdates is unavailable");
      const raw = params.timeout === undefined ? 30 : Number(params.timeout);
      return this.events.poll(Number.isFinite(raw) && raw >= 0 ? raw : 30, res);
    });
    on("setWebhook", (params) => {
      const url = params.url;
      if (typeof url !== "string" || url === "") return badRequest("url is required");
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return badRequest("url is invalid");
      }
      const local = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost";
      if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && local)) {
        return badRequest("url must be https");
      }
      const secret = params.secret_token;
      if (typeof secret !== "string" || secret.length < 8 || secret.length > 256) {
        return badRequest("secret_token must be 8-256 characters");
      }
      this.webhookUpdatedAt = Date.now();
      this.webhookInfo = { url, secretToken: secret };
      return ok({ url, updated_at: this.webhookUpdatedAt });
    });
    on("deleteWebhook", () => {
      this.webhookInfo = undefined;
      this.webhookUpdatedAt = Date.now();
      return ok({ url: "", updated_at: this.webhookUpdatedAt });
    });
    on("getWebhookInfo", () =>
      ok({ url: this.webhookInfo?.url ?? "", updated_at: this.webhookUpdatedAt }),
    );
    on("sendMessage", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const text = params.text;
      if (typeof text !== "string" || text.length === 0) return badRequest("text is empty");
      if (text.length > MAX_TEXT) return badRequest("text too long");
      return this.admitSend() ?? ok(this.sentResult());
    });
    on("sendPhoto", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const photo = params.photo;
      if (typeof photo !== "string" || photo === "") return badRequest("photo is required");
      if (!/^https?:\/\/\S+$/i.test(photo)) return badRequest("photo must be an image URL");
      // A host under ".invalid" (RFC 2606) stands for a picture Zalo cannot download.
      if (/^https?:\/\/[^/?#]*\.invalid(?:[:/?#]|$)/i.test(photo)) {
        return badRequest("photo could not be downloaded");
      }
      const caption = params.caption;
      if (caption !== undefined && caption !== null) {
        if (typeof caption !== "string") return badRequest("caption must be a string");
        if (caption.length > MAX_TEXT) return badRequest("caption too long");
      }
      return this.admitSend() ?? ok(this.sentResult());
    });
    on("sendSticker", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      if (typeof params.sticker !== "string" || params.sticker === "") {
        return badRequest("sticker is required");
      }
      return this.admitSend() ?? ok(this.sentResult());
    });
    on("sendChatAction", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      if (typeof params.action !== "string" || !CHAT_ACTIONS.has(params.action)) {
        return badRequest("action is invalid");
      }
      return ok(true);
    });
  }

  private requireChat(params: Params): ErrorReply | undefined {
    return chatKeyOf(params.chat_id) === undefined ? badRequest("chat_id is required") : undefined;
  }

  private sentResult(): { message_id: string; date: number } {
    return { message_id: `out${String(this.nextMessageId++).padStart(8, "0")}`, date: Date.now() };
  }

  /** Applies limits.perSecond to one send: a 429 reply when over, else counts the send. */
  private admitSend(): ErrorReply | undefined {
    const now = Date.now();
    if (this.window && !this.window.fits(now)) {
      this.stats.tooManyRequests++;
      return quotaExceeded();
    }
    this.window?.add(now);
    this.stats.sends++;
    return undefined;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  /** The answer a fault forces, or undefined for "slow" (answered normally, later). */
  private faultReply(fault: ZaloFault): Reply | typeof HANG | undefined {
    switch (fault.kind) {
      case "quota":
        this.stats.tooManyRequests++;
        return quotaExceeded();
      case "unauthorized":
        return err(401, "Unauthorized: invalid token");
      case "server_error":
        return err(fault.status ?? 500, "Internal Server Error");
      case "timeout":
        return requestTimeout();
      case "hang":
        return HANG;
      case "unknown_chat":
        return err(fault.status ?? 404, "chat not found");
      case "slow":
        return undefined;
      case "no_result":
        return { ok: true, result: undefined };
    }
  }

  private decide(
    call: ZaloCall,
    req: IncomingMessage,
    parseError: boolean,
    res: ServerResponse,
  ): Decision {
    const handler = this.handlers.get(call.method);
    const refuse = (outcome: Outcome): Decision => ({ outcome, slowMs: 0 });
    if (call.token !== this.token) return refuse(err(401, "Unauthorized: invalid token"));
    if (!handler) return refuse(err(404, "Not Found"));
    if (req.method !== "POST" && !(req.method === "GET" && call.method === "getMe")) {
      return refuse(err(405, "Method Not Allowed: use POST"));
    }
    if (parseError) return refuse(badRequest("invalid JSON body"));

    const chatKey = CHAT_METHODS.has(call.method) ? chatKeyOf(call.params.chat_id) : undefined;
    const fault = this.pickFault(chatKey !== undefined ? [chatKey, "*"] : ["*"], chatKey);
    const forced = fault ? this.faultReply(fault) : undefined;
    const slowMs = fault?.kind === "slow" ? fault.ms : 0;
    return { outcome: forced ?? handler(call.params, res), slowMs };
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, url, token, method } = await this.readRequest(req);
    if (token === undefined || method === undefined) {
      this.send(res, err(404, "Not Found"));
      return;
    }
    let params: Params = {};
    let parseError = false;
    try {
      params = parseParams(req, body, url);
    } catch {
      parseError = true;
    }
    const call = this.log.record(method, params, token);
    const { outcome, slowMs } = this.decide(call, req, parseError, res);
    await this.answer(call, res, outcome, {
      slowMs,
      slowBeforeSettle: true,
      // The poller went away before the answer left: keep the event for the next poll.
      onLost:
        method === "getUpdates"
          ? (reply) => {
              if (!reply.ok) return;
              call.ok = undefined;
              call.result = undefined;
              this.events.requeue(reply.result as ZaloEvent);
            }
          : undefined,
    });
  }

  protected endPolls(): void {
    this.events.close();
  }
}

/** Starts a fake Zalo Bot API server on 127.0.0.1 and a random port. */
export function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  return listening(new FakeZaloServer(options));
}
