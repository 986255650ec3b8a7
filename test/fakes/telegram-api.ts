/**
 * A fake Telegram Bot API on node:http at 127.0.0.1 and a random port, good enough that grammY
 * (`new Bot(token, { client: { apiRoot: fake.apiRoot } })`) runs against it unchanged, in long
 * polling and in webhook mode. It records every call, validates like the real API (text and
 * caption sizes, callback data bytes, Telegram's HTML subset; uploads sent multipart, as
 * grammY's attach:// parts, must be there, and small ones keep their text for tests to read),
 * enforces optional flood limits
 * with 429 + retry_after, and injects per-chat or random faults (403 blocked, 400 chat not found,
 * migration to a supergroup, 5xx, slow, never-answering).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Update, UserFromGetMe } from "grammy/types";
import { FakeBotApi, HANG, listening, type Outcome } from "./base/bot-api";
import { err, type Reply } from "./base/call-log";
import { postBody } from "./base/http";
import { UpdateBuilder } from "./telegram/builders";
import { ChannelRegistry } from "./telegram/channels";
import { ChatStore } from "./telegram/chats";
import { FloodLimits, tooManyRequests } from "./telegram/limits";
import { TelegramMethods } from "./telegram/methods";
import { parseParams } from "./telegram/params";
import type {
  CallbackQueryOptions,
  ChannelBotStatus,
  FakeChannel,
  FakeTelegram,
  FakeTelegramOptions,
  Fault,
  FaultKind,
  MemberStatus,
  MessageUpdateOptions,
  MyChatMemberOptions,
  RecordedCall,
  UpdateInput,
} from "./telegram/types";
import { UpdateQueue } from "./telegram/updates";
import { badRequest, chatKeyOf } from "./telegram/validate";

export { type HtmlParseResult, parseTelegramHtml } from "./telegram/html";
export type * from "./telegram/types";

/** Methods that send a message: flood limits and random faults apply to them. */
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

/** Methods whose answer is a message: what sentMessages() lists. */
const MESSAGE_METHODS = new Set([
  ...SEND_METHODS,
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
]);

const SERVER_ERRORS: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function randomFault(kind: FaultKind, chatKey: string): Fault | undefined {
  switch (kind) {
    case "retry_after":
      return { kind, seconds: 1 };
    case "migrated": {
      const id = Number(chatKey);
      const to = Number.isFinite(id) ? -(1_000_000_000_000 + Math.abs(id)) : -1_000_000_000_001;
      return { kind, toChatId: to };
    }
    case "slow":
      return { kind, ms: 200 };
    default:
      return { kind };
  }
}

class FakeTelegramServer extends FakeBotApi<Fault, FaultKind> implements FakeTelegram {
  readonly token: string;
  private revoked = false;
  readonly botInfo: UserFromGetMe;
  private readonly chats: ChatStore;
  private readonly updates = new UpdateQueue();
  private readonly builder: UpdateBuilder;
  private readonly methods: TelegramMethods;
  private readonly channels = new ChannelRegistry();

  revokeToken(): void {
    this.revoked = true;
  }

  constructor(options: FakeTelegramOptions) {
    super({
      name: "Telegram",
      describeKeys: ["chat_id", "text", "caption", "data", "url", "offset"],
      latencyMs: options.latencyMs,
      randomFaults: options.randomFaults,
      randomFault,
      chatKey: chatKeyOf,
    });
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
    this.chats = new ChatStore(this.botInfo);
    this.builder = new UpdateBuilder(this.chats);
    const limits = new FloodLimits(options.limits ?? {}, this.stats);
    this.methods = new TelegramMethods(
      this.botInfo,
      this.chats,
      this.updates,
      limits,
      this.stats,
      this.channels,
    );
  }

  get webhook(): { url: string; secretToken?: string } | undefined {
    const info = this.methods.webhook;
    return info ? { url: info.url, secretToken: info.secretToken } : undefined;
  }

  // --- inspection ------------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    const name = this.methods.canonical(method);
    return this.calls.filter((c) => c.method === name);
  }

  sentMessages(chatId?: number | string, opts?: { includeFailed?: boolean }): RecordedCall[] {
    const key = chatId === undefined ? undefined : chatKeyOf(chatId);
    return this.calls.filter(
      (c) =>
        MESSAGE_METHODS.has(c.method) &&
        // An answer without a result delivered nothing.
        (opts?.includeFailed || (c.ok === true && c.result !== undefined)) &&
        (key === undefined || chatKeyOf(c.params.chat_id) === key),
    );
  }

  // --- updates ---------------------------------------------------------------------------------

  pushUpdate(update: UpdateInput): number {
    return this.updates.push(update);
  }

  async deliverWebhook(
    update: UpdateInput,
    opts: { url?: string; secret?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const url = opts.url ?? this.methods.webhook?.url;
    if (!url) {
      throw new Error(
        "fake Telegram: deliverWebhook needs a URL (call setWebhook or pass opts.url)",
      );
    }
    const payload = Buffer.from(JSON.stringify(this.updates.withId(update)), "utf8");
    const secret = opts.secret ?? this.methods.webhook?.secretToken;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secret) headers["x-telegram-bot-api-secret-token"] = secret;
    return postBody(url, payload, headers);
  }

  message(opts: MessageUpdateOptions): Update {
    return this.updates.withId(this.builder.message(opts));
  }

  callbackQuery(opts: CallbackQueryOptions): Update {
    return this.updates.withId(this.builder.callbackQuery(opts));
  }

  inlineQuery(opts: { fromId: number; query: string; offset?: string }): Update {
    return this.updates.withId(this.builder.inlineQuery(opts));
  }

  myChatMember(opts: MyChatMemberOptions): Update {
    return this.updates.withId(this.builder.myChatMember(opts));
  }

  /** Makes a message the bot sent look `seconds` older (Telegram's 48-hour delete window). */
  ageMessage(chatId: number | string, messageId: number, seconds: number): boolean {
    return this.chats.age(String(chatId), messageId, seconds);
  }

  /** A message the bot sent as the chat shows it now; undefined once deleted. */
  messageIn(chatId: number | string, messageId: number): Record<string, unknown> | undefined {
    return this.chats.shown(String(chatId), messageId);
  }

  setChatMemberStatus(chatId: number | string, userId: number, status: MemberStatus): void {
    const key = chatKeyOf(chatId);
    if (key === undefined) throw new Error(`fake Telegram: bad chat id ${String(chatId)}`);
    this.chats.setMemberStatus(key, userId, status);
  }

  addChannel(channel: FakeChannel): void {
    const info = this.channels.add(channel);
    const keys = [String(info.id), ...(info.username ? [`@${info.username.toLowerCase()}`] : [])];
    this.chats.define(info, ...keys);
  }

  setChannelBot(chatId: number | string, bot: ChannelBotStatus, canPostMessages = true): void {
    this.channels.setBot(chatId, bot, canPostMessages);
  }

  // --- HTTP ------------------------------------------------------------------------------------

  /** The answer a fault forces; undefined for "slow" and "timeout" (handled by the caller). */
  private faultReply(fault: Fault): Reply | undefined {
    switch (fault.kind) {
      case "no_result":
        return { ok: true, result: undefined };
      case "retry_after":
        this.stats.tooManyRequests++;
        return tooManyRequests(Math.max(1, Math.ceil(fault.seconds)));
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
        return err(status, SERVER_ERRORS[status] ?? "Internal Server Error");
      }
      default:
        return undefined;
    }
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, url, token, method: methodName } = await this.readRequest(req);
    if (token === undefined || methodName === undefined) {
      this.send(res, err(404, "Not Found"));
      return;
    }
    if (req.method !== "GET" && req.method !== "POST") {
      this.send(res, err(404, "Not Found"));
      return;
    }
    let params: Record<string, unknown>;
    try {
      params = await parseParams(req, body, url);
    } catch {
      const call = this.log.record(this.methods.canonical(methodName), {}, token);
      const reply = badRequest("can't parse request body");
      this.log.settle(call, reply);
      this.send(res, reply);
      return;
    }
    const handler = this.methods.handlers.get(methodName.toLowerCase());
    const call = this.log.record(handler?.name ?? methodName, params, token);

    let slowMs = 0;
    let outcome: Outcome;
    if (token !== this.token || this.revoked) {
      outcome = err(401, "Unauthorized");
    } else if (!handler || methodName === "") {
      outcome = err(404, "Not Found");
    } else {
      const key = chatKeyOf(params.chat_id);
      const fault =
        key === undefined
          ? undefined
          : this.pickFault([key, "*"], SEND_METHODS.has(handler.name) ? key : undefined);
      if (fault?.kind === "timeout") {
        outcome = HANG;
      } else {
        if (fault?.kind === "slow") slowMs = fault.ms;
        const refused = SEND_METHODS.has(handler.name)
          ? this.channels.refusal(params.chat_id)
          : undefined;
        outcome = (fault && this.faultReply(fault)) ?? refused ?? handler.fn(params);
      }
    }
    await this.answer(call, res, outcome, { slowMs, onAbort: this.updates.abortHandler() });
  }

  protected endPolls(): void {
    this.updates.close();
  }
}

/** Starts a fake Telegram Bot API server on 127.0.0.1 and a random port. */
export function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return listening(new FakeTelegramServer(options));
}
