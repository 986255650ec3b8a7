/**
 * Nothing acknowledged is lost when the process stops (SIGTERM) or dies (SIGKILL): every update
 * was stored before its 200, and the next start answers it.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { startFakeZalo } from "../fakes/zalo-api";
import { exited, freePort, postRaw, startBotProcess, waitUntil } from "../helpers/processes";
import {
  answersTo,
  prepareNewsDb,
  telegramHeaders,
  WEBHOOK_SECRET,
} from "../helpers/telegram-harness";
import { ZALO_SECRET } from "../helpers/zalo-harness";

const post = postRaw;

// ---- stopped or killed after acknowledging ---------------------------------------------------

const children: ChildProcess[] = [];
const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const f of fakes.splice(0)) await f.close();
});

/** One platform's fake as the child-process tests drive it: post, then count the answers. */
interface PlatformKit {
  env(mode: "polling" | "webhook"): Record<string, string>;
  /** POSTs one chat's "help" to the webhook at this base URL. */
  post(base: string, chatId: number): Promise<{ status: number; body: string }>;
  answers(chatId: number): number;
}

/**
 * Every call to a fake takes this long: with 16 chats answered at a time, 120 chats take about
 * 1.5 s, so most updates are still waiting when the signal comes (a few hundred ms after they
 * were acknowledged).
 */
const LATENCY_MS = 200;

async function telegramKit(): Promise<PlatformKit & { fake: FakeTelegram }> {
  const fake = await startFakeTelegram({ latencyMs: LATENCY_MS });
  fakes.push(fake);
  return {
    fake,
    env: (mode) => ({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: mode,
      ...(mode === "webhook" ? { TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
      TELEGRAM_RATE: "1000",
      TELEGRAM_PAID_BROADCAST: "true",
    }),
    post: (base, chatId) =>
      post(
        `${base}/telegram/webhook`,
        JSON.stringify(fake.message({ chatId, text: "/trogiup" })),
        telegramHeaders,
      ),
    answers: (chatId) => answersTo(fake.calls, chatId),
  };
}

async function zaloKit(): Promise<PlatformKit> {
  const zalo = await startFakeZalo({ latencyMs: LATENCY_MS });
  fakes.push(zalo);
  return {
    env: (mode) => ({
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      ZALO_MODE: mode,
      ...(mode === "webhook" ? { ZALO_WEBHOOK_SECRET: ZALO_SECRET } : {}),
      ZALO_RATE: "1000",
    }),
    post: (base, chatId) =>
      post(
        `${base}/zalo/webhook`,
        JSON.stringify(zalo.textEvent({ chatId: String(chatId), text: "trợ giúp" })),
        { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
      ),
    answers: (chatId) => zalo.sentTo(String(chatId)).length,
  };
}

function startBot(path: string, env: Record<string, string>) {
  return startBotProcess({ DATABASE_URL: `sqlite:${path}`, ...env }).then((bot) => {
    children.push(bot.child);
    return bot;
  });
}

async function newsDbPath(): Promise<string> {
  const { path, db } = await prepareNewsDb();
  await db.destroy();
  return path;
}

const CHATS = Array.from({ length: 120 }, (_, i) => 63_000 + i);
const KITS = { Telegram: telegramKit, Zalo: zaloKit };

describe("acknowledged, then the process goes", { timeout: 90_000 }, () => {
  it.each([
    ["Telegram", "SIGTERM"],
    ["Telegram", "SIGKILL"],
    ["Zalo", "SIGTERM"],
    ["Zalo", "SIGKILL"],
  ] as const)(
    "%s webhook, then %s: every update is answered after the restart",
    async (platform, signal) => {
      const kit = await KITS[platform]();
      const allAnswered = () => CHATS.every((chatId) => kit.answers(chatId) >= 1);
      const path = await newsDbPath();
      const first = await startBot(path, kit.env("webhook"));
      const answers = await Promise.all(CHATS.map((chatId) => kit.post(first.url, chatId)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      first.child.kill(signal);
      const code = await exited(first.child);
      if (signal === "SIGTERM") expect(code).toBe(0);
      expect(allAnswered()).toBe(false); // it really went with work left

      await startBot(path, kit.env("webhook"));
      await waitUntil(allAnswered, 40_000, "every chat to be answered");
      const twice = CHATS.filter((chatId) => kit.answers(chatId) > 1);
      // Only what was being answered at a SIGKILL can be answered again; a SIGTERM finishes it.
      if (signal === "SIGTERM") expect(twice).toEqual([]);
      else expect(twice.length).toBeLessThanOrEqual(16);
    },
  );

  it("Telegram polling, then SIGKILL once the batch is stored: every update is answered after the restart", async () => {
    const kit = await telegramKit();
    const f = kit.fake;
    const allAnswered = () => CHATS.every((chatId) => kit.answers(chatId) >= 1);
    const path = await newsDbPath();
    const ids = CHATS.map((chatId) => f.pushUpdate(f.message({ chatId, text: "/trogiup" })));
    const first = await startBot(path, kit.env("polling"));
    const last = Math.max(...ids);
    // Telegram forgets what it delivered once the offset moves past it: the batch was stored.
    await f.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > last,
      20_000,
    );
    first.child.kill("SIGKILL");
    await exited(first.child);
    expect(allAnswered()).toBe(false);

    await startBot(path, kit.env("polling"));
    await waitUntil(allAnswered, 40_000, "every chat to be answered");
  });

  it("Zalo webhook at its default rate, SIGTERM and a new process on the same port at once: every update is answered once", async () => {
    // As an operator restarts (stop, start, without waiting in between): the new process needs
    // the port the stopping one is still finishing with.
    const zalo = await startFakeZalo({ latencyMs: 100 });
    fakes.push(zalo);
    // 30 replies at 5 a second take 6 s: they outlast the new process's start by seconds.
    const chats = CHATS.slice(0, 30);
    const env = {
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      ZALO_MODE: "webhook",
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      HTTP_PORT: String(await freePort()),
    };
    const path = await newsDbPath();
    const first = await startBot(path, env);
    const answers = await Promise.all(
      chats.map((chatId) =>
        post(
          `${first.url}/zalo/webhook`,
          JSON.stringify(zalo.textEvent({ chatId: String(chatId), text: "trợ giúp" })),
          { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
        ),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    first.child.kill("SIGTERM");
    // Replies go at 5 a second (ZALO_RATE's default): most are still to come.
    expect(chats.filter((chatId) => zalo.sentTo(String(chatId)).length > 0).length).toBeLessThan(
      chats.length / 2,
    );

    const second = await startBot(path, env);
    expect(second.url).toBe(first.url);
    await waitUntil(
      () => chats.every((chatId) => zalo.sentTo(String(chatId)).length >= 1),
      40_000,
      "every chat to be answered",
    );
    expect(await exited(first.child)).toBe(0);
    expect(chats.filter((chatId) => zalo.sentTo(String(chatId)).length > 1)).toEqual([]);
  });
});
