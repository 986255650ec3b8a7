/**
 * The reach report of a broadcast, as an editor reads it: breaking news with a story sent from
 * the console to readers on the fake Telegram (one has blocked the bot; a Zalo reader waits, no
 * Zalo bot runs here), its read button pressed through the bot within 24 hours (counted, twice
 * by one reader counts twice) and after (not counted, the bot's clock moved on), then read back
 * with `bantin broadcast report <id>` (text and --json) and on the console's report page.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerReader } from "../../src/readers/readers";
import { confirmBroadcast, prepareBroadcast } from "../../src/services/broadcasts";
import type { RecordedCall } from "../fakes/telegram-api";
import { runCli } from "../helpers/cli";
import {
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../helpers/console-harness";
import { describeStores } from "../helpers/stores";
import { buttonsOf, databaseEnv, NOW, TRICKY_TITLE, textOf } from "../helpers/telegram-harness";
import { startZaloHarness, zaloTexts } from "../helpers/zalo-harness";

const DEFAULTS = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" } as const;
const READERS = [9101, 9102, 9103];
const BLOCKED = 9104;
const HOUR = 3_600_000;

interface PlatformJson {
  platform: string;
  readers: number;
  sent: number;
  blocked: number;
  failed: number;
  cancelled: number;
  waiting: number;
  secondsTo50: number | null;
  secondsTo90: number | null;
  secondsTo100: number | null;
  opens: number | null;
}
interface ReportJson {
  id: number;
  state: string;
  articleId: number | null;
  startedAt: string | null;
  opensWindowHours: number;
  total: Omit<PlatformJson, "platform" | "secondsTo50" | "secondsTo90" | "secondsTo100">;
  platforms: PlatformJson[];
}

describeStores("broadcast reach report", (store) => {
  let h: ConsoleHarness;
  let editor: ConsoleClient;
  let env: Record<string, string>;
  let now = NOW;

  const report = async (id: number | string): Promise<ReportJson> => {
    const result = await runCli(["broadcast", "report", String(id), "--json"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as ReportJson;
  };
  const byPlatform = (r: ReportJson, platform: string) =>
    r.platforms.find((p) => p.platform === platform);

  /** Composes and sends breaking news from the console; its id. */
  async function sendFromConsole(form: Record<string, string>): Promise<number> {
    await editor.get("/admin/broadcasts");
    const drafted = await editor.post("/admin/broadcasts", form);
    expect(drafted.status, drafted.body).toBe(303);
    const id = Number(/^\/admin\/broadcasts\/(\d+)$/.exec(drafted.location)?.[1]);
    await editor.get(`/admin/broadcasts/${id}`);
    const sent = await editor.post(`/admin/broadcasts/${id}/send`);
    expect(sent.status, sent.body).toBe(303);
    return id;
  }

  /** Waits (the bot sends on its own) until no Telegram row of broadcast `id` is pending. */
  async function telegramDone(id: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const left = await h.db
        .selectFrom("outbox")
        .select("id")
        .where("broadcast_id", "=", id)
        .where("platform", "=", "telegram")
        .where("state", "=", "pending")
        .execute();
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`broadcast ${id} still has Telegram rows pending`);
  }

  const breakingTo = (chat: number): RecordedCall | undefined =>
    h.fake.sentMessages(chat).find((c) => /TIN NÓNG/.test(textOf(c)));
  const press = (chat: number, data: string, messageId: number) =>
    h.send(h.fake.callbackQuery({ chatId: chat, fromId: chat, data, messageId }));

  beforeAll(async () => {
    const url = await store.newDatabaseUrl();
    h = await startConsoleHarness({ databaseUrl: url, clock: () => now });
    env = databaseEnv(url);
    const at = NOW.toISOString();
    for (const chat of [...READERS, BLOCKED]) {
      await registerReader(
        h.db,
        { platform: "telegram", chatId: String(chat), chatType: "private" },
        DEFAULTS,
        at,
      );
    }
    await registerReader(
      h.db,
      { platform: "zalo", chatId: "zalo-report", chatType: "private" },
      DEFAULTS,
      at,
    );
    h.fake.fault(BLOCKED, { kind: "blocked" });
    editor = await h.signedIn();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  let withStory = 0;
  let readData = "";
  const messageIds = new Map<number, number>();

  it("puts the broadcast's id on its read button and reports what went, by platform", async () => {
    withStory = await sendFromConsole({ text: "Mưa lớn gây ngập", story: String(h.trickyId) });
    await telegramDone(withStory);
    for (const chat of READERS) {
      const call = breakingTo(chat);
      expect(call, `breaking news to ${chat}`).toBeDefined();
      messageIds.set(
        chat,
        Number((call?.result as { message_id?: number } | undefined)?.message_id),
      );
      const read = buttonsOf(call).find((b) => b.callback_data?.startsWith("r:"));
      expect(read?.callback_data).toBe(`r:${h.trickyId}:${withStory}`);
      readData = read?.callback_data as string;
    }

    const r = await report(withStory);
    expect(r).toMatchObject({
      id: withStory,
      state: "sending", // the Zalo reader still waits
      articleId: h.trickyId,
      opensWindowHours: 24,
    });
    // Telegram: the three readers, the editor (who asked for the console link) and the blocked one.
    const telegram = byPlatform(r, "telegram");
    expect(telegram).toMatchObject({
      readers: 5,
      sent: 4,
      blocked: 1,
      failed: 0,
      waiting: 0,
      opens: 0,
    });
    // The bot's clock stands still, so every send is 0 s after the start: measured, not null.
    expect(telegram?.secondsTo50).toBe(0);
    expect(telegram?.secondsTo90).toBe(0);
    expect(telegram?.secondsTo100).toBe(0);
    // No Zalo bot runs here: its reader still waits, so no time is known yet.
    expect(byPlatform(r, "zalo")).toMatchObject({
      readers: 1,
      sent: 0,
      waiting: 1,
      secondsTo50: null,
      secondsTo100: null,
      opens: 0,
    });
    expect(r.total).toMatchObject({ readers: 6, sent: 4, blocked: 1, waiting: 1, opens: 0 });
  });

  it("counts each press of the read button within 24 hours, keeping no reader", async () => {
    now = new Date(NOW.getTime() + 23 * HOUR);
    for (const chat of [9101, 9102, 9101]) {
      const calls = await press(chat, readData, messageIds.get(chat) as number);
      // The story itself opens (its title, escaped) in that chat.
      const shown = calls.filter((c) => c.method === "sendMessage").map(textOf);
      expect(shown.join("\n")).toContain("Giá &lt;5% &amp; ");
    }
    const r = await report(withStory);
    // One reader pressing twice counts twice: a counter, not a list of readers.
    expect(byPlatform(r, "telegram")?.opens).toBe(3);
    expect(r.total.opens).toBe(3);
    const rows = await h.db.selectFrom("broadcast_opens").selectAll().execute();
    expect(rows).toEqual([{ broadcast_id: withStory, platform: "telegram", count: 3 }]);
    now = NOW; // the console session would not last 23 hours
  });

  it("prints the report for people, and refuses an unknown id", async () => {
    const text = await runCli(["broadcast", "report", String(withStory)], env);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Broadcast ${withStory} \\(sending\\), by `));
    expect(text.stdout).toContain(
      "  telegram: 4 sent, 1 blocked, 0 failed of 5 · 50% in 0 s, 90% in 0 s, 100% in 0 s · 3 opened the story within 24 h",
    );
    expect(text.stdout).toContain(
      "  zalo: 0 sent, 0 blocked, 0 failed, 1 waiting of 1 · 50% in not yet, 90% in not yet, 100% in not yet · 0 opened the story within 24 h",
    );
    expect(text.stdout).toContain("  all: 4 sent, 1 blocked, 0 failed of 6 · 3 opened");

    const missing = await runCli(["broadcast", "report", "987654"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toBe("bantin: no broadcast with id 987654\n");
    const bad = await runCli(["broadcast", "report", "abc", "--json"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('broadcast id must be a number, got "abc"');
    expect(bad.stdout).toBe("");
  });

  it("shows the report on the console, linked from the broadcast's page", async () => {
    const page = await editor.get(`/admin/broadcasts/${withStory}`);
    expect(page.body).toContain(
      `<a href="/admin/broadcasts/${withStory}/report" id="report-link">Báo cáo lan tỏa</a>`,
    );
    const shown = await editor.get(`/admin/broadcasts/${withStory}/report`);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(`Mức lan tỏa của tin nóng #${withStory}`);
    const row = (id: string) =>
      new RegExp(`<tr id="report-${id}">([\\s\\S]*?)</tr>`).exec(shown.body)?.[1] ?? "";
    const cells = (id: string) =>
      [...row(id).matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]);
    expect(cells("telegram")).toEqual([
      "Telegram",
      "5",
      "4",
      "1",
      "0",
      "0",
      "0 giây",
      "0 giây",
      "0 giây",
      "3",
    ]);
    expect(cells("zalo")).toEqual([
      "Zalo",
      "1",
      "0",
      "0",
      "0",
      "1",
      "chưa xong",
      "chưa xong",
      "chưa xong",
      "0",
    ]);
    expect(cells("all")).toEqual(["Mọi nền tảng", "6", "4", "1", "0", "1", "", "", "", "3"]);
    expect(shown.body).toContain('data-label="Lượt mở trong 24 giờ"');

    // In English, from the language switch.
    const en = await h.signedIn();
    await en.get(`/admin/lang?to=en&back=/admin/broadcasts/${withStory}/report`);
    const english = await en.get(`/admin/broadcasts/${withStory}/report`);
    expect(english.body).toContain(`Reach of breaking news #${withStory}`);
    expect(english.body).toContain('data-label="Opened within 24 h">3</td>');
    expect(english.body).toContain("a reader who opens the story twice counts twice");

    const missing = await editor.get("/admin/broadcasts/987654/report");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("Không có tin nóng #987654");
    expect((await h.client().get(`/admin/broadcasts/${withStory}/report`)).status).toBe(303);
  });

  it("says there are no opens to count for breaking news without a story", async () => {
    const plain = await sendFromConsole({ text: "Tin không kèm bài" });
    await telegramDone(plain);
    const r = await report(plain);
    expect(r.total.opens).toBeNull();
    // The reader who blocked the bot is known now, and left out of the audience.
    expect(byPlatform(r, "telegram")).toMatchObject({
      readers: 4,
      sent: 4,
      blocked: 0,
      opens: null,
    });
    const text = await runCli(["broadcast", "report", String(plain)], env);
    expect(text.stdout).toContain("no story attached, so no opens to count");
    const shown = await editor.get(`/admin/broadcasts/${plain}/report`);
    expect(shown.body).toContain("Tin không kèm bài nên không có lượt mở để đếm.");
    expect(shown.body).not.toContain("Lượt mở trong");
  });

  it("does not count a press more than 24 hours after the broadcast started", async () => {
    now = new Date(NOW.getTime() + 24 * HOUR + 60_000);
    const calls = await press(9103, readData, messageIds.get(9103) as number);
    // The story still opens for the reader; only the count is over.
    expect(
      calls
        .filter((c) => c.method === "sendMessage")
        .map(textOf)
        .join("\n"),
    ).toContain("Giá &lt;5% &amp; ");
    const r = await report(withStory);
    expect(byPlatform(r, "telegram")?.opens).toBe(3);
    now = NOW;
  });
});

describeStores("broadcast opens on Zalo", (store) => {
  it("counts the story opened by typing its numbered choice, within 24 hours only", async () => {
    let now = NOW;
    const url = await store.newDatabaseUrl();
    const h = await startZaloHarness("webhook", { databaseUrl: url, clock: () => now });
    try {
      let sent = 0;
      const say = async (chat: string, text: string) =>
        zaloTexts(
          await h.send(h.zalo.textEvent({ chatId: chat, text, messageId: `${chat}-${++sent}` })),
        ).join("\n---\n");
      for (const chat of ["zr1", "zr2"]) {
        await registerReader(
          h.db,
          { platform: "zalo", chatId: chat, chatType: "private" },
          DEFAULTS,
          NOW.toISOString(),
        );
      }
      const { broadcast } = await prepareBroadcast(
        h.db,
        { author: "cli", text: "Mưa lớn", articleId: h.trickyId },
        NOW.toISOString(),
      );
      await confirmBroadcast(h.db, broadcast.id, "cli", NOW.toISOString());
      // Delivered, and its choices kept for the chat, as the worker does after each send.
      for (let i = 0; i < 200; i++) {
        const kept = await h.db.selectFrom("chat_memory").select("choices").execute();
        if (kept.filter((m) => m.choices?.includes(`r:${h.trickyId}:`)).length === 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(h.zalo.textsTo("zr1").join("\n")).toMatch(/\[1\] 📖 Đọc/);

      now = new Date(NOW.getTime() + 2 * HOUR);
      expect(await say("zr1", "1")).toContain(TRICKY_TITLE);
      now = new Date(NOW.getTime() + 25 * HOUR);
      expect(await say("zr2", "1")).toContain(TRICKY_TITLE);

      const result = await runCli(
        ["broadcast", "report", String(broadcast.id), "--json"],
        databaseEnv(url),
      );
      const report = JSON.parse(result.stdout) as ReportJson;
      // Everything went: reading the report marks it done, as the console's page does.
      expect(report.state).toBe("done");
      expect(report.platforms).toEqual([
        expect.objectContaining({ platform: "zalo", readers: 2, sent: 2, opens: 1 }),
      ]);
    } finally {
      await h.stop();
    }
  }, 60_000);
});
