import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../src/editors/audit";
import { findTopicBySlug } from "../../src/news/topics";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import type { RecordedCall } from "../fakes/telegram-api";
import { buttonsOf, type Harness, startTelegramHarness, textOf } from "../helpers/telegram-harness";

const ADMIN = 42;
const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };

describe("breaking news from an admin in Telegram", () => {
  let h: Harness;
  const readerChats = Array.from({ length: 12 }, (_, i) => 3000 + i);

  beforeAll(async () => {
    h = await startTelegramHarness("polling", { admins: `telegram:${ADMIN},zalo:7` });
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    for (const [i, chat] of readerChats.entries()) {
      const { reader } = await registerReader(
        h.db,
        { platform: "telegram", chatId: String(chat), chatType: "private" },
        DEFAULTS,
        new Date().toISOString(),
      );
      if (i % 2 === 0) await setTopics(h.db, reader.id, [thoiSu]);
    }
    h.fake.fault(readerChats[10] as number, { kind: "blocked" });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const say = (text: string, fromId = ADMIN) =>
    h.send(h.fake.message({ chatId: fromId, fromId, text }));
  const press = (data: string, messageId: number, fromId = ADMIN) =>
    h.send(h.fake.callbackQuery({ chatId: fromId, fromId, data, messageId }));
  const lastSent = (calls: RecordedCall[]) =>
    calls.filter((c) => c.method === "sendMessage").at(-1);

  it("refuses readers who are not admins", async () => {
    const calls = await say("/tinnong Mưa lớn", 555);
    expect(textOf(lastSent(calls))).toBe("Xin lỗi, lệnh này chỉ dành cho ban biên tập.");
    expect(await h.db.selectFrom("broadcasts").selectAll().execute()).toEqual([]);
  });

  it("explains itself when the text is empty or the story is missing", async () => {
    expect(textOf(lastSent(await say("/tinnong")))).toMatch(/^Gõ \/tinnong và nội dung tin/);
    expect(textOf(lastSent(await say("/tinnong 987654")))).toMatch(/Không tìm thấy bài số 987654/);
    expect(textOf(lastSent(await say("/broadcast #khong-co Tin")))).toMatch(
      /Không có chủ đề “khong-co”/,
    );
  });

  it("previews, sends on confirmation with a live progress message, and sums up", async () => {
    const preview = await say("/tinnong #thoi-su Mưa lớn gây ngập ở trung tâm thành phố");
    const message = lastSent(preview);
    expect(textOf(message)).toMatch(/^<b>Xem trước tin nóng #\d+<\/b>/);
    expect(textOf(message)).toContain("🔴 TIN NÓNG");
    expect(textOf(message)).toMatch(/Người nhận: 6 — độc giả chủ đề Thời sự/);
    const [send, cancel] = buttonsOf(message);
    expect(send?.text).toBe("✅ Gửi cho 6 người");
    expect(cancel?.text).toBe("✖ Hủy");
    const messageId = Number((message?.result as { message_id?: number } | undefined)?.message_id);

    const confirmed = await press(send?.callback_data as string, messageId);
    const progress = confirmed.find((c) => c.method === "editMessageText");
    expect(textOf(progress)).toMatch(/Đang gửi tin nóng #\d+|Đã gửi xong tin nóng #\d+/);

    const final = await h.fake.waitFor(
      (c) => c.method === "editMessageText" && /Đã gửi xong tin nóng/.test(textOf(c)),
      15_000,
    );
    expect(final.params.message_id).toBe(messageId);
    expect(textOf(final)).toMatch(/Đã gửi 5 · Đã chặn bot 1 · Lỗi 0 · Còn lại 0/);
    for (const [i, chat] of readerChats.entries()) {
      const got = h.fake.sentMessages(chat).filter((c) => /TIN NÓNG/.test(textOf(c)));
      expect(got).toHaveLength(i % 2 === 0 && i !== 10 ? 1 : 0);
    }
    const audit = await listAudit(h.db);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["broadcast.prepare", "broadcast.confirm"]),
    );
    expect(audit.every((a) => a.actor === `telegram:${ADMIN}`)).toBe(true);
  });

  it("a draft can be discarded, and a stale button does nothing", async () => {
    const preview = await say("/broadcast @telegram Tin thử");
    const message = lastSent(preview);
    const active = await h.db
      .selectFrom("readers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("platform", "=", "telegram")
      .where("status", "=", "active")
      .executeTakeFirstOrThrow();
    expect(textOf(message)).toContain(`Người nhận: ${active.n} — tất cả độc giả trên Telegram`);
    const [send, cancel] = buttonsOf(message);
    const messageId = Number((message?.result as { message_id?: number } | undefined)?.message_id);
    const discarded = await press(cancel?.callback_data as string, messageId);
    expect(textOf(discarded.find((c) => c.method === "editMessageText"))).toMatch(
      /Đã hủy tin nóng #\d+, chưa gửi cho ai/,
    );
    const late = await press(send?.callback_data as string, messageId);
    expect(late.find((c) => c.method === "answerCallbackQuery")?.params.text).toMatch(
      /đã được xử lý rồi/,
    );
    expect(
      h.fake.calls.filter(
        (c) =>
          /Tin thử/.test(textOf(c)) &&
          c.method === "sendMessage" &&
          Number(c.params.chat_id) !== ADMIN,
      ),
    ).toEqual([]);
  });

  it("schedules with 'lúc HH:MM' and tests on the editor's own chat first", async () => {
    // The harness's clock says 10:00 in Hà Nội: 09:00 is the next such time, tomorrow.
    const tomorrow = lastSent(await say("/tinnong lúc 09:00 Sáng mai"));
    expect(textOf(tomorrow)).toContain("<i>Hẹn gửi lúc 09:00 28/01</i>");
    const [, discard] = buttonsOf(tomorrow);
    await press(
      discard?.callback_data as string,
      Number((tomorrow?.result as { message_id?: number } | undefined)?.message_id),
    );
    const preview = await say("/tinnong lúc 12:00 #thoi-su Họp báo khẩn lúc trưa");
    const message = lastSent(preview);
    expect(textOf(message)).toContain("<i>Hẹn gửi lúc 12:00 27/01</i>");
    const [schedule, , trial] = buttonsOf(message);
    expect(schedule?.text).toBe("⏰ Hẹn gửi cho 5 người");
    expect(trial?.text).toBe("🧪 Gửi thử cho ban biên tập");
    const messageId = Number((message?.result as { message_id?: number } | undefined)?.message_id);

    const tested = await press(trial?.callback_data as string, messageId);
    expect(tested.find((c) => c.method === "answerCallbackQuery")?.params.text).toBe(
      `Đã gửi thử tới telegram:${ADMIN}. Bạn đọc chưa nhận được gì.`,
    );
    const got = await h.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        textOf(c).includes("🔴 TIN NÓNG") &&
        textOf(c).includes("Họp báo khẩn"),
      15_000,
    );
    expect(Number(got.params.chat_id)).toBe(ADMIN);

    const scheduled = await press(schedule?.callback_data as string, messageId);
    expect(textOf(scheduled.find((c) => c.method === "editMessageText"))).toMatch(
      /^Đã hẹn giờ: tin nóng #(\d+) sẽ được gửi lúc 12:00 27\/01\./,
    );
    const [row] = await h.db
      .selectFrom("broadcasts")
      .select(["state", "send_at"])
      .orderBy("id", "desc")
      .limit(1)
      .execute();
    expect(row).toEqual({ state: "scheduled", send_at: "2026-01-27T05:00:00.000Z" });
    // Only the editor got anything of it.
    const carriers = h.fake.calls.filter(
      (c) =>
        c.method === "sendMessage" &&
        textOf(c).includes("🔴 TIN NÓNG") &&
        textOf(c).includes("Họp báo khẩn"),
    );
    expect(carriers.map((c) => Number(c.params.chat_id))).toEqual([ADMIN]);
  });
});
