/**
 * A fake Telegram Bot API on node:http at 127.0.0.1 and a random port, good enough that grammY
 * (`new Bot(token, { client: { apiRoot: fake.apiRoot } })`) runs against it unchanged, in long
 * polling and in webhook mode. It records every call, validates like the real API (text and
 * caption sizes, callback data bytes, Telegram's HTML subset), enforces optional flood limits
 * with 429 + retry_after, and injects per-chat or random faults (403 blocked, 400 chat not found,
 * migration to a supergroup, 5xx, slow, never-answering).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { MessageEntity, Update, UserFromGetMe } from "grammy/types";

// ---------------------------------------------------------------------------------------------
// Public types

export interface RecordedCall {
  /** Canonical method name (e.g. "sendMessage"), whatever case the client used. */
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request had been read. */
  at: number;
  /** The token from the URL (may be wrong: such calls are answered 401 and still recorded). */
  token: string;
  /** Set as soon as the fake decided the answer; undefined while a long poll or a "timeout" fault holds it. */
  ok?: boolean;
  errorCode?: number;
  description?: string;
  /** `result` of a successful answer (e.g. the Message returned by sendMessage). */
  result?: unknown;
}

export type Fault =
  | { kind: "retry_after"; seconds: number }
  | { kind: "blocked" }
  | { kind: "chat_not_found" }
  | { kind: "kicked" }
  | { kind: "deactivated" }
  | { kind: "migrated"; toChatId: number }
  | { kind: "server_error"; status?: number }
  | { kind: "slow"; ms: number }
  | { kind: "timeout" };

export type FaultKind = Fault["kind"];

export interface FakeTelegramLimits {
  /** Sends per sliding second over all chats. */
  globalPerSecond?: number;
  /** Sends per sliding second to one chat. */
  perChatPerSecond?: number;
  /** Sends per sliding minute to one group or supergroup. */
  perGroupPerMinute?: number;
  /** Global limit for calls carrying `allow_paid_broadcast: true` (else they share globalPerSecond). */
  paidGlobalPerSecond?: number;
}

export interface FakeTelegramOptions {
  /** Default "123456:TEST". */
  token?: string;
  /** Default "bantin_test_bot". */
  botUsername?: string;
  /** Added to every answer, in ms. Default 0. */
  latencyMs?: number;
  /** When set, sends beyond these answer 429 with retry_after. */
  limits?: FakeTelegramLimits;
  /** Faults thrown at send methods at random (seeded, so runs repeat). */
  randomFaults?: { rate: number; seed?: number; kinds: FaultKind[] };
}

export type ChatType = "private" | "group" | "supergroup";
export type MemberStatus =
  | "creator"
  | "administrator"
  | "member"
  | "restricted"
  | "left"
  | "kicked";
export type UpdateInput = Omit<Update, "update_id"> & { update_id?: number };

export interface FakeTelegramStats {
  /** 429 answers given, from limits and from retry_after faults. */
  tooManyRequests: number;
  /** Send-method calls accepted (answered ok). */
  sends: number;
  /** Calls answered by an injected (explicit or random) fault, slow included. */
  faults: number;
}

export interface MessageUpdateOptions {
  chatId: number;
  text: string;
  fromId?: number;
  chatType?: ChatType;
  firstName?: string;
  languageCode?: string;
}

export interface CallbackQueryOptions {
  chatId: number;
  fromId?: number;
  data: string;
  messageId: number;
  chatType?: ChatType;
  /** Text of the message carrying the button, when the fake did not send it itself. */
  text?: string;
}

export interface FakeTelegram {
  /** e.g. http://127.0.0.1:34567 (grammY appends /bot<token>/<method>). */
  apiRoot: string;
  token: string;
  botInfo: UserFromGetMe;
  calls: RecordedCall[];
  stats: FakeTelegramStats;
  /** The registered webhook, if any. */
  readonly webhook: { url: string; secretToken?: string } | undefined;
  callsTo(method: string): RecordedCall[];
  /**
   * Message-producing calls (sends and edits) addressed to that chat, or to any chat. Only the
   * calls answered ok, unless includeFailed.
   */
  sentMessages(chatId?: number | string, opts?: { includeFailed?: boolean }): RecordedCall[];
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  pushUpdate(update: UpdateInput): number;
  deliverWebhook(
    update: UpdateInput,
    opts?: { url?: string; secret?: string },
  ): Promise<{ status: number; body: string }>;
  message(opts: MessageUpdateOptions): Update;
  callbackQuery(opts: CallbackQueryOptions): Update;
  inlineQuery(opts: { fromId: number; query: string; offset?: string }): Update;
  myChatMember(opts: {
    chatId: number;
    fromId?: number;
    status: "kicked" | "member" | "left";
    chatType?: ChatType;
  }): Update;
  fault(chatId: number | string | "*", fault: Fault, times?: number): void;
  clearFaults(): void;
  setChatMemberStatus(chatId: number | string, userId: number, status: MemberStatus): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Telegram's HTML subset

export type HtmlParseResult =
  | { ok: true; text: string; entities: MessageEntity[] }
  | { ok: false; error: string };

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-spoiler",
  "span",
  "tg-emoji",
]);

const TAG_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  "tg-emoji": "custom_emoji",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY_RE = /^&(?:([a-zA-Z]+)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));/;

/** Decodes one character entity at `text[i]` ("&"); undefined when it is not a valid one. */
function decodeEntityAt(text: string, i: number): { char: string; length: number } | undefined {
  const m = ENTITY_RE.exec(text.slice(i, i + 16));
  if (!m) return undefined;
  if (m[1] !== undefined) {
    const char = NAMED_ENTITIES[m[1]];
    return char === undefined ? undefined : { char, length: m[0].length };
  }
  const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? "", 16);
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { char: String.fromCodePoint(code), length: m[0].length };
}

/**
 * Parses text in Telegram's HTML parse mode the way the Bot API does (tdlib's parse_html),
 * stricter on one point: a bare `&` that does not start &lt; &gt; &amp; &quot; or &#…; is an
 * error. Returns the visible text and its entities (offsets in UTF-16 code units), or the
 * description the API would answer with after "Bad Request: can't parse entities: ".
 */
export function parseTelegramHtml(input: string): HtmlParseResult {
  const byteOffset = (i: number) => Buffer.byteLength(input.slice(0, i), "utf8");
  const fail = (error: string): HtmlParseResult => ({ ok: false, error });
  const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
  interface Open {
    name: string;
    start: number;
    attrs: Map<string, string>;
    language?: string;
  }
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let out = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "&") {
      const decoded = decodeEntityAt(input, i);
      if (!decoded) {
        return fail(`Unescaped "&" at byte offset ${byteOffset(i)}: use "&amp;"`);
      }
      out += decoded.char;
      i += decoded.length;
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i++;
      continue;
    }
    const tagAt = i;
    if (input[i + 1] === "/") {
      const end = input.indexOf(">", i + 2);
      if (end < 0) return fail(`Unclosed end tag at byte offset ${byteOffset(tagAt)}`);
      const name = input
        .slice(i + 2, end)
        .trim()
        .toLowerCase();
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag at byte offset ${byteOffset(tagAt)}`);
      if (open.name !== name) {
        return fail(
          `Unmatched end tag at byte offset ${byteOffset(tagAt)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const length = out.length - open.start;
      const parent = stack[stack.length - 1];
      const codeClass = open.attrs.get("class") ?? "";
      if (open.name === "code" && parent?.name === "pre" && codeClass.startsWith("language-")) {
        parent.language = codeClass.slice("language-".length);
      } else if (length > 0) {
        const entity: Record<string, unknown> = {
          type: TAG_ENTITY[open.name],
          offset: open.start,
          length,
        };
        if (open.name === "a") {
          entity.url = open.attrs.get("href") ?? out.slice(open.start);
        } else if (open.name === "pre" && open.language) {
          entity.language = open.language;
        } else if (open.name === "blockquote" && open.attrs.has("expandable")) {
          entity.type = "expandable_blockquote";
        } else if (open.name === "tg-emoji") {
          entity.custom_emoji_id = open.attrs.get("emoji-id");
        }
        entities.push(entity as unknown as MessageEntity);
      }
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < input.length && !isSpace(input[j]) && input[j] !== ">") j++;
    const name = input.slice(i + 1, j).toLowerCase();
    if (!HTML_TAGS.has(name)) {
      return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagAt)}`);
    }
    const attrs = new Map<string, string>();
    for (;;) {
      while (isSpace(input[j])) j++;
      if (j >= input.length) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
      if (input[j] === ">") {
        j++;
        break;
      }
      const nameStart = j;
      while (j < input.length && !isSpace(input[j]) && input[j] !== "=" && input[j] !== ">") j++;
      const attrName = input.slice(nameStart, j).toLowerCase();
      while (isSpace(input[j])) j++;
      if (input[j] !== "=") {
        if (name === "blockquote" && attrName === "expandable") {
          attrs.set(attrName, "");
          continue;
        }
        if (j >= input.length) {
          return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
        }
        return fail(
          `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(tagAt)}`,
        );
      }
      j++;
      while (isSpace(input[j])) j++;
      if (j >= input.length) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
      let raw: string;
      const quote = input[j];
      if (quote === '"' || quote === "'") {
        const close = input.indexOf(quote, j + 1);
        if (close < 0) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
        raw = input.slice(j + 1, close);
        j = close + 1;
      } else {
        const valueStart = j;
        while (j < input.length && !isSpace(input[j]) && input[j] !== ">") j++;
        raw = input.slice(valueStart, j);
      }
      let value = "";
      for (let k = 0; k < raw.length; ) {
        const decoded = raw[k] === "&" ? decodeEntityAt(raw, k) : undefined;
        if (decoded) {
          value += decoded.char;
          k += decoded.length;
        } else {
          value += raw[k];
          k++;
        }
      }
      attrs.set(attrName, value);
    }
    if (name === "span" && attrs.get("class") !== "tg-spoiler") {
      return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagAt)}`);
    }
    if (name === "tg-emoji" && !attrs.get("emoji-id")) {
      return fail(
        `Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset(tagAt)}`,
      );
    }
    stack.push({ name, start: out.length, attrs });
    i = j;
  }
  const open = stack.pop();
  if (open) return fail(`Can't find end tag corresponding to start tag "${open.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text: out, entities };
}

// ---------------------------------------------------------------------------------------------
// Internals

type ErrorReply = {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};
type Reply = { ok: true; result: unknown } | ErrorReply;
type Params = Record<string, unknown>;
type Handler = (params: Params, call: RecordedCall) => Reply | Promise<Reply> | typeof HANG;

const HANG = Symbol("hang");

const ok = (result: unknown): Reply => ({ ok: true, result });
const err = (
  error_code: number,
  description: string,
  parameters?: ErrorReply["parameters"],
): ErrorReply =>
  parameters
    ? { ok: false, error_code, description, parameters }
    : { ok: false, error_code, description };
const badRequest = (what: string) => err(400, `Bad Request: ${what}`);

const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "sendVideoNote",
  "sendSticker",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
]);

const MESSAGE_METHODS = new Set([
  ...SEND_METHODS,
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
]);

const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "link_preview_options",
  "reply_parameters",
  "allowed_updates",
  "commands",
  "scope",
  "results",
  "media",
  "menu_button",
  "button",
  "rights",
  "reaction",
  "message_ids",
]);
const INT_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "reply_to_message_id",
  "message_thread_id",
  "cache_time",
  "max_connections",
  "until_date",
]);
const BOOL_FIELDS = new Set([
  "allow_paid_broadcast",
  "disable_notification",
  "protect_content",
  "show_alert",
  "is_personal",
  "drop_pending_updates",
  "disable_web_page_preview",
  "has_spoiler",
  "show_caption_above_media",
  "revoke_messages",
  "only_if_banned",
]);

function coerceField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (INT_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOL_FIELDS.has(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Normalised key for a chat id: "123", "-100123", "@channel". */
function chatKeyOf(chatId: unknown): string | undefined {
  if (typeof chatId === "number" && Number.isFinite(chatId)) return String(chatId);
  if (typeof chatId === "string") {
    const s = chatId.trim();
    if (/^-?\d+$/.test(s)) return String(Number(s));
    if (s.startsWith("@") && s.length > 1) return s.toLowerCase();
  }
  return undefined;
}

/** Default chat type from the shape of its id. */
function typeOfChatId(id: number): ChatType {
  if (id > 0) return "private";
  if (id <= -1_000_000_000_000) return "supergroup";
  return "group";
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
  /** Milliseconds until one more event fits; 0 when it fits now. */
  waitMs(now: number): number {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) this.times.splice(0, drop);
    if (this.times.length < this.limit) return 0;
    return (this.times[this.times.length - this.limit] ?? now) + this.windowMs - now;
  }
  add(now: number): void {
    this.times.push(now);
  }
}

interface ChatInfo {
  id: number;
  type: ChatType | "channel";
  title?: string;
  first_name?: string;
  username?: string;
}

interface StoredMessage {
  message: Record<string, unknown>;
  contentKey: string;
  markupKey: string;
}

interface ChatState {
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  deleted: Set<number>;
}

interface PendingPoll {
  offset: number;
  limit: number;
  allowed: string[] | undefined;
  timer: NodeJS.Timeout | undefined;
  resolve: (reply: Reply) => void;
}

const DEFAULT_EXCLUDED_UPDATES = new Set([
  "chat_member",
  "message_reaction",
  "message_reaction_count",
]);

const stableJson = (value: unknown): string => JSON.stringify(value ?? null);

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

function validateReplyMarkup(markup: unknown): ErrorReply | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== "object")
    return badRequest("can't parse reply keyboard markup JSON object");
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) return undefined;
  if (!Array.isArray(keyboard)) {
    return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  }
  for (const row of keyboard) {
    if (!Array.isArray(row)) {
      return badRequest(
        'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays',
      );
    }
    for (const button of row) {
      if (!button || typeof button !== "object") {
        return badRequest(
          "can't parse inline keyboard button: InlineKeyboardButton must be an Object",
        );
      }
      const b = button as Record<string, unknown>;
      if (typeof b.text !== "string") {
        return badRequest(
          'can\'t parse inline keyboard button: Field "text" must be of type String',
        );
      }
      if (!BUTTON_ACTIONS.some((k) => b[k] !== undefined)) {
        return badRequest("text buttons are unallowed in the inline keyboard");
      }
      if (b.callback_data !== undefined) {
        const data = b.callback_data;
        if (typeof data !== "string" || utf8Length(data) < 1 || utf8Length(data) > 64) {
          return badRequest("BUTTON_DATA_INVALID");
        }
      }
      if (b.url !== undefined) {
        let valid = false;
        if (typeof b.url === "string") {
          try {
            valid = ["http:", "https:", "tg:", "ton:"].includes(new URL(b.url).protocol);
          } catch {
            valid = false;
          }
        }
        if (!valid) return badRequest("BUTTON_URL_INVALID");
      }
    }
  }
  return undefined;
}

/** Visible text of a text or caption after parse_mode, or the error the API gives. */
function parseFormatted(
  text: string,
  parseMode: unknown,
): { ok: true; text: string; entities: MessageEntity[] } | { ok: false; reply: ErrorReply } {
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    return { ok: true, text, entities: [] };
  }
  if (typeof parseMode === "string" && parseMode.toLowerCase() === "html") {
    const parsed = parseTelegramHtml(text);
    if (!parsed.ok) {
      return { ok: false, reply: badRequest(`can't parse entities: ${parsed.error}`) };
    }
    return { ok: true, text: parsed.text, entities: parsed.entities };
  }
  if (parseMode === "Markdown" || parseMode === "MarkdownV2") {
    // Not validated: counted raw.
    return { ok: true, text, entities: [] };
  }
  return { ok: false, reply: badRequest("unsupported parse_mode") };
}

function describeCall(call: RecordedCall): string {
  const p = call.params;
  const bits: string[] = [];
  if (p.chat_id !== undefined) bits.push(`chat_id=${String(p.chat_id)}`);
  for (const key of ["text", "caption", "data", "url", "offset"]) {
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A lenient multipart/form-data reader: grammY writes headers without a space after the colon
 * and file names unquoted, which stricter parsers (undici's) refuse.
 */
function parseMultipart(
  body: Buffer,
  contentType: string,
): { name: string; filename?: string; contentType?: string; data: Buffer }[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const value = boundary?.[1] ?? boundary?.[2];
  if (!value) throw new Error("multipart body without boundary");
  const delimiter = Buffer.from(`--${value}`);
  const parts: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error("unterminated multipart body");
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const split = part.indexOf("\r\n\r\n");
    const head = (split < 0 ? part : part.subarray(0, split)).toString("utf8");
    const data = split < 0 ? Buffer.alloc(0) : part.subarray(split + 4);
    let name: string | undefined;
    let filename: string | undefined;
    let type: string | undefined;
    for (const line of head.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const header = line.slice(0, colon).trim().toLowerCase();
      const rest = line.slice(colon + 1).trim();
      if (header === "content-type") type = rest;
      if (header !== "content-disposition") continue;
      for (const param of rest.split(";").slice(1)) {
        const eq = param.indexOf("=");
        if (eq < 0) continue;
        const key = param.slice(0, eq).trim().toLowerCase();
        let v = param.slice(eq + 1).trim();
        if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
        if (key === "name") name = v;
        if (key === "filename") filename = v;
      }
    }
    if (name !== undefined) parts.push({ name, filename, contentType: type, data });
    pos = next;
  }
  return parts;
}

async function parseParams(req: IncomingMessage, body: Buffer, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = coerceField(key, value);
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return params;
  if (contentType.includes("application/json")) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      Object.assign(params, parsed);
    }
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) {
      params[key] = coerceField(key, value);
    }
  } else if (contentType.includes("multipart/form-data")) {
    for (const part of parseMultipart(body, req.headers["content-type"] ?? "")) {
      if (part.filename === undefined) {
        params[part.name] = coerceField(part.name, part.data.toString("utf8"));
      } else {
        params[part.name] = {
          filename: part.filename,
          size: part.data.length,
          type: part.contentType ?? "application/octet-stream",
        };
      }
    }
  }
  return params;
}

// ---------------------------------------------------------------------------------------------
// The fake

class FakeTelegramServer implements FakeTelegram {
  apiRoot = "";
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly calls: RecordedCall[] = [];
  readonly stats: FakeTelegramStats = { tooManyRequests: 0, sends: 0, faults: 0 };

  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      this.send(res, err(500, `Internal Server Error: ${String(error)}`));
    });
  });
  private readonly handlers = new Map<string, { name: string; fn: Handler }>();
  private readonly latencyMs: number;
  private readonly limits: FakeTelegramLimits;
  private readonly random: { rate: number; kinds: FaultKind[]; next: () => number } | undefined;

  private closed = false;
  private webhookInfo: { url: string; secretToken?: string; allowedUpdates?: string[] } | undefined;
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private pendingPoll: PendingPoll | undefined;
  private readonly waiters = new Set<{
    predicate: (call: RecordedCall) => boolean;
    resolve: (call: RecordedCall) => void;
  }>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly faults = new Map<string, { fault: Fault; remaining: number }[]>();
  private readonly chats = new Map<string, ChatInfo>();
  private readonly chatStates = new Map<string, ChatState>();
  private readonly members = new Map<string, Map<number, MemberStatus>>();
  private readonly commands = new Map<string, unknown[]>();
  private readonly globalWindow: SlidingWindow | undefined;
  private readonly paidWindow: SlidingWindow | undefined;
  private readonly chatWindows = new Map<string, SlidingWindow>();
  private readonly groupWindows = new Map<string, SlidingWindow>();
  private nextCallbackId = 1;
  private nextInlineId = 1;

  constructor(options: FakeTelegramOptions) {
    this.token = options.token ?? "123456:TEST";
    const botId = Number(this.token.split(":")[0]);
    this.botInfo = {
      id: Number.isSafeInteger(botId) && botId > 0 ? botId : 123456,
      is_bot: true,
      first_name: "Bantin Test",
      username: options.botUsername ?? "bantin_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.latencyMs = options.latencyMs ?? 0;
    this.limits = options.limits ?? {};
    if (this.limits.globalPerSecond) {
      this.globalWindow = new SlidingWindow(this.limits.globalPerSecond, 1000);
    }
    if (this.limits.paidGlobalPerSecond) {
      this.paidWindow = new SlidingWindow(this.limits.paidGlobalPerSecond, 1000);
    }
    if (options.randomFaults && options.randomFaults.kinds.length > 0) {
      this.random = {
        rate: options.randomFaults.rate,
        kinds: options.randomFaults.kinds,
        next: mulberry32(options.randomFaults.seed ?? 1),
      };
    }
    this.registerHandlers();
  }

  get webhook(): { url: string; secretToken?: string } | undefined {
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

  callsTo(method: string): RecordedCall[] {
    const name = this.canonical(method);
    return this.calls.filter((c) => c.method === name);
  }

  sentMessages(chatId?: number | string, opts?: { includeFailed?: boolean }): RecordedCall[] {
    const key = chatId === undefined ? undefined : chatKeyOf(chatId);
    return this.calls.filter(
      (c) =>
        MESSAGE_METHODS.has(c.method) &&
        (opts?.includeFailed || c.ok === true) &&
        (key === undefined || chatKeyOf(c.params.chat_id) === key),
    );
  }

  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const test = (call: RecordedCall) => {
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
        resolve: (call: RecordedCall) => {
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
            `fake Telegram: no matching call within ${timeoutMs} ms; ${this.calls.length} calls so far, the last ones:\n${recent.join("\n") || "  (none)"}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  // --- updates ---------------------------------------------------------------------------------

  private withId(update: UpdateInput): Update {
    if (typeof update.update_id === "number") {
      this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
      return update as Update;
    }
    return { ...update, update_id: this.nextUpdateId++ } as Update;
  }

  pushUpdate(update: UpdateInput): number {
    const full = this.withId(update);
    let at = this.updates.length;
    while (at > 0 && (this.updates[at - 1]?.update_id ?? 0) > full.update_id) at--;
    this.updates.splice(at, 0, full);
    this.wakePoll();
    return full.update_id;
  }

  async deliverWebhook(
    update: UpdateInput,
    opts: { url?: string; secret?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const url = opts.url ?? this.webhookInfo?.url;
    if (!url) {
      throw new Error(
        "fake Telegram: deliverWebhook needs a URL (call setWebhook or pass opts.url)",
      );
    }
    const payload = Buffer.from(JSON.stringify(this.withId(update)), "utf8");
    const secret = opts.secret ?? this.webhookInfo?.secretToken;
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": payload.length,
    };
    if (secret) headers["x-telegram-bot-api-secret-token"] = secret;
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

  private updateType(update: Update): string {
    return Object.keys(update).find((k) => k !== "update_id") ?? "";
  }

  private deliverable(offset: number, limit: number, allowed: string[] | undefined): Update[] {
    const result: Update[] = [];
    for (const u of this.updates) {
      if (result.length >= limit) break;
      if (u.update_id < offset) continue;
      const type = this.updateType(u);
      if (allowed ? !allowed.includes(type) : DEFAULT_EXCLUDED_UPDATES.has(type)) continue;
      result.push(u);
    }
    return result;
  }

  private wakePoll(): void {
    const poll = this.pendingPoll;
    if (!poll) return;
    const batch = this.deliverable(poll.offset, poll.limit, poll.allowed);
    if (batch.length === 0) return;
    this.pendingPoll = undefined;
    if (poll.timer) clearTimeout(poll.timer);
    poll.resolve(ok(batch));
  }

  // --- update builders -------------------------------------------------------------------------

  private chatTypeFor(chatId: number, given?: ChatType): ChatType {
    if (given) return given;
    const known = this.chats.get(String(chatId))?.type;
    if (known && known !== "channel") return known;
    return typeOfChatId(chatId);
  }

  private rememberChat(chatId: number, type: ChatType, firstName: string): Record<string, unknown> {
    const key = String(chatId);
    const info: ChatInfo =
      type === "private"
        ? { id: chatId, type, first_name: firstName }
        : { id: chatId, type, title: this.chats.get(key)?.title ?? `Test ${type} ${chatId}` };
    this.chats.set(key, info);
    return { ...info };
  }

  private user(id: number, firstName = "Lan", languageCode = "vi"): Record<string, unknown> {
    return { id, is_bot: false, first_name: firstName, language_code: languageCode };
  }

  private botUser(): Record<string, unknown> {
    return {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  message(opts: MessageUpdateOptions): Update {
    const type = this.chatTypeFor(opts.chatId, opts.chatType);
    const firstName = opts.firstName ?? "Lan";
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : 424242);
    const chat = this.rememberChat(opts.chatId, type, firstName);
    const state = this.chatState(String(opts.chatId));
    const message: Record<string, unknown> = {
      message_id: state.nextMessageId++,
      from: this.user(fromId, firstName, opts.languageCode ?? "vi"),
      chat,
      date: this.now(),
      text: opts.text,
    };
    const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(opts.text);
    if (command) {
      message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    }
    return this.withId({ message } as unknown as UpdateInput);
  }

  callbackQuery(opts: CallbackQueryOptions): Update {
    const type = this.chatTypeFor(opts.chatId, opts.chatType);
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : 424242);
    const chat = this.rememberChat(opts.chatId, type, "Lan");
    const key = String(opts.chatId);
    const state = this.chatState(key);
    let stored = state.messages.get(opts.messageId);
    if (!stored) {
      const message: Record<string, unknown> = {
        message_id: opts.messageId,
        from: this.botUser(),
        chat,
        date: this.now(),
        text: opts.text ?? "…",
      };
      stored = { message, contentKey: stableJson([opts.text ?? "…", null]), markupKey: "null" };
      state.messages.set(opts.messageId, stored);
      state.nextMessageId = Math.max(state.nextMessageId, opts.messageId + 1);
    }
    const callback_query = {
      id: String(9_000_000 + this.nextCallbackId++),
      from: this.user(fromId),
      message: { ...stored.message, chat },
      chat_instance: String(Math.abs(opts.chatId) * 7 + 13),
      data: opts.data,
    };
    return this.withId({ callback_query } as unknown as UpdateInput);
  }

  inlineQuery(opts: { fromId: number; query: string; offset?: string }): Update {
    const inline_query = {
      id: String(7_000_000 + this.nextInlineId++),
      from: this.user(opts.fromId),
      query: opts.query,
      offset: opts.offset ?? "",
      chat_type: "sender",
    };
    return this.withId({ inline_query } as unknown as UpdateInput);
  }

  myChatMember(opts: {
    chatId: number;
    fromId?: number;
    status: "kicked" | "member" | "left";
    chatType?: ChatType;
  }): Update {
    const type = this.chatTypeFor(opts.chatId, opts.chatType);
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : 424242);
    const chat = this.rememberChat(opts.chatId, type, "Lan");
    const member = (status: string) =>
      status === "kicked"
        ? { status, user: this.botUser(), until_date: 0 }
        : { status, user: this.botUser() };
    const old = opts.status === "member" ? (type === "private" ? "kicked" : "left") : "member";
    const my_chat_member = {
      chat,
      from: this.user(fromId),
      date: this.now(),
      old_chat_member: member(old),
      new_chat_member: member(opts.status),
    };
    return this.withId({ my_chat_member } as unknown as UpdateInput);
  }

  // --- faults and members ----------------------------------------------------------------------

  fault(chatId: number | string | "*", fault: Fault, times = Number.POSITIVE_INFINITY): void {
    const key = chatId === "*" ? "*" : chatKeyOf(chatId);
    if (key === undefined) throw new Error(`fake Telegram: bad chat id ${String(chatId)}`);
    if (!(times > 0)) return;
    const list = this.faults.get(key) ?? [];
    list.push({ fault, remaining: times });
    this.faults.set(key, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setChatMemberStatus(chatId: number | string, userId: number, status: MemberStatus): void {
    const key = chatKeyOf(chatId);
    if (key === undefined) throw new Error(`fake Telegram: bad chat id ${String(chatId)}`);
    const map = this.members.get(key) ?? new Map<number, MemberStatus>();
    map.set(userId, status);
    this.members.set(key, map);
  }

  private takeFault(key: string): Fault | undefined {
    for (const k of [key, "*"]) {
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

  private randomFault(key: string): Fault | undefined {
    const r = this.random;
    if (!r || r.next() >= r.rate) return undefined;
    const kind = r.kinds[Math.floor(r.next() * r.kinds.length)] ?? r.kinds[0];
    switch (kind) {
      case "retry_after":
        return { kind, seconds: 1 };
      case "migrated": {
        const id = Number(key);
        const to = Number.isFinite(id) ? -(1_000_000_000_000 + Math.abs(id)) : -1_000_000_000_001;
        return { kind, toChatId: to };
      }
      case "slow":
        return { kind, ms: 200 };
      case "server_error":
        return { kind };
      case undefined:
        return undefined;
      default:
        return { kind };
    }
  }

  private faultReply(fault: Fault): ErrorReply | undefined {
    switch (fault.kind) {
      case "retry_after": {
        const seconds = Math.max(1, Math.ceil(fault.seconds));
        this.stats.tooManyRequests++;
        return err(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
      }
      case "blocked":
        return err(403, "Forbidden: bot was blocked by the user");
      case "chat_not_found":
        return badRequest("chat not found");
      case "kicked":
        return err(403, "Forbidden: bot was kicked from the group chat");
      case "deactivated":
        return err(403, "Forbidden: user is deactivated");
      case "migrated":
        return err(400, "Bad Request: group chat was upgraded to a supergroup chat", {
          migrate_to_chat_id: fault.toChatId,
        });
      case "server_error": {
        const status = fault.status ?? 500;
        const text: Record<number, string> = {
          500: "Internal Server Error",
          502: "Bad Gateway",
          503: "Service Unavailable",
          504: "Gateway Timeout",
        };
        return err(status, text[status] ?? "Internal Server Error");
      }
      default:
        return undefined;
    }
  }

  // --- limits ----------------------------------------------------------------------------------

  /** Applies the flood limits to one send; a 429 reply when over, else counts the send. */
  private admitSend(params: Params): ErrorReply | undefined {
    const now = Date.now();
    const key = chatKeyOf(params.chat_id) ?? "?";
    const paid = params.allow_paid_broadcast === true && this.paidWindow !== undefined;
    const global = paid ? this.paidWindow : this.globalWindow;
    let chatWindow: SlidingWindow | undefined;
    if (this.limits.perChatPerSecond) {
      chatWindow = this.chatWindows.get(key);
      if (!chatWindow) {
        chatWindow = new SlidingWindow(this.limits.perChatPerSecond, 1000);
        this.chatWindows.set(key, chatWindow);
      }
    }
    let groupWindow: SlidingWindow | undefined;
    const type = this.chatInfo(params.chat_id)?.type;
    if (this.limits.perGroupPerMinute && type !== undefined && type !== "private") {
      groupWindow = this.groupWindows.get(key);
      if (!groupWindow) {
        groupWindow = new SlidingWindow(this.limits.perGroupPerMinute, 60_000);
        this.groupWindows.set(key, groupWindow);
      }
    }
    const windows = [global, chatWindow, groupWindow].filter(
      (w): w is SlidingWindow => w !== undefined,
    );
    const waitMs = Math.max(0, ...windows.map((w) => w.waitMs(now)));
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      this.stats.tooManyRequests++;
      return err(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    }
    for (const w of windows) w.add(now);
    this.stats.sends++;
    return undefined;
  }

  // --- chats and messages ----------------------------------------------------------------------

  private chatInfo(chatId: unknown): ChatInfo | undefined {
    const key = chatKeyOf(chatId);
    if (key === undefined) return undefined;
    const known = this.chats.get(key);
    if (known) return known;
    let info: ChatInfo;
    if (key.startsWith("@")) {
      let hash = 0;
      for (const ch of key) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000_000;
      info = {
        id: -(1_000_000_000_000 + hash),
        type: "channel",
        title: key.slice(1),
        username: key.slice(1),
      };
    } else {
      const id = Number(key);
      const type = typeOfChatId(id);
      info =
        type === "private"
          ? { id, type, first_name: "Lan" }
          : { id, type, title: `Test ${type} ${id}` };
    }
    this.chats.set(key, info);
    return info;
  }

  private chatState(key: string): ChatState {
    let state = this.chatStates.get(key);
    if (!state) {
      state = { nextMessageId: 1, messages: new Map(), deleted: new Set() };
      this.chatStates.set(key, state);
    }
    return state;
  }

  private newMessage(
    params: Params,
    content: Record<string, unknown>,
    contentKey: string,
  ): Record<string, unknown> {
    const info = this.chatInfo(params.chat_id) as ChatInfo;
    const key = chatKeyOf(params.chat_id) as string;
    const state = this.chatState(key);
    const message: Record<string, unknown> = {
      message_id: state.nextMessageId++,
      from: this.botUser(),
      chat: { ...info },
      date: this.now(),
      ...content,
    };
    const markup = params.reply_markup as { inline_keyboard?: unknown } | undefined;
    if (markup && typeof markup === "object" && markup.inline_keyboard !== undefined) {
      message.reply_markup = { inline_keyboard: markup.inline_keyboard };
    }
    state.messages.set(message.message_id as number, {
      message,
      contentKey,
      markupKey: stableJson(message.reply_markup),
    });
    return message;
  }

  private requireChat(params: Params): ErrorReply | undefined {
    if (params.chat_id === undefined || params.chat_id === "")
      return badRequest("chat_id is empty");
    if (chatKeyOf(params.chat_id) === undefined) return badRequest("chat not found");
    return undefined;
  }

  /** The target of an edit: a stored message, or an error. Unknown messages are taken on trust. */
  private editTarget(
    params: Params,
  ):
    | { inline: true }
    | { inline: false; key: string; id: number; stored?: StoredMessage }
    | ErrorReply {
    if (params.inline_message_id !== undefined) return { inline: true };
    const missing = this.requireChat(params);
    if (missing) return missing;
    const id = Number(params.message_id);
    if (!Number.isInteger(id) || id <= 0) return badRequest("message identifier is not specified");
    const key = chatKeyOf(params.chat_id) as string;
    const state = this.chatState(key);
    if (state.deleted.has(id)) return badRequest("message to edit not found");
    return { inline: false, key, id, stored: state.messages.get(id) };
  }

  private sendText(params: Params): Reply {
    const missing = this.requireChat(params);
    if (missing) return missing;
    if (typeof params.text !== "string") return badRequest("message text is empty");
    const parsed = parseFormatted(params.text, params.parse_mode);
    if (!parsed.ok) return parsed.reply;
    if (parsed.text.trim().length === 0) return badRequest("message text is empty");
    if (parsed.text.length > 4096) return badRequest("message is too long");
    const markupError = validateReplyMarkup(params.reply_markup);
    if (markupError) return markupError;
    const denied = this.admitSend(params);
    if (denied) return denied;
    const content: Record<string, unknown> = { text: parsed.text };
    if (parsed.entities.length > 0) content.entities = parsed.entities;
    return ok(
      this.newMessage(params, content, stableJson([params.text, params.parse_mode ?? null])),
    );
  }

  private sendMedia(params: Params, field: string, method: string): Reply {
    const missing = this.requireChat(params);
    if (missing) return missing;
    const media = params[field];
    if (media === undefined || media === "") {
      return badRequest(`there is no ${field} in the request`);
    }
    const content: Record<string, unknown> = {};
    if (params.caption !== undefined && field !== "sticker") {
      if (typeof params.caption !== "string") return badRequest("can't parse caption");
      const parsed = parseFormatted(params.caption, params.parse_mode);
      if (!parsed.ok) return parsed.reply;
      if (parsed.text.length > 1024) return badRequest("message caption is too long");
      if (parsed.text.length > 0) content.caption = parsed.text;
      if (parsed.entities.length > 0) content.caption_entities = parsed.entities;
    }
    const markupError = validateReplyMarkup(params.reply_markup);
    if (markupError) return markupError;
    const denied = this.admitSend(params);
    if (denied) return denied;
    const n = this.stats.sends;
    const file = { file_id: `${method}-${n}`, file_unique_id: `u${n}`, file_size: 1024 };
    content[field] =
      field === "photo"
        ? [
            { ...file, file_id: `${file.file_id}-s`, width: 90, height: 60 },
            { ...file, width: 1280, height: 853 },
          ]
        : file;
    return ok(
      this.newMessage(
        params,
        content,
        stableJson([params.caption ?? "", params.parse_mode ?? null]),
      ),
    );
  }

  // --- methods ---------------------------------------------------------------------------------

  private registerHandlers(): void {
    const on = (name: string, fn: Handler) => this.handlers.set(name.toLowerCase(), { name, fn });
    const yes = () => ok(true);

    on("getMe", () => ok(this.botInfo));
    on("logOut", yes);
    on("close", yes);
    on("getUpdates", (params) => this.getUpdates(params));
    on("setWebhook", (params) => {
      const url = typeof params.url === "string" ? params.url.trim() : "";
      if (url === "") {
        this.webhookInfo = undefined;
        return ok(true);
      }
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
          return badRequest("bad webhook: HTTPS url must be provided for webhook");
        }
      } catch {
        return badRequest("bad webhook: invalid URL");
      }
      const secret = params.secret_token;
      if (
        secret !== undefined &&
        (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      ) {
        return badRequest("secret token contains unallowed characters");
      }
      if (params.drop_pending_updates === true) this.updates = [];
      this.webhookInfo = {
        url,
        secretToken: typeof secret === "string" ? secret : undefined,
        allowedUpdates: Array.isArray(params.allowed_updates)
          ? (params.allowed_updates as string[])
          : undefined,
      };
      return ok(true);
    });
    on("deleteWebhook", (params) => {
      this.webhookInfo = undefined;
      if (params.drop_pending_updates === true) this.updates = [];
      return ok(true);
    });
    on("getWebhookInfo", () => {
      const info: Record<string, unknown> = {
        url: this.webhookInfo?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      };
      if (this.webhookInfo) {
        info.max_connections = 40;
        info.ip_address = "127.0.0.1";
        if (this.webhookInfo.allowedUpdates) info.allowed_updates = this.webhookInfo.allowedUpdates;
      }
      return ok(info);
    });

    on("sendMessage", (params) => this.sendText(params));
    for (const [method, field] of [
      ["sendPhoto", "photo"],
      ["sendDocument", "document"],
      ["sendVideo", "video"],
      ["sendAnimation", "animation"],
      ["sendAudio", "audio"],
      ["sendVoice", "voice"],
      ["sendSticker", "sticker"],
    ] as const) {
      on(method, (params) => this.sendMedia(params, field, method));
    }
    on("copyMessage", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const denied = this.admitSend(params);
      if (denied) return denied;
      const message = this.newMessage(params, { text: "(copy)" }, stableJson(["(copy)", null]));
      return ok({ message_id: message.message_id });
    });
    on("forwardMessage", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const denied = this.admitSend(params);
      if (denied) return denied;
      const message = this.newMessage(
        params,
        {
          text: "(forwarded)",
          forward_origin: { type: "hidden_user", date: this.now(), sender_user_name: "?" },
        },
        stableJson(["(forwarded)", null]),
      );
      return ok(message);
    });

    on("editMessageText", (params) => {
      const target = this.editTarget(params);
      if ("ok" in target) return target;
      if (typeof params.text !== "string") return badRequest("message text is empty");
      const parsed = parseFormatted(params.text, params.parse_mode);
      if (!parsed.ok) return parsed.reply;
      if (parsed.text.trim().length === 0) return badRequest("message text is empty");
      if (parsed.text.length > 4096) return badRequest("message is too long");
      const markupError = validateReplyMarkup(params.reply_markup);
      if (markupError) return markupError;
      if (target.inline) return ok(true);
      const contentKey = stableJson([params.text, params.parse_mode ?? null]);
      return this.applyEdit(target, params, contentKey, (m) => {
        m.text = parsed.text;
        delete m.caption;
        if (parsed.entities.length > 0) m.entities = parsed.entities;
        else delete m.entities;
      });
    });
    on("editMessageCaption", (params) => {
      const target = this.editTarget(params);
      if ("ok" in target) return target;
      const caption = typeof params.caption === "string" ? params.caption : "";
      const parsed = parseFormatted(caption, params.parse_mode);
      if (!parsed.ok) return parsed.reply;
      if (parsed.text.length > 1024) return badRequest("message caption is too long");
      const markupError = validateReplyMarkup(params.reply_markup);
      if (markupError) return markupError;
      if (target.inline) return ok(true);
      const contentKey = stableJson([caption, params.parse_mode ?? null]);
      return this.applyEdit(target, params, contentKey, (m) => {
        if (parsed.text) m.caption = parsed.text;
        else delete m.caption;
        if (parsed.entities.length > 0) m.caption_entities = parsed.entities;
        else delete m.caption_entities;
      });
    });
    on("editMessageReplyMarkup", (params) => {
      const target = this.editTarget(params);
      if ("ok" in target) return target;
      const markupError = validateReplyMarkup(params.reply_markup);
      if (markupError) return markupError;
      if (target.inline) return ok(true);
      return this.applyEdit(target, params, target.stored?.contentKey, () => {});
    });
    on("deleteMessage", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const id = Number(params.message_id);
      if (!Number.isInteger(id) || id <= 0)
        return badRequest("message identifier is not specified");
      const state = this.chatState(chatKeyOf(params.chat_id) as string);
      if (state.deleted.has(id)) return badRequest("message to delete not found");
      state.messages.delete(id);
      state.deleted.add(id);
      return ok(true);
    });

    on("answerCallbackQuery", (params) => {
      if (!params.callback_query_id)
        return badRequest("query is too old and response timeout expired or query ID is invalid");
      if (typeof params.text === "string" && params.text.length > 200) {
        return badRequest("MESSAGE_TOO_LONG");
      }
      return ok(true);
    });
    on("answerInlineQuery", (params) => {
      if (!params.inline_query_id)
        return badRequest("query is too old and response timeout expired or query ID is invalid");
      if (!Array.isArray(params.results))
        return badRequest("can't parse inline query results JSON object");
      if (params.results.length > 50) return badRequest("RESULTS_TOO_MUCH");
      const ids = new Set<unknown>();
      for (const r of params.results as Record<string, unknown>[]) {
        if (!r || typeof r !== "object" || typeof r.id !== "string" || r.id.length === 0) {
          return badRequest("RESULT_ID_EMPTY");
        }
        if (utf8Length(r.id) > 64) return badRequest("RESULT_ID_INVALID");
        if (ids.has(r.id)) return badRequest("RESULT_ID_DUPLICATE");
        ids.add(r.id);
        const markupError = validateReplyMarkup(r.reply_markup);
        if (markupError) return markupError;
      }
      return ok(true);
    });

    const commandsKey = (params: Params) =>
      `${stableJson(params.scope ?? { type: "default" })}|${typeof params.language_code === "string" ? params.language_code : ""}`;
    on("setMyCommands", (params) => {
      if (!Array.isArray(params.commands)) return badRequest("can't parse commands JSON object");
      if (params.commands.length > 100) return badRequest("BOT_COMMANDS_TOO_MUCH");
      for (const c of params.commands as Record<string, unknown>[]) {
        if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
          return badRequest("BOT_COMMAND_INVALID");
        }
        if (
          typeof c.description !== "string" ||
          c.description.length < 1 ||
          c.description.length > 256
        ) {
          return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      this.commands.set(commandsKey(params), params.commands);
      return ok(true);
    });
    on("getMyCommands", (params) => ok(this.commands.get(commandsKey(params)) ?? []));
    on("deleteMyCommands", (params) => {
      this.commands.delete(commandsKey(params));
      return ok(true);
    });
    for (const name of [
      "setMyDescription",
      "setMyShortDescription",
      "setMyName",
      "setMyDefaultAdministratorRights",
      "setChatMenuButton",
    ]) {
      on(name, yes);
    }
    on("getChatMenuButton", () => ok({ type: "commands" }));

    on("sendChatAction", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      if (typeof params.action !== "string") return badRequest("wrong parameter action in request");
      return ok(true);
    });
    for (const name of ["leaveChat", "pinChatMessage", "unpinChatMessage", "setMessageReaction"]) {
      on(name, (params) => this.requireChat(params) ?? ok(true));
    }
    on("getChat", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const info = this.chatInfo(params.chat_id) as ChatInfo;
      return ok({ ...info, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} });
    });
    on("getChatMember", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const userId = Number(params.user_id);
      if (!Number.isInteger(userId) || userId <= 0) return badRequest("invalid user_id specified");
      const key = chatKeyOf(params.chat_id) as string;
      const status = this.members.get(key)?.get(userId) ?? "member";
      return ok(this.chatMember(userId, status));
    });
    on("getChatAdministrators", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const info = this.chatInfo(params.chat_id) as ChatInfo;
      if (info.type === "private")
        return badRequest("there are no administrators in the private chat");
      const key = chatKeyOf(params.chat_id) as string;
      const admins = [...(this.members.get(key) ?? new Map<number, MemberStatus>())]
        .filter(([, status]) => status === "creator" || status === "administrator")
        .map(([userId, status]) => this.chatMember(userId, status));
      return ok(admins);
    });
    on("getChatMemberCount", (params) => {
      const missing = this.requireChat(params);
      if (missing) return missing;
      const key = chatKeyOf(params.chat_id) as string;
      return ok(Math.max(2, (this.members.get(key)?.size ?? 0) + 1));
    });
  }

  private chatMember(userId: number, status: MemberStatus): Record<string, unknown> {
    const user =
      userId === this.botInfo.id
        ? this.botUser()
        : { id: userId, is_bot: false, first_name: `User ${userId}` };
    switch (status) {
      case "creator":
        return { status, user, is_anonymous: false };
      case "administrator":
        return {
          status,
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        };
      case "kicked":
        return { status, user, until_date: 0 };
      case "restricted":
        return {
          status,
          user,
          is_member: true,
          until_date: 0,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
        };
      default:
        return { status, user };
    }
  }

  private applyEdit(
    target: { key: string; id: number; stored?: StoredMessage },
    params: Params,
    contentKey: string | undefined,
    change: (message: Record<string, unknown>) => void,
  ): Reply {
    const state = this.chatState(target.key);
    const markup = params.reply_markup as { inline_keyboard?: unknown } | undefined;
    const newMarkup =
      markup && typeof markup === "object" && markup.inline_keyboard !== undefined
        ? { inline_keyboard: markup.inline_keyboard }
        : undefined;
    const markupKey = stableJson(newMarkup);
    let stored = target.stored;
    if (
      stored &&
      (contentKey === undefined || stored.contentKey === contentKey) &&
      stored.markupKey === markupKey
    ) {
      return badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (!stored) {
      const info = this.chatInfo(params.chat_id) as ChatInfo;
      stored = {
        message: {
          message_id: target.id,
          from: this.botUser(),
          chat: { ...info },
          date: this.now(),
        },
        contentKey: "",
        markupKey: "null",
      };
      state.messages.set(target.id, stored);
      state.nextMessageId = Math.max(state.nextMessageId, target.id + 1);
    }
    const message: Record<string, unknown> = { ...stored.message, edit_date: this.now() };
    change(message);
    if (newMarkup) message.reply_markup = newMarkup;
    else delete message.reply_markup;
    state.messages.set(target.id, {
      message,
      contentKey: contentKey ?? stored.contentKey,
      markupKey,
    });
    return ok(message);
  }

  private getUpdates(params: Params): Reply | Promise<Reply> {
    if (this.webhookInfo) {
      return err(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const rawOffset = Number(params.offset ?? 0);
    const offset = Number.isFinite(rawOffset) ? Math.trunc(rawOffset) : 0;
    if (offset < 0) {
      this.updates = this.updates.slice(offset);
    } else if (offset > 0) {
      this.updates = this.updates.filter((u) => u.update_id >= offset);
    }
    const rawLimit = Number(params.limit ?? 100);
    const limit = Math.min(
      100,
      Math.max(1, Number.isFinite(rawLimit) ? Math.trunc(rawLimit) : 100),
    );
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    const allowed =
      Array.isArray(params.allowed_updates) && params.allowed_updates.length > 0
        ? (params.allowed_updates as string[])
        : undefined;
    // A newer poll terminates the older one, as on the real server.
    const previous = this.pendingPoll;
    if (previous) {
      this.pendingPoll = undefined;
      if (previous.timer) clearTimeout(previous.timer);
      previous.resolve(
        err(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
      );
    }
    const effectiveOffset = Math.max(offset, 0);
    const batch = this.deliverable(effectiveOffset, limit, allowed);
    if (batch.length > 0 || timeout === 0 || this.closed) return ok(batch);
    return new Promise<Reply>((resolve) => {
      const poll: PendingPoll = {
        offset: effectiveOffset,
        limit,
        allowed,
        timer: undefined,
        resolve,
      };
      poll.timer = setTimeout(() => {
        if (this.pendingPoll === poll) this.pendingPoll = undefined;
        resolve(ok([]));
      }, timeout * 1000);
      this.pendingPoll = poll;
    });
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private canonical(method: string): string {
    return this.handlers.get(method.toLowerCase())?.name ?? method;
  }

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

  private settle(call: RecordedCall, reply: Reply): void {
    call.ok = reply.ok;
    if (reply.ok) {
      call.result = reply.result;
    } else {
      call.errorCode = reply.error_code;
      call.description = reply.description;
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(call)) waiter.resolve(call);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (!match || (req.method !== "GET" && req.method !== "POST")) {
      this.send(res, err(404, "Not Found"));
      return;
    }
    const token = decodeURIComponent(match[1] ?? "");
    const methodName = decodeURIComponent(match[2] ?? "");
    let params: Params;
    try {
      params = await parseParams(req, body, url);
    } catch {
      params = {};
      const call: RecordedCall = {
        method: this.canonical(methodName),
        params,
        at: Date.now(),
        token,
      };
      this.calls.push(call);
      const reply = badRequest("can't parse request body");
      this.settle(call, reply);
      this.send(res, reply);
      return;
    }
    const handler = this.handlers.get(methodName.toLowerCase());
    const call: RecordedCall = {
      method: handler?.name ?? methodName,
      params,
      at: Date.now(),
      token,
    };
    this.calls.push(call);

    let extraDelay = 0;
    let outcome: Reply | Promise<Reply> | typeof HANG;
    if (token !== this.token) {
      outcome = err(401, "Unauthorized");
    } else if (!handler || methodName === "") {
      outcome = err(404, "Not Found");
    } else {
      const key = chatKeyOf(params.chat_id);
      let fault = key !== undefined ? this.takeFault(key) : undefined;
      if (!fault && key !== undefined && SEND_METHODS.has(handler.name))
        fault = this.randomFault(key);
      if (fault) this.stats.faults++;
      if (fault?.kind === "timeout") {
        outcome = HANG;
      } else {
        if (fault?.kind === "slow") extraDelay = fault.ms;
        const faultReply = fault ? this.faultReply(fault) : undefined;
        outcome = faultReply ?? handler.fn(params, call);
      }
    }

    if (outcome === HANG) {
      this.hanging.add(res);
      res.once("close", () => this.hanging.delete(res));
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(call)) waiter.resolve(call);
      }
      return;
    }
    let reply: Reply;
    if (outcome instanceof Promise) {
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(call)) waiter.resolve(call);
      }
      const poll = this.pendingPoll;
      const onClose = () => {
        // The client gave up (grammY aborts its poll on bot.stop()).
        if (poll && this.pendingPoll === poll) {
          this.pendingPoll = undefined;
          if (poll.timer) clearTimeout(poll.timer);
          poll.resolve(ok([]));
        }
      };
      res.once("close", onClose);
      reply = await outcome;
      res.off("close", onClose);
    } else {
      reply = outcome;
    }
    this.settle(call, reply);
    await this.sleep(this.latencyMs + extraDelay);
    this.send(res, reply);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const poll = this.pendingPoll;
    this.pendingPoll = undefined;
    if (poll) {
      if (poll.timer) clearTimeout(poll.timer);
      poll.resolve(ok([]));
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

/** Starts a fake Telegram Bot API server on 127.0.0.1 and a random port. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(options);
  await fake.listen();
  return fake;
}
