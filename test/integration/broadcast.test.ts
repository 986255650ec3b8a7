import { beforeEach, describe, expect, it } from "vitest";
import { parseBroadcastArgs, progressBar } from "../../src/chat/features/broadcast";
import type { DbHandle } from "../../src/db/schema";
import { markSent } from "../../src/delivery/outbox";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { listAudit } from "../../src/editors/audit";
import { storeArticle } from "../../src/news/articles";
import { addTopic } from "../../src/news/topics";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import {
  BroadcastError,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../src/services/broadcasts";
import { createTestDb, outboxItemByKey } from "../helpers/db";

const NOW = "2026-01-26T03:00:00.000Z";
const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
let db: DbHandle;
let thoiSu: number;
let articleId: number;

async function reader(
  platform: "telegram" | "zalo" | "terminal",
  chatId: string,
  topics: number[] = [],
) {
  const { reader } = await registerReader(
    db,
    { platform, chatId, chatType: "private" },
    DEFAULTS,
    NOW,
  );
  await setTopics(db, reader.id, topics);
  return reader.id;
}

beforeEach(async () => {
  db = await createTestDb();
  thoiSu = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } })).id;
  articleId = (
    await storeArticle(db, {
      url: "https://x.vn/a-post1.html",
      contentHash: "a",
      title: "Mưa lớn gây ngập <nặng>",
      lead: "Nhiều tuyến phố ngập sâu.",
      body: [],
      photos: [],
      fullText: false,
      publishedAt: NOW,
      fetchedAt: NOW,
      topicId: thoiSu,
    })
  ).id;
  await reader("telegram", "1", [thoiSu]);
  await reader("telegram", "2");
  await reader("zalo", "3", [thoiSu]);
  await reader("terminal", "local", [thoiSu]); // the demo is not an audience
  const blocked = await reader("telegram", "4", [thoiSu]);
  await db.updateTable("readers").set({ status: "blocked" }).where("id", "=", blocked).execute();
});

describe("breaking news", () => {
  it("previews the audience: everyone, one topic, one platform", async () => {
    const all = await prepareBroadcast(db, { author: "telegram:42", text: "Tin nóng" }, NOW);
    expect(all.audience).toBe(3);
    expect(all.broadcast.state).toBe("draft");
    const topic = await prepareBroadcast(
      db,
      { author: "cli", text: "x", topicSlug: "thoi-su" },
      NOW,
    );
    expect(topic.audience).toBe(2);
    const zalo = await prepareBroadcast(db, { author: "cli", text: "x", platform: "zalo" }, NOW);
    expect(zalo.audience).toBe(1);
    expect((await countOutboxByState(db)).pending).toBe(0); // a preview sends nothing
  });

  it.each([
    [{ text: "   " }, "empty"],
    [{ text: "", articleId: 999 }, "noStory"],
    [{ text: "x", topicSlug: "khong-co" }, "noTopic"],
    [{ text: "x", platform: "viber" }, "badPlatform"],
    [{ text: "x".repeat(3001) }, "tooLong"],
  ])("refuses %o clearly", async (request, code) => {
    const error = await prepareBroadcast(db, { author: "cli", ...request }, NOW).catch((e) => e);
    expect(error).toBeInstanceOf(BroadcastError);
    expect((error as BroadcastError).problem.code).toBe(code);
    expect((error as Error).message).not.toContain("\n");
  });

  it("confirming enqueues one row per reader, rendered per platform; twice sends once", async () => {
    const { broadcast } = await prepareBroadcast(
      db,
      { author: "telegram:42", text: "Mưa lớn", articleId },
      NOW,
    );
    expect(await confirmBroadcast(db, broadcast.id, "telegram:42", NOW)).toBe(3);
    await expect(confirmBroadcast(db, broadcast.id, "telegram:42", NOW)).rejects.toThrow(
      /already sending/,
    );
    const rows = await db
      .selectFrom("outbox")
      .innerJoin("outbox_payloads", "outbox_payloads.id", "outbox.payload_id")
      .select(["outbox.idempotency_key", "outbox.platform", "outbox_payloads.body as payload"])
      .where("broadcast_id", "=", broadcast.id)
      .execute();
    expect(rows).toHaveLength(3);
    // One stored rendering per platform and language (vi and en of telegram and zalo), shared by
    // the rows: the three readers here read Vietnamese, on two platforms.
    expect(await db.selectFrom("outbox_payloads").select("id").execute()).toHaveLength(4);
    const used = await db
      .selectFrom("outbox")
      .select("payload_id")
      .distinct()
      .where("broadcast_id", "=", broadcast.id)
      .execute();
    expect(used).toHaveLength(2);
    expect(rows.every((r) => r.idempotency_key.startsWith(`broadcast:${broadcast.id}:`))).toBe(
      true,
    );
    const telegram = rows.find((r) => r.platform === "telegram");
    expect(telegram?.payload).toContain("🔴 TIN NÓNG");
    expect(telegram?.payload).toContain("Mưa lớn gây ngập &lt;nặng&gt;");
    expect(telegram?.payload).toContain('"data":"r:');
    const zalo = rows.find((r) => r.platform === "zalo");
    expect(zalo?.payload).toContain("Mưa lớn gây ngập <nặng>");
    const status = await broadcastStatus(db, broadcast.id, NOW);
    expect(status).toMatchObject({ total: 3, left: 3, sent: 0, finished: false });
  });

  it("cancel stops what has not gone; what went stays sent; it is finished", async () => {
    const { broadcast } = await prepareBroadcast(db, { author: "telegram:42", text: "Tin" }, NOW);
    await confirmBroadcast(db, broadcast.id, "telegram:42", NOW);
    const rows = await db
      .selectFrom("outbox")
      .select("id")
      .where("broadcast_id", "=", broadcast.id)
      .execute();
    await markSent(db, rows[0]?.id as number, NOW);
    expect(await cancelBroadcast(db, broadcast.id, "telegram:42", NOW)).toBe(2);
    const status = await broadcastStatus(db, broadcast.id, NOW);
    expect(status).toMatchObject({ sent: 1, cancelled: 2, left: 0, finished: true });
    expect(status.broadcast.state).toBe("cancelled");
  });

  it("is finished once nothing is left, and every step is in the audit log", async () => {
    const { broadcast } = await prepareBroadcast(
      db,
      { author: "cli", text: "Tin", platform: "zalo" },
      NOW,
    );
    await confirmBroadcast(db, broadcast.id, "cli", NOW);
    const row = await outboxItemByKey(db, `broadcast:${broadcast.id}:3`);
    await markSent(db, row?.id as number, NOW);
    expect((await broadcastStatus(db, broadcast.id, NOW)).broadcast.state).toBe("done");
    const audit = await listAudit(db);
    expect(audit.map((a) => a.action)).toEqual(["broadcast.confirm", "broadcast.prepare"]);
    expect(audit[0]?.detail).toEqual({ broadcastId: broadcast.id, total: 1 });
  });

  it("parses the chat command's options", () => {
    expect(parseBroadcastArgs("#thoi-su @zalo Mưa lớn ở Sa Pa")).toEqual({
      topicSlug: "thoi-su",
      platform: "zalo",
      articleId: null,
      at: null,
      text: "Mưa lớn ở Sa Pa",
    });
    expect(parseBroadcastArgs("123")).toEqual({
      topicSlug: null,
      platform: null,
      articleId: 123,
      at: null,
      text: "",
    });
    expect(parseBroadcastArgs("bai:12 Xem ngay")).toMatchObject({
      articleId: 12,
      text: "Xem ngay",
    });
    expect(parseBroadcastArgs("Giá xăng giảm 500 đồng")).toMatchObject({
      articleId: null,
      text: "Giá xăng giảm 500 đồng",
    });
    // A send time: "lúc HH:MM" (or "at"), only before the text.
    expect(parseBroadcastArgs("lúc 14:00 #thoi-su Họp báo")).toEqual({
      topicSlug: "thoi-su",
      platform: null,
      articleId: null,
      at: "14:00",
      text: "Họp báo",
    });
    expect(parseBroadcastArgs("Lúc này mưa lớn lúc 14:00")).toMatchObject({
      at: null,
      text: "Lúc này mưa lớn lúc 14:00",
    });
    expect(progressBar(3, 10)).toBe("[███░░░░░░░] 30%");
    expect(progressBar(0, 0)).toBe("[██████████] 100%");
  });
});
