import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context, GrammyError } from "grammy";
import type { InlineQueryResultArticle, UserFromGetMe } from "grammy/types";
import type { ChatContext, ChatCore } from "../../chat/core";
import { catalogue } from "../../chat/i18n";
import type { Reply } from "../../chat/messages";
import type { RateLimiter } from "../../delivery/limiter";
import type { Logger } from "../../logging";
import type { ChatType } from "../../readers/readers";
import { linesToHtml, renderForTelegram, type TelegramPart } from "./render";

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
  /** How often a broadcast's progress message is edited. */
  progressIntervalMs?: number;
  /** Shared with bulk delivery, so replies and broadcasts keep within one budget. */
  limiter?: RateLimiter;
}

export interface TelegramBot {
  bot: Bot;
  /** Stops the progress updates still running. */
  close(): void;
}

/** Errors that mean the chat cannot be reached any more (blocked, kicked, deleted). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description);
}

function chatType(type: string | undefined): ChatType {
  return type === "group" || type === "supergroup" || type === "channel" ? type : "private";
}

function chatContext(ctx: Context): ChatContext | null {
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
    async isGroupAdmin() {
      if (chat.type === "private") return true;
      // An anonymous admin writes as the group itself.
      if (ctx.msg?.sender_chat?.id === chat.id) return true;
      if (!from) return false;
      const member = await ctx.api.getChatMember(chat.id, from.id);
      return member.status === "creator" || member.status === "administrator";
    },
  };
}

/**
 * The Telegram adapter: updates in, chat core, replies out as HTML with inline keyboards.
 * It translates and nothing more; every feature lives in the chat core.
 */
export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const log = options.logger.child({ subsystem: "telegram" });
  const bot = new Bot(options.token, {
    client: { apiRoot: options.apiRoot },
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
  // The one sender for interactive replies: waits out 429s, retries network and 5xx errors.
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: options.maxRetryAttempts ?? 3,
      maxDelaySeconds: options.maxRetryAfterSeconds ?? 30,
    }),
  );
  const { core } = options;
  const watchers = new Set<NodeJS.Timeout>();

  /** Keeps an admin's broadcast message up to date until the broadcast is finished. */
  function followBroadcast(
    chat: ChatContext,
    chatId: number,
    messageId: number,
    broadcastId: number,
  ) {
    let last = "";
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const view = await core.broadcastView(chat, broadcastId);
        const [part] = renderForTelegram(view.message);
        if (part?.kind === "text" && part.html !== last) {
          last = part.html;
          await bot.api.editMessageText(chatId, messageId, part.html, {
            parse_mode: "HTML",
            ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
          });
        }
        if (view.finished) {
          clearInterval(timer);
          watchers.delete(timer);
        }
      } catch (error) {
        if (!(error instanceof GrammyError && /not modified/.test(error.description))) {
          log.warn({ broadcastId, error: (error as Error).message }, "progress update failed");
        }
      } finally {
        busy = false;
      }
    }, options.progressIntervalMs ?? 3000);
    watchers.add(timer);
  }

  async function sendParts(ctx: Context, parts: TelegramPart[]): Promise<void> {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    for (const part of parts) {
      if (part.kind === "photo") {
        try {
          await ctx.api.sendPhoto(chatId, part.url, {
            ...(part.caption ? { caption: part.caption, parse_mode: "HTML" } : {}),
            ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
          });
          continue;
        } catch (error) {
          if (isUnreachable(error)) throw error;
          // Telegram could not fetch the picture: the caption still goes, as text.
          log.warn({ url: part.url, error: (error as Error).message }, "photo not sent");
          if (!part.caption) continue;
          await ctx.api.sendMessage(chatId, part.caption, { parse_mode: "HTML" });
          continue;
        }
      }
      await ctx.api.sendMessage(chatId, part.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
      });
    }
  }

  async function deliver(ctx: Context, replies: Reply[]): Promise<void> {
    const callback = ctx.callbackQuery;
    if (callback) {
      const notice = replies.find((r) => r.type === "notice");
      await ctx.answerCallbackQuery(
        notice?.type === "notice" && notice.text ? { text: notice.text } : {},
      );
    }
    for (const reply of replies) {
      if (reply.type === "notice") {
        if (!callback) await sendParts(ctx, [{ kind: "text", html: linesToHtml([[reply.text]]) }]);
        continue;
      }
      const parts = renderForTelegram(reply.message);
      const target = callback?.message;
      const first = parts[0];
      if (reply.type === "edit" && target && first?.kind === "text" && parts.length === 1) {
        try {
          await ctx.api.editMessageText(target.chat.id, target.message_id, first.html, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...(first.keyboard ? { reply_markup: first.keyboard } : {}),
          });
          const chat = chatContext(ctx);
          if (reply.follow && chat) {
            followBroadcast(chat, target.chat.id, target.message_id, reply.follow.broadcastId);
          }
        } catch (error) {
          if (error instanceof GrammyError && /message is not modified/.test(error.description))
            continue;
          if (isUnreachable(error)) throw error;
          await sendParts(ctx, parts); // too old to edit: say it anew
        }
        continue;
      }
      await sendParts(ctx, parts);
    }
  }

  async function guarded(ctx: Context, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const chat = ctx.chat ? chatContext(ctx) : null;
      if (chat && isUnreachable(error)) {
        await core.handleReachability(chat, false);
        log.info({ chatId: chat.chatId }, "chat unreachable; reader marked blocked");
        return;
      }
      throw error;
    }
  }

  bot.on("message:text", (ctx) =>
    guarded(ctx, async () => {
      const chat = chatContext(ctx);
      if (!chat) return;
      await deliver(ctx, await core.handleText(chat, ctx.message.text));
    }),
  );

  bot.on("callback_query:data", (ctx) =>
    guarded(ctx, async () => {
      const chat = chatContext(ctx);
      if (!chat) {
        await ctx.answerCallbackQuery();
        return;
      }
      await deliver(ctx, await core.handleButton(chat, ctx.callbackQuery.data));
    }),
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
      input_message_content: {
        message_text: linesToHtml(r.message.lines),
        parse_mode: "HTML",
      },
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
    const chat = chatContext(ctx);
    if (!chat) return;
    const status = ctx.myChatMember.new_chat_member.status;
    await core.handleReachability(chat, status !== "kicked" && status !== "left");
  });

  // Everything else (edited messages, stickers, channel posts, ...) is quietly ignored.
  bot.catch((error) => {
    log.error({ update: error.ctx.update.update_id, error: String(error.error) }, "update failed");
  });
  return {
    bot,
    close() {
      for (const timer of watchers) clearInterval(timer);
      watchers.clear();
    },
  };
}

/** Registers the command menu in Vietnamese (default) and English; a failure is only logged. */
export async function registerCommands(bot: Bot, logger: Logger): Promise<void> {
  const vi = catalogue("vi").commands;
  const en = catalogue("en").commands;
  const viCommands: [string, string][] = [
    ["moi", vi.latest],
    ["tim", vi.search],
    ["doc", vi.read],
    ["chude", vi.topics],
    ["bantin", vi.digest],
    ["gio", vi.time],
    ["lang", vi.lang],
    ["huy", vi.stop],
    ["trogiup", vi.help],
  ];
  const enCommands: [string, string][] = [
    ["latest", en.latest],
    ["search", en.search],
    ["read", en.read],
    ["topics", en.topics],
    ["digest", en.digest],
    ["time", en.time],
    ["lang", en.lang],
    ["stop", en.stop],
    ["help", en.help],
  ];
  const toCommands = (list: [string, string][]) =>
    list.map(([command, description]) => ({ command, description }));
  try {
    await bot.api.setMyCommands(toCommands(viCommands));
    await bot.api.setMyCommands(toCommands(viCommands), { language_code: "vi" });
    await bot.api.setMyCommands(toCommands(enCommands), { language_code: "en" });
  } catch (error) {
    logger
      .child({ subsystem: "telegram" })
      .warn(
        { error: (error as Error).message },
        "could not register the command menu; the bot works without it",
      );
  }
}
