import { beforeEach, describe, expect, it } from "vitest";
import {
  broadcastProgress,
  createBroadcast,
  updateBroadcast,
} from "../../../src/broadcasts/broadcasts";
import type { DbHandle } from "../../../src/db/schema";
import {
  blockPendingForReader,
  claimDue,
  enqueue,
  markFinal,
  markRetry,
  markSent,
  type NewOutboxItem,
  purgeFinished,
} from "../../../src/delivery/outbox";
import { countOutboxByState } from "../../../src/delivery/outbox-counts";
import { listAudit, recordAudit } from "../../../src/editors/audit";
import { addTopic } from "../../../src/news/topics";
import { countAudience } from "../../../src/readers/audience";
import { digestCandidatesInZone } from "../../../src/readers/digest-candidates";
import {
  digestMarkOf,
  markDigestComposed,
  markDigestPassedOver,
} from "../../../src/readers/digest-marks";
import {
  readerTopicIds,
  setTopicMode,
  setTopics,
  toggleTopic,
} from "../../../src/readers/reader-topics";
import {
  findReader,
  moveReaderChat,
  type ReaderDefaults,
  registerReader,
  setReaderStatus,
  updatePreferences,
} from "../../../src/readers/readers";
import { collectStats } from "../../../src/services/stats";
import { outboxItemByKey } from "../../helpers/db";
import { describeStores } from "../../helpers/stores";

describeStores("store: readers and outbox", (store) => {
  const defaults: ReaderDefaults = {
    locale: "vi",
    timeZone: "Asia/Ho_Chi_Minh",
    digestTime: "07:00",
  };
  const T0 = "2026-01-26T00:00:00.000Z";
  let db: DbHandle;
  let thoiSu: number;
  let kinhTe: number;

  async function reader(chatId: string, platform: "telegram" | "zalo" = "telegram") {
    return (await registerReader(db, { platform, chatId, chatType: "private" }, defaults, T0))
      .reader;
  }

  beforeEach(async () => {
    db = await store.db();
    thoiSu = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
    kinhTe = (await addTopic(db, { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } })).id;
  });

  describe("readers", () => {
    it("register once per platform and chat, with the defaults", async () => {
      const first = await registerReader(
        db,
        { platform: "telegram", chatId: "100", chatType: "private", displayName: "Lan" },
        defaults,
        T0,
      );
      expect(first.isNew).toBe(true);
      expect(first.reader).toMatchObject({
        locale: "vi",
        timeZone: "Asia/Ho_Chi_Minh",
        digestTime: "07:00",
        digestEnabled: true,
        status: "active",
        createdAt: T0,
      });
      const again = await registerReader(
        db,
        { platform: "telegram", chatId: "100", chatType: "private" },
        defaults,
        T0,
      );
      expect(again).toMatchObject({
        isNew: false,
        reader: { id: first.reader.id, displayName: "Lan" },
      });
      const onZalo = await reader("100", "zalo");
      expect(onZalo.id).not.toBe(first.reader.id);
    });

    it("a stopped or blocked reader comes back active and keeps preferences", async () => {
      const r = await reader("200");
      await updatePreferences(
        db,
        r.id,
        { locale: "en", digestTime: "18:30", timeZone: "Europe/Paris" },
        T0,
      );
      await setReaderStatus(db, r.id, "blocked", T0);
      expect((await findReader(db, "telegram", "200"))?.status).toBe("blocked");
      const back = await reader("200");
      expect(back).toMatchObject({
        status: "active",
        locale: "en",
        digestTime: "18:30",
        timeZone: "Europe/Paris",
      });
    });

    it("move with a group upgraded to a supergroup", async () => {
      const group = (
        await registerReader(
          db,
          { platform: "telegram", chatId: "-5", chatType: "group" },
          defaults,
          T0,
        )
      ).reader;
      await setTopics(db, group.id, [thoiSu]);
      const moved = await moveReaderChat(db, "telegram", "-5", "-1005", T0);
      expect(moved).toMatchObject({ id: group.id, chatId: "-1005", chatType: "supergroup" });
      expect(await findReader(db, "telegram", "-5")).toBeUndefined();
      expect(await readerTopicIds(db, group.id)).toEqual([thoiSu]);
    });

    it("digest candidates are active readers with digests on; composing records the slot", async () => {
      const a = await reader("a");
      const b = await reader("b");
      const c = await reader("c");
      await updatePreferences(db, b.id, { digestEnabled: false }, T0);
      await setReaderStatus(db, c.id, "stopped", T0);
      const candidates = await digestCandidatesInZone(db, {
        zone: "Asia/Ho_Chi_Minh",
        localDate: "2026-01-26",
        localTime: "07:00",
        platforms: ["telegram"],
      });
      expect(candidates.map((r) => r.id)).toEqual([a.id]);
      await markDigestComposed(db, [a.id], {
        localDate: "2026-01-26",
        cutoff: "2026-01-26T00:00:00.000Z",
      });
      expect(await digestMarkOf(db, a.id)).toEqual({
        lastDigestDate: "2026-01-26",
        lastDigestCutoff: "2026-01-26T00:00:00.000Z",
      });
    });
    it("marks a page of readers served, those with a mark and those without, and no neighbour", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) ids.push((await reader(`m${i}`)).id);
      const yesterday = { localDate: "2026-01-25", cutoff: "2026-01-25T00:00:00.000Z" };
      const today = { localDate: "2026-01-26", cutoff: "2026-01-26T00:00:00.000Z" };
      const [m0, m1, m2, m3, m4, m5, , , , , , m11] = ids as number[];
      await markDigestComposed(db, [m0 as number, m1 as number, m2 as number], yesterday);
      // Close together (one range of ids), all of them marked before:
      await markDigestComposed(db, [m0 as number, m2 as number], today);
      // Close together, some marked before (m1) and some not (m3, m4), one left out (m5):
      await markDigestComposed(db, [m4 as number, m1 as number, m3 as number], today);
      // Far apart (checked each): one never marked, the page listing it twice.
      await markDigestComposed(db, [m11 as number, m0 as number, m11 as number], today);
      const marks = await Promise.all(ids.map((id) => digestMarkOf(db, id)));
      const served = (id: number | undefined) => marks[ids.indexOf(id as number)];
      for (const id of [m0, m1, m2, m3, m4, m11]) {
        expect(served(id)).toEqual({
          lastDigestDate: today.localDate,
          lastDigestCutoff: today.cutoff,
        });
      }
      expect(served(m5)).toEqual({ lastDigestDate: null, lastDigestCutoff: null });
      expect(marks.filter((m) => m?.lastDigestDate === null)).toHaveLength(6);
    });
    it("marks a day passed over: the day is taken, a cut-off kept, none made up", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await reader(`p${i}`)).id);
      const [served, fresh, far, never] = ids as [number, number, number, number];
      const yesterday = { localDate: "2026-01-25", cutoff: "2026-01-25T00:00:00.000Z" };
      await markDigestComposed(db, [served], yesterday);
      // Close together (one range), one with a mark and one without; then one far off alone.
      await markDigestPassedOver(db, [fresh, served], "2026-01-26");
      await markDigestPassedOver(db, [far], "2026-01-26");
      expect(await digestMarkOf(db, served)).toEqual({
        lastDigestDate: "2026-01-26",
        lastDigestCutoff: yesterday.cutoff,
      });
      for (const id of [fresh, far]) {
        expect(await digestMarkOf(db, id)).toEqual({
          lastDigestDate: "2026-01-26",
          lastDigestCutoff: null,
        });
      }
      expect(await digestMarkOf(db, never)).toEqual({
        lastDigestDate: null,
        lastDigestCutoff: null,
      });
      // A digest composed later writes its cut-off over the passed-over day.
      const today = { localDate: "2026-01-27", cutoff: "2026-01-27T00:00:00.000Z" };
      await markDigestComposed(db, [fresh], today);
      expect(await digestMarkOf(db, fresh)).toEqual({
        lastDigestDate: today.localDate,
        lastDigestCutoff: today.cutoff,
      });
    });
    it("digest candidates come a page at a time, each once, across digest times, with their digest topics by id", async () => {
      const times = ["06:00", "06:30", "06:30", "06:30", "07:00", "06:00", "06:30", "08:00"];
      const ids: number[] = [];
      for (const [i, time] of times.entries()) {
        const r = await reader(`p${i}`);
        await updatePreferences(db, r.id, { digestTime: time }, T0);
        ids.push(r.id);
      }
      await setTopics(db, ids[0] as number, [kinhTe, thoiSu]);
      await setTopicMode(db, ids[1] as number, kinhTe, "instant"); // as it happens only
      await setTopics(db, ids[2] as number, [kinhTe]);
      const seen: { id: number; digestTime: string; digestTopics: string }[] = [];
      let pages = 0;
      for (let after: { digestTime: string; id: number } | null = null; ; pages++) {
        const page = await digestCandidatesInZone(db, {
          zone: "Asia/Ho_Chi_Minh",
          localDate: "2026-01-26",
          localTime: "07:00",
          platforms: ["telegram"],
          page: { after, limit: 2 },
        });
        seen.push(...page);
        const last = page.at(-1);
        if (!last || page.length < 2) break;
        after = { digestTime: last.digestTime, id: last.id };
      }
      // Everyone due by 07:00, none twice; the 08:00 reader is not a candidate yet.
      expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids.slice(0, 7));
      expect(pages).toBeGreaterThanOrEqual(3);
      const topicsOf = (id: number) => seen.find((r) => r.id === id)?.digestTopics;
      expect(topicsOf(ids[0] as number)).toBe([thoiSu, kinhTe].sort((a, b) => a - b).join(","));
      expect(topicsOf(ids[1] as number)).toBe("");
      expect(topicsOf(ids[2] as number)).toBe(`${kinhTe}`);
      expect(topicsOf(ids[3] as number)).toBe("");
    });

    it("digest candidates far apart in id get their own topics, not their neighbours'", async () => {
      // Two due readers with twenty not due between them: PostgreSQL then looks the two up by
      // id rather than reading the range between (and their topics must not mix).
      const first = await reader("far-1");
      const between: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await reader(`far-between-${i}`);
        await updatePreferences(db, r.id, { digestTime: "09:00" }, T0);
        await setTopics(db, r.id, [thoiSu]);
        between.push(r.id);
      }
      const last = await reader("far-2");
      await setTopics(db, first.id, [kinhTe]);
      await setTopics(db, last.id, [thoiSu, kinhTe]);
      const candidates = await digestCandidatesInZone(db, {
        zone: "Asia/Ho_Chi_Minh",
        localDate: "2026-01-26",
        localTime: "07:00",
        platforms: ["telegram"],
        page: { after: null, limit: 100 },
      });
      expect(candidates.map((r) => [r.id, r.digestTopics])).toEqual([
        [first.id, `${kinhTe}`],
        [last.id, [thoiSu, kinhTe].sort((a, b) => a - b).join(",")],
      ]);
    });
  });

  describe("topics", () => {
    it("toggle, set, list in category order, and cascade when a reader goes", async () => {
      const r = await reader("300");
      expect(await toggleTopic(db, r.id, kinhTe)).toBe(true);
      expect(await toggleTopic(db, r.id, thoiSu)).toBe(true);
      expect(await readerTopicIds(db, r.id)).toEqual([thoiSu, kinhTe]);
      expect(await toggleTopic(db, r.id, kinhTe)).toBe(false);
      expect(await readerTopicIds(db, r.id)).toEqual([thoiSu]);
      await setTopics(db, r.id, [kinhTe, kinhTe, thoiSu]);
      expect(await readerTopicIds(db, r.id)).toEqual([thoiSu, kinhTe]);
      expect(await countAudience(db, { topicId: kinhTe, platform: null })).toBe(1);
      await setReaderStatus(db, r.id, "blocked", T0);
      expect(await countAudience(db, { topicId: kinhTe, platform: null })).toBe(0);
      await db.deleteFrom("readers").where("id", "=", r.id).execute();
      const left = await db.selectFrom("reader_topics").selectAll().execute();
      expect(left).toEqual([]);
    });
  });

  describe("outbox", () => {
    function item(
      readerId: number,
      key: string,
      kind: NewOutboxItem["kind"] = "digest",
    ): NewOutboxItem {
      return {
        idempotencyKey: key,
        readerId,
        platform: "telegram",
        kind,
        payload: { parts: [{ kind: "text", format: "html", text: key }] },
        nextAttemptAt: T0,
      };
    }

    it("enqueues each idempotency key once", async () => {
      const r = await reader("1");
      expect(
        await enqueue(db, [item(r.id, "digest:1:2026-01-26"), item(r.id, "digest:1:2026-01-27")]),
      ).toBe(2);
      expect(await enqueue(db, [item(r.id, "digest:1:2026-01-26")])).toBe(0);
      expect((await countOutboxByState(db)).pending).toBe(2);
    });

    it("enqueues in bulk beyond one statement's parameter limit", async () => {
      const r = await reader("1");
      const many = Array.from({ length: 2_345 }, (_, i) =>
        item(r.id, `broadcast:1:${i}`, "broadcast"),
      );
      expect(await db.transaction().execute((trx) => enqueue(trx, many))).toBe(2_345);
    });

    it("claims due rows with a lease, replies first, and never twice while the lease holds", async () => {
      const r = await reader("1");
      await enqueue(db, [
        item(r.id, "d1"),
        item(r.id, "b1", "broadcast"),
        item(r.id, "r1", "reply"),
      ]);
      await enqueue(db, [{ ...item(r.id, "later"), nextAttemptAt: "2026-01-26T01:00:00.000Z" }]);
      const claim = {
        platform: "telegram",
        now: T0,
        leaseUntil: "2026-01-26T00:01:00.000Z",
        limit: 10,
      };
      const first = await claimDue(db, { ...claim, owner: "a" });
      expect(first.map((i) => i.idempotencyKey)).toEqual(["r1", "b1", "d1"]);
      expect(await claimDue(db, { ...claim, owner: "b" })).toEqual([]);
      // The owner crashed: once the lease has expired another sender takes the rows again.
      const later = {
        ...claim,
        now: "2026-01-26T00:02:00.000Z",
        leaseUntil: "2026-01-26T00:03:00.000Z",
      };
      expect((await claimDue(db, { ...later, owner: "b" })).map((i) => i.idempotencyKey)).toEqual([
        "r1",
        "b1",
        "d1",
      ]);
      expect(await claimDue(db, { ...claim, platform: "zalo", owner: "z" })).toEqual([]);
    });

    it("records outcomes: sent, retry later, dead, blocked", async () => {
      const r = await reader("1");
      await enqueue(db, [item(r.id, "s"), item(r.id, "r"), item(r.id, "d")]);
      const claimed = await claimDue(db, {
        platform: "telegram",
        owner: "a",
        now: T0,
        leaseUntil: "2026-01-26T00:01:00.000Z",
        limit: 10,
      });
      const byKey = Object.fromEntries(claimed.map((c) => [c.idempotencyKey, c.id]));
      await markSent(db, byKey.s as number, T0);
      await markRetry(db, byKey.r as number, {
        error: "HTTP 502",
        nextAttemptAt: "2026-01-26T00:05:00.000Z",
        countAttempt: true,
      });
      await markFinal(db, byKey.d as number, "dead", "gave up after 8 tries");
      expect(await outboxItemByKey(db, "s")).toMatchObject({
        state: "sent",
        attempts: 1,
        sentAt: T0,
      });
      expect(await outboxItemByKey(db, "r")).toMatchObject({
        state: "pending",
        attempts: 1,
        lastError: "HTTP 502",
        nextAttemptAt: "2026-01-26T00:05:00.000Z",
      });
      expect(await outboxItemByKey(db, "d")).toMatchObject({
        state: "dead",
        lastError: "gave up after 8 tries",
      });
      await blockPendingForReader(db, r.id, "bot was blocked by the user");
      expect(await outboxItemByKey(db, "r")).toMatchObject({ state: "blocked" });
      const stats = await collectStats(db);
      expect(stats.deliveries).toEqual({ pending: 0, sent: 1, blocked: 1, dead: 1, cancelled: 0 });
      expect(stats.deadByPlatform).toEqual({ telegram: 1 });
    });
  });

  describe("outbox clean-up", () => {
    it("drops old finished rows and the payloads no row uses; keeps what is pending", async () => {
      const r = await reader("1");
      const shared = { parts: [{ kind: "text" as const, format: "html" as const, text: "chung" }] };
      await enqueue(db, [
        {
          idempotencyKey: "old-sent",
          readerId: r.id,
          platform: "telegram",
          kind: "digest",
          payload: shared,
          nextAttemptAt: T0,
        },
        {
          idempotencyKey: "old-pending",
          readerId: r.id,
          platform: "telegram",
          kind: "digest",
          payload: { parts: [] },
          nextAttemptAt: T0,
        },
      ]);
      const sent = await outboxItemByKey(db, "old-sent");
      await markSent(db, sent?.id as number, T0);
      expect(await db.selectFrom("outbox_payloads").select("id").execute()).toHaveLength(2);
      const future = "2099-01-01T00:00:00.000Z";
      expect(await purgeFinished(db, future)).toBe(1);
      expect(await outboxItemByKey(db, "old-sent")).toBeUndefined();
      expect((await outboxItemByKey(db, "old-pending"))?.payload).toEqual({ parts: [] });
      expect(await db.selectFrom("outbox_payloads").select("id").execute()).toHaveLength(1);
    });
  });

  describe("broadcasts, audit and stats", () => {
    it("count a broadcast's deliveries from the outbox", async () => {
      const a = await reader("a");
      const b = await reader("b");
      const broadcast = await createBroadcast(db, {
        author: "telegram:42",
        text: "Tin nóng: mưa lớn",
        audienceTopicId: thoiSu,
        createdAt: T0,
      });
      await updateBroadcast(db, broadcast.id, { state: "sending", total: 2, startedAt: T0 });
      await enqueue(
        db,
        [a, b].map((r) => ({
          idempotencyKey: `broadcast:${broadcast.id}:${r.id}`,
          readerId: r.id,
          platform: "telegram",
          kind: "broadcast" as const,
          payload: {
            parts: [{ kind: "text" as const, format: "html" as const, text: "Tin nóng" }],
          },
          broadcastId: broadcast.id,
          nextAttemptAt: T0,
        })),
      );
      const row = await outboxItemByKey(db, `broadcast:${broadcast.id}:${a.id}`);
      await markSent(db, row?.id as number, T0);
      expect(await broadcastProgress(db, broadcast.id)).toMatchObject({
        total: 2,
        sent: 1,
        pending: 1,
      });
    });

    it("keep an audit trail, newest first", async () => {
      await recordAudit(db, {
        actor: "cli",
        action: "topic.add",
        detail: { topicId: 9, slug: "x", vi: "X", en: "X" },
        at: T0,
      });
      await recordAudit(db, {
        actor: "telegram:42",
        action: "broadcast.prepare",
        // What does not narrow the audience is left out, not stored as null.
        detail: { broadcastId: 3, audience: 2, topic: undefined, platform: "zalo" },
        at: "2026-01-26T00:01:00.000Z",
      });
      const entries = await listAudit(db);
      expect(entries.map((e) => e.action)).toEqual(["broadcast.prepare", "topic.add"]);
      expect(entries[1]?.detail).toEqual({ topicId: 9, slug: "x", vi: "X", en: "X" });
      expect(entries[0]?.detail).toEqual({ broadcastId: 3, audience: 2, platform: "zalo" });
    });

    it("stats count readers by platform and status and readers per topic", async () => {
      const a = await reader("a");
      const b = await reader("b", "zalo");
      await reader("c", "zalo");
      await setReaderStatus(db, b.id, "blocked", T0);
      await setTopics(db, a.id, [thoiSu, kinhTe]);
      await setTopics(db, b.id, [thoiSu]);
      const stats = await collectStats(db);
      expect(stats.readers).toEqual({
        total: 3,
        byPlatform: { telegram: { active: 1 }, zalo: { active: 1, blocked: 1 } },
      });
      expect(stats.topics.map((t) => [t.slug, t.readers])).toEqual([
        ["thoi-su", 1], // the blocked reader is not counted
        ["kinh-te", 1],
      ]);
      const zaloOnly = await collectStats(db, { platform: "zalo" });
      expect(zaloOnly.readers.total).toBe(2);
      expect(zaloOnly.topics.map((t) => t.readers)).toEqual([0, 0]);
    });
  });
});
