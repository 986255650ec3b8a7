/** The public shapes of the fake Telegram Bot API (see ../telegram-api.ts). */
import type { Update, UserFromGetMe } from "grammy/types";
import type { FakeApiStats } from "../base/bot-api";
import type { ApiCall } from "../base/call-log";

/** A recorded call; `method` is the canonical name (e.g. "sendMessage"), whatever case the client used. */
export type RecordedCall = ApiCall;

export type Fault =
  | { kind: "retry_after"; seconds: number }
  | { kind: "blocked" }
  | { kind: "chat_not_found" }
  | { kind: "kicked" }
  | { kind: "deactivated" }
  | { kind: "migrated"; toChatId: number }
  | { kind: "server_error"; status?: number }
  | { kind: "slow"; ms: number }
  | { kind: "timeout" }
  /** `{"ok":true}` and no `result`: nothing was sent, whatever the answer says. */
  | { kind: "no_result" };

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
/** The bot's standing in a channel of the fake (see FakeTelegram.addChannel). */
export type ChannelBotStatus = "creator" | "administrator" | "member" | "left" | "kicked";

/** A Telegram channel the fake knows. */
export interface FakeChannel {
  /** A -100… id. */
  id: number;
  title: string;
  /** Without or with the "@". */
  username?: string;
  /** Default "administrator". */
  bot?: ChannelBotStatus;
  /** For an administrator: may it post? Default true. */
  canPostMessages?: boolean;
}

export type UpdateInput = Omit<Update, "update_id"> & { update_id?: number };

export type FakeTelegramStats = FakeApiStats;

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

export interface MyChatMemberOptions {
  chatId: number;
  fromId?: number;
  /** The bot's new status in the chat. */
  status: "kicked" | "member" | "left";
  chatType?: ChatType;
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
  /** From now on the bot's token is refused (401), as when it is revoked in @BotFather. */
  revokeToken(): void;
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
  myChatMember(opts: MyChatMemberOptions): Update;
  fault(chatId: number | string | "*", fault: Fault, times?: number): void;
  clearFaults(): void;
  setChatMemberStatus(chatId: number | string, userId: number, status: MemberStatus): void;
  /** Makes a message the bot sent look `seconds` older (Telegram's 48-hour delete window). */
  ageMessage(chatId: number | string, messageId: number, seconds: number): boolean;
  /** A message the bot sent as the chat shows it now; undefined once deleted. */
  messageIn(chatId: number | string, messageId: number): Record<string, unknown> | undefined;
  /**
   * A channel the fake knows by id and @username. Posts there go through only while the bot is
   * its creator or an administrator with can_post_messages; otherwise a send answers 403 "bot
   * is not a member of the channel chat" (left, kicked) or 400 "need administrator rights in the
   * channel chat". A @username never added answers 400 "chat not found".
   */
  addChannel(channel: FakeChannel): void;
  /** Changes the bot's standing in a channel added before (e.g. an admin took its rights). */
  setChannelBot(chatId: number | string, bot: ChannelBotStatus, canPostMessages?: boolean): void;
  close(): Promise<void>;
}
