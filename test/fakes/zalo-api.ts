/**
 * A fake Zalo Bot API (bot.zaloplatforms.com) on node:http at 127.0.0.1 and a random port.
 * Point the client's API root at `fake.apiRoot`; it appends `/bot<token>/<method>`. It records
 * every call, validates like the documented API (text and caption 1–2000 characters, webhook
 * secret 8–256 characters), long-polls `getUpdates` one update per call (408 when nothing came),
 * delivers webhook POSTs with `X-Bot-Api-Secret-Token`, enforces an optional per-second quota
 * with 429, and injects per-chat or random faults (429, 401, chat not found, 5xx, 408, slow,
 * never-answering).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

// ---------------------------------------------------------------------------------------------
// Public types

export interface ZaloCall {
  /** The method name exactly as the client sent it (names are case-sensitive). */
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request had been read. */
  at: number;
  /** The token from the URL (may be wrong: such calls are answered 401 and still recorded). */
  token: string;
  /** Set once the fake decided the answer; undefined while a long poll or a "hang" holds it. */
  ok?: boolean;
  errorCode?: number;
  description?: string;
  /** `result` of a successful answer. */
  result?: unknown;
}

export type ZaloFault =
  /** 429 "Quota exceeded". */
  | { kind: "quota" }
  /** 401 "Unauthorized: invalid token". */
  | { kind: "unauthorized" }
  /** 500 (or the given status). */
  | { kind: "server_error"; status?: number }
  /** 408 "Request timeout". */
  | { kind: "timeout" }
  /** Never answers; the socket is destroyed by close(). */
  | { kind: "hang" }
  /** The bot cannot reach that chat: 404 (default) or 403, description "chat not found". */
  | { kind: "unknown_chat"; status?: 403 | 404 }
  /** Answers normally after an extra delay. */
  | { kind: "slow"; ms: number };

export type ZaloFaultKind = ZaloFault["kind"];

export interface FakeZaloOptions {
  /** Default "1234567890:zalo-test-secret" (bot_id:secret). */
  token?: string;
  /** getMe's account_name. Default "bantin_test_bot". */
  botName?: string;
  /** Added to every answer, in ms. Default 0. */
  latencyMs?: number;
  /** Sends (sendMessage, sendPhoto, sendSticker) beyond this many per sliding second: 429. */
  limits?: { perSecond?: number };
  /** Faults thrown at chat-addressed methods at random (seeded, so runs repeat). */
  randomFaults?: { rate: number; seed?: number; kinds: ZaloFaultKind[] };
  /** Deliver webhook bodies as `{ ok: true, result: event }` instead of bare. Default false. */
  wrapWebhookPayload?: boolean;
}

export interface ZaloUser {
  id: string;
  display_name: string;
  is_bot: boolean;
}

export interface ZaloChat {
  id: string;
  chat_type: "PRIVATE" | "GROUP";
}

export interface ZaloMessage {
  from: ZaloUser;
  chat: ZaloChat;
  message_id: string;
  /** Milliseconds since the epoch. */
  date: number;
  text?: string;
  photo?: string;
  caption?: string;
  sticker?: string;
  url?: string;
}

/** One update, as getUpdates returns it and as a webhook body carries it (bare form). */
export interface ZaloEvent {
  event_name: string;
  message?: ZaloMessage;
  [extra: string]: unknown;
}

export interface ZaloStats {
  /** Send-method calls answered ok (sendMessage, sendPhoto, sendSticker). */
  sends: number;
  /** 429 answers, from limits and from "quota" faults. */
  tooManyRequests: number;
  /** Calls answered by an injected (explicit or random) fault, slow and hang included. */
  faults: number;
}

export interface EventOptions {
  chatId: string;
  /** Default chatId. */
  fromId?: string;
  /** Default "Lan". */
  displayName?: string;
  /** Default "PRIVATE". */
  chatType?: "PRIVATE" | "GROUP";
  /** Default a fresh id. */
  messageId?: string;
}

export interface FakeZalo {
  /** e.g. http://127.0.0.1:34567 (the client appends /bot<token>/<method>). */
  apiRoot: string;
  token: string;
  calls: ZaloCall[];
  stats: ZaloStats;
  /** The registered webhook, if any. */
  readonly webhook: { url: string; secretToken: string } | undefined;
  callsTo(method: string): ZaloCall[];
  /** Successful sendMessage / sendPhoto calls to that chat. */
  sentTo(chatId: string): ZaloCall[];
  /** The text (sendMessage) or caption (sendPhoto; "" without one) of sentTo(chatId), in order. */
  textsTo(chatId: string): string[];
  waitFor(predicate: (c: ZaloCall) => boolean, timeoutMs?: number): Promise<ZaloCall>;
  textEvent(opts: EventOptions & { text: string }): ZaloEvent;
  imageEvent(opts: EventOptions & { photoUrl?: string; caption?: string }): ZaloEvent;
  stickerEvent(opts: EventOptions & { sticker?: string }): ZaloEvent;
  /** Anything, e.g. unknown event names or malformed updates; returned as is. */
  rawEvent(body: unknown): ZaloEvent;
  /** Queues an update for getUpdates (oldest first, one per call). */
  pushUpdate(event: ZaloEvent): void;
  /**
   * POSTs an event (JSON) or a raw body (string, sent verbatim) to the URL registered by
   * setWebhook, or opts.url, with header X-Bot-Api-Secret-Token: opts.secret, else the registered
   * secret; `secret: null` sends no header. `wrap` overrides options.wrapWebhookPayload.
   */
  deliverWebhook(
    event: ZaloEvent | string,
    opts?: { url?: string; secret?: string | null; wrap?: boolean },
  ): Promise<{ status: number; body: string }>;
  /**
   * A fault for the next `times` (default: all) sendMessage / sendPhoto / sendSticker /
   * sendChatAction calls addressed to that chat; "*": the next calls of any method (getMe and
   * getUpdates included). Per-chat faults are used before "*" ones.
   */
  fault(chatId: string | "*", fault: ZaloFault, times?: number): void;
  clearFaults(): void;
  /** Stops the server: pending polls get 408, hanging calls lose their socket. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Internals

type ErrorReply = { ok: false; error_code: number; description: string };
type Reply = { ok: true; result: unknown } | ErrorReply;
type Params = Record<string, unknown>;
type Outcome = Reply | Promise<Reply> | typeof HANG;
type Handler = (params: Params, res: ServerResponse) => Outcome;

const HANG = Symbol("hang");
const MAX_TEXT = 2000;

const ok = (result: unknown): Reply => ({ ok: true, result });
const err = (error_code: number, description: string): ErrorReply => ({
  ok: false,
  error_code,
  description,
});
const badRequest = (description: string) => err(400, description);
const requestTimeout = () => err(408, "Request timeout");

/** Methods addressed to one chat: per-chat and random faults apply to them. */
const CHAT_METHODS = new Set(["sendMessage", "sendPhoto", "sendSticker", "sendChatAction"]);
const CHAT_ACTIONS = new Set(["typing", "upload_photo"]);

function chatKeyOf(chatId: unknown): string | undefined {
  if (typeof chatId === "number" && Number.isFinite(chatId)) return String(chatId);
  if (typeof chatId === "string" && chatId.trim() !== "") return chatId.trim();
  return undefined;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SlidingWindow {
  private times: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  /** True when one more event fits now. */
  fits(now: number): boolean {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) this.times.splice(0, drop);
    return this.times.length < this.limit;
  }
  add(now: number): void {
    this.times.push(now);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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

function describeCall(call: ZaloCall): string {
  const p = call.params;
  const bits: string[] = [];
  for (const key of ["chat_id", "text", "caption", "photo", "action", "url", "timeout"]) {
    const v = p[key];
    if (typeof v === "string" || typeof v === "number") {
      const s = String(v);
      bits.push(`${key}=${JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)}`);
    }
  }
  const outcome =
    call.ok === undefined ? "pending" : call.ok ? "ok" : `${call.errorCode} ${call.description}`;
  return `${call.method}(${bits.join(", ")}) -> ${outcome}`;
}

interface PendingPoll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  resolve: (reply: Reply) => void;
}

// ---------------------------------------------------------------------------------------------
// The fake

class FakeZaloServer implements FakeZalo {
  apiRoot = "";
  readonly token: string;
  readonly calls: ZaloCall[] = [];
  readonly stats: ZaloStats = { sends: 0, tooManyRequests: 0, faults: 0 };

  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      this.send(res, err(500, `Internal Server Error: ${String(error)}`));
    });
  });
  private readonly handlers = new Map<string, Handler>();
  private readonly botId: string;
  private readonly botName: string;
  private readonly latencyMs: number;
  private readonly wrapWebhook: boolean;
  private readonly window: SlidingWindow | undefined;
  private readonly random: { rate: number; kinds: ZaloFaultKind[]; next: () => number } | undefined;

  private closed = false;
  private webhookInfo: { url: string; secretToken: string } | undefined;
  private webhookUpdatedAt = 0;
  private updates: ZaloEvent[] = [];
  private polls: PendingPoll[] = [];
  private nextMessageId = 1;
  private nextEventMessageId = 1;
  private readonly waiters = new Set<{
    predicate: (call: ZaloCall) => boolean;
    resolve: (call: ZaloCall) => void;
  }>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly faults = new Map<string, { fault: ZaloFault; remaining: number }[]>();

  constructor(options: FakeZaloOptions) {
    this.token = options.token ?? "1234567890:zalo-test-secret";
    this.botId = this.token.split(":")[0] || "1234567890";
    this.botName = options.botName ?? "bantin_test_bot";
    this.latencyMs = options.latencyMs ?? 0;
    this.wrapWebhook = options.wrapWebhookPayload ?? false;
    const perSecond = options.limits?.perSecond;
    if (perSecond !== undefined && perSecond > 0) this.window = new SlidingWindow(perSecond, 1000);
    if (options.randomFaults && options.randomFaults.kinds.length > 0) {
      this.random = {
        rate: options.randomFaults.rate,
        kinds: options.randomFaults.kinds,
        next: mulberry32(options.randomFaults.seed ?? 1),
      };
    }
    this.registerHandlers();
  }

  get webhook(): { url: string; secretToken: string } | undefined {
    if (!this.webhookInfo) return undefined;
    return { url: this.webhookInfo.url, secretToken: this.webhookInfo.secretToken };
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
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
        c.ok === true &&
        chatKeyOf(c.params.chat_id) === key,
    );
  }

  textsTo(chatId: string): string[] {
    return this.sentTo(chatId).map((c) => {
      const v = c.method === "sendMessage" ? c.params.text : c.params.caption;
      return typeof v === "string" ? v : "";
    });
  }

  waitFor(predicate: (call: ZaloCall) => boolean, timeoutMs = 5000): Promise<ZaloCall> {
    const test = (call: ZaloCall) => {
      try {
        return predicate(call);
      } catch {
        return false;
      }
    };
    const found = this.calls.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate: test,
        resolve: (call: ZaloCall) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const recent = this.calls.slice(-15).map((c) => `  ${describeCall(c)}`);
        reject(
          new Error(
            `fake Zalo: no matching call within ${timeoutMs} ms; ${this.calls.length} calls so far, the last ones:\n${recent.join("\n") || "  (none)"}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notify(call: ZaloCall): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(call)) waiter.resolve(call);
    }
  }

  // --- events ----------------------------------------------------------------------------------

  private baseMessage(opts: EventOptions): ZaloMessage {
    return {
      from: {
        id: opts.fromId ?? opts.chatId,
        display_name: opts.displayName ?? "Lan",
        is_bot: false,
      },
      chat: { id: opts.chatId, chat_type: opts.chatType ?? "PRIVATE" },
      message_id: opts.messageId ?? `in${String(this.nextEventMessageId++).padStart(8, "0")}`,
      date: Date.now(),
    };
  }

  textEvent(opts: EventOptions & { text: string }): ZaloEvent {
    return {
      event_name: "message.text.received",
      message: { ...this.baseMessage(opts), text: opts.text },
    };
  }

  imageEvent(opts: EventOptions & { photoUrl?: string; caption?: string }): ZaloEvent {
    const message: ZaloMessage = {
      ...this.baseMessage(opts),
      photo: opts.photoUrl ?? "https://photo.zalo.test/image.jpg",
    };
    if (opts.caption !== undefined) message.caption = opts.caption;
    return { event_name: "message.image.received", message };
  }

  stickerEvent(opts: EventOptions & { sticker?: string }): ZaloEvent {
    const sticker = opts.sticker ?? "sticker-0001";
    return {
      event_name: "message.sticker.received",
      message: {
        ...this.baseMessage(opts),
        sticker,
        url: `https://sticker.zalo.test/${encodeURIComponent(sticker)}.png`,
      },
    };
  }

  rawEvent(body: unknown): ZaloEvent {
    return body as ZaloEvent;
  }

  pushUpdate(event: ZaloEvent): void {
    this.updates.push(event);
    this.wakePolls();
  }

  private wakePolls(): void {
    while (this.updates.length > 0 && this.polls.length > 0) {
      const poll = this.polls.shift() as PendingPoll;
      clearTimeout(poll.timer);
      if (poll.res.destroyed) {
        poll.resolve(requestTimeout());
        continue;
      }
      poll.resolve(ok(this.updates.shift()));
    }
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
    const payload = Buffer.from(text, "utf8");
    const secret = opts.secret === undefined ? this.webhookInfo?.secretToken : opts.secret;
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": payload.length,
    };
    if (secret !== null && secret !== undefined) headers["x-bot-api-secret-token"] = secret;
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.once("error", reject);
      });
      req.once("error", reject);
      req.end(payload);
    });
  }

  // --- faults ----------------------------------------------------------------------------------

  fault(chatId: string | "*", fault: ZaloFault, times = Number.POSITIVE_INFINITY): void {
    const key = chatId === "*" ? "*" : chatKeyOf(chatId);
    if (key === undefined) throw new Error(`fake Zalo: bad chat id ${String(chatId)}`);
    if (!(times > 0)) return;
    const list = this.faults.get(key) ?? [];
    list.push({ fault, remaining: times });
    this.faults.set(key, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private takeFault(keys: string[]): ZaloFault | undefined {
    for (const k of keys) {
      const list = this.faults.get(k);
      const entry = list?.[0];
      if (!list || !entry) continue;
      entry.remaining--;
      if (entry.remaining <= 0) list.shift();
      if (list.length === 0) this.faults.delete(k);
      return entry.fault;
    }
    return undefined;
  }

  private randomFault(): ZaloFault | undefined {
    const r = this.random;
    if (!r || r.next() >= r.rate) return undefined;
    const kind = r.kinds[Math.floor(r.next() * r.kinds.length)] ?? r.kinds[0];
    switch (kind) {
      case undefined:
        return undefined;
      case "slow":
        return { kind, ms: 200 };
      default:
        return { kind };
    }
  }

  /** The answer a fault forces, or undefined for "slow" (answered normally, later). */
  private faultReply(fault: ZaloFault): ErrorReply | typeof HANG | undefined {
    switch (fault.kind) {
      case "quota":
        this.stats.tooManyRequests++;
        return err(429, "Quota exceeded");
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
    }
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
    on("getUpdates", (params, res) => this.getUpdates(params, res));
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
      return err(429, "Quota exceeded");
    }
    this.window?.add(now);
    this.stats.sends++;
    return undefined;
  }

  private getUpdates(params: Params, res: ServerResponse): Reply | Promise<Reply> {
    if (this.webhookInfo) return badRequest("Webhook is set; getUpdates is unavailable");
    const raw = params.timeout === undefined ? 30 : Number(params.timeout);
    const timeout = Number.isFinite(raw) && raw >= 0 ? raw : 30;
    const next = this.updates.shift();
    if (next !== undefined) return ok(next);
    if (timeout === 0 || this.closed) return requestTimeout();
    return new Promise<Reply>((resolve) => {
      const poll: PendingPoll = {
        res,
        resolve,
        timer: setTimeout(() => {
          this.polls = this.polls.filter((p) => p !== poll);
          resolve(requestTimeout());
        }, timeout * 1000),
      };
      this.polls.push(poll);
      // The client gave up (aborted its fetch): forget the poll so no update is lost to it.
      res.once("close", () => {
        if (!this.polls.includes(poll)) return;
        this.polls = this.polls.filter((p) => p !== poll);
        clearTimeout(poll.timer);
        resolve(requestTimeout());
      });
    });
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.writableEnded || res.destroyed) return;
    const body = JSON.stringify(reply);
    res.writeHead(reply.ok ? 200 : reply.error_code, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  private settle(call: ZaloCall, reply: Reply): void {
    call.ok = reply.ok;
    if (reply.ok) {
      call.result = reply.result;
    } else {
      call.errorCode = reply.error_code;
      call.description = reply.description;
    }
    this.notify(call);
  }

  private decide(
    call: ZaloCall,
    httpMethod: string | undefined,
    parseError: boolean,
    res: ServerResponse,
  ): { outcome: Outcome; delay: number } {
    const handler = this.handlers.get(call.method);
    if (call.token !== this.token) {
      return { outcome: err(401, "Unauthorized: invalid token"), delay: 0 };
    }
    if (!handler) return { outcome: err(404, "Not Found"), delay: 0 };
    if (httpMethod !== "POST" && !(httpMethod === "GET" && call.method === "getMe")) {
      return { outcome: err(405, "Method Not Allowed: use POST"), delay: 0 };
    }
    if (parseError) return { outcome: badRequest("invalid JSON body"), delay: 0 };

    const chatKey = CHAT_METHODS.has(call.method) ? chatKeyOf(call.params.chat_id) : undefined;
    let fault = this.takeFault(chatKey !== undefined ? [chatKey, "*"] : ["*"]);
    if (!fault && chatKey !== undefined) fault = this.randomFault();
    if (fault) this.stats.faults++;
    const forced = fault ? this.faultReply(fault) : undefined;
    const delay = fault?.kind === "slow" ? fault.ms : 0;
    return { outcome: forced ?? handler(call.params, res), delay };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (!match) {
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
    const call: ZaloCall = {
      method: decodeURIComponent(match[2] ?? ""),
      params,
      at: Date.now(),
      token: decodeURIComponent(match[1] ?? ""),
    };
    this.calls.push(call);

    const { outcome, delay } = this.decide(call, req.method, parseError, res);
    if (outcome === HANG) {
      this.hanging.add(res);
      res.once("close", () => this.hanging.delete(res));
      this.notify(call);
      return;
    }
    await this.sleep(delay);
    let reply: Reply;
    if (outcome instanceof Promise) {
      this.notify(call);
      reply = await outcome;
    } else {
      reply = outcome;
    }
    this.settle(call, reply);
    await this.sleep(this.latencyMs);
    if (call.method === "getUpdates" && reply.ok && (res.destroyed || res.writableEnded)) {
      // The poller went away before the answer left: keep the update for the next poll.
      this.updates.unshift(reply.result as ZaloEvent);
      call.ok = undefined;
      call.result = undefined;
      this.wakePolls();
      return;
    }
    this.send(res, reply);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const poll of this.polls.splice(0)) {
      clearTimeout(poll.timer);
      poll.resolve(requestTimeout());
    }
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    // Let the answers just written reach the wire before the sockets go.
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Starts a fake Zalo Bot API server on 127.0.0.1 and a random port. */
export async function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  const fake = new FakeZaloServer(options);
  await fake.listen();
  return fake;
}
