import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";
import type { Db, DbHandle } from "../../src/db/schema";
import { inTransaction } from "../../src/db/transaction";
import { RateLimiter } from "../../src/delivery/limiter";
import { claimDue, enqueue } from "../../src/delivery/outbox";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import {
  createDeliveryWorker,
  type DeliveryWorker,
  type RetryPolicy,
} from "../../src/delivery/worker";
import { silentLogger } from "../../src/logging";
import { renderPayload } from "../../src/message/payload";
import { findReader, getReader, registerReader } from "../../src/readers/readers";
import { collectStats } from "../../src/services/stats";
import {
  type FakeTelegram,
  type FakeTelegramOptions,
  startFakeTelegram,
} from "../fakes/telegram-api";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";

describeStores("delivery", (store) => {
  const FAST_RETRY: RetryPolicy = { baseMs: 30, maxMs: 120, maxAttempts: 4 };
  const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };

  let db: DbHandle;
  let fake: FakeTelegram;
  const workers: DeliveryWorker[] = [];

  async function setup(options: FakeTelegramOptions = {}) {
    db = await store.db();
    fake = await startFakeTelegram(options);
  }

  afterEach(async () => {
    for (const w of workers.splice(0)) if (!w.stopped) await w.stop();
    await fake?.close();
  });

  function worker(
    overrides: {
      concurrency?: number;
      leaseMs?: number;
      rate?: number;
      timeoutSeconds?: number;
    } = {},
  ) {
    const w = createDeliveryWorker({
      db,
      transport: createTelegramTransport({
        token: fake.token,
        apiRoot: fake.apiRoot,
        paidBroadcast: false,
        timeoutSeconds: overrides.timeoutSeconds ?? 1,
      }),
      limiter: new RateLimiter({
        perSecond: overrides.rate ?? 500,
        perChatIntervalMs: 0,
        perGroupIntervalMs: 0,
      }),
      clock: () => new Date(),
      logger: silentLogger(),
      concurrency: overrides.concurrency ?? 4,
      leaseMs: overrides.leaseMs ?? 60_000,
      retry: FAST_RETRY,
    });
    workers.push(w);
    return w;
  }

  async function readers(count: number, chatType: "private" | "group" = "private") {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const chatId = chatType === "group" ? String(-1000 - i) : String(2000 + i);
      ids.push(
        (
          await registerReader(
            db,
            { platform: "telegram", chatId, chatType },
            DEFAULTS,
            new Date().toISOString(),
          )
        ).reader.id,
      );
    }
    return ids;
  }

  async function enqueueText(
    readerIds: number[],
    key: string,
    text = "Tin nóng: <b>mưa</b> lớn & ngập",
    into: Db = db,
  ) {
    const payload = renderPayload("telegram", { lines: [[text]] }, "vi");
    return enqueue(
      into,
      readerIds.map((id) => ({
        idempotencyKey: `${key}:${id}`,
        readerId: id,
        platform: "telegram",
        kind: "broadcast" as const,
        payload,
        nextAttemptAt: new Date().toISOString(),
      })),
    );
  }

  /** Delivers until nothing is pending (retries included). */
  async function deliverAll(w: DeliveryWorker, timeoutMs = 15_000) {
    const until = Date.now() + timeoutMs;
    while ((await countOutboxByState(db)).pending > 0) {
      if (Date.now() > until) throw new Error("outbox did not drain in time");
      await w.drain();
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  function deliveredTo(chatId: string | number): number {
    return fake.sentMessages(chatId).filter((c) => c.method === "sendMessage").length;
  }

  describe("delivery engine", () => {
    beforeEach(async () => {
      await setup();
    });

    it("skips keys already there inside a transaction, and the transaction goes on", async () => {
      const ids = await readers(3);
      expect(await enqueueText(ids.slice(0, 1), "t1")).toBe(1);
      const counts = await inTransaction(db, async (trx) => [
        await enqueueText(ids, "t1", "Tin thêm", trx), // one key there already: two go in
        await enqueueText(ids, "t2", "Tin thêm", trx), // and the transaction is still good
      ]);
      expect(counts).toEqual([2, 3]);
      expect((await countOutboxByState(db)).pending).toBe(6);
    });

    it("sends each row once, HTML intact, and records it sent", async () => {
      const ids = await readers(5);
      expect(await enqueueText(ids, "b1")).toBe(5);
      expect(await enqueueText(ids, "b1")).toBe(0); // same keys: nothing more
      await deliverAll(worker());
      for (let i = 0; i < 5; i++) expect(deliveredTo(2000 + i)).toBe(1);
      expect(fake.callsTo("sendMessage")[0]?.params.text).toBe(
        "Tin nóng: &lt;b&gt;mưa&lt;/b&gt; lớn &amp; ngập",
      );
      expect(await countOutboxByState(db)).toMatchObject({ sent: 5, pending: 0 });
    });

    it("sends a long payload as several messages, in order, each once", async () => {
      const [id] = await readers(1);
      const lines = Array.from({ length: 30 }, (_, i) => [`Đoạn ${i + 1}: ${"chữ ".repeat(60)}`]);
      const payload = renderPayload("telegram", { lines }, "vi");
      expect(payload.parts.length).toBeGreaterThan(1);
      await enqueue(db, [
        {
          idempotencyKey: "long",
          readerId: id as number,
          platform: "telegram",
          kind: "digest",
          payload,
          nextAttemptAt: new Date().toISOString(),
        },
      ]);
      await deliverAll(worker());
      const texts = fake.sentMessages(2000).map((c) => String(c.params.text));
      expect(texts).toHaveLength(payload.parts.length);
      expect(texts[0]).toMatch(/^Đoạn 1:/);
      expect(texts.join("\n")).toContain("Đoạn 30:");
    });

    it("waits out a 429 for its retry_after and then delivers", async () => {
      const ids = await readers(3);
      fake.fault(2001, { kind: "retry_after", seconds: 1 }, 1);
      await enqueueText(ids, "b429");
      const started = Date.now();
      await deliverAll(worker());
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      for (let i = 0; i < 3; i++) expect(deliveredTo(2000 + i)).toBe(1);
      expect((await outboxItemByKey(db, `b429:${ids[1]}`))?.attempts).toBe(1);
    });

    it.each([
      ["blocked", { kind: "blocked" } as const],
      ["chat not found", { kind: "chat_not_found" } as const],
      ["kicked", { kind: "kicked" } as const],
      ["deactivated", { kind: "deactivated" } as const],
    ])("%s: marks the reader blocked and stops sending to them", async (_name, fault) => {
      const ids = await readers(2);
      fake.fault(2000, fault);
      await enqueueText(ids, "first");
      await enqueueText(ids, "second");
      await deliverAll(worker());
      expect((await getReader(db, ids[0] as number)).status).toBe("blocked");
      expect((await outboxItemByKey(db, `first:${ids[0]}`))?.state).toBe("blocked");
      expect((await outboxItemByKey(db, `second:${ids[0]}`))?.state).toBe("blocked");
      expect(fake.sentMessages(2000, { includeFailed: true }).length).toBe(1); // tried once, then never again
      expect(deliveredTo(2001)).toBe(2);
    });

    it("moves a group upgraded to a supergroup and delivers there", async () => {
      const [id] = await readers(1, "group");
      fake.fault(-1000, { kind: "migrated", toChatId: -1001000 }, 1);
      await enqueueText([id as number], "mig");
      await deliverAll(worker());
      expect(await findReader(db, "telegram", "-1000")).toBeUndefined();
      expect((await getReader(db, id as number)).chatId).toBe("-1001000");
      expect(deliveredTo(-1001000)).toBe(1);
    });

    it("backs off on 5xx and delivers when the platform recovers", async () => {
      const ids = await readers(2);
      fake.fault(2000, { kind: "server_error" }, 2);
      await enqueueText(ids, "flaky");
      await deliverAll(worker());
      expect(deliveredTo(2000)).toBe(1);
      const row = await outboxItemByKey(db, `flaky:${ids[0]}`);
      expect(row).toMatchObject({ state: "sent", attempts: 3 });
    });

    it("gives up after the last attempt: the row is dead and visible in stats", async () => {
      const ids = await readers(2);
      fake.fault(2000, { kind: "server_error" });
      await enqueueText(ids, "dead");
      await deliverAll(worker());
      const row = await outboxItemByKey(db, `dead:${ids[0]}`);
      expect(row?.state).toBe("dead");
      expect(row?.lastError).toMatch(/gave up after 4 tries: 500/);
      const stats = await collectStats(db);
      expect(stats.deliveries.dead).toBe(1);
      expect(stats.deadByPlatform).toEqual({ telegram: 1 });
      expect(deliveredTo(2001)).toBe(1);
    });

    it("an answer that says ok without a result is not a delivery: tried again, sent once", async () => {
      const ids = await readers(2);
      fake.fault(2000, { kind: "no_result" }, 1);
      await enqueueText(ids, "noresult");
      await deliverAll(worker());
      expect(deliveredTo(2000)).toBe(1);
      expect(deliveredTo(2001)).toBe(1);
      const row = await outboxItemByKey(db, `noresult:${ids[0]}`);
      expect(row).toMatchObject({ state: "sent", attempts: 2 });
    });

    it("a call that never answers times out and is tried again", async () => {
      const ids = await readers(1);
      fake.fault(2000, { kind: "timeout" }, 1);
      await enqueueText(ids, "slow");
      await deliverAll(worker());
      expect(deliveredTo(2000)).toBe(1);
    });

    it("a message the platform refuses (400) is dead at once, not retried", async () => {
      const [id] = await readers(1);
      await enqueue(db, [
        {
          idempotencyKey: "bad-html",
          readerId: id as number,
          platform: "telegram",
          kind: "broadcast",
          payload: { parts: [{ kind: "text", format: "html", text: "<b>unclosed" }] },
          nextAttemptAt: new Date().toISOString(),
        },
      ]);
      await deliverAll(worker());
      const row = await outboxItemByKey(db, "bad-html");
      expect(row).toMatchObject({ state: "dead", attempts: 1 });
      expect(row?.lastError).toMatch(/can't parse entities/);
    });

    it("takes over rows whose lease ran out (a crashed sender), and not before", async () => {
      const ids = await readers(3);
      await enqueueText(ids, "lease");
      const past = new Date(Date.now() - 1000).toISOString();
      const future = new Date(Date.now() + 60_000).toISOString();
      // Two other senders claimed a row each: one is alive (lease held), one crashed (lease ran out).
      const now = new Date().toISOString();
      const [held] = await claimDue(db, {
        platform: "telegram",
        owner: "alive",
        now,
        leaseUntil: future,
        limit: 1,
      });
      const [orphan] = await claimDue(db, {
        platform: "telegram",
        owner: "crashed",
        now,
        leaseUntil: past,
        limit: 1,
      });
      expect(held?.id).not.toBe(orphan?.id);
      await worker().drain();
      expect(deliveredTo(2000 + ids.indexOf(orphan?.readerId as number))).toBe(1);
      expect(deliveredTo(2000 + ids.indexOf(held?.readerId as number))).toBe(0);
      expect((await countOutboxByState(db)).sent).toBe(2);
    });

    it("a sender that lost a lease while stalled leaves that row to the sender that took it", async () => {
      await fake.close();
      fake = await startFakeTelegram({ latencyMs: 1500 });
      const ids = await readers(2);
      await enqueueText(ids, "lost");
      const w = worker({ concurrency: 1, leaseMs: 1000, timeoutSeconds: 5 });
      w.start(); // claims both rows, sends the first (1.5 s), keeps the second queued
      const firstCall = await fake.waitFor((c) => c.method === "sendMessage");
      // Its lease ran out while it stalled, and another sender claimed the queued row.
      const otherReader = Number(firstCall.params.chat_id) === 2000 ? ids[1] : ids[0];
      const taken = await db
        .updateTable("outbox")
        .set({ lease_owner: "other", lease_until: new Date(Date.now() + 60_000).toISOString() })
        .where("reader_id", "=", otherReader as number)
        .where("state", "=", "pending")
        .executeTakeFirst();
      expect(Number(taken.numUpdatedRows)).toBe(1);
      await new Promise((r) => setTimeout(r, 2500)); // a heartbeat, then the first send ends
      await w.stop();
      expect(fake.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
      const row = await outboxItemByKey(db, `lost:${otherReader}`);
      expect(row?.state).toBe("pending");
    });

    it("a reader who stopped meanwhile is skipped", async () => {
      const ids = await readers(2);
      await enqueueText(ids, "stopped");
      await db
        .updateTable("readers")
        .set({ status: "stopped" })
        .where("id", "=", ids[0] as number)
        .execute();
      await deliverAll(worker());
      expect(deliveredTo(2000)).toBe(0);
      expect((await outboxItemByKey(db, `stopped:${ids[0]}`))?.state).toBe("cancelled");
    });

    it("stops gracefully: no new claims, sends in flight finish, the rest are given back", async () => {
      await fake.close();
      fake = await startFakeTelegram({ latencyMs: 100 });
      const ids = await readers(40);
      await enqueueText(ids, "graceful");
      const w = worker({ concurrency: 4 });
      w.start();
      await fake.waitFor((c) => c.method === "sendMessage" && c.ok === true);
      await w.stop();
      const sent = fake.calls.filter((c) => c.method === "sendMessage" && c.ok).length;
      const counts = await countOutboxByState(db);
      expect(counts.sent).toBe(sent); // everything that went out is recorded
      expect(counts.pending).toBe(40 - sent);
      const held = await db
        .selectFrom("outbox")
        .select("id")
        .where("lease_owner", "is not", null)
        .execute();
      expect(held).toEqual([]); // nothing left claimed: a restart picks it all up at once
      await deliverAll(worker());
      for (let i = 0; i < 40; i++) expect(deliveredTo(2000 + i)).toBe(1);
    });
  });

  describe("delivery under random faults", () => {
    it("every reader who can be reached gets the message exactly once", async () => {
      await setup({
        randomFaults: { rate: 0.3, seed: 7, kinds: ["retry_after", "server_error", "blocked"] },
      });
      const ids = await readers(120);
      await enqueueText(ids, "chaos");
      await deliverAll(worker({ concurrency: 8 }), 60_000);
      let blocked = 0;
      for (const [i, id] of ids.entries()) {
        const reader = await getReader(db, id);
        const got = deliveredTo(2000 + i);
        if (reader.status === "blocked") {
          blocked++;
          expect(got).toBe(0);
        } else {
          expect(got).toBe(1);
        }
      }
      const counts = await countOutboxByState(db);
      expect(counts.pending).toBe(0);
      expect(counts.sent + counts.blocked + counts.dead).toBe(120);
      expect(counts.blocked).toBe(blocked);
      expect(fake.stats.faults).toBeGreaterThan(10);
    }, 90_000);
  });
});
