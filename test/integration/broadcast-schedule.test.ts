/**
 * Breaking news sent later: once at its time, never early, however many processes look and
 * across a restart. First the claim itself (two database handles asking at once, as two processes
 * would), then two whole bantins on one database with an injected clock, one of them restarted,
 * sending through the fake Bot API.
 */
import { expect, it } from "vitest";
import { claimScheduled, getBroadcast } from "../../src/broadcasts/broadcasts";
import { createConfig, parseDatabaseUrl } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { listAudit } from "../../src/editors/audit";
import { silentLogger } from "../../src/logging";
import { type Running, startBantin } from "../../src/main";
import {
  changeScheduledBroadcast,
  STALLED_MS,
  scheduledBroadcasts,
  sendDueBroadcasts,
} from "../../src/services/broadcast-desk";
import {
  BroadcastError,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../src/services/broadcasts";
import { startFakeTelegram } from "../fakes/telegram-api";
import { describeStores } from "../helpers/stores";
import { databaseEnv, textOf } from "../helpers/telegram-harness";

const NOW = "2026-01-27T03:00:00.000Z"; // 10:00 in Hà Nội
const SEND_AT = "2026-01-27T05:00:00.000Z"; // 12:00 there
const before = (ms: number) => new Date(Date.parse(SEND_AT) - ms).toISOString();
const after = (ms: number) => new Date(Date.parse(SEND_AT) + ms).toISOString();
const CHATS = [7001, 7002, 7003];

function open(url: string): DbHandle {
  const database = parseDatabaseUrl(url);
  return openDatabase(database.kind === "postgres" ? { ...database, poolSize: 3 } : database).db;
}

async function addReaders(db: DbHandle): Promise<void> {
  await db
    .insertInto("readers")
    .values(
      CHATS.map((chat) => ({
        platform: "telegram",
        chat_id: String(chat),
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .execute();
}

/** A broadcast to everyone, scheduled for SEND_AT ("12:00" read in Hà Nội at 10:00). */
async function scheduled(db: DbHandle, text = "Họp báo lúc 12 giờ"): Promise<number> {
  const { broadcast } = await prepareBroadcast(
    db,
    { author: "cli", text, at: "12:00", timeZone: "Asia/Ho_Chi_Minh" },
    NOW,
  );
  expect(broadcast.sendAt).toBe(SEND_AT);
  expect(await confirmBroadcast(db, broadcast.id, "cli", NOW)).toBe(0);
  expect((await getBroadcast(db, broadcast.id)).state).toBe("scheduled");
  return broadcast.id;
}

const rowsOf = async (db: DbHandle, id: number) =>
  db.selectFrom("outbox").select(["reader_id", "state"]).where("broadcast_id", "=", id).execute();

describeStores("scheduled breaking news", (store) => {
  it("is claimed once by two processes asking at once, never before its time, and not again after a restart", async () => {
    const url = await store.newDatabaseUrl();
    const first = open(url);
    await migrateToLatest(first);
    const second = open(url);
    try {
      await addReaders(first);
      const id = await scheduled(first);

      // A second early, and a minute early: neither process sends it.
      for (const at of [before(60_000), before(1)]) {
        expect(
          await Promise.all([sendDueBroadcasts(first, at), sendDueBroadcasts(second, at)]),
        ).toEqual([[], []]);
      }
      expect(await rowsOf(first, id)).toHaveLength(0);

      // At its time both look at once: exactly one sends it, to each reader once.
      const sent = await Promise.all([
        sendDueBroadcasts(first, SEND_AT),
        sendDueBroadcasts(second, SEND_AT),
      ]);
      expect(sent.flat()).toEqual([id]);
      const rows = await rowsOf(first, id);
      expect(rows).toHaveLength(CHATS.length);
      expect(new Set(rows.map((r) => r.reader_id)).size).toBe(CHATS.length);
      expect(await getBroadcast(first, id)).toMatchObject({
        state: "sending",
        total: CHATS.length,
        startedAt: SEND_AT,
      });
      // Too late to change or cancel it before it went.
      await expect(
        changeScheduledBroadcast(first, id, "cli", { at: "13:00" }, SEND_AT),
      ).rejects.toBeInstanceOf(BroadcastError);
    } finally {
      await first.destroy();
      await second.destroy();
    }

    // A restart: a new process on the same database later on finds nothing left to send.
    const restarted = open(url);
    try {
      expect(await sendDueBroadcasts(restarted, after(3_600_000))).toEqual([]);
      const [only] = await restarted.selectFrom("broadcasts").select("id").execute();
      expect(await rowsOf(restarted, only?.id ?? 0)).toHaveLength(CHATS.length);
      const confirms = await listAudit(restarted, { action: "broadcast.confirm" });
      expect(confirms).toHaveLength(1);
      expect(confirms[0]?.detail).toEqual({ broadcastId: only?.id, total: 3, scheduled: true });
    } finally {
      await restarted.destroy();
    }
  }, 60_000);

  it("one whose sender died while writing its rows is finished later, nobody getting it twice", async () => {
    const db = await store.db();
    await addReaders(db);
    const id = await scheduled(db);
    // As a process leaves it that claimed it, wrote one reader's row and died.
    expect(await claimScheduled(db, id, SEND_AT)).toBe(true);
    const [first] = await db.selectFrom("readers").select("id").orderBy("id").limit(1).execute();
    await db
      .insertInto("outbox")
      .values({
        idempotency_key: `broadcast:${id}:${first?.id}`,
        reader_id: first?.id as number,
        platform: "telegram",
        kind: "broadcast",
        priority: 1,
        payload_id: (
          await db
            .insertInto("outbox_payloads")
            .values({ body: '{"parts":[]}' })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id,
        broadcast_id: id,
        next_attempt_at: SEND_AT,
      })
      .execute();
    // Still within STALLED_MS of its start: left alone (it may be still writing).
    expect(await sendDueBroadcasts(db, after(STALLED_MS - 1))).toEqual([]);
    expect(await rowsOf(db, id)).toHaveLength(1);
    // After it, taken up again once: every reader has one row, and the total says so.
    const [again, twice] = await Promise.all([
      sendDueBroadcasts(db, after(STALLED_MS)),
      sendDueBroadcasts(db, after(STALLED_MS)),
    ]);
    expect([...again, ...twice]).toEqual([id]);
    const rows = await rowsOf(db, id);
    expect(rows).toHaveLength(CHATS.length);
    expect(new Set(rows.map((r) => r.reader_id)).size).toBe(CHATS.length);
    expect(await getBroadcast(db, id)).toMatchObject({ state: "sending", total: CHATS.length });
    expect(await sendDueBroadcasts(db, after(3 * STALLED_MS))).toEqual([]);
    expect(await listAudit(db, { action: "broadcast.confirm" })).toHaveLength(1);
  });

  it("a changed time is kept, and a cancelled one never goes", async () => {
    const db = await store.db();
    await addReaders(db);
    const moved = await scheduled(db, "Dời giờ");
    const dropped = await scheduled(db, "Bỏ");
    await changeScheduledBroadcast(
      db,
      moved,
      "cli",
      { at: "13:30", timeZone: "Asia/Ho_Chi_Minh" },
      NOW,
    );
    expect(await cancelBroadcast(db, dropped, "cli", NOW)).toBe(0);
    expect((await scheduledBroadcasts(db)).map((b) => b.id)).toEqual([moved]);
    // At the old time nothing goes; at the new one the moved one does.
    expect(await sendDueBroadcasts(db, after(60_000))).toEqual([]);
    expect(await sendDueBroadcasts(db, "2026-01-27T06:30:00.000Z")).toEqual([moved]);
    expect(await rowsOf(db, dropped)).toHaveLength(0);
    expect((await getBroadcast(db, dropped)).state).toBe("cancelled");
    // A time gone by is refused, in words that say so.
    await expect(
      prepareBroadcast(db, { author: "cli", text: "Muộn", at: "2026-01-27T02:00:00Z" }, NOW),
    ).rejects.toThrow(/has passed: a broadcast is scheduled for a time to come/);
    await expect(
      prepareBroadcast(db, { author: "cli", text: "Sai", at: "mai" }, NOW),
    ).rejects.toThrow(/a send time is an ISO time/);
  });

  it("keeps its segments and photo, and writes rows only for readers in them", async () => {
    const db = await store.db();
    const topic = async (slug: string) =>
      (
        await db
          .insertInto("categories")
          .values({ slug, name_vi: slug, name_en: slug })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const a = await topic("thoi-su");
    const b = await topic("kinh-te");
    const c = await topic("the-thao");
    const reader = async (platform: string, chat: string, locale: string) =>
      (
        await db
          .insertInto("readers")
          .values({ platform, chat_id: chat, locale, created_at: NOW, updated_at: NOW })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const follows: [number, number, string][] = [
      [await reader("telegram", "1", "vi"), a, "digest"],
      [await reader("telegram", "2", "en"), b, "instant"],
      [await reader("zalo", "3", "vi"), a, "both"],
      [await reader("zalo", "4", "en"), c, "instant"],
      [await reader("telegram", "5", "fr"), b, "both"],
    ];
    await db
      .insertInto("reader_topics")
      .values(follows.map(([reader_id, category_id, mode]) => ({ reader_id, category_id, mode })))
      .execute();
    const { broadcast, audience, topics } = await prepareBroadcast(
      db,
      {
        author: "cli",
        text: "Phân đoạn",
        topicSlugs: ["thoi-su", "kinh-te"],
        locale: "vi", // any but English: "fr" too
        mode: "instant",
        photoUrl: "https://example.vn/a.jpg",
      },
      NOW,
      { checkPhoto: async (url) => ({ ok: true, url }) },
    );
    expect(topics.map((t) => t.slug)).toEqual(["thoi-su", "kinh-te"]);
    expect(audience).toBe(2); // zalo 3 (thoi-su, both) and telegram 5 (kinh-te, both, fr)
    expect(await getBroadcast(db, broadcast.id)).toMatchObject({
      audienceTopicIds: [a, b],
      audienceLocale: "vi",
      audienceMode: "instant",
      photoUrl: "https://example.vn/a.jpg",
    });
    expect(await confirmBroadcast(db, broadcast.id, "cli", NOW)).toBe(2);
    const rows = await db
      .selectFrom("outbox")
      .innerJoin("readers", "readers.id", "outbox.reader_id")
      .innerJoin("outbox_payloads", "outbox_payloads.id", "outbox.payload_id")
      .select(["readers.chat_id", "outbox_payloads.body"])
      .where("broadcast_id", "=", broadcast.id)
      .execute();
    expect(rows.map((r) => r.chat_id).sort()).toEqual(["3", "5"]);
    for (const row of rows) expect(JSON.parse(row.body).parts[0].kind).toBe("photo");
    // A photo address the guard refuses stops it, said plainly.
    await expect(
      prepareBroadcast(db, { author: "cli", text: "Ảnh", photoUrl: "http://10.0.0.1/a.jpg" }, NOW, {
        checkPhoto: async () => ({ ok: false, why: "refused", reason: "10.0.0.1 is private" }),
      }),
    ).rejects.toThrow("cannot use the photo http://10.0.0.1/a.jpg: 10.0.0.1 is private");
  });

  it("two bantins on one database and a restart send it once, at its time, through the Bot API", async () => {
    const url = await store.newDatabaseUrl();
    const setup = open(url);
    await migrateToLatest(setup);
    await addReaders(setup);
    const id = await scheduled(setup);
    const fake = await startFakeTelegram();
    let now = before(60_000);
    const clock = () => new Date(now);
    const config = createConfig({
      ...databaseEnv(url),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      HTTP_PORT: "0",
      LOG_LEVEL: "silent",
    });
    const start = async () => {
      const running = await startBantin(config, silentLogger(), clock);
      await running.platformsSettled();
      return running;
    };
    const breaking = () =>
      fake.calls.filter(
        (c) => c.method === "sendMessage" && textOf(c).includes("Họp báo lúc 12 giờ"),
      );
    let a: Running | undefined;
    let b: Running | undefined;
    try {
      a = await start();
      b = await start();
      // Before its time, however often they look, nothing goes.
      for (const at of [before(60_000), before(1_000)]) {
        now = at;
        await Promise.all([a.runJob("broadcasts"), b.runJob("broadcasts")]);
      }
      expect((await getBroadcast(setup, id)).state).toBe("scheduled");
      // One process restarts meanwhile.
      await a.stop();
      a = await start();
      now = SEND_AT;
      await Promise.all([a.runJob("broadcasts"), b.runJob("broadcasts")]);
      await a.runJob("broadcasts");
      expect((await getBroadcast(setup, id)).state).not.toBe("scheduled");
      // Whichever process leads the Telegram sender delivers it.
      const allSent = async () => {
        const rows = await rowsOf(setup, id);
        return rows.length === CHATS.length && rows.every((r) => r.state === "sent");
      };
      for (let i = 0; i < 400 && !(await allSent()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      now = after(3_600_000);
      await Promise.all([a.runJob("broadcasts"), b.runJob("broadcasts")]);
      const calls = breaking();
      expect(calls.map((c) => Number(c.params.chat_id)).sort()).toEqual(CHATS);
      expect(calls.every((c) => c.ok)).toBe(true);
      expect(await allSent()).toBe(true);
    } finally {
      await b?.stop();
      await a?.stop();
      await setup.destroy();
      await fake.close();
    }
  }, 90_000);
});
