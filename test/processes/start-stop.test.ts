import { describe, expect, it } from "vitest";
import { newSqliteUrl } from "../helpers/cli";
import { exited, startBotProcess } from "../helpers/processes";

describe("bantin start with a Bot API that refuses connections", { timeout: 60_000 }, () => {
  it("serves HTTP, says Telegram is not connected, and stops at once on SIGTERM", async () => {
    const bot = await startBotProcess(
      {
        DATABASE_URL: newSqliteUrl("unreachable.db"),
        TELEGRAM_BOT_TOKEN: "123:unreachable",
        // Nothing listens on port 9: every connection is refused.
        TELEGRAM_API_ROOT: "http://127.0.0.1:9",
      },
      [],
      { ready: false },
    );
    try {
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ database: true, platforms: { telegram: false } });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      const stopping = Date.now();
      bot.child.kill("SIGTERM");
      expect(await exited(bot.child)).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5_000);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    }
  });
});
