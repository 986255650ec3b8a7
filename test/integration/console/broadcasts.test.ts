/**
 * Breaking news from the console, as an editor sends it: compose with a topic and platform
 * audience and its live count, preview as Telegram and Zalo will show it, send to the fake Bot
 * API and follow the progress stream to 100%, stop one under way, discard a draft. Hostile text
 * stays text; a form without its token changes nothing.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { getBroadcast } from "../../../src/broadcasts/broadcasts";
import { listAudit } from "../../../src/editors/audit";
import { findTopicBySlug } from "../../../src/news/topics";
import { setTopics } from "../../../src/readers/reader-topics";
import { registerReader } from "../../../src/readers/readers";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { textOf } from "../../helpers/telegram-harness";

const DEFAULTS = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" } as const;
const HOSTILE = 'Mưa lớn <script>alert("x")</script> & <b>ngập</b>';
/** Telegram readers: the even ones follow thời sự; the one at index 4 has blocked the bot. */
const TELEGRAM_CHATS = [8101, 8102, 8103, 8104, 8105];
const ZALO_USERS = ["zalo-a", "zalo-b"];

interface ProgressEvent {
  total: number;
  done: number;
  percent: number;
  summary: string;
  stateText: string;
  title: string;
  finished: boolean;
}

/** Reads a progress stream until it ends (or `until` holds), returning its events. */
async function readEvents(
  url: string,
  cookie: string,
  until: (event: ProgressEvent) => boolean = () => false,
): Promise<{ status: number; type: string; events: ProgressEvent[] }> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 15_000);
  const response = await fetch(url, {
    headers: { cookie, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const events: ProgressEvent[] = [];
  if (!response.ok || !response.body) {
    clearTimeout(timeout);
    return { status: response.status, type: response.headers.get("content-type") ?? "", events };
  }
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let at = buffer.indexOf("\n\n");
      while (at >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        for (const line of block.split("\n")) {
          if (line.startsWith("data: ")) events.push(JSON.parse(line.slice(6)));
        }
        at = buffer.indexOf("\n\n");
      }
      const last = events.at(-1);
      if (last && until(last)) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
  } finally {
    clearTimeout(timeout);
  }
  return { status: response.status, type: response.headers.get("content-type") ?? "", events };
}

describeStores("console: breaking news", (store) => {
  let h: ConsoleHarness;
  let editor: ConsoleClient;

  const cookieOf = (client: ConsoleClient) =>
    [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const broadcastCount = async () =>
    (await h.db.selectFrom("broadcasts").select("id").execute()).length;
  const breakingTo = (chat: number) =>
    h.fake.sentMessages(chat).filter((c) => /TIN NÓNG|BREAKING/.test(textOf(c)));

  /** Composes through the form and returns the draft's id (from the redirect). */
  async function compose(form: Record<string, string>): Promise<number> {
    await editor.get("/admin/broadcasts");
    const answer = await editor.post("/admin/broadcasts", form);
    expect(answer.status, answer.body).toBe(303);
    const id = Number(/^\/admin\/broadcasts\/(\d+)$/.exec(answer.location)?.[1]);
    expect(id).toBeGreaterThan(0);
    return id;
  }

  beforeAll(async () => {
    h = await startConsoleHarness({ databaseUrl: await store.newDatabaseUrl() });
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    const at = new Date().toISOString();
    for (const [i, chat] of TELEGRAM_CHATS.entries()) {
      const { reader } = await registerReader(
        h.db,
        { platform: "telegram", chatId: String(chat), chatType: "private" },
        { ...DEFAULTS, locale: i === 2 ? "en" : "vi" },
        at,
      );
      if (i % 2 === 0) await setTopics(h.db, reader.id, [thoiSu]);
    }
    h.fake.fault(TELEGRAM_CHATS[4] as number, { kind: "blocked" });
    // No Zalo bot runs in the harness: what goes to Zalo readers stays pending until stopped.
    for (const user of ZALO_USERS) {
      const { reader } = await registerReader(
        h.db,
        { platform: "zalo", chatId: user, chatType: "private" },
        DEFAULTS,
        at,
      );
      await setTopics(h.db, reader.id, [thoiSu]);
    }
    editor = await h.signedIn();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("shows the compose form with every topic and the audience counted", async () => {
    const page = await editor.get("/admin/broadcasts");
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-audience-url="/admin/broadcasts/audience"');
    // Several topics can be chosen; none chosen is everyone.
    expect(page.body).toMatch(
      /<select id="topic" name="topic" multiple size="\d+"[^>]*><option value="/,
    );
    expect(page.body).toContain('<option value="thoi-su">');
    // Only the platforms with a token are offered: this bantin runs Telegram alone.
    expect(page.body).toContain('<option value="telegram">Telegram</option>');
    expect(page.body).not.toContain('<option value="zalo">Zalo</option>');
    // Language, delivery mode, a photo and a time to send at.
    expect(page.body).toContain('<option value="en">Tiếng Anh</option>');
    expect(page.body).toContain('<option value="instant">Ngay khi có</option>');
    expect(page.body).toContain('<input id="photo" name="photo" type="url"');
    expect(page.body).toMatch(
      /<input id="at" name="at" type="datetime-local" value="" min="2026-01-27T10:00"/,
    );
    expect(page.body).toContain("Chưa có tin nóng nào.");
    // Everyone: the admin and five other Telegram readers, and two Zalo readers.
    expect(page.body).toMatch(
      /id="audience-count"[^>]*>Sẽ gửi cho 8 bạn đọc\. Theo nền tảng: Telegram 6 · Zalo 2</,
    );

    const topic = await editor.get("/admin/broadcasts/audience?topic=thoi-su&platform=telegram", {
      accept: "application/json",
    });
    expect(topic.status).toBe(200);
    expect(JSON.parse(topic.body)).toEqual({
      count: 3,
      byPlatform: { telegram: 3 },
      text: "Sẽ gửi cho 3 bạn đọc",
    });
    const both = JSON.parse(
      (await editor.get("/admin/broadcasts/audience?topic=thoi-su&platform=")).body,
    );
    expect(both.count).toBe(5);
    expect(both.byPlatform).toEqual({ telegram: 3, zalo: 2 });

    // Segments: several topics, a language, a delivery mode, counted the same way.
    const english = JSON.parse(
      (await editor.get("/admin/broadcasts/audience?topic=thoi-su&topic=kinh-te&language=en")).body,
    );
    expect(english).toMatchObject({ count: 1, byPlatform: { telegram: 1, zalo: 0 } });
    const instant = JSON.parse(
      (await editor.get("/admin/broadcasts/audience?topic=thoi-su&mode=instant")).body,
    );
    expect(instant.count).toBe(0); // they all take thời sự in their digest
    const digest = JSON.parse(
      (await editor.get("/admin/broadcasts/audience?topic=thoi-su&mode=digest")).body,
    );
    expect(digest.count).toBe(5);
    expect((await editor.get("/admin/broadcasts/audience?language=fr")).status).toBe(400);
    const unknown = await editor.get("/admin/broadcasts/audience?topic=khong-co");
    expect(unknown.status).toBe(400);
    expect((await h.client().get("/admin/broadcasts/audience")).status).toBe(303);
  });

  it("refuses an empty or overlong message and an unknown topic, keeping what was typed", async () => {
    await editor.get("/admin/broadcasts");
    const empty = await editor.post("/admin/broadcasts", { text: "   ", topic: "thoi-su" });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain("Hãy viết nội dung hoặc chọn một bài để kèm theo.");
    expect(empty.body).toContain('<option value="thoi-su" selected>');

    const long = "Tin dài. ".repeat(400);
    const tooLong = await editor.post("/admin/broadcasts", { text: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toContain("Tin nóng dài tối đa 3.000 ký tự.");
    expect(tooLong.body).toContain("Tin dài. Tin dài.");

    const noTopic = await editor.post("/admin/broadcasts", { text: "Tin", topic: "khong-co" });
    expect(noTopic.status).toBe(400);
    expect(noTopic.body).toContain("Không có chủ đề «khong-co».");
    // A photo address is read through the fetch guard: a private one is refused, in Vietnamese.
    const privatePhoto = await editor.post("/admin/broadcasts", {
      text: "Tin có ảnh",
      photo: "http://127.0.0.1:9/anh.jpg",
    });
    expect(privatePhoto.status).toBe(400);
    expect(privatePhoto.body).toContain(
      "Không dùng được ảnh này: địa chỉ nằm trong mạng nội bộ nên bantin không được phép đọc.",
    );
    expect(privatePhoto.body).toContain('value="http://127.0.0.1:9/anh.jpg"');
    const notUrl = await editor.post("/admin/broadcasts", { text: "Tin", photo: "anh.jpg" });
    expect(notUrl.body).toContain("địa chỉ không hợp lệ");
    const noStory = await editor.post("/admin/broadcasts", { text: "Tin", story: "987654" });
    expect(noStory.status).toBe(400);
    expect(noStory.body).toContain("Không có bài số 987654.");
    expect(await broadcastCount()).toBe(0);
  });

  it("previews a draft as Telegram and Zalo show it, keeping hostile text as text", async () => {
    const id = await compose({ text: HOSTILE, topic: "thoi-su", platform: "telegram" });
    const page = await editor.get(`/admin/broadcasts/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Xem trước tin nóng #${id}`);
    expect(page.body).not.toContain("<script>alert");
    const telegram = /<div class="card preview telegram"[^>]*>([\s\S]*?)<\/div><\/section>/.exec(
      page.body,
    )?.[1];
    const zalo = /<div class="card preview zalo"[^>]*>([\s\S]*?)<\/div><\/section>/.exec(
      page.body,
    )?.[1];
    // Telegram shows the header bold; the editor's own tags are text, not markup.
    expect(telegram).toMatch(/<b>🔴 TIN NÓNG/);
    expect(telegram).toContain(
      '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;ngập&lt;/b&gt;',
    );
    // The audience has no Zalo reader: no Zalo version is shown.
    expect(zalo).toBeUndefined();
    expect(page.body).not.toContain("Trên Zalo");
    const both = await compose({ text: HOSTILE, topic: "thoi-su" });
    const bothPage = await editor.get(`/admin/broadcasts/${both}`);
    const zaloToo = /<div class="card preview zalo"[^>]*>([\s\S]*?)<\/div><\/section>/.exec(
      bothPage.body,
    )?.[1];
    expect(zaloToo).toContain("🔴 TIN NÓNG");
    expect(zaloToo).not.toContain("<b>");
    expect(zaloToo).toContain("&lt;b&gt;ngập&lt;/b&gt;");
    await editor.post(`/admin/broadcasts/${both}/discard`);
    expect(page.body).toMatch(/id="audience"[^>]*>Bạn đọc Telegram theo dõi «Thời sự»/);
    expect(page.body).toContain("Gửi cho 3 bạn đọc");

    const english = await editor.get(`/admin/broadcasts/${id}?lang=en`);
    expect(english.body).toMatch(/<b>🔴 BREAKING/);

    const [audit] = (await listAudit(h.db, { action: "broadcast.prepare" })).filter(
      (a) => (a.detail as { broadcastId?: number }).broadcastId === id,
    );
    expect(audit?.actor).toBe(`telegram:${CONSOLE_ADMIN}`);
    expect(audit?.detail).toMatchObject({ broadcastId: id, audience: 3, topic: "thoi-su" });
  });

  it("does not send a draft from a form without its token", async () => {
    const id = await compose({ text: "Không có mã", platform: "telegram" });
    await editor.get(`/admin/broadcasts/${id}`);
    // A draft has no progress to follow.
    const draftEvents = await readEvents(
      `${h.running.http.url}/admin/broadcasts/${id}/events`,
      cookieOf(editor),
    );
    expect(draftEvents.status).toBe(409);
    const refused = await editor.post(`/admin/broadcasts/${id}/send`, {}, { csrf: false });
    expect(refused.status).toBe(403);
    expect((await getBroadcast(h.db, id)).state).toBe("draft");
    const discarded = await editor.post(`/admin/broadcasts/${id}/discard`);
    expect(discarded.location).toBe(`/admin/broadcasts?done=discarded&id=${id}`);
    const list = await editor.follow(discarded);
    expect(list.body).toContain(`Đã bỏ tin nóng #${id}, chưa gửi cho ai.`);
    expect(list.body).toMatch(
      new RegExp(`<tr id="broadcast-${id}">[\\s\\S]*?data-state="cancelled"`),
    );
    expect((await getBroadcast(h.db, id)).state).toBe("cancelled");
  });

  it("sends to the fake Bot API once and streams progress to 100%", async () => {
    const id = await compose({
      text: "Mưa lớn ở trung tâm",
      topic: "thoi-su",
      platform: "telegram",
    });
    await editor.get(`/admin/broadcasts/${id}`);
    const sent = await editor.post(`/admin/broadcasts/${id}/send`);
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/admin/broadcasts/${id}`);
    // A second press finds it going and sends nothing more.
    expect((await editor.post(`/admin/broadcasts/${id}/send`)).status).toBe(303);

    const stream = await readEvents(
      `${h.running.http.url}/admin/broadcasts/${id}/events`,
      cookieOf(editor),
    );
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    const last = stream.events.at(-1);
    expect(last).toEqual({
      total: 3,
      done: 3,
      percent: 100,
      summary: "Đã gửi 2 · đã chặn bot 1 · lỗi 0 · còn lại 0",
      stateText: "Đã gửi xong",
      title: `Đã gửi xong tin nóng #${id}`,
      // Once done it says when it ended, no longer "reload if progress stalls".
      hint: "Đã gửi xong lúc 2026-01-27 10:00 (GMT+7).",
      finished: true,
    });
    // Progress only goes forward.
    const percents = stream.events.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));

    const page = await editor.get(`/admin/broadcasts/${id}`);
    expect(page.body).toContain(`Đã gửi xong tin nóng #${id}`);
    expect(page.body).toContain('<strong id="progress-percent" aria-live="polite">100%</strong>');
    expect(page.body).not.toContain('id="stop-form"');
    expect(page.body).not.toContain("data-events=");
    expect(page.body).toContain(
      '<p class="muted small" id="progress-hint">Đã gửi xong lúc 2026-01-27 10:00 (GMT+7).</p>',
    );
    expect(page.body).not.toContain("tải lại trang");
    // How fast it reached the two readers it could (the third blocked the bot).
    expect(page.body).toMatch(
      /<dt>Thời gian đến bạn đọc<\/dt><dd id="reach">Telegram: một nửa sau [\d,]+ giây, 90% sau [\d,]+ giây, tất cả sau [\d,]+ giây<\/dd>/,
    );

    expect(breakingTo(TELEGRAM_CHATS[0] as number)).toHaveLength(1);
    expect(textOf(breakingTo(TELEGRAM_CHATS[2] as number)[0])).toContain("BREAKING");
    expect(breakingTo(TELEGRAM_CHATS[1] as number)).toHaveLength(0);
    expect(breakingTo(TELEGRAM_CHATS[3] as number)).toHaveLength(0);
    const audit = await listAudit(h.db, { action: "broadcast.confirm" });
    expect(
      audit.filter((a) => (a.detail as { broadcastId?: number }).broadcastId === id),
    ).toHaveLength(1);
  });

  it("stops a broadcast under way, and its stream says so", async () => {
    const id = await compose({ text: "Chỉ cho Zalo", platform: "zalo" });
    await editor.get(`/admin/broadcasts/${id}`);
    await editor.post(`/admin/broadcasts/${id}/send`);
    const going = await editor.get(`/admin/broadcasts/${id}`);
    expect(going.body).toContain(`data-events="/admin/broadcasts/${id}/events"`);
    expect(going.body).toContain('id="stop-form"');
    expect(going.body).toContain("Đang gửi");

    const first = await readEvents(
      `${h.running.http.url}/admin/broadcasts/${id}/events`,
      cookieOf(editor),
      () => true,
    );
    expect(first.events[0]).toMatchObject({ total: 2, done: 0, percent: 0, finished: false });

    const listening = readEvents(
      `${h.running.http.url}/admin/broadcasts/${id}/events`,
      cookieOf(editor),
    );
    const stopped = await editor.post(`/admin/broadcasts/${id}/stop`);
    expect(stopped.location).toBe(`/admin/broadcasts/${id}?done=stopped&held=2`);
    const page = await editor.follow(stopped);
    expect(page.body).toContain("Đã dừng: 2 tin nhắn chưa gửi được giữ lại.");
    expect(page.body).toContain(
      '<p id="progress-summary">Đã gửi 0 · đã chặn bot 0 · lỗi 0 · giữ lại 2 · còn lại 0</p>',
    );
    expect(page.body).toContain(`Đã dừng tin nóng #${id}`);
    const ended = await listening;
    expect(ended.events.at(-1)).toMatchObject({
      finished: true,
      stateText: "Đã dừng",
      title: `Đã dừng tin nóng #${id}`,
    });

    const again = await editor.post(`/admin/broadcasts/${id}/stop`);
    expect(again.status).toBe(409);
    expect(again.body).toContain(`Tin nóng #${id} đã gửi xong hoặc đã dừng rồi.`);
  });

  it("schedules with the time picker, then changes or cancels it until it goes", async () => {
    // The harness's clock says 10:00 in Hà Nội; a time already past is refused, plainly.
    await editor.get("/admin/broadcasts");
    const past = await editor.post("/admin/broadcasts", { text: "Muộn", at: "2026-01-27T09:00" });
    expect(past.status).toBe(400);
    expect(past.body).toContain("Giờ gửi 2026-01-27T02:00:00.000Z đã qua.");
    expect(past.body).toContain('value="2026-01-27T09:00"');

    const id = await compose({
      text: "Họp báo lúc trưa",
      topic: "thoi-su",
      at: "2026-01-27T12:00",
    });
    const draft = await editor.get(`/admin/broadcasts/${id}`);
    expect(draft.body).toMatch(/<dd id="send-at">2026-01-27 12:00 \(GMT\+7\)<\/dd>/);
    // Thời sự's followers on both platforms (one Telegram reader has blocked the bot by now).
    expect(draft.body).toContain(">Hẹn gửi lúc 2026-01-27 12:00 (GMT+7) cho 4 bạn đọc</button>");
    const scheduled = await editor.follow(await editor.post(`/admin/broadcasts/${id}/send`));
    expect(scheduled.body).toContain(`Tin nóng #${id} đang chờ đến giờ gửi`);
    expect(scheduled.body).toContain("Tin nóng này sẽ được gửi lúc 2026-01-27 12:00 (GMT+7).");
    expect(scheduled.body).toContain('id="change-form"');
    expect(scheduled.body).toContain('value="2026-01-27T12:00"');
    expect(scheduled.body).not.toContain("data-events=");
    expect(await getBroadcast(h.db, id)).toMatchObject({
      state: "scheduled",
      sendAt: "2026-01-27T05:00:00.000Z",
    });
    // Nothing went: not to readers, not to the outbox.
    const rows = await h.db
      .selectFrom("outbox")
      .select("id")
      .where("broadcast_id", "=", id)
      .execute();
    expect(rows).toHaveLength(0);
    const list = await editor.get("/admin/broadcasts");
    expect(list.body).toMatch(
      new RegExp(
        `<tr id="broadcast-${id}">[\\s\\S]*?data-state="scheduled">Hẹn giờ</span> <span class="muted small">2026-01-27 12:00 \\(GMT\\+7\\)`,
      ),
    );
    // The editor by the name the platform gave, with the id beside it.
    expect(list.body).toMatch(
      new RegExp(
        `<tr id="broadcast-${id}">[\\s\\S]*?data-label="[^"]*">Thu Hà \\(telegram:\\d+\\)</td>`,
      ),
    );

    const changed = await editor.post(`/admin/broadcasts/${id}/change`, {
      at: "2026-01-27T13:30",
      text: "Họp báo lùi sang 13 giờ 30",
    });
    expect(changed.location).toBe(`/admin/broadcasts/${id}?done=changed`);
    const after = await editor.follow(changed);
    expect(after.body).toContain("Đã lưu thay đổi.");
    expect(after.body).toContain("Tin nóng này sẽ được gửi lúc 2026-01-27 13:30 (GMT+7).");
    expect(await getBroadcast(h.db, id)).toMatchObject({
      text: "Họp báo lùi sang 13 giờ 30",
      sendAt: "2026-01-27T06:30:00.000Z",
    });
    const tooLate = await editor.post(`/admin/broadcasts/${id}/change`, { at: "2026-01-26T13:30" });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body).toContain("đã qua");

    const cancelled = await editor.post(`/admin/broadcasts/${id}/discard`);
    expect(cancelled.location).toBe(`/admin/broadcasts?done=discarded&id=${id}`);
    expect((await getBroadcast(h.db, id)).state).toBe("cancelled");
    const gone = await editor.post(`/admin/broadcasts/${id}/change`, { at: "2026-01-27T15:00" });
    expect(gone.status).toBe(400);
    expect(gone.body).toContain(`Tin nóng #${id} không còn chờ gửi nữa nên không sửa được.`);
    const audit = (await listAudit(h.db)).filter(
      (a) => (a.detail as { broadcastId?: number }).broadcastId === id,
    );
    expect(audit.map((a) => a.action).sort()).toEqual([
      "broadcast.cancel",
      "broadcast.change",
      "broadcast.prepare",
      "broadcast.schedule",
    ]);
  });

  it("sends a test to the editor's own chat only, and the draft stays a draft", async () => {
    const id = await compose({ text: "Thử trước khi gửi", topic: "thoi-su" });
    await editor.get(`/admin/broadcasts/${id}`);
    const before = new Set(h.fake.calls.map((c) => c));
    const tested = await editor.post(`/admin/broadcasts/${id}/test`);
    expect(tested.location).toBe(
      `/admin/broadcasts/${id}?done=tested&chats=telegram%3A${CONSOLE_ADMIN}`,
    );
    const page = await editor.follow(tested);
    expect(page.body).toContain(
      `Đã gửi thử tới telegram:${CONSOLE_ADMIN}. Bạn đọc chưa nhận được gì.`,
    );
    // The sender delivers it: to the editor, exactly as readers would get it, and to nobody else.
    await h.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        Number(c.params.chat_id) === CONSOLE_ADMIN &&
        textOf(c).includes("Thử trước khi gửi"),
      10_000,
    );
    const sentNow = h.fake.calls.filter((c) => !before.has(c) && c.method === "sendMessage");
    expect(sentNow.map((c) => Number(c.params.chat_id))).toEqual([CONSOLE_ADMIN]);
    expect(textOf(sentNow[0])).toBe("<b>🔴 TIN NÓNG · bantin</b>\n\nThử trước khi gửi");
    expect(await getBroadcast(h.db, id)).toMatchObject({ state: "draft", total: 0 });
    const [audit] = (await listAudit(h.db, { action: "broadcast.test" })).filter(
      (a) => (a.detail as { broadcastId?: number }).broadcastId === id,
    );
    expect(audit?.detail).toEqual({ broadcastId: id, chats: 1 });
    await editor.post(`/admin/broadcasts/${id}/discard`);
  });

  it("lists what went out, answers 404 for an unknown one, and nothing without a session", async () => {
    const list = await editor.get("/admin/broadcasts");
    const rows = [...list.body.matchAll(/<tr id="broadcast-(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows.length).toBe(await broadcastCount());
    expect(rows).toEqual([...rows].sort((a, b) => b - a));
    expect(list.body).not.toContain("<script>alert");

    // An address the console cannot read is refused in the admin's language.
    const bad = await editor.get("/admin/broadcasts/abc");
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Địa chỉ hoặc biểu mẫu này không hợp lệ");
    expect(bad.body).not.toContain("must be integer");

    const missing = await editor.get("/admin/broadcasts/99999");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("Không có tin nóng #99999.");
    expect((await editor.get("/admin/broadcasts/99999/events")).status).toBe(404);

    const stranger = h.client();
    expect((await stranger.get(`/admin/broadcasts/${rows[0]}`)).location).toBe("/admin/login");
    const events = await stranger.get(`/admin/broadcasts/${rows[0]}/events`, {
      accept: "text/event-stream",
    });
    expect(events.status).toBe(401);
    expect(events.body).not.toContain("total");
    // A form sent once the session is gone does nothing and says why, in Vietnamese.
    const late = await fetch(`${h.running.http.url}/admin/broadcasts`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: "text=Tr%E1%BB%85",
    });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain("Phiên đăng nhập đã hết hạn");
    expect(await broadcastCount()).toBe(rows.length);
  });
});
