/**
 * The setup the many-process broadcast tests share: Telegram readers inserted in bulk, a
 * broadcast to all of them confirmed, and `bantin start` processes sending it through a fake
 * Bot API that enforces the paid-broadcast rate.
 */
import { expect } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { confirmBroadcast, prepareBroadcast } from "../../src/services/broadcasts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type RunningBot, startBotProcess } from "./processes";

/** Inserts `count` active Telegram readers with chat ids from `firstChatId`. */
export async function addTelegramReaders(
  db: DbHandle,
  count: number,
  firstChatId: number,
  fields: { digest_enabled?: number } = {},
): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < count; i += 500) {
    await db
      .insertInto("readers")
      .values(
        Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
          platform: "telegram",
          chat_id: String(firstChatId + i + k),
          ...fields,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

/** Confirms breaking news "Tin nóng" to every reader; returns its id. */
export async function confirmBreakingNews(db: DbHandle, expectedReaders: number): Promise<number> {
  const now = new Date().toISOString();
  const { broadcast } = await prepareBroadcast(db, { author: "cli", text: "Tin nóng" }, now);
  expect(await confirmBroadcast(db, broadcast.id, "cli", now)).toBe(expectedReaders);
  return broadcast.id;
}

/**
 * A fake Bot API allowing `rate` paid-broadcast messages a second, and `processes` bantin
 * processes on `databaseUrl` sending through it, each `concurrency` at a time (and with `env`'s
 * settings too).
 */
export async function startSenders(
  databaseUrl: string,
  options: {
    rate: number;
    concurrency: number;
    processes?: number;
    env?: Record<string, string>;
  },
): Promise<{ fake: FakeTelegram; bots: RunningBot[] }> {
  const fake = await startFakeTelegram({
    latencyMs: 20,
    limits: { globalPerSecond: 30, paidGlobalPerSecond: options.rate, perChatPerSecond: 1 },
  });
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: "4",
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_RATE: String(options.rate),
    TELEGRAM_PAID_BROADCAST: "true",
    DELIVERY_CONCURRENCY: String(options.concurrency),
    ...options.env,
  };
  const bots: RunningBot[] = [];
  try {
    for (let i = 0; i < (options.processes ?? 3); i++) bots.push(await startBotProcess(env));
  } catch (error) {
    for (const bot of bots) bot.child.kill("SIGKILL");
    await fake.close();
    throw error;
  }
  return { fake, bots };
}
