/**
 * The platforms bantin serves, built from the configuration: each platform's adapter with its
 * bulk sender. An adapter and its sender share one rate limiter, so interactive replies and bulk
 * sends keep within one budget (replies first).
 */
import type { ChatCore } from "../chat/core";
import type { UpdateSink } from "../chat/inbox";
import type { Config } from "../config";
import { platformLimiter, type RateLimiter } from "../delivery/limiter";
import type { Transport } from "../delivery/transport";
import type { Logger } from "../logging";
import { createTelegramAdapter, type TelegramAdapter } from "./telegram/adapter";
import { createTelegramTransport } from "./telegram/transport";
import { createZaloAdapter, type ZaloAdapter } from "./zalo/adapter";
import { createZaloClient, type ZaloClient } from "./zalo/client";
import { createZaloTransport } from "./zalo/transport";

/** What sends a platform's outbox rows: its transport, its limiter, how many at once. */
export interface PlatformSender {
  transport: Transport;
  limiter: RateLimiter;
  concurrency: number;
}

export interface Adapters {
  telegram?: { adapter: TelegramAdapter; sender: PlatformSender };
  zalo?: { adapter: ZaloAdapter; sender: PlatformSender };
}

function telegramSender(
  config: Config,
  token: string,
  limiter: RateLimiter,
  timeoutSeconds?: number,
): PlatformSender {
  return {
    transport: createTelegramTransport({
      token,
      apiRoot: config.telegram.apiRoot,
      paidBroadcast: config.telegram.paidBroadcast,
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
    }),
    limiter,
    concurrency: config.delivery.concurrency.telegram,
  };
}

function zaloSender(config: Config, client: ZaloClient, limiter: RateLimiter): PlatformSender {
  return {
    transport: createZaloTransport(client),
    limiter,
    concurrency: config.delivery.concurrency.zalo,
  };
}

function zaloClient(config: Config, token: string, timeoutSeconds?: number): ZaloClient {
  return createZaloClient({
    token,
    apiRoot: config.zalo.apiRoot,
    ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
  });
}

/**
 * Senders only, for a process that delivers without chatting (the CLI's broadcast); each call
 * given up after `timeoutSeconds` (the senders' own default unless set).
 */
export function platformSenders(
  config: Config,
  options: { timeoutSeconds?: number } = {},
): PlatformSender[] {
  const senders: PlatformSender[] = [];
  const { telegram, zalo } = config;
  const timeout = options.timeoutSeconds;
  if (telegram.token) {
    senders.push(telegramSender(config, telegram.token, platformLimiter(telegram.rate), timeout));
  }
  if (zalo.token) {
    const client = zaloClient(config, zalo.token, timeout);
    senders.push(zaloSender(config, client, platformLimiter(zalo.rate)));
  }
  return senders;
}

/** The adapters of the platforms whose tokens are set, each with its sender (not started yet). */
export function createAdapters(
  config: Config,
  chat: { core: ChatCore; inbox: UpdateSink },
  logger: Logger,
  options: { zaloPollTimeoutSeconds?: number } = {},
): Adapters {
  const { core, inbox } = chat;
  const adapters: Adapters = {};
  const { telegram, zalo } = config;
  if (telegram.token) {
    const limiter = platformLimiter(telegram.rate);
    adapters.telegram = {
      adapter: createTelegramAdapter({
        config: telegram,
        publicUrl: config.publicUrl,
        core,
        inbox,
        logger,
        limiter,
      }),
      sender: telegramSender(config, telegram.token, limiter),
    };
  }
  if (zalo.token) {
    const limiter = platformLimiter(zalo.rate);
    const client = zaloClient(config, zalo.token);
    adapters.zalo = {
      adapter: createZaloAdapter({
        config: zalo,
        publicUrl: config.publicUrl,
        core,
        inbox,
        client,
        limiter,
        logger,
        ...(options.zaloPollTimeoutSeconds
          ? { pollTimeoutSeconds: options.zaloPollTimeoutSeconds }
          : {}),
      }),
      sender: zaloSender(config, client, limiter),
    };
  }
  return adapters;
}
