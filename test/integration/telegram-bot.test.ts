import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerTopicIds } from "../../src/readers/reader-topics";
import { findReader } from "../../src/readers/readers";
import { parseTelegramHtml, type RecordedCall } from "../fakes/telegram-api";
import {
  buttonsOf,
  type Harness,
  startTelegramHarness,
  TRICKY_TITLE,
  textOf,
  WEBHOOK_SECRET,
} from "../helpers/telegram-harness";

const SEED_TITLE = "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người";

function sends(calls: RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => ["sendMessage", "sendPhoto", "editMessageText"].includes(c.method));
}

function allText(calls: RecordedCall[]): string {
  return sends(calls).map(textOf).join("\n---\n");
}

/** Every message the bot sent parsed as Telegram would, and was accepted. */
function expectAllAccepted(calls: RecordedCall[]): void {
  for (const call of calls) {
    expect(call.ok, `${call.method} failed: ${call.description}`).not.toBe(false);
    if (call.params.parse_mode === "HTML") {
      const html = textOf(call);
      expect(parseTelegramHtml(html).ok, html).toBe(true);
    }
  }
}

describe.each(["polling", "webhook"] as const)("Telegram bot (%s)", (mode) => {
  let h: Harness;
  let nextChat = 1000;
  const newChat = () => ++nextChat;

  beforeAll(async () => {
    h = await startTelegramHarness(mode);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const say = async (chatId: number, text: string, extra: Record<string, unknown> = {}) => {
    const calls = await h.send(h.fake.message({ chatId, text, firstName: "Lan", ...extra }));
    expectAllAccepted(calls);
    return calls;
  };
  const press = async (
    chatId: number,
    data: string,
    messageId: number,
    extra: Record<string, unknown> = {},
  ) => {
    const calls = await h.send(h.fake.callbackQuery({ chatId, data, messageId, ...extra }));
    expectAllAccepted(calls);
    return calls;
  };
  const lastMessageId = (calls: RecordedCall[]) => {
    const sent = sends(calls).at(-1);
    return Number((sent?.result as { message_id?: number } | undefined)?.message_id ?? 1);
  };

  it("registers the command menu in Vietnamese and English at start", () => {
    const menus = h.fake.callsTo("setMyCommands");
    expect(menus.map((c) => c.params.language_code ?? "default")).toEqual(["default", "vi", "en"]);
    const vi = menus[1]?.params.commands as { command: string }[];
    expect(vi.map((c) => c.command)).toContain("tim");
    const en = menus[2]?.params.commands as { command: string }[];
    expect(en.map((c) => c.command)).toContain("search");
  });

  it("/start greets, registers the reader and offers the topics; pressing them ticks and saves", async () => {
    const chat = newChat();
    const calls = await say(chat, "/start");
    const text = allText(calls);
    expect(text).toMatch(/^Xin chào Lan!/);
    const reader = await findReader(h.db, "telegram", String(chat));
    expect(reader).toMatchObject({ status: "active", locale: "vi", digestTime: "07:00" });

    const menu = sends(calls).at(-1);
    const topics = buttonsOf(menu);
    expect(topics.map((b) => b.text)).toEqual([
      "Thời sự",
      "Kinh tế",
      "Xã hội",
      "Văn hóa",
      "Thể thao",
      "⚙️ Cách nhận tin",
      "Xong",
    ]);
    for (const b of topics)
      expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);

    const messageId = lastMessageId(calls);
    const toggled = await press(chat, topics[0]?.callback_data as string, messageId);
    expect(toggled.find((c) => c.method === "answerCallbackQuery")?.params.text).toBe(
      "Đã theo dõi: Thời sự",
    );
    const edited = toggled.find((c) => c.method === "editMessageText");
    expect(edited?.params.message_id).toBe(messageId);
    expect(buttonsOf(edited)[0]?.text).toBe("✅ Thời sự");
    expect(await readerTopicIds(h.db, reader?.id as number)).toHaveLength(1);

    await press(chat, topics[2]?.callback_data as string, messageId);
    const untick = await press(chat, topics[0]?.callback_data as string, messageId);
    expect(untick.find((c) => c.method === "answerCallbackQuery")?.params.text).toBe(
      "Đã bỏ theo dõi: Thời sự",
    );
    const done = await press(chat, topics[6]?.callback_data as string, messageId);
    expect(textOf(done.find((c) => c.method === "editMessageText"))).toBe(
      "Đã lưu. Bạn đang theo dõi: Xã hội.",
    );
  });

  it("a deep link /start topic_<slug> subscribes straight to one topic", async () => {
    const chat = newChat();
    const calls = await say(chat, "/start topic_kinh-te");
    expect(allText(calls)).toContain("Đã theo dõi: Kinh tế");
    const reader = await findReader(h.db, "telegram", String(chat));
    expect(await readerTopicIds(h.db, reader?.id as number)).toHaveLength(1);
  });

  it("/topics and /chude show the keyboard with ticks", async () => {
    const chat = newChat();
    await say(chat, "/start topic_the-thao");
    for (const command of ["/topics", "/chude", "chủ đề"]) {
      const calls = await say(chat, command);
      expect(buttonsOf(sends(calls).at(-1)).map((b) => b.text)).toContain("✅ Thể thao");
    }
  });

  it("/latest lists stories with time, topic and a Đọc button, and pages in place", async () => {
    const chat = newChat();
    const calls = await say(chat, "/latest");
    const list = sends(calls).at(-1);
    expect(textOf(list)).toMatch(/^<b>Tin mới nhất<\/b>/);
    expect(textOf(list)).toMatch(
      /<i>\d\d:\d\d \d\d\/\d\d · (Thời sự|Xã hội|Kinh tế|Văn hóa|Thể thao)<\/i>/,
    );
    const buttons = buttonsOf(list);
    expect(buttons.filter((b) => b.text.startsWith("📖 Đọc"))).toHaveLength(5);
    const next = buttons.find((b) => b.text === "Sau ›");
    expect(next).toBeDefined();
    const page2 = await press(chat, next?.callback_data as string, lastMessageId(calls));
    const edited = page2.find((c) => c.method === "editMessageText");
    expect(textOf(edited)).toContain("6. ");
    expect(buttonsOf(edited).map((b) => b.text)).toContain("‹ Trước");

    const byTopic = await say(chat, "/moi kinh-te");
    expect(textOf(sends(byTopic).at(-1))).toMatch(/Tin mới nhất — Kinh tế/);
    const unknown = await say(chat, "/moi bong-chuyen");
    expect(allText(unknown)).toMatch(/Không có chủ đề “bong-chuyen”/);
  });

  it("/search finds without accents, asks when empty, and says when nothing matches", async () => {
    const chat = newChat();
    const found = await say(chat, "/search doi ngoai");
    const list = sends(found).at(-1);
    expect(textOf(list)).toContain(SEED_TITLE);
    expect(textOf(list)).toMatch(/Kết quả tìm “doi ngoai”/);
    for (const text of ["/tim Đối Ngoại", "tìm đối ngoại", "tim doi ngoai", "doi ngoai"]) {
      expect(allText(await say(chat, text))).toContain(SEED_TITLE);
    }
    expect(allText(await say(chat, "/tim"))).toMatch(/Bạn muốn tìm gì\?/);
    const none = await say(chat, "/tim khủng long bạo chúa");
    expect(allText(none)).toMatch(/Không tìm thấy tin nào với “khủng long bạo chúa”/);
    expect(allText(none)).toMatch(/Thử từ khóa ngắn hơn/);
  });

  it("search text with HTML or FTS syntax is answered, escaped", async () => {
    const chat = newChat();
    for (const text of [
      '/tim <b>"',
      "/tim *",
      "/tim AND(",
      '/tim " OR "',
      "/tim <script>alert(1)</script>",
    ]) {
      const calls = await say(chat, text);
      expect(sends(calls).length).toBeGreaterThan(0);
    }
  });

  it("/read shows the whole story: photos with captions as an album, then bold headline, lead, body, original link", async () => {
    const chat = newChat();
    const found = await say(chat, "/tim quyen con nguoi");
    const readButton = buttonsOf(sends(found).at(-1)).find((b) => b.text.startsWith("📖"));
    const calls = await press(chat, readButton?.callback_data as string, lastMessageId(found));
    const texts = calls.filter((c) => c.method === "sendMessage").map(textOf);
    expect(texts[0]).toMatch(new RegExp(`^<b>${SEED_TITLE}</b>`));
    expect(texts.join("\n")).toContain("<b>Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình");
    expect(texts.join("\n")).toContain("Hội nghị có sự tham gia của 280 đại biểu");
    expect(texts.join("\n")).toMatch(
      /<a href="https:\/\/baolaocai\.vn\/[^"]+-post370001\.html">Xem bài gốc<\/a>/,
    );
    // The photos come first, as one album with their captions, then the story.
    expect(calls.filter((c) => c.method === "sendPhoto")).toEqual([]);
    const albums = calls.filter((c) => c.method === "sendMediaGroup");
    expect(albums).toHaveLength(1);
    expect(calls.indexOf(albums[0] as RecordedCall)).toBeLessThan(
      calls.findIndex((c) => c.method === "sendMessage"),
    );
    const media = albums[0]?.params.media as { caption?: string }[];
    expect(media.map((p) => p.caption)).toEqual([
      "Quang cảnh hội nghị.",
      "Đại biểu tỉnh Lào Cai dự hội nghị.",
      expect.stringMatching(/^Đồng chí Lê Hải Bình/),
      expect.stringMatching(/^Đồng chí Nguyễn Văn Chương/),
    ]);
    const id = /r:(\d+)/.exec(readButton?.callback_data ?? "")?.[1];
    const viaCommand = await say(chat, `/doc_${id}`);
    expect(textOf(sends(viaCommand)[0])).toMatch(new RegExp(`^<b>${SEED_TITLE}</b>`));
  });

  it("a long story is split on paragraph boundaries under 4096 characters", async () => {
    const chat = newChat();
    const calls = await say(chat, `/read_${h.longId}`);
    const texts = calls.filter((c) => c.method === "sendMessage").map(textOf);
    expect(texts.length).toBeGreaterThan(1);
    for (const html of texts) {
      const parsed = parseTelegramHtml(html);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.text.length).toBeLessThanOrEqual(4096);
    }
    const joined = texts.join("\n\n");
    for (let i = 1; i <= 12; i++) expect(joined).toContain(`Đoạn ${i}: `);
  });

  it("a headline with < and & reads correctly", async () => {
    const chat = newChat();
    const calls = await say(chat, `/read_${h.trickyId}`);
    const first = calls.find((c) => c.method === "sendMessage");
    const parsed = parseTelegramHtml(textOf(first));
    expect(parsed.ok && parsed.text.startsWith(TRICKY_TITLE)).toBe(true);
    expect(parsed.ok && parsed.text).toContain("Chỉ số <b>giá</b> & lạm phát.");
    const list = await say(chat, "/tim gia tang tro lai");
    expect(allText(list)).toContain('Giá &lt;5% &amp; "tăng" trở lại &lt;script&gt;');
  });

  it("a story id that does not exist, or no id, gets a clear answer", async () => {
    const chat = newChat();
    expect(allText(await say(chat, "/doc_987654"))).toMatch(/Không tìm thấy bài số 987654/);
    expect(allText(await say(chat, "/read"))).toMatch(/Gõ \/doc và số thứ tự của tin/);
  });

  it("/digest shows the newest stories in my topics", async () => {
    const chat = newChat();
    expect(allText(await say(chat, "/digest"))).toMatch(/Bạn chưa chọn chủ đề nào/);
    await say(chat, "/start topic_xa-hoi");
    const calls = await say(chat, "/bantin");
    expect(textOf(sends(calls).at(-1))).toMatch(/Bản tin của bạn/);
    expect(textOf(sends(calls).at(-1))).toContain("Cảnh báo mưa lớn");
    expect(textOf(sends(calls).at(-1))).not.toContain(SEED_TITLE);
  });

  it("/time sets, shows and turns off the digest time, and refuses nonsense", async () => {
    const chat = newChat();
    expect(allText(await say(chat, "/time 06:45"))).toMatch(
      /bản tin đến lúc 06:45 mỗi ngày \(Asia\/Ho_Chi_Minh\)/,
    );
    expect((await findReader(h.db, "telegram", String(chat)))?.digestTime).toBe("06:45");
    expect(allText(await say(chat, "/gio"))).toMatch(/06:45/);
    expect(allText(await say(chat, "/gio 25:00"))).toMatch(/“25:00” không phải giờ hợp lệ/);
    expect(allText(await say(chat, "/gio 07:00 Sao/Hoa"))).toMatch(
      /“Sao\/Hoa” không phải múi giờ hợp lệ/,
    );
    expect(allText(await say(chat, "/gio 08:15 europe/berlin"))).toMatch(
      /08:15 mỗi ngày \(Europe\/Berlin\)/,
    );
    expect((await findReader(h.db, "telegram", String(chat)))?.timeZone).toBe("Europe/Berlin");
    expect(allText(await say(chat, "giờ 7:30"))).toMatch(/07:30/);
    expect(allText(await say(chat, "/gio tat"))).toMatch(/Đã tắt bản tin hằng ngày/);
    expect((await findReader(h.db, "telegram", String(chat)))?.digestEnabled).toBe(false);
  });

  it("/lang en switches every reply to English, with buttons too", async () => {
    const chat = newChat();
    await say(chat, "/start");
    const ask = await say(chat, "/lang");
    const english = buttonsOf(sends(ask).at(-1)).find((b) => b.text.includes("English"));
    const switched = await press(chat, english?.callback_data as string, lastMessageId(ask));
    expect(allText(switched)).toBe("Switched to English.");
    expect(allText(await say(chat, "/help"))).toMatch(/\/search &lt;words&gt;/);
    expect(allText(await say(chat, "/search flood khủng long"))).toMatch(/No stories found for/);
    expect(textOf(sends(await say(chat, "/latest")).at(-1))).toMatch(/^<b>Latest stories<\/b>/);
    const topics = await say(chat, "/topics");
    expect(buttonsOf(sends(topics).at(-1)).map((b) => b.text)).toEqual([
      "Current affairs",
      "Economy",
      "Society",
      "Culture",
      "Sport",
      "⚙️ How news comes",
      "Done",
    ]);
    expect(allText(await say(chat, "/time 99:00"))).toMatch(/is not a valid time/);
    expect(allText(await say(chat, "/nonsense"))).toMatch(/I don't know the command \/nonsense/);
    expect(allText(await say(chat, "/lang vi"))).toBe("Đã chuyển sang tiếng Việt.");
  });

  it("/stop asks first, stops on confirmation, and /start brings the reader back", async () => {
    const chat = newChat();
    await say(chat, "/start");
    const ask = await say(chat, "/huy");
    expect(allText(ask)).toMatch(/Bạn có chắc muốn dừng/);
    const [yes, no] = buttonsOf(sends(ask).at(-1));
    const kept = await press(chat, no?.callback_data as string, lastMessageId(ask));
    expect(allText(kept)).toMatch(/Đã giữ nguyên/);
    const stopped = await press(chat, yes?.callback_data as string, lastMessageId(ask));
    expect(allText(stopped)).toMatch(/Đã dừng/);
    expect((await findReader(h.db, "telegram", String(chat)))?.status).toBe("stopped");
    expect(allText(await say(chat, "/start"))).toMatch(/Chào mừng Lan quay lại!/);
    expect((await findReader(h.db, "telegram", String(chat)))?.status).toBe("active");
  });

  it("/help and /trogiup list the commands", async () => {
    const chat = newChat();
    expect(allText(await say(chat, "/trogiup"))).toMatch(/\/tim &lt;từ khóa&gt;/);
    expect(allText(await say(chat, "/help"))).toMatch(/\/moi/);
  });

  it("unknown commands get a hint; 10,000-character messages are answered", async () => {
    const chat = newChat();
    expect(allText(await say(chat, "/xyz"))).toMatch(/Tôi chưa hiểu lệnh \/xyz\. Gõ \/trogiup/);
    const huge = await say(chat, `/tim ${"đối ngoại ".repeat(1000)}`);
    expect(sends(huge).length).toBeGreaterThan(0);
    const hugeText = await say(chat, "x".repeat(10_000));
    expect(textOf(sends(hugeText)[0]).length).toBeLessThan(4096);
  });

  it("stale or forged button data is answered, never a crash", async () => {
    const chat = newChat();
    for (const data of ["zz:1", "r:abc", "t:999999", "l:-:x", "", "r:1:2:3", "💥"]) {
      const calls = await press(chat, data || "?", 1);
      const answer = calls.find((c) => c.method === "answerCallbackQuery");
      expect(answer).toBeDefined();
    }
    const stale = await press(chat, "t:999999", 1);
    expect(stale.find((c) => c.method === "answerCallbackQuery")?.params.text).toBe(
      "Nút này đã cũ. Hãy gõ lệnh lại.",
    );
    expect(allText(await say(chat, "/help"))).toMatch(/\/moi/);
  });

  it("updates the bot does not handle are ignored", async () => {
    const chat = newChat();
    const from = { id: chat, is_bot: false, first_name: "Lan" };
    const ignored = [
      {
        edited_message: {
          message_id: 5,
          date: 1,
          edit_date: 2,
          chat: { id: chat, type: "private", first_name: "Lan" },
          from,
          text: "/start",
        },
      },
      {
        message: {
          message_id: 6,
          date: 1,
          chat: { id: chat, type: "private", first_name: "Lan" },
          from,
          sticker: {
            file_id: "x",
            file_unique_id: "y",
            type: "regular",
            width: 1,
            height: 1,
            is_animated: false,
            is_video: false,
          },
        },
      },
      {
        channel_post: {
          message_id: 7,
          date: 1,
          chat: { id: -100500, type: "channel", title: "Kênh" },
          text: "/start",
        },
      },
    ];
    for (const update of ignored) {
      const calls = await h.send({ update_id: 0, ...update } as never);
      expect(sends(calls)).toEqual([]);
    }
    expect(allText(await say(chat, "/help"))).toMatch(/\/moi/);
  });

  it("in a group only admins change topics; others get a polite refusal", async () => {
    const group = -(newChat() + 500_000);
    const member = 777;
    const admin = 778;
    h.fake.setChatMemberStatus(group, member, "member");
    h.fake.setChatMemberStatus(group, admin, "administrator");
    const asMember = { chatType: "group", fromId: member };
    const asAdmin = { chatType: "group", fromId: admin };

    const refused = await say(group, "/chude@bantin_test_bot", asMember);
    expect(allText(refused)).toMatch(/chỉ quản trị viên của nhóm/);
    const menu = await say(group, "/topics", asAdmin);
    const first = buttonsOf(sends(menu).at(-1))[0];
    const pressByMember = await press(
      group,
      first?.callback_data as string,
      lastMessageId(menu),
      asMember,
    );
    expect(pressByMember.find((c) => c.method === "answerCallbackQuery")?.params.text).toMatch(
      /chỉ quản trị viên/,
    );
    const pressByAdmin = await press(
      group,
      first?.callback_data as string,
      lastMessageId(menu),
      asAdmin,
    );
    expect(buttonsOf(pressByAdmin.find((c) => c.method === "editMessageText"))[0]?.text).toMatch(
      /^✅/,
    );

    // Reading and searching are for everyone; chatter and other bots' commands are ignored.
    expect(allText(await say(group, "/tim doi ngoai", asMember))).toContain(SEED_TITLE);
    expect(sends(await say(group, "chào cả nhà", asMember))).toEqual([]);
    expect(sends(await say(group, "/start@other_bot", asMember))).toEqual([]);
    const reader = await findReader(h.db, "telegram", String(group));
    expect(reader?.chatType).toBe("group");
  });

  it("my_chat_member marks a reader blocked and active again", async () => {
    const chat = newChat();
    await say(chat, "/start");
    await h.send(h.fake.myChatMember({ chatId: chat, status: "kicked" }));
    expect((await findReader(h.db, "telegram", String(chat)))?.status).toBe("blocked");
    await h.send(h.fake.myChatMember({ chatId: chat, status: "member" }));
    expect((await findReader(h.db, "telegram", String(chat)))?.status).toBe("active");
  });

  it("a reply to a reader who blocked the bot marks them blocked, and nothing crashes", async () => {
    const chat = newChat();
    await say(chat, "/start");
    h.fake.fault(chat, { kind: "blocked" });
    await h.send(h.fake.message({ chatId: chat, text: "/help" }));
    h.fake.clearFaults();
    expect((await findReader(h.db, "telegram", String(chat)))?.status).toBe("blocked");
  });

  it("a 429 on a reply is waited out and the reply still arrives", async () => {
    const chat = newChat();
    h.fake.fault(chat, { kind: "retry_after", seconds: 1 }, 1);
    const calls = await h.send(h.fake.message({ chatId: chat, text: "/help" }));
    const attempts = calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.ok)).toEqual([false, true]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("429s on a reply, more of them than other errors are retried, are still waited out", async () => {
    const chat = newChat();
    // Four refusals: the first try and auto-retry's three retries (what a burst after a
    // database restart met in the soak, and the answer was given up).
    h.fake.fault(chat, { kind: "retry_after", seconds: 1 }, 4);
    const calls = await h.send(h.fake.message({ chatId: chat, text: "/help" }));
    const attempts = calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.ok)).toEqual([false, false, false, false, true]);
  });

  it("inline mode answers @bot words with matching stories", async () => {
    const calls = await h.send(h.fake.inlineQuery({ fromId: 4242, query: "doi ngoai" }));
    const answer = calls.find((c) => c.method === "answerInlineQuery");
    const results = answer?.params.results as {
      title: string;
      input_message_content: { message_text: string };
    }[];
    expect(results[0]?.title).toBe(SEED_TITLE);
    expect(parseTelegramHtml(results[0]?.input_message_content.message_text ?? "").ok).toBe(true);
  });

  if (mode === "webhook") {
    it("refuses a webhook call with a wrong or missing secret, processing nothing", async () => {
      const before = h.fake.calls.length;
      const update = h.fake.message({ chatId: newChat(), text: "/start" });
      const wrong = await h.fake.deliverWebhook(update, { secret: "wrong-secret" });
      expect(wrong.status).toBe(401);
      const none = await fetch(`${h.running.http.url}/telegram/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(update),
      });
      expect(none.status).toBe(401);
      expect(h.fake.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
      expect(WEBHOOK_SECRET).toBeTruthy();
    });
  }

  it("health and readiness answer over HTTP", async () => {
    expect((await fetch(`${h.running.http.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.running.http.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as {
      roles: string[];
      leading: string[];
      platforms: unknown;
      channels: unknown;
    };
    expect(body).toMatchObject({ ready: true, database: true, channels: { telegram: true } });
    expect(body.platforms).toEqual(body.channels); // the same, under its new name
    // Every role, and (one process on this database) every job run once at a time.
    expect(body.roles).toEqual(["web", "chat", "ingest", "digest", "send"]);
    expect(body.leading).toEqual(
      h.mode === "polling" ? ["poll:telegram", "send:telegram"] : ["send:telegram"],
    );
    const metrics = await fetch(`${h.running.http.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/bantin_updates_handled_total\{platform="telegram"\} [1-9]\d*/);
    expect(text).toContain("# TYPE bantin_outbox_depth gauge");
    expect(text).toContain("# TYPE bantin_messages_sent_total counter");
    expect(text).toContain("# TYPE bantin_digest_run_seconds histogram");
    expect((await fetch(`${h.running.http.url}/nope`)).status).toBe(404);
    expect((await fetch(`${h.running.http.url}/healthz`, { method: "POST" })).status).toBe(405);
  });
});

describe("Telegram command menu", () => {
  it("a failure to register it is logged, never fatal", async () => {
    const { createServer } = await import("node:http");
    const { registerCommands, createTelegramBot } = await import("../../src/adapters/telegram/bot");
    const { createChatCore } = await import("../../src/chat/core");
    const { createTestDb } = await import("../helpers/db");
    const { default: pino } = await import("pino");
    const broken = createServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: "Internal Server Error" }));
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const port = (broken.address() as { port: number }).port;
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const db = await createTestDb();
    const core = createChatCore({
      db,
      clock: () => new Date(),
      defaults: { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      logger,
    });
    const bot = createTelegramBot({
      token: "1:x",
      apiRoot: `http://127.0.0.1:${port}`,
      core,
      logger,
      maxRetryAttempts: 0,
    });
    await expect(registerCommands(bot, core, logger)).resolves.toBeUndefined();
    expect(lines.join("")).toMatch(/could not register the command menu/);
    broken.close();
  });
});
