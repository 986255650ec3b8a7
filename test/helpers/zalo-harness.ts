import { createConfig, type Role } from "../../src/config";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import { type Running, startBantin } from "../../src/main";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type FakeZalo, startFakeZalo, type ZaloCall, type ZaloEvent } from "../fakes/zalo-api";
import { databaseEnv, NOW, prepareNewsDb } from "./telegram-harness";

export const ZALO_SECRET = "zalo-secret-123";

export interface ZaloHarness {
  zalo: FakeZalo;
  /** Present when the harness runs both platforms. */
  telegram?: FakeTelegram;
  running: Running;
  db: DbHandle;
  mode: "polling" | "webhook";
  longId: number;
  trickyId: number;
  /** Hands an event to the bot and resolves once it is handled, with the calls it made. */
  send(event: ZaloEvent): Promise<ZaloCall[]>;
  stop(): Promise<void>;
}

/**
 * The real bot (startBantin) serving Zalo against the fake Zalo Bot API, on a temp SQLite
 * file or on the empty database `databaseUrl` names.
 */
export async function startZaloHarness(
  mode: "polling" | "webhook",
  options: {
    admins?: string;
    withTelegram?: boolean;
    env?: Record<string, string>;
    clock?: () => Date;
    /**
     * What the bot does; all of it by default. A test on the real clock that ticks the digest
     * and news flows itself leaves "digest" out, so that the bot's own minute tick cannot
     * compose a reader's digest between the test's steps.
     */
    roles?: readonly Role[];
    databaseUrl?: string;
  } = {},
): Promise<ZaloHarness> {
  const zalo = await startFakeZalo();
  const telegram = options.withTelegram ? await startFakeTelegram() : undefined;
  const { url, db, longId, trickyId } = await prepareNewsDb(options.databaseUrl);
  const config = createConfig({
    ...databaseEnv(url),
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    ZALO_MODE: mode,
    ...(mode === "webhook" ? { ZALO_WEBHOOK_SECRET: ZALO_SECRET } : {}),
    ...(telegram
      ? { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot }
      : {}),
    HTTP_PORT: "0",
    LOG_LEVEL: "silent",
    ADMINS: options.admins ?? "",
    // Replies share the platform's rate (5 a second by default): a chat test is about what is
    // said, not how fast; tests of the rate set their own.
    ZALO_RATE: "200",
    ...options.env,
  });
  const running = await startBantin(config, silentLogger(), options.clock ?? (() => NOW), {
    progressIntervalMs: 100,
    zaloPollTimeoutSeconds: 1,
    ...(options.roles ? { roles: options.roles } : {}),
  });
  // Platforms connect in the background; the tests start once they have (or gave up).
  await running.platformsSettled();
  if (mode === "webhook") {
    // What PUBLIC_URL would do in production.
    await fetch(`${zalo.apiRoot}/bot${zalo.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${running.http.url}/zalo/webhook`, secret_token: ZALO_SECRET }),
    });
  }

  return {
    zalo,
    ...(telegram ? { telegram } : {}),
    running,
    db,
    mode,
    longId,
    trickyId,
    async send(event) {
      const before = zalo.calls.length;
      if (mode === "webhook") {
        const answer = await zalo.deliverWebhook(event);
        if (answer.status !== 200)
          throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
      } else {
        zalo.pushUpdate(event);
        // The poller asks again only after it has handled what it got: wait for the poll that
        // carried this event, then for the next one.
        const id = (event as { message?: { message_id?: string } }).message?.message_id;
        const carried = (c: ZaloCall) =>
          c.method === "getUpdates" &&
          (c.result as { message?: { message_id?: string } } | undefined)?.message?.message_id ===
            id;
        const until = Date.now() + 10_000;
        for (;;) {
          const index = zalo.calls.findIndex(carried);
          if (index >= 0 && zalo.calls.slice(index + 1).some((c) => c.method === "getUpdates"))
            break;
          if (Date.now() > until) throw new Error(`event ${id} was not handled in time`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      await running.idle(); // stored, now answered
      return zalo.calls.slice(before).filter((c) => c.method !== "getUpdates");
    },
    async stop() {
      await running.stop();
      await db.destroy();
      await zalo.close();
      await telegram?.close();
    },
  };
}

/** The texts (and captions) the bot sent in these calls, in order. */
export function zaloTexts(calls: ZaloCall[]): string[] {
  return calls
    .filter((c) => (c.method === "sendMessage" || c.method === "sendPhoto") && c.ok !== false)
    .map((c) => String(c.params.text ?? c.params.caption ?? ""));
}
