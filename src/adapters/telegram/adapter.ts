import { type Bot, GrammyError } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { ChatCore } from "../../chat/core";
import type { UpdateSink } from "../../chat/inbox";
import type { Config } from "../../config";
import type { RateLimiter } from "../../delivery/limiter";
import type { HttpPlugin } from "../../http/server";
import { webhookRoute } from "../../http/webhook";
import type { Logger } from "../../logging";
import { createTelegramBot, registerCommands } from "./bot";
import { readTelegramUpdate } from "./update-schema";

const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;
const POLL_TIMEOUT_SECONDS = 30;

export interface TelegramAdapter {
  bot: Bot;
  /** Routes this adapter serves on the HTTP server (the webhook, in webhook mode). */
  routes: HttpPlugin[];
  /** Updates come by long polling (one process polls at a time), not by webhook. */
  polls: boolean;
  /** Connects: getMe, the command menu, the webhook in webhook mode. Throws on a bad token. */
  start(signal?: AbortSignal): Promise<void>;
  /** Long polling, while this process is the one that polls. */
  startPolling(): void;
  stopPolling(): Promise<void>;
  /** Stops taking updates (the inbox finishes what it stored). */
  stop(): Promise<void>;
  isRunning(): boolean;
  /** Why the adapter stopped on its own (Telegram refused the token), if it did. */
  failure(): string | null;
  /**
   * Telegram refused the token to a sender (revoked while running, in webhook mode too): the
   * adapter stops as if it had been refused at start, so /readyz and the alerts say so.
   */
  tokenRefused(description: string): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A refused token (401; 404 for one Telegram cannot even read), in one line. */
const tokenFailure = (error: GrammyError) =>
  `Telegram refused the token (${error.error_code} ${error.description}): bantin stopped serving Telegram; check TELEGRAM_BOT_TOKEN`;

/**
 * The Telegram adapter: updates come in by webhook or long polling, are checked and stored in the
 * inbox (a webhook is answered once its update is stored), and the inbox hands them to the bot.
 */
export function createTelegramAdapter(options: {
  config: Config["telegram"];
  publicUrl?: string;
  core: ChatCore;
  inbox: UpdateSink;
  logger: Logger;
  botInfo?: UserFromGetMe;
  limiter?: RateLimiter;
}): TelegramAdapter {
  const { config, core, inbox } = options;
  if (!config.token) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const log = options.logger.child({ subsystem: "telegram" });
  const bot = createTelegramBot({
    token: config.token,
    apiRoot: config.apiRoot,
    core,
    logger: options.logger,
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  let running = false;
  let failure: string | null = null;
  let polling: Promise<void> | null = null;
  let stopPolling: AbortController | null = null;

  const routes: HttpPlugin[] = [];
  if (config.mode === "webhook") {
    routes.push(
      webhookRoute({
        path: "/telegram/webhook",
        secretHeader: "x-telegram-bot-api-secret-token",
        secret: config.webhookSecret ?? "",
        running: () => running,
        notRunning: "bantin is not serving Telegram",
        check: (body) => {
          const checked = readTelegramUpdate(body);
          return "error" in checked ? checked : { value: checked.update };
        },
        store: (update) => inbox.accept([update]),
      }),
    );
  }

  /** Long polling: a batch is stored before the offset moves past it. Stops on a 401 or 409. */
  async function pollLoop(signal: AbortSignal): Promise<void> {
    let offset = 0;
    let backoff = 1000;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, timeout: POLL_TIMEOUT_SECONDS, allowed_updates: [...ALLOWED_UPDATES] },
          signal as Parameters<typeof bot.api.getUpdates>[1],
        );
        backoff = 1000;
      } catch (error) {
        if (signal.aborted) return;
        if (
          error instanceof GrammyError &&
          (error.error_code === 401 || error.error_code === 409)
        ) {
          running = false;
          if (error.error_code === 401) failure = tokenFailure(error);
          log.error({ error: error.message }, "telegram polling stopped");
          return;
        }
        log.warn({ error: (error as Error).message, retryInMs: backoff }, "getUpdates failed");
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      if (updates.length === 0) continue;
      const batch = [];
      for (const body of updates) {
        const checked = readTelegramUpdate(body);
        if ("error" in checked) log.warn({ error: checked.error }, "update refused");
        else batch.push(checked.update);
      }
      while (!(await storeBatch(batch))) {
        if (signal.aborted) return; // not stored: Telegram sends it again next time
        await sleep(1000);
      }
      offset = (updates.at(-1)?.update_id ?? offset - 1) + 1;
    }
  }

  async function storeBatch(batch: Parameters<UpdateSink["accept"]>[0]): Promise<boolean> {
    try {
      await inbox.accept(batch);
      return true;
    } catch (error) {
      log.error({ error: (error as Error).message }, "could not store updates; trying again");
      return false;
    }
  }

  return {
    bot,
    routes,
    async start(signal) {
      try {
        // getMe by hand: grammY's bot.init() retries a Bot API it cannot reach for ever, so
        // start would never end; here it fails and the caller tries again when it chooses.
        if (!bot.isInited())
          bot.botInfo = await bot.api.getMe(signal as Parameters<typeof bot.api.getMe>[0]);
      } catch (error) {
        if (error instanceof GrammyError && [401, 404].includes(error.error_code)) {
          failure = tokenFailure(error);
        }
        throw error;
      }
      await registerCommands(bot, core, options.logger);
      if (config.mode === "webhook") {
        if (options.publicUrl) {
          await bot.api.setWebhook(`${options.publicUrl}/telegram/webhook`, {
            secret_token: config.webhookSecret,
            allowed_updates: [...ALLOWED_UPDATES],
          });
        } else {
          log.warn("PUBLIC_URL is not set: the webhook was not registered with Telegram");
        }
      }
      running = true;
      inbox.on("telegram", (body) => bot.handleUpdate(body as Update));
      log.info({ mode: config.mode, username: bot.botInfo.username }, "serving telegram");
    },
    polls: config.mode === "polling",
    startPolling() {
      if (polling || config.mode !== "polling") return;
      stopPolling = new AbortController();
      const signal = stopPolling.signal;
      polling = (async () => {
        await bot.api.deleteWebhook(); // getUpdates and a webhook exclude each other
        log.info({ username: bot.botInfo.username }, "polling for updates");
        await pollLoop(signal);
      })()
        .catch((error: unknown) => {
          if (!signal.aborted) log.error({ error: (error as Error).message }, "polling failed");
        })
        .finally(() => {
          polling = null;
        });
    },
    async stopPolling() {
      stopPolling?.abort();
      await polling;
    },
    async stop() {
      running = false;
      stopPolling?.abort();
      await polling;
    },
    isRunning: () => running,
    failure: () => failure,
    tokenRefused(description) {
      if (failure) return;
      failure = `Telegram refused the token (401 ${description}): bantin stopped serving Telegram; check TELEGRAM_BOT_TOKEN`;
      log.error(failure);
      running = false;
      stopPolling?.abort();
    },
  };
}
