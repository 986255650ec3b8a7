/**
 * Start-up never waits on a platform: Telegram's Bot API cannot be reached (its connections are
 * cut) while Zalo's answers. bantin starts at once, Zalo serves, /readyz says which is not
 * connected, and Telegram is connected once its Bot API can be reached, with no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfig } from "../../src/config";
import { silentLogger } from "../../src/logging";
import { type Running, startBantin } from "../../src/main";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type FakeZalo, startFakeZalo } from "../fakes/zalo-api";
import { waitUntil } from "../helpers/processes";
import { Gate } from "../helpers/tcp-gate";
import { databaseEnv, NOW, prepareNewsDb } from "../helpers/telegram-harness";

describe("a platform that cannot be reached at start", { timeout: 60_000 }, () => {
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let gate: Gate;
  let running: Running;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    zalo = await startFakeZalo();
    gate = new Gate(Number(new URL(telegram.apiRoot).port));
    const apiRoot = await gate.listen();
    const { url, db } = await prepareNewsDb();
    await db.destroy();
    const config = createConfig({
      ...databaseEnv(url),
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      HTTP_PORT: "0",
      LOG_LEVEL: "silent",
    });
    const started = Date.now();
    running = await startBantin(config, silentLogger(), () => NOW, { zaloPollTimeoutSeconds: 1 });
    // Start-up did not wait for Telegram (each call would take seconds of retries).
    expect(Date.now() - started).toBeLessThan(5_000);
  });
  afterAll(async () => {
    const stopping = Date.now();
    await running?.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await gate?.close();
    await telegram?.close();
    await zalo?.close();
  });

  it("serves the other platform, says which is not connected, and connects it once it can", async () => {
    // Zalo serves: a message is answered.
    zalo.pushUpdate(zalo.textEvent({ chatId: "zreach", text: "trợ giúp" }));
    await waitUntil(() => zalo.textsTo("zreach").length > 0, 15_000, "Zalo to answer");

    const readiness = async () => {
      const answer = await fetch(`${running.http.url}/readyz`);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(down.body.platforms).toEqual({ telegram: false, zalo: true });
    expect(running.telegram?.failure()).toBeNull(); // not a refused token: it keeps trying

    gate.open = true;
    await waitUntil(async () => (await readiness()).status === 200, 30_000, "Telegram to connect");
    expect((await readiness()).body.platforms).toEqual({ telegram: true, zalo: true });
    // And it serves: polling answers a message.
    const id = telegram.pushUpdate(telegram.message({ chatId: 88_001, text: "/trogiup" }));
    await telegram.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > id,
      15_000,
    );
    await running.idle();
    await waitUntil(() => telegram.sentMessages(88_001).length > 0, 10_000, "Telegram to answer");
  });
});
