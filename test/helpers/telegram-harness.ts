import { join } from "node:path";
import type { Update } from "grammy/types";
import { createConfig, parseDatabaseUrl, type Role } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { loadSampleNews } from "../../src/demo/sample-news";
import { silentLogger } from "../../src/logging";
import { type Running, startBantin } from "../../src/main";
import { storeArticle } from "../../src/news/articles";
import { contentHash } from "../../src/news/canonical";
import { findTopicBySlug } from "../../src/news/topics";
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from "../fakes/telegram-api";
import { scratchDir } from "./cli";

export const NOW = new Date("2026-01-27T03:00:00.000Z");
export const TRICKY_TITLE = 'Giá <5% & "tăng" trở lại <script>';
export const WEBHOOK_SECRET = "test-secret_123";

export interface Harness {
  fake: FakeTelegram;
  running: Running;
  /** A second connection to the bot's database, for assertions. */
  db: DbHandle;
  mode: "polling" | "webhook";
  trickyId: number;
  longId: number;
  /** Hands an update to the bot and resolves once it is handled, with the calls it made. */
  send(update: Update): Promise<RecordedCall[]>;
  stop(): Promise<void>;
}

/**
 * The real bot (startBantin) against the fake Bot API, over HTTP, on a temp SQLite file or on the
 * empty database `databaseUrl` names (e.g. a PostgreSQL one from test/helpers/stores.ts).
 */
export async function startTelegramHarness(
  mode: "polling" | "webhook",
  options: {
    admins?: string;
    env?: Record<string, string>;
    databaseUrl?: string;
    /** The bot's clock; NOW unless a test moves time on. */
    clock?: () => Date;
    /**
     * What the bot does; all of it by default. A test on the real clock that ticks the digest
     * and news flows itself leaves "digest" out, so that the bot's own minute tick cannot
     * compose a reader's digest between the test's steps.
     */
    roles?: readonly Role[];
  } = {},
): Promise<Harness> {
  const fake = await startFakeTelegram();
  const { url, db, trickyId, longId } = await prepareNewsDb(options.databaseUrl);
  const config = createConfig({
    ...databaseEnv(url),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: mode,
    ...(mode === "webhook" ? { TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
    HTTP_PORT: "0",
    LOG_LEVEL: "silent",
    ADMINS: options.admins ?? "",
    ...options.env,
  });
  const running = await startBantin(config, silentLogger(), options.clock ?? (() => NOW), {
    progressIntervalMs: 100,
    ...(options.roles ? { roles: options.roles } : {}),
  });
  // Platforms connect in the background; the tests start once they have (or gave up).
  await running.platformsSettled();
  if (mode === "webhook") await registerTelegramWebhook(fake, running);

  return {
    fake,
    running,
    db,
    mode,
    trickyId,
    longId,
    send: (update) => sendTelegramUpdate(fake, mode, update, running),
    async stop() {
      await running.stop();
      await db.destroy();
      await fake.close();
    },
  };
}

/** What PUBLIC_URL would do in production: tell the (fake) Bot API where to deliver. */
export async function registerTelegramWebhook(fake: FakeTelegram, running: Running): Promise<void> {
  await fetch(`${fake.apiRoot}/bot${fake.token}/setWebhook`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      url: `${running.http.url}/telegram/webhook`,
      secret_token: WEBHOOK_SECRET,
    }),
  });
}

/**
 * Hands an update to the bot and resolves once it is handled (stored, then answered from the
 * inbox), with the calls it made.
 */
export async function sendTelegramUpdate(
  fake: FakeTelegram,
  mode: "polling" | "webhook",
  update: Update,
  running: Running,
): Promise<RecordedCall[]> {
  const before = fake.calls.length;
  if (mode === "webhook") {
    const answer = await fake.deliverWebhook(update);
    if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
  } else {
    const id = fake.pushUpdate(update);
    // The offset moves past an update once it is stored.
    await fake.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > id,
      10_000,
    );
  }
  await running.idle();
  return fake.calls.slice(before).filter((c) => c.method !== "getUpdates");
}

/** DATABASE_URL for the bot, and a small pool on PostgreSQL: test files run side by side. */
export function databaseEnv(url: string): Record<string, string> {
  return url.startsWith("sqlite:")
    ? { DATABASE_URL: url }
    : { DATABASE_URL: url, DATABASE_POOL_SIZE: "4" };
}

/**
 * A database with the demo news, a story with HTML-ish text and a very long story: a temp SQLite
 * file, or the empty database `databaseUrl` names. `path` is the SQLite file ("" otherwise).
 */
export async function prepareNewsDb(databaseUrl?: string): Promise<{
  path: string;
  url: string;
  db: DbHandle;
  trickyId: number;
  longId: number;
}> {
  const url = databaseUrl ?? `sqlite:${join(scratchDir(), "bot.db")}`;
  const database = parseDatabaseUrl(url);
  const path = database.kind === "sqlite" ? database.path : "";
  const { db } = openDatabase(
    database.kind === "postgres" ? { ...database, poolSize: 2 } : database,
  );
  await migrateToLatest(db);
  await loadSampleNews(db, NOW);
  const thoiSu = (await findTopicBySlug(db, "thoi-su"))?.id as number;
  const tricky = await storeArticle(db, {
    url: "https://baolaocai.vn/gia-tang-post999001.html",
    contentHash: "tricky",
    title: TRICKY_TITLE,
    lead: "Chỉ số <b>giá</b> & lạm phát.",
    body: ["Đoạn có ký tự < và > và &amp; nguyên văn."],
    photos: [],
    fullText: true,
    publishedAt: new Date(NOW.getTime() - 30 * 60_000).toISOString(),
    fetchedAt: NOW.toISOString(),
    topicId: thoiSu,
  });
  const longBody = Array.from(
    { length: 12 },
    (_, i) =>
      `Đoạn ${i + 1}: ${"Người dân vùng cao đón mùa lúa chín vàng trên những thửa ruộng bậc thang. ".repeat(9)}`,
  );
  const long = await storeArticle(db, {
    url: "https://baolaocai.vn/mua-vang-post999002.html",
    contentHash: contentHash({ title: "Mùa vàng", lead: "", body: longBody }),
    title: "Mùa vàng trên ruộng bậc thang Mù Cang Chải",
    lead: "Một bài rất dài để thử việc chia tin nhắn.",
    body: longBody,
    photos: [
      {
        url: "https://baolaocai.vn/uploads/mua-vang.jpg",
        caption: "Ruộng bậc thang mùa lúa chín.",
      },
    ],
    fullText: true,
    publishedAt: new Date(NOW.getTime() - 10 * 60 * 60_000).toISOString(),
    fetchedAt: NOW.toISOString(),
    topicId: thoiSu,
  });
  return { path, url, db, trickyId: tricky.id, longId: long.id };
}

/** What the fake Bot API sends with a webhook update: JSON, and the harness's secret. */
export const telegramHeaders = {
  "content-type": "application/json",
  "x-telegram-bot-api-secret-token": WEBHOOK_SECRET,
};

/** How many messages these calls delivered to one chat. */
export function answersTo(calls: RecordedCall[], chatId: number): number {
  return calls.filter(
    (c) => c.method === "sendMessage" && c.ok === true && Number(c.params.chat_id) === chatId,
  ).length;
}

/** The text of a sendMessage/editMessageText call, or the caption of a sendPhoto. */
export function textOf(call: RecordedCall | undefined): string {
  return String(call?.params.text ?? call?.params.caption ?? "");
}

export function buttonsOf(
  call: RecordedCall | undefined,
): { text: string; callback_data?: string; url?: string }[] {
  const markup = call?.params.reply_markup as
    | { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] }
    | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}
