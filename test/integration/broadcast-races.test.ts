/**
 * Breaking news under concurrency: two confirmations at once send once, a stop while readers are
 * still being enqueued leaves nothing to go, and a broadcast is never "done" before every row is
 * written. Enough readers for two enqueue pages (10,000 each), on both stores.
 */
import { expect, it } from "vitest";
import { claimDraft, getBroadcast } from "../../src/broadcasts/broadcasts";
import type { DbHandle } from "../../src/db/schema";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { listAudit } from "../../src/editors/audit";
import {
  BroadcastError,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../src/services/broadcasts";
import { describeStores } from "../helpers/stores";

const NOW = "2026-01-27T03:00:00.000Z";
const READERS = 12_001;

describeStores("breaking news under concurrency", (store) => {
  async function withReaders(): Promise<DbHandle> {
    const db = await store.db();
    for (let from = 0; from < READERS; from += 2000) {
      const count = Math.min(2000, READERS - from);
      await db
        .insertInto("readers")
        .values(
          Array.from({ length: count }, (_, i) => ({
            platform: "telegram",
            chat_id: String(100_000 + from + i),
            created_at: NOW,
            updated_at: NOW,
          })),
        )
        .execute();
    }
    return db;
  }

  const draft = async (db: DbHandle) =>
    (await prepareBroadcast(db, { author: "cli", text: "Tin nóng" }, NOW)).broadcast.id;

  it("of two confirmations at once, one sends and the other is refused", async () => {
    const db = await withReaders();
    const id = await draft(db);
    const outcomes = await Promise.allSettled([
      confirmBroadcast(db, id, "telegram:1", NOW),
      confirmBroadcast(db, id, "telegram:2", NOW),
    ]);
    const sent = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(sent).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(BroadcastError);
    expect((sent[0] as PromiseFulfilledResult<number>).value).toBe(READERS);
    const broadcast = await getBroadcast(db, id);
    expect(broadcast).toMatchObject({ state: "sending", total: READERS });
    expect((await countOutboxByState(db, { broadcastId: id })).pending).toBe(READERS);
    expect(await listAudit(db, { action: "broadcast.confirm" })).toHaveLength(1);
  }, 60_000);

  it("a stop while readers are being enqueued leaves nothing pending", async () => {
    const db = await withReaders();
    // On PostgreSQL the stop is to land part way (fewer rows written than there are readers):
    // on a loaded machine it may come after the last page, and the race is run again. SQLite's
    // driver is synchronous, so in one process the enqueueing ends before the stop can run.
    let partWay = false;
    for (let attempt = 0; attempt < 5 && !partWay; attempt++) {
      const id = await draft(db);
      const confirming = confirmBroadcast(db, id, "telegram:1", NOW);
      // Stop as soon as it is sending (wherever the enqueueing has got to).
      for (let i = 0; i < 10_000 && (await getBroadcast(db, id)).state === "draft"; i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      await cancelBroadcast(db, id, "telegram:2", NOW);
      await confirming;
      const counts = await countOutboxByState(db, { broadcastId: id });
      expect(counts.pending).toBe(0);
      expect(counts.cancelled).toBeGreaterThan(0);
      const status = await broadcastStatus(db, id, NOW);
      expect(status.broadcast.state).toBe("cancelled");
      expect(status).toMatchObject({ left: 0, finished: true });
      partWay = (await getBroadcast(db, id)).total < READERS;
      if (store.kind !== "postgres") break;
    }
    if (store.kind === "postgres") expect(partWay).toBe(true);
  }, 120_000);

  it("writes one row per reader of the audience, across pages, in their platform and language", async () => {
    const db = await store.db();
    // Mixed readers: a tenth on Zalo, a fifth in English, some blocked, some channels.
    const kinds = (i: number) => ({
      platform: i % 10 === 0 ? "zalo" : "telegram",
      locale: i % 5 === 1 ? "en" : i % 7 === 0 ? "fr" : "vi",
      status: i % 97 === 0 ? "blocked" : "active",
      chat_type: i % 89 === 0 ? "channel" : "private",
    });
    for (let from = 0; from < READERS; from += 2000) {
      const count = Math.min(2000, READERS - from);
      await db
        .insertInto("readers")
        .values(
          Array.from({ length: count }, (_, i) => ({
            ...kinds(from + i),
            chat_id: String(100_000 + from + i),
            created_at: NOW,
            updated_at: NOW,
          })),
        )
        .execute();
    }
    const { broadcast, audience } = await prepareBroadcast(
      db,
      { author: "cli", text: "Tin nóng" },
      NOW,
    );
    expect(await confirmBroadcast(db, broadcast.id, "cli", NOW)).toBe(audience);
    const rows = await db
      .selectFrom("outbox")
      .innerJoin("readers", "readers.id", "outbox.reader_id")
      .innerJoin("outbox_payloads", "outbox_payloads.id", "outbox.payload_id")
      .select(["readers.chat_id", "outbox.platform", "outbox.idempotency_key", "body"])
      .where("broadcast_id", "=", broadcast.id)
      .execute();
    const expected = Array.from({ length: READERS }, (_, i) => i).filter((i) => {
      const k = kinds(i);
      return k.status === "active" && k.chat_type === "private";
    });
    expect(rows).toHaveLength(expected.length);
    expect(audience).toBe(expected.length);
    expect(new Set(rows.map((r) => r.chat_id))).toEqual(
      new Set(expected.map((i) => String(100_000 + i))),
    );
    for (const row of rows) {
      const k = kinds(Number(row.chat_id) - 100_000);
      expect(row.platform).toBe(k.platform);
      expect(row.idempotency_key).toMatch(new RegExp(`^broadcast:${broadcast.id}:\\d+$`));
      // English readers get the English rendering; any other language the Vietnamese one.
      expect(row.body).toContain(k.locale === "en" ? "BREAKING NEWS" : "TIN NÓNG");
    }
    expect((await getBroadcast(db, broadcast.id)).total).toBe(expected.length);
  }, 60_000);

  it("is not done while its rows are still being written", async () => {
    const db = await withReaders();
    const id = await draft(db);
    // As confirmation leaves it between claiming the draft and writing the total.
    expect(await claimDraft(db, id, NOW)).toBe(true);
    expect(await claimDraft(db, id, NOW)).toBe(false);
    const status = await broadcastStatus(db, id, NOW);
    expect(status.broadcast.state).toBe("sending");
    expect(status).toMatchObject({ total: 0, left: 0, finished: false });
  });
});
