import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { newSqliteUrl, runCli, scratchDir } from "../helpers/cli";

let fake: FakeTelegram;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeTelegram();
  env = {
    DATABASE_URL: `sqlite:${join(scratchDir(), "cli-broadcast.db")}`,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
  };
  // Readers arrive the usual way: they talk to the bot. Here they are put in directly.
  const { openDatabase, migrateToLatest } = await import("../../src/db");
  const { db } = openDatabase({
    kind: "sqlite",
    path: env.DATABASE_URL?.slice("sqlite:".length) as string,
  });
  await migrateToLatest(db);
  const now = new Date().toISOString();
  await db
    .insertInto("readers")
    .values(
      Array.from({ length: 25 }, (_, i) => ({
        platform: "telegram",
        chat_id: String(500 + i),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db.destroy();
  fake.fault(524, { kind: "blocked" });
});
afterAll(async () => {
  await fake.close();
});

describe("bantin broadcast", { timeout: 60_000 }, () => {
  it("sends to everyone with --yes and reports the outcome", async () => {
    const result = await runCli(["broadcast", "Mưa lớn, hạn chế ra đường", "--yes", "--json"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      total: 25,
      sent: 24,
      blocked: 1,
      failed: 0,
      waiting: 0,
      state: "done",
    });
    // How fast: one platform, the blocked reader not counted, every time measured.
    const { reach } = JSON.parse(result.stdout) as {
      reach: {
        platform: string;
        total: number;
        sent: number;
        half: number;
        ninetyPercent: number;
        all: number;
      }[];
    };
    expect(reach).toHaveLength(1);
    const [telegram] = reach;
    expect(telegram).toMatchObject({ platform: "telegram", total: 24, sent: 24 });
    expect(telegram?.half).toBeGreaterThanOrEqual(0);
    expect(telegram?.half).toBeLessThanOrEqual(telegram?.ninetyPercent ?? -1);
    expect(telegram?.ninetyPercent).toBeLessThanOrEqual(telegram?.all ?? -1);
    const texts = fake.calls
      .filter((c) => c.method === "sendMessage" && c.ok)
      .map((c) => String(c.params.text));
    expect(texts).toHaveLength(24);
    expect(texts[0]).toBe("<b>🔴 TIN NÓNG · bantin</b>\n\nMưa lớn, hạn chế ra đường");
  });

  it("prints a preview and a summary for people", async () => {
    const result = await runCli(["broadcast", "Tin thứ hai", "--yes"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/🔴 TIN NÓNG · bantin\n\nTin thứ hai/);
    expect(result.stdout).toMatch(/would reach 24 reader\(s\)/);
    expect(result.stdout).toMatch(
      /: 24 sent, 0 blocked, 0 failed, 0 cancelled, 0 waiting \(of 24\)\./,
    );
    expect(result.stdout).toMatch(
      /^ {2}telegram: half reached in [\d.]+ s, 90% in [\d.]+ s, all in [\d.]+ s$/m,
    );
  });

  it.each([
    [["broadcast", "Tin"], /not sent: add --yes to send without a terminal/],
    [["broadcast", "--yes"], /a broadcast needs a text or a story id/],
    [["broadcast", "--article", "999", "--yes"], /no story with id 999/],
    [["broadcast", "Tin", "--topic", "khong-co", "--yes"], /no topic "khong-co"/],
    [["broadcast", "Tin", "--platform", "viber", "--yes"], /platform must be telegram or zalo/],
  ])("%o: a clear one-line error, nothing sent", async (args, pattern) => {
    const before = fake.callsTo("sendMessage").length;
    const result = await runCli(args as string[], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(fake.callsTo("sendMessage").length).toBe(before);
  });

  it("stats show deliveries and the blocked reader", async () => {
    const stats = JSON.parse((await runCli(["stats", "--json"], env)).stdout);
    expect(stats.readers.byPlatform.telegram).toEqual({ active: 24, blocked: 1 });
    expect(stats.deliveries.sent).toBe(48);
    expect(stats.deliveries.blocked).toBe(1);
  });
});

describe("bantin digest preview", { timeout: 60_000 }, () => {
  it("prints what the topics would get now, or says nothing would be sent", async () => {
    const dbEnv = { DATABASE_URL: newSqliteUrl("preview.db") };
    await runCli(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "News"], dbEnv);
    const empty = await runCli(["digest", "preview", "--topics", "thoi-su"], dbEnv);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/no digest would be sent/);
    const seed = join(import.meta.dirname, "../fixtures/articles/seed-baolaocai.txt");
    await runCli(["import", seed, "--category", "thoi-su"], dbEnv);
    const html = await runCli(["digest", "preview", "--topics", "thoi-su"], dbEnv);
    expect(html.stdout).toMatch(/^<b>bantin · Bản tin ngày \d\d\/\d\d<\/b>/);
    expect(html.stdout).toContain("<b>Thời sự</b>");
    expect(html.stdout).toContain(
      "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
    );
    const plain = await runCli(
      ["digest", "preview", "--topics", "thoi-su", "--platform", "zalo", "--locale", "en"],
      dbEnv,
    );
    expect(plain.stdout).toMatch(/^bantin · Your digest, \d\d\/\d\d\n\nNews\n1\. Nâng cao/);
    const json = JSON.parse(
      (await runCli(["digest", "preview", "--topics", "thoi-su", "--json"], dbEnv)).stdout,
    ) as { sections: { stories: { topicIds: number[]; categoryIds: number[] }[] }[] };
    const [story] = json.sections[0]?.stories ?? [];
    expect(story?.topicIds).toHaveLength(1);
    expect(story?.categoryIds).toEqual(story?.topicIds); // the name scripts knew first
    const bad = await runCli(["digest", "preview", "--topics", "khong-co"], dbEnv);
    expect(bad.stderr).toMatch(/no topic "khong-co"/);
  });
});

describe("bantin broadcast to Zalo", { timeout: 60_000 }, () => {
  it("sends to Zalo readers through the Zalo Bot API", async () => {
    const { startFakeZalo } = await import("../fakes/zalo-api");
    const zalo = await startFakeZalo();
    try {
      const path = join(scratchDir(), "zalo-broadcast.db");
      const { openDatabase, migrateToLatest } = await import("../../src/db");
      const { db } = openDatabase({ kind: "sqlite", path });
      await migrateToLatest(db);
      const now = new Date().toISOString();
      await db
        .insertInto("readers")
        .values(
          Array.from({ length: 4 }, (_, i) => ({
            platform: "zalo",
            chat_id: `z${i}`,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await db.destroy();
      const result = await runCli(
        ["broadcast", "Tin nóng cho Zalo", "--platform", "zalo", "--yes", "--json"],
        {
          DATABASE_URL: `sqlite:${path}`,
          ZALO_BOT_TOKEN: zalo.token,
          ZALO_API_ROOT: zalo.apiRoot,
          ZALO_RATE: "50",
        },
      );
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toMatchObject({
        total: 4,
        sent: 4,
        waiting: 0,
        state: "done",
      });
      for (let i = 0; i < 4; i++)
        expect(zalo.textsTo(`z${i}`)).toEqual(["🔴 TIN NÓNG · bantin\n\nTin nóng cho Zalo"]);
    } finally {
      await zalo.close();
    }
  });
});

describe("bantin broadcast to a Bot API that never answers", { timeout: 60_000 }, () => {
  it("says what is still waiting and ends, within --wait of the last progress", async () => {
    const silent = await startFakeTelegram();
    try {
      const dbEnv = {
        DATABASE_URL: `sqlite:${join(scratchDir(), "silent.db")}`,
        TELEGRAM_BOT_TOKEN: silent.token,
        TELEGRAM_API_ROOT: silent.apiRoot,
      };
      const { openDatabase, migrateToLatest } = await import("../../src/db");
      const { db } = openDatabase({
        kind: "sqlite",
        path: dbEnv.DATABASE_URL.slice("sqlite:".length),
      });
      await migrateToLatest(db);
      const now = new Date().toISOString();
      await db
        .insertInto("readers")
        .values(
          Array.from({ length: 3 }, (_, i) => ({
            platform: "telegram",
            chat_id: String(700 + i),
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await db.destroy();
      silent.fault("*", { kind: "timeout" }); // every send hangs
      const started = Date.now();
      const result = await runCli(
        ["broadcast", "Tin nóng", "--yes", "--wait", "2", "--json"],
        dbEnv,
      );
      const seconds = (Date.now() - started) / 1000;
      expect(result.stderr).toMatch(
        /^bantin: 3 message\(s\) still wait: the platform did not answer within 2 s; the running bantin \(npm start\) sends them/m,
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ total: 3, sent: 0, waiting: 3 });
      // One bounded call (5 s at most with --wait 2), then 2 s without progress.
      expect(seconds).toBeLessThan(20);
    } finally {
      await silent.close();
    }
  });
});
