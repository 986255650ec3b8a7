import { beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { runDigestTick } from "../../src/digest/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { addTopic } from "../../src/news/topics";
import { digestCandidatesInZone } from "../../src/readers/digest-candidates";
import { digestMarkOf } from "../../src/readers/digest-marks";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader, updatePreferences } from "../../src/readers/readers";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";

describeStores("digest run", (store) => {
  let db: DbHandle;
  let topics: Record<string, number>;
  let now: Date;

  const tick = () => runDigestTick({ db, clock: () => now, logger: silentLogger(), perTopic: 2 });

  async function reader(
    chatId: string,
    opts: {
      zone?: string;
      time?: string;
      topics?: string[];
      locale?: "vi" | "en";
      platform?: "telegram" | "zalo";
      joined?: string;
    } = {},
  ) {
    const { reader } = await registerReader(
      db,
      { platform: opts.platform ?? "telegram", chatId, chatType: "private" },
      {
        locale: opts.locale ?? "vi",
        timeZone: opts.zone ?? "Asia/Ho_Chi_Minh",
        digestTime: opts.time ?? "07:00",
      },
      opts.joined ?? "2026-01-25T00:00:00.000Z",
    );
    await setTopics(
      db,
      reader.id,
      (opts.topics ?? ["thoi-su"]).map((t) => topics[t] as number),
    );
    return reader.id;
  }

  let storySeq = 0;
  async function story(topic: string, fetchedAt: string, title?: string, also: string[] = []) {
    const n = ++storySeq;
    const base = {
      url: `https://x.vn/tin-post${n}.html`,
      contentHash: `h${n}`,
      title: title ?? `Tin ${n}`,
      lead: "",
      body: [],
      photos: [],
      fullText: false,
      publishedAt: fetchedAt,
      fetchedAt,
    };
    const { id } = await storeArticle(db, { ...base, topicId: topics[topic] as number });
    for (const other of also) await storeArticle(db, { ...base, topicId: topics[other] as number });
    return id;
  }

  function payloadText(key: string) {
    return outboxItemByKey(db, key).then((row) =>
      (row?.payload.parts ?? [])
        .map((part) =>
          part.kind === "text" ? part.text : part.kind === "photo" ? part.caption : "",
        )
        .join("\n"),
    );
  }

  beforeEach(async () => {
    db = await store.db();
    topics = {};
    for (const [slug, vi, en] of [
      ["thoi-su", "Thời sự", "News"],
      ["kinh-te", "Kinh tế", "Economy"],
      ["the-thao", "Thể thao", "Sport"],
    ] as const) {
      topics[slug] = (await addTopic(db, { slug, name: { vi, en } })).id;
    }
    now = new Date("2026-01-25T23:00:00.000Z"); // 06:00 on the 26th in Hà Nội
  });

  describe("digest slots", () => {
    it("each reader's digest comes at their local time, once per local day", async () => {
      const hanoi = await reader("1"); // 07:00 +07 = 00:00Z
      const berlin = await reader("2", { zone: "Europe/Berlin" }); // 07:00 +01 = 06:00Z
      await story("thoi-su", "2026-01-25T12:00:00.000Z");

      expect((await tick()).due).toBe(0); // 06:00 in Hà Nội
      now = new Date("2026-01-26T00:00:00.000Z");
      expect(await tick()).toMatchObject({ due: 1, enqueued: 1 });
      expect(await outboxItemByKey(db, `digest:${hanoi}:2026-01-26`)).toBeDefined();
      expect(await tick()).toMatchObject({ due: 0, enqueued: 0 }); // the same minute again: nothing

      now = new Date("2026-01-26T06:00:00.000Z");
      expect(await tick()).toMatchObject({ due: 1, enqueued: 1 });
      expect(await outboxItemByKey(db, `digest:${berlin}:2026-01-26`)).toBeDefined();
      expect((await digestMarkOf(db, berlin)).lastDigestDate).toBe("2026-01-26");
    });

    it("crosses midnight: a 23:30 digest in Hà Nội is on the local day, not the UTC one", async () => {
      const late = await reader("1", { time: "23:30" });
      await story("thoi-su", "2026-01-25T10:00:00.000Z");
      now = new Date("2026-01-26T16:30:00.000Z"); // 23:30 on the 26th in Hà Nội
      expect(await tick()).toMatchObject({ enqueued: 1 });
      expect(await outboxItemByKey(db, `digest:${late}:2026-01-26`)).toBeDefined();
      now = new Date("2026-01-26T17:05:00.000Z"); // 00:05 on the 27th: not yet 23:30
      expect((await tick()).due).toBe(0);
    });

    it("after downtime each reader gets one catch-up digest, not one per missed day", async () => {
      const id = await reader("1");
      await story("thoi-su", "2026-01-25T12:00:00.000Z");
      await story("thoi-su", "2026-01-27T12:00:00.000Z");
      now = new Date("2026-01-29T03:00:00.000Z"); // three days later, 10:00 local
      expect(await tick()).toMatchObject({ due: 1, enqueued: 1 });
      expect(await tick()).toMatchObject({ due: 0 });
      const rows = await db.selectFrom("outbox").select("idempotency_key").execute();
      expect(rows.map((r) => r.idempotency_key)).toEqual([`digest:${id}:2026-01-29`]);
      const text = await payloadText(`digest:${id}:2026-01-29`);
      expect(text.match(/<a href/g)).toHaveLength(2); // both stories, in one digest
    });

    it("reads due readers a page at a time: every one served once, across zones", async () => {
      // 30 due in Hà Nội, with readers of a later time between them (candidates, not due), and
      // 10 due in Berlin's zone at the same instant; pages of 4.
      const due: number[] = [];
      for (let i = 0; i < 30; i++) {
        due.push(await reader(`h${i}`));
        if (i % 3 === 0) await reader(`late${i}`, { time: "08:00" });
      }
      for (let i = 0; i < 10; i++) due.push(await reader(`b${i}`, { zone: "Asia/Bangkok" }));
      await story("thoi-su", "2026-01-25T12:00:00.000Z");
      now = new Date("2026-01-26T00:00:00.000Z"); // 07:00 in Hà Nội and in Bangkok
      const paged = () =>
        runDigestTick({ db, clock: () => now, logger: silentLogger(), perTopic: 2, pageSize: 4 });
      expect(await paged()).toMatchObject({ due: 40, enqueued: 40 });
      expect(await paged()).toMatchObject({ due: 0, enqueued: 0 });
      const keys = (await db.selectFrom("outbox").select("idempotency_key").execute())
        .map((r) => r.idempotency_key)
        .sort();
      expect(keys).toEqual(due.map((id) => `digest:${id}:2026-01-26`).sort());
    });

    it("a reader who signs up after today's digest time gets tomorrow's, with the last day", async () => {
      // 08:00 in Hà Nội, after the 07:00 slot: today's is passed over, marked so that later
      // ticks of the day do not read the reader again; tomorrow's is a first digest.
      const late = await reader("1", { joined: "2026-01-26T01:00:00.000Z" });
      await story("thoi-su", "2026-01-24T12:00:00.000Z", "Tin hôm kia");
      await story("thoi-su", "2026-01-26T00:30:00.000Z", "Tin sáng nay");
      now = new Date("2026-01-26T02:00:00.000Z");
      expect(await tick()).toMatchObject({ due: 0, enqueued: 0 });
      expect(await digestMarkOf(db, late)).toEqual({
        lastDigestDate: "2026-01-26",
        lastDigestCutoff: null,
      });
      const candidates = await digestCandidatesInZone(db, {
        zone: "Asia/Ho_Chi_Minh",
        localDate: "2026-01-26",
        localTime: "09:00",
        platforms: ["telegram"],
      });
      expect(candidates.map((c) => c.id)).not.toContain(late);
      now = new Date("2026-01-27T00:00:00.000Z");
      expect(await tick()).toMatchObject({ due: 1, enqueued: 1 });
      const text = await payloadText(`digest:${late}:2026-01-27`);
      expect(text).toContain("Tin sáng nay"); // the last day, though before sign-up
      expect(text).not.toContain("Tin hôm kia");
      expect(await digestMarkOf(db, late)).toEqual({
        lastDigestDate: "2026-01-27",
        lastDigestCutoff: "2026-01-27T00:00:00.000Z",
      });
    });

    it("nothing new: nothing is sent, and the slot is still served", async () => {
      const id = await reader("1");
      now = new Date("2026-01-26T00:01:00.000Z");
      expect(await tick()).toMatchObject({ due: 1, enqueued: 0, empty: 1 });
      expect((await digestMarkOf(db, id)).lastDigestDate).toBe("2026-01-26");
      expect((await countOutboxByState(db)).pending).toBe(0);
    });

    it("a digest carries only what is new since the last one", async () => {
      const id = await reader("1");
      await story("thoi-su", "2026-01-25T12:00:00.000Z", "Tin hôm qua");
      now = new Date("2026-01-26T00:00:00.000Z");
      await tick();
      await story("thoi-su", "2026-01-26T05:00:00.000Z", "Tin hôm nay");
      now = new Date("2026-01-27T00:00:00.000Z");
      await tick();
      const second = await payloadText(`digest:${id}:2026-01-27`);
      expect(second).toContain("Tin hôm nay");
      expect(second).not.toContain("Tin hôm qua");
    });

    it("composes once per topic set, shows each story once, N per topic with +k more", async () => {
      const a = await reader("1", { topics: ["thoi-su", "kinh-te"] });
      await reader("2", { topics: ["kinh-te", "thoi-su"] }); // same set
      const en = await reader("3", { topics: ["thoi-su", "kinh-te"], locale: "en" });
      await reader("4", { topics: ["the-thao"] });
      await story("thoi-su", "2026-01-25T10:00:00.000Z", "Tin hai mục", ["kinh-te"]);
      for (let i = 0; i < 4; i++)
        await story("kinh-te", `2026-01-25T1${i}:30:00.000Z`, `Kinh tế ${i}`);
      now = new Date("2026-01-26T00:00:00.000Z");
      const summary = await tick();
      expect(summary).toMatchObject({ due: 4, enqueued: 3, empty: 1, compositions: 2 });
      expect(summary.renderings).toBe(2); // vi and en of the one shared composition
      const text = await payloadText(`digest:${a}:2026-01-26`);
      expect(text.match(/Tin hai mục/g)).toHaveLength(1);
      expect(text).toMatch(/<b>Thời sự<\/b>[\s\S]*<b>Kinh tế<\/b>/);
      expect(text).toContain("+2 tin nữa: /moi kinh-te");
      expect(await payloadText(`digest:${en}:2026-01-26`)).toContain("+2 more: /latest kinh-te");
    });

    it("puts sections in the newsroom's order, not the order topics were added", async () => {
      // Added last, placed first: its id is the highest, its position the lowest.
      const first = await addTopic(db, {
        slug: "quoc-te",
        name: { vi: "Quốc tế", en: "World" },
        position: 0,
      });
      topics["quoc-te"] = first.id;
      const id = await reader("1", { topics: ["kinh-te", "quoc-te"] });
      await story("kinh-te", "2026-01-25T10:00:00.000Z", "Giá lúa tăng");
      await story("quoc-te", "2026-01-25T11:00:00.000Z", "Hội nghị khu vực");
      now = new Date("2026-01-26T00:00:00.000Z");
      await tick();
      expect(await payloadText(`digest:${id}:2026-01-26`)).toMatch(
        /<b>Quốc tế<\/b>[\s\S]*<b>Kinh tế<\/b>/,
      );
    });

    it("renders plain text within 2000 characters for Zalo readers", async () => {
      const id = await reader("z1", { platform: "zalo", topics: ["thoi-su"] });
      for (let i = 0; i < 3; i++)
        await story("thoi-su", "2026-01-25T10:00:00.000Z", `Tin <${i}> & "chữ"`);
      now = new Date("2026-01-26T00:00:00.000Z");
      await tick();
      const row = await outboxItemByKey(db, `digest:${id}:2026-01-26`);
      const parts = row?.payload.parts ?? [];
      expect(parts.length).toBeGreaterThan(0);
      expect(parts.every((p) => p.kind === "text" && p.format === "plain")).toBe(true);
      expect(parts.every((p) => p.kind === "text" && p.text.length <= 2000)).toBe(true);
      expect(parts[0]?.kind === "text" && parts[0].text).toContain('Tin <2> & "chữ"');
    });

    it("readers who stopped or turned the digest off get none", async () => {
      const off = await reader("1");
      const stopped = await reader("2");
      await updatePreferences(db, off, { digestEnabled: false }, now.toISOString());
      await db
        .updateTable("readers")
        .set({ status: "stopped" })
        .where("id", "=", stopped)
        .execute();
      await story("thoi-su", "2026-01-25T12:00:00.000Z");
      now = new Date("2026-01-26T00:00:00.000Z");
      expect((await tick()).due).toBe(0);
    });
  });
});
