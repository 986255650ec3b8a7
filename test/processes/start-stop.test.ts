import { afterEach, describe, expect, it } from "vitest";
import { type FakeZalo, startFakeZalo } from "../fakes/zalo-api";
import { newSqliteUrl } from "../helpers/cli";
import { exited, postRaw, startBotProcess, waitUntil } from "../helpers/processes";
import { ZALO_SECRET } from "../helpers/zalo-harness";

let zalo: FakeZalo | undefined;
afterEach(async () => {
  await zalo?.close();
  zalo = undefined;
});

describe("bantin start with a Bot API that refuses connections", { timeout: 60_000 }, () => {
  it("serves Zalo and HTTP, says Telegram is not connected, and stops at once on SIGTERM", async () => {
    zalo = await startFakeZalo();
    const bot = await startBotProcess(
      {
        DATABASE_URL: newSqliteUrl("unreachable.db"),
        TELEGRAM_BOT_TOKEN: "123:unreachable",
        // Nothing listens on port 9: every connection is refused.
        TELEGRAM_API_ROOT: "http://127.0.0.1:9",
        ZALO_BOT_TOKEN: zalo.token,
        ZALO_API_ROOT: zalo.apiRoot,
        ZALO_MODE: "webhook",
        ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      },
      [],
      { ready: false },
    );
    try {
      const z = zalo;
      await waitUntil(
        async () => {
          const body = (await (await fetch(`${bot.url}/readyz`)).json()) as {
            platforms?: Record<string, boolean>;
          };
          return body.platforms?.zalo === true;
        },
        20_000,
        "Zalo to be served",
      );
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        database: true,
        platforms: { telegram: false, zalo: true },
      });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

      // A Zalo reader is answered while Telegram cannot be reached.
      const posted = await postRaw(
        `${bot.url}/zalo/webhook`,
        JSON.stringify(z.textEvent({ chatId: "start-9", text: "trợ giúp" })),
        { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
      );
      expect(posted.status).toBe(200);
      await waitUntil(() => z.sentTo("start-9").length > 0, 10_000, "the Zalo answer");

      const stopping = Date.now();
      bot.child.kill("SIGTERM");
      expect(await exited(bot.child)).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5_000);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    }
  });
});
