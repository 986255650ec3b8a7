import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context, GrammyError, HttpError, InputFile, type Transformer } from "grammy";
import type { InlineQueryResultArticle, UserFromGetMe } from "grammy/types";
import type { ChatContext, ChatType, Reply } from "../../chat/context";
import type { ChatCore, ChatInput } from "../../chat/core";
import { pause } from "../../clock";
import type { RateLimiter } from "../../delivery/limiter";
import type { Logger } from "../../logging";
import { catalogue } from "../../message/i18n/index";
import type { RenderedPart } from "../../message/parts";
import { linesToHtml, renderTelegramHtml } from "../../message/render/telegram-html";
import { telegramFetch } from "./fetch";
import { inlineKeyboard, sendPart } from "./parts";

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  core: ChatCore;
  logger: Logger;
  /** Skip getMe at start (tests, or a known bot). */
  botInfo?: UserFromGetMe;
  /** Longest wait honoured for a 429's retry_after on interactive replies, in seconds. */
  maxRetryAfterSeconds?: number;
  /** Retries of a failed call (429, 5xx, network) before giving up. */
  maxRetryAttempts?: number;
  /** Shared with bulk delivery, so replies and broadcasts keep within one budget. */
  limiter?: RateLimiter;
}

/** Errors that mean the chat cannot be reached any more (blocked, kicked, deleted). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description);
}

const notModified = (error: unknown) =>
  error instanceof GrammyError && /message is not modified/.test(error.description);

function chatType(type: string | undefined): ChatType {
  return type === "group" || type === "supergroup" || type === "channel" ? type : "private";
}

/** How long a member's admin status is trusted before Telegram is asked again. */
const ADMIN_STATUS_TTL_MS = 60_000;
const ADMIN_STATUS_MAX = 10_000;

/** getChatMember answers, kept briefly: one check per user and group per minute at most. */
class AdminStatusCache {
  private readonly known = new Map<string, { admin: boolean; until: number }>();

  async isAdmin(ctx: Context, chatId: number, userId: number): Promise<boolean> {
    const key = `${chatId}:${userId}`;
    const hit = this.known.get(key);
    if (hit && hit.until > Date.now()) return hit.admin;
    const member = await ctx.api.getChatMember(chatId, userId);
    const admin = member.status === "creator" || member.status === "administrator";
    this.known.delete(key);
    this.known.set(key, { admin, until: Date.now() + ADMIN_STATUS_TTL_MS });
    if (this.known.size > ADMIN_STATUS_MAX)
      this.known.delete(this.known.keys().next().value as string);
    return admin;
  }
}

function chatContext(ctx: Context, admins: AdminStatusCache): ChatContext | null {
  const chat = ctx.chat;
  if (!chat) return null;
  const from = ctx.from;
  const name = from ? [from.first_name, from.last_name].filter(Boolean).join(" ") : null;
  return {
    platform: "telegram",
    chatId: String(chat.id),
    chatType: chatType(chat.type),
    user: { id: String(from?.id ?? chat.id), name: name || null },
    botUsername: ctx.me.username,
    buttons: true,
    async isGroupAdmin() {
      if (chat.type === "private") return true;
      // An anonymous admin writes as the group itself.
      if (ctx.msg?.sender_chat?.id === chat.id) return true;
      if (!from) return false;
      return admins.isAdmin(ctx, chat.id, from.id);
    },
  };
}

/** How long any Bot API call may take (a long poll asks for 30 s). */
const CALL_TIMEOUT_SECONDS = 45;

/** Retries a call that could not reach the Bot API, `attempts` times, 1 s, 2 s, 4 s … apart. */
function retryNetworkErrors(attempts: number): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || attempt >= attempts || signal?.aborted) throw error;
        // grammY types its signal with a polyfill's type; at run time it is Node's own.
        await pause(1000 * 2 ** attempt, signal as AbortSignal | undefined);
      }
    }
  };
}

/** How long in all a reply may wait out 429s (the update stays leased meanwhile). */
const FLOOD_WAIT_BUDGET_SECONDS = 120;

/**
 * Waits out 429s on a call, each as long as its retry_after says (at most `maxWaitSeconds`),
 * for up to FLOOD_WAIT_BUDGET_SECONDS in all. A 429 means "later", not "never": after a burst
 * (updates held while the database restarted, answered at once by several processes) a few
 * tries one second apart may all meet a full window, and giving up then lost the answer to an
 * update already acknowledged (issue 20's soak).
 */
function waitOutFloodLimits(maxWaitSeconds: number): Transformer {
  return async (prev, method, payload, signal) => {
    const until = Date.now() + FLOOD_WAIT_BUDGET_SECONDS * 1000;
    for (;;) {
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429 || signal?.aborted) return result;
      const seconds = result.parameters?.retry_after ?? 1;
      if (seconds > maxWaitSeconds || Date.now() + seconds * 1000 > until) return result;
      await pause(seconds * 1000, signal as AbortSignal | undefined);
    }
  };
}

/**
 * The Telegram adapter: updates in as chat input, replies out as HTML with inline keyboards.
 * It translates and nothing more; every feature lives in the chat.
 */
export function createTelegramBot(options: TelegramBotOptions): Bot {
  const log = options.logger.child({ subsystem: "telegram" });
  const bot = new Bot(options.token, {
    // Every call is bounded: a Bot API that never answers costs a call this long, not grammY's
    // default 500 s. Long polls ask for 30 s, so they fit with a margin.
    client: {
      apiRoot: options.apiRoot,
      timeoutSeconds: CALL_TIMEOUT_SECONDS,
      fetch: telegramFetch,
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Interactive replies take their turn in the platform's budget, ahead of bulk sends.
  const limiter = options.limiter;
  if (limiter) {
    bot.api.config.use(async (prev, method, payload, signal) => {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      if (chatId !== undefined && /^(send|edit|copy|forward)/.test(method)) {
        await limiter.acquire({ key: String(chatId), group: Number(chatId) < 0 }, 0);
      }
      const result = await prev(method, payload, signal);
      if (!result.ok && result.error_code === 429) {
        limiter.pauseFor((result.parameters?.retry_after ?? 1) * 1000);
      }
      return result;
    });
  }
  bot.api.config.use(waitOutFloodLimits(options.maxRetryAfterSeconds ?? 30));
  // The one sender for interactive replies: waits out 429s, retries 5xx errors and network
  // errors a few times each (auto-retry alone retries network errors for ever, up to an hour
  // apart: a start or a reply would hang on a Bot API that cannot be reached).
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: options.maxRetryAttempts ?? 3,
      maxDelaySeconds: options.maxRetryAfterSeconds ?? 30,
      rethrowHttpErrors: true,
    }),
  );
  bot.api.config.use(retryNetworkErrors(options.maxRetryAttempts ?? 3));
  const { core } = options;
  const admins = new AdminStatusCache();

  /** Edits a text message in place; false when it cannot be edited (say it anew instead). */
  async function editInPlace(chatId: number, messageId: number, part: RenderedPart) {
    if (part.kind !== "text") return false;
    const markup = inlineKeyboard(part.buttons);
    try {
      await bot.api.editMessageText(chatId, messageId, part.text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(markup ? { reply_markup: markup } : {}),
      });
      return true;
    } catch (error) {
      if (notModified(error)) return true;
      if (isUnreachable(error)) throw error;
      return false; // too old to edit
    }
  }

  async function sendParts(chatId: number, parts: RenderedPart[]): Promise<void> {
    for (const part of parts) {
      try {
        await sendPart(bot.api, chatId, part);
      } catch (error) {
        // A story's pictures are worth a warning, never the story: its text still goes.
        if (part.kind === "text" || isUnreachable(error)) throw error;
        const urls = part.kind === "album" ? part.photos.map((p) => p.url) : [part.url];
        log.warn({ urls, error: (error as Error).message }, "photo not sent");
      }
    }
  }

  async function deliver(ctx: Context, chat: ChatContext, replies: Reply[]): Promise<void> {
    const chatId = ctx.chat?.id;
    const callback = ctx.callbackQuery;
    if (callback) {
      const notice = replies.find((r) => r.type === "notice");
      await ctx.answerCallbackQuery(
        notice?.type === "notice" && notice.text ? { text: notice.text } : {},
      );
    }
    if (chatId === undefined) return;
    for (const reply of replies) {
      if (reply.type === "notice") {
        if (!callback)
          await sendParts(chatId, [
            { kind: "text", format: "html", text: linesToHtml([[reply.text]]) },
          ]);
        continue;
      }
      if (reply.type === "file") {
        const { content, name } = reply.file;
        await bot.api.sendDocument(chatId, new InputFile(Buffer.from(content, "utf8"), name), {
          caption: reply.caption,
        });
        continue;
      }
      const parts = renderTelegramHtml(reply.message);
      const target = callback?.message;
      const [first] = parts;
      if (reply.type === "edit" && target && first && parts.length === 1) {
        if (await editInPlace(target.chat.id, target.message_id, first)) {
          if (reply.follow)
            followBroadcast(chat, target.chat.id, target.message_id, reply.follow.broadcastId);
          continue;
        }
      }
      await sendParts(chatId, parts);
    }
  }

  /** The admin's broadcast message becomes its progress bar, edited until the end. */
  function followBroadcast(chat: ChatContext, chatId: number, messageId: number, id: number) {
    core.followBroadcast(chat, id, async (view) => {
      const [part] = renderTelegramHtml(view.message);
      if (part) await editInPlace(chatId, messageId, part);
    });
  }

  async function handle(ctx: Context, input: ChatInput): Promise<void> {
    const chat = chatContext(ctx, admins);
    if (!chat) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery();
      return;
    }
    try {
      const { replies } = await core.handle(chat, input);
      await deliver(ctx, chat, replies);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      await core.handleReachability(chat, false);
      log.info({ chatId: chat.chatId }, "chat unreachable; reader marked blocked");
    }
  }

  bot.on("message:text", (ctx) => handle(ctx, { kind: "text", text: ctx.message.text }));
  bot.on("callback_query:data", (ctx) =>
    handle(ctx, { kind: "button", data: ctx.callbackQuery.data }),
  );

  bot.on("inline_query", async (ctx) => {
    const offset = /^\d{1,4}$/.test(ctx.inlineQuery.offset) ? Number(ctx.inlineQuery.offset) : 0;
    const locale = ctx.from.language_code?.startsWith("en") ? "en" : "vi";
    const results = await core.inlineSearch(ctx.inlineQuery.query.slice(0, 256), offset, locale);
    const articles: InlineQueryResultArticle[] = results.map((r) => ({
      type: "article",
      id: r.id,
      title: r.title.slice(0, 256),
      description: r.description,
      url: r.url,
      input_message_content: { message_text: linesToHtml(r.message.lines), parse_mode: "HTML" },
    }));
    await ctx.answerInlineQuery(articles, {
      cache_time: 30,
      next_offset: articles.length === 10 ? String(offset + 10) : "",
      ...(articles.length === 0
        ? { button: { text: catalogue(locale).inlineNoResults, start_parameter: "search" } }
        : {}),
    });
  });

  bot.on("my_chat_member", async (ctx) => {
    const chat = chatContext(ctx, admins);
    if (!chat) return;
    const status = ctx.myChatMember.new_chat_member.status;
    await core.handleReachability(chat, status !== "kicked" && status !== "left");
  });

  // Everything else (edited messages, stickers, channel posts, ...) is quietly ignored. A handler
  // that throws makes bot.handleUpdate throw: the inbox logs it and marks the update failed.
  return bot;
}

/** Registers the command menu in Vietnamese (default) and English; a failure is only logged. */
export async function registerCommands(bot: Bot, core: ChatCore, logger: Logger): Promise<void> {
  try {
    await bot.api.setMyCommands(core.commandMenu("vi"));
    await bot.api.setMyCommands(core.commandMenu("vi"), { language_code: "vi" });
    await bot.api.setMyCommands(core.commandMenu("en"), { language_code: "en" });
  } catch (error) {
    logger
      .child({ subsystem: "telegram" })
      .warn(
        { error: (error as Error).message },
        "could not register the command menu; the bot works without it",
      );
  }
}
