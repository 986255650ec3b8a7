/** The public shapes of the fake Zalo Bot API (see ../zalo-api.ts). */
import type { FakeApiStats } from "../base/bot-api";
import type { ApiCall } from "../base/call-log";

/** A recorded call; `method` is exactly as the client sent it (names are case-sensitive). */
export type ZaloCall = ApiCall;

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
  | { kind: "slow"; ms: number }
  /** `{"ok":true}` and no `result`: nothing was sent, whatever the answer says. */
  | { kind: "no_result" };

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

export type ZaloStats = FakeApiStats;

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
