/**
 * `bantin broadcast` beyond "send now": a test to the editors' own chats only, a send time
 * (listed, changed, cancelled; never a time gone by), a photo from an address read through the
 * fetch guard or from the story, and narrower audiences (topics × platform × language × mode),
 * through the fake Telegram and Zalo Bot APIs.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type FakeZalo, startFakeZalo } from "../fakes/zalo-api";
import { runCli, scratchDir } from "../helpers/cli";

const EDITOR = 900;
/** Telegram readers: 601 reads English; 600 and 601 follow thoi-su, 601 as it happens. */
const TELEGRAM = ["600", "601", "602"];
const ZALO = ["z0", "z1"];

let telegram: FakeTelegram;
let zalo: FakeZalo;
let images: Server;
let imageRoot: string;
let env: Record<string, string>;
let storyWithPhoto: number;

beforeAll(async () => {
  telegram = await startFakeTelegram();
  zalo = await startFakeZalo();
  images = createServer((request, response) => {
    if (request.url === "/anh.jpg") {
      response.writeHead(200, { "content-type": "image/jpeg" });
      response.end(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    } else {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><p>Không phải ảnh</p>");
    }
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  imageRoot = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  const path = join(scratchDir(), "cli-broadcast-desk.db");
  env = {
    DATABASE_URL: `sqlite:${path}`,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    ZALO_RATE: "50",
    ADMINS: `telegram:${EDITOR}`,
  };
  const { openDatabase, migrateToLatest } = await import("../../src/db");
  const made = openDatabase({ kind: "sqlite", path });
  await migrateToLatest(made.db);
  await made.db.destroy();
  await runCli(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "News"], env);
  await runCli(["category", "add", "kinh-te", "--vi", "Kinh tế", "--en", "Business"], env);
  const { storeArticle } = await import("../../src/news/articles");
  const { db } = openDatabase({ kind: "sqlite", path });
  const now = new Date().toISOString();
  const reader = async (platform: string, chat: string, locale = "vi") =>
    (
      await db
        .insertInto("readers")
        .values({ platform, chat_id: chat, locale, created_at: now, updated_at: now })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const ids: Record<string, number> = {};
  for (const chat of TELEGRAM)
    ids[chat] = await reader("telegram", chat, chat === "601" ? "en" : "vi");
  for (const chat of ZALO) ids[chat] = await reader("zalo", chat);
  await reader("telegram", String(EDITOR));
  const topic = async (slug: string) =>
    (
      await db
        .selectFrom("categories")
        .select("id")
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow()
    ).id;
  const thoiSu = await topic("thoi-su");
  const kinhTe = await topic("kinh-te");
  await db
    .insertInto("reader_topics")
    .values([
      { reader_id: ids["600"] as number, category_id: thoiSu, mode: "digest" },
      { reader_id: ids["601"] as number, category_id: thoiSu, mode: "instant" },
      { reader_id: ids.z0 as number, category_id: kinhTe, mode: "both" },
      { reader_id: ids.z1 as number, category_id: thoiSu, mode: "digest" },
    ])
    .execute();
  storyWithPhoto = (
    await storeArticle(db, {
      url: "https://baolaocai.vn/lu-post1.html",
      contentHash: "lu",
      title: "Lũ lên nhanh ở Bảo Yên",
      lead: "Nước sông Chảy lên nhanh.",
      body: ["Người dân được sơ tán."],
      photos: [{ url: "https://baolaocai.vn/uploads/lu.jpg", caption: "Nước lên." }],
      fullText: true,
      publishedAt: now,
      fetchedAt: now,
      topicId: thoiSu,
    })
  ).id;
  await db.destroy();
});
afterAll(async () => {
  await telegram.close();
  await zalo.close();
  await new Promise((resolve) => images.close(resolve));
});

const breakingCalls = (word: string) =>
  telegram.calls.filter(
    (c) =>
      (c.method === "sendMessage" || c.method === "sendPhoto") &&
      String(c.params.text ?? c.params.caption ?? "").includes(word),
  );

describe("bantin broadcast --test", { timeout: 60_000 }, () => {
  it("sends exactly the message to the editor's own chat only, and says so", async () => {
    const result = await runCli(["broadcast", "Thử tin nóng", "--test"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Broadcast \d+ would reach 6 reader\(s\)\./);
    expect(result.stdout).toMatch(
      /Test of broadcast \d+ sent only to the editors' own chat\(s\): telegram:900 \(1 sent, 0 waiting, 0 failed\)\. No reader got it; send it for real without --test\./,
    );
    const calls = breakingCalls("Thử tin nóng");
    expect(calls.map((c) => String(c.params.chat_id))).toEqual([String(EDITOR)]);
    expect(calls[0]?.params.text).toBe("<b>🔴 TIN NÓNG · bantin</b>\n\nThử tin nóng");
    expect(zalo.callsTo("sendMessage")).toHaveLength(0);
    // It was not the broadcast: nothing of it is counted or left to send.
    const list = JSON.parse((await runCli(["broadcast", "list", "--json"], env)).stdout);
    expect(list.recent[0]).toMatchObject({ state: "cancelled", total: 0 });
  });

  it("says plainly when no editor has a chat with the bot", async () => {
    const result = await runCli(["broadcast", "Thử", "--test"], { ...env, ADMINS: "telegram:999" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no editor \(ADMINS\) has a chat with the bot yet/);
  });
});

describe("bantin broadcast --at", { timeout: 60_000 }, () => {
  it("schedules, lists, changes and cancels; refuses a time gone by", async () => {
    const past = await runCli(["broadcast", "Muộn", "--at", "2020-01-01T00:00:00Z", "--yes"], env);
    expect(past.code).not.toBe(0);
    expect(past.stderr).toMatch(
      /2020-01-01T00:00:00.000Z has passed: a broadcast is scheduled for a time to come/,
    );
    const bad = await runCli(["broadcast", "Sai", "--at", "25:99", "--yes"], env);
    expect(bad.stderr).toMatch(
      /a send time is an ISO time \(2026-12-05T10:00\+07:00\) or HH:MM, not "25:99"/,
    );
    const both = await runCli(["broadcast", "Sai", "--at", "12:00", "--test"], env);
    expect(both.stderr).toMatch(/--test sends now, to the editors only: leave out --at/);

    const at = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
    const made = await runCli(["broadcast", "Họp báo", "--at", at, "--yes", "--json"], env);
    expect(made.stderr).toBe("");
    const scheduled = JSON.parse(made.stdout) as { id: number; state: string; sendAt: string };
    expect(scheduled).toMatchObject({ state: "scheduled", sendAt: at, audience: 6 });
    const id = scheduled.id;
    const people = await runCli(["broadcast", "Giờ địa phương", "--at", "07:15", "--yes"], env);
    expect(people.stdout).toMatch(
      /Broadcast (\d+) scheduled for \d{4}-\d\d-\d\d 07:15 \(GMT\+7\): the running bantin sends it then, once\./,
    );
    const second = Number(/Broadcast (\d+) scheduled/.exec(people.stdout)?.[1]);
    expect(breakingCalls("Họp báo")).toHaveLength(0);

    const listed = await runCli(["broadcast", "list"], env);
    expect(listed.stdout).toMatch(/^Scheduled:/m);
    expect(listed.stdout).toMatch(
      new RegExp(`^${second} +\\d{4}-\\d\\d-\\d\\d 07:15 \\(GMT\\+7\\) +cli +Giờ địa phương`, "m"),
    );
    const json = JSON.parse((await runCli(["broadcast", "list", "--json"], env)).stdout);
    expect(json.scheduled.map((b: { id: number }) => b.id)).toEqual([second, id]);

    const later = new Date(Date.parse(at) + 3_600_000).toISOString();
    const changed = await runCli(
      ["broadcast", "change", String(id), "--at", later, "--text", "Họp báo dời 1 giờ", "--json"],
      env,
    );
    expect(changed.stderr).toBe("");
    expect(JSON.parse(changed.stdout)).toMatchObject({
      state: "scheduled",
      sendAt: later,
      text: "Họp báo dời 1 giờ",
    });
    const nothing = await runCli(["broadcast", "change", String(id)], env);
    expect(nothing.stderr).toMatch(/say what to change: --at <time> and\/or --text <text>/);

    const cancelled = await runCli(["broadcast", "cancel", String(id)], env);
    expect(cancelled.stdout).toBe(`Broadcast ${id} cancelled: it will not be sent.\n`);
    const tooLate = await runCli(["broadcast", "change", String(id), "--at", "23:00"], env);
    expect(tooLate.code).not.toBe(0);
    expect(tooLate.stderr).toMatch(
      new RegExp(`broadcast ${id} is cancelled, not scheduled: it can no longer be changed`),
    );
    await runCli(["broadcast", "cancel", String(second)], env);
    const again = await runCli(["broadcast", "cancel", String(second)], env);
    expect(again.stderr).toBe(
      `bantin: broadcast ${second} is already cancelled: there is nothing to cancel\n`,
    );
    const missing = await runCli(["broadcast", "cancel", "99999"], env);
    expect(missing.stderr).toMatch(/no broadcast with id 99999/);
    const audit = JSON.parse((await runCli(["audit", "--json"], env)).stdout) as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "broadcast.schedule",
        "broadcast.change",
        "broadcast.cancel",
        "broadcast.test",
      ]),
    );
  });
});

describe("bantin broadcast --photo and --article", { timeout: 60_000 }, () => {
  it("refuses a private address, and an address that is no image", async () => {
    const refused = await runCli(
      ["broadcast", "Ảnh", "--photo", `${imageRoot}/anh.jpg`, "--yes"],
      env,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /^bantin: cannot use the photo http:\/\/127\.0\.0\.1:\d+\/anh\.jpg: .*(private|loopback)/m,
    );
    const page = await runCli(["broadcast", "Ảnh", "--photo", `${imageRoot}/trang.html`, "--yes"], {
      ...env,
      FETCH_ALLOW_PRIVATE: "*",
    });
    expect(page.stderr).toMatch(/: not an image \(text\/html\)/);
    expect(breakingCalls("Ảnh")).toHaveLength(0);
  });

  it("sends a photo with caption on Telegram and Zalo", async () => {
    const result = await runCli(
      ["broadcast", "Lũ về trong đêm", "--photo", `${imageRoot}/anh.jpg`, "--yes", "--json"],
      { ...env, FETCH_ALLOW_PRIVATE: "*" },
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 6, sent: 6, state: "done" });
    const photos = telegram.calls.filter((c) => c.method === "sendPhoto" && c.ok);
    expect(photos.map((c) => String(c.params.chat_id)).sort()).toEqual(
      [...TELEGRAM, String(EDITOR)].sort(),
    );
    expect(photos[0]?.params.photo).toBe(`${imageRoot}/anh.jpg`);
    expect(String(photos[0]?.params.caption)).toMatch(
      /^<b>🔴 (TIN NÓNG|BREAKING NEWS) · bantin<\/b>\n\nLũ về trong đêm$/,
    );
    for (const chat of ZALO) {
      const [sent] = zalo.sentTo(chat);
      expect(sent?.method).toBe("sendPhoto");
      expect(sent?.params).toMatchObject({
        photo: `${imageRoot}/anh.jpg`,
        caption: "🔴 TIN NÓNG · bantin\n\nLũ về trong đêm",
      });
    }
  });

  it("a story's own photo goes with it", async () => {
    const result = await runCli(
      [
        "broadcast",
        "Cập nhật",
        "--article",
        String(storyWithPhoto),
        "--platform",
        "zalo",
        "--yes",
        "--json",
      ],
      env,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 2, sent: 2 });
    const sent = zalo.sentTo("z0").at(-1);
    expect(sent?.method).toBe("sendPhoto");
    expect(sent?.params.photo).toBe("https://baolaocai.vn/uploads/lu.jpg");
    expect(String(sent?.params.caption)).toContain("Lũ lên nhanh ở Bảo Yên");
  });
});

describe("bantin broadcast to a segment", { timeout: 60_000 }, () => {
  it.each([
    [["--topic", "thoi-su,kinh-te"], 4],
    [["--topic", "thoi-su", "--platform", "telegram"], 2],
    [["--topic", "thoi-su", "--language", "en"], 1],
    [["--topic", "thoi-su", "--mode", "digest"], 2],
    [["--mode", "instant"], 2],
    [["--topic", "kinh-te", "--platform", "zalo", "--language", "vi", "--mode", "instant"], 1],
  ])("%o reaches %i reader(s), counted before sending", async (args, count) => {
    const result = await runCli(["broadcast", "Đếm", ...(args as string[])], env);
    // Without --yes and without a terminal it only counts.
    expect(result.stdout).toMatch(new RegExp(`would reach ${count} reader\\(s\\)`));
    expect(result.stderr).toMatch(/not sent: add --yes/);
  });

  it.each([
    [["--language", "fr"], /language must be vi or en, not "fr"/],
    [["--mode", "weekly"], /delivery mode must be digest or instant, not "weekly"/],
    [["--topic", "thoi-su,khong-co"], /no topic "khong-co"/],
  ])("%o: a clear error", async (args, pattern) => {
    const result = await runCli(["broadcast", "Sai", ...(args as string[]), "--yes"], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(pattern);
  });

  it("sends only to the segment", async () => {
    const result = await runCli(
      [
        "broadcast",
        "Chỉ Thời sự tiếng Anh",
        "--topic",
        "thoi-su",
        "--language",
        "en",
        "--yes",
        "--json",
      ],
      env,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 1, sent: 1 });
    expect(breakingCalls("Chỉ Thời sự").map((c) => String(c.params.chat_id))).toEqual(["601"]);
  });
});
