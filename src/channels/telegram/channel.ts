import { type Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ChatCore } from "../../chat/core";
import type { Config } from "../../config";
import type { RateLimiter } from "../../delivery/limiter";
import type { Routes } from "../../http/server";
import type { Logger } from "../../logging";
import { createTelegramBot, registerCommands } from "./bot";

const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

export interface TelegramChannel {
  bot: Bot;
  /** Routes this channel serves on the HTTP server (the webhook, in webhook mode). */
  routes: Routes;
  /** Connects: getMe, the command menu, then polling or the webhook. Throws on a bad token. */
  start(): Promise<void>;
  stop(): Promise<void>;
  isRunning(): boolean;
}

export function createTelegramChannel(options: {
  config: Config["telegram"];
  publicUrl?: string;
  core: ChatCore;
  logger: Logger;
  botInfo?: UserFromGetMe;
  limiter?: RateLimiter;
}): TelegramChannel {
  const { config, core } = options;
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
  let polling: Promise<void> | null = null;
  const routes: Routes = {};
  if (config.mode === "webhook") {
    const handle = webhookCallback(bot, "http", { secretToken: config.webhookSecret });
    routes["POST /telegram/webhook"] = async (req, res) => {
      if (!running) {
        res.writeHead(503).end();
        return;
      }
      await handle(req, res);
    };
  }

  return {
    bot,
    routes,
    async start() {
      await bot.init();
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
        running = true;
      } else {
        running = true;
        polling = bot
          .start({
            allowed_updates: [...ALLOWED_UPDATES],
            onStart: (me) => log.info({ username: me.username }, "polling for updates"),
          })
          .catch((error: unknown) => {
            running = false;
            log.error({ error: (error as Error).message }, "telegram polling stopped");
          });
      }
      log.info({ mode: config.mode, username: bot.botInfo.username }, "telegram channel started");
    },
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await polling;
      running = false;
    },
    isRunning: () => running,
  };
}
