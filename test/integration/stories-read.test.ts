import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArticleInput, storeArticle } from "../../src/news/articles";
import { searchArticles } from "../../src/news/search";
import { findTopicBySlug } from "../../src/news/topics";
import { parseTelegramHtml, type RecordedCall } from "../fakes/telegram-api";
import { buttonsOf, type Harness, NOW, startTelegramHarness } from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness } from "../helpers/zalo-harness";

/**
 * Stories read like news, as seen on the wire: /start is one message naming the newsroom, a
 * story's photos go first (an album on Telegram, one by one on Zalo), a picture that cannot be
 * fetched never costs the story, and times carry the year when it is not this one.
 */
const NEWSROOM = "Báo Lào Cai";
const SEED_CAPTIONS = [
  "Quang cảnh hội nghị.",
  "Đại biểu tỉnh Lào Cai dự hội nghị.",
  expect.stringMatching(/^Đồng chí Lê Hải Bình/),
  expect.stringMatching(/^Đồng chí Nguyễn Văn Chương/),
];
const SEND_METHODS = ["sendMessage", "sendPhoto", "sendMediaGroup"];
const ADMIN = 4242;

/** A story of the Thời sự topic with these photos, published at that instant. */
async function storeStory(
  db: Harness["db"],
  slug: string,
  photos: ArticleInput["photos"],
  publishedAt = new Date(NOW.getTime() - 60 * 60_000).toISOString(),
): Promise<number> {
  const topicId = (await findTopicBySlug(db, "thoi-su"))?.id as number;
  const stored = await storeArticle(db, {
    url: `https://baolaocai.vn/${slug}.html`,
    contentHash: slug,
    title: `Bài ${slug}`,
    lead: `Sapo của bài ${slug}.`,
    body: [`Thân bài ${slug}, đoạn một.`, `Thân bài ${slug}, đoạn hai.`],
    photos,
    fullText: true,
    publishedAt,
    fetchedAt: NOW.toISOString(),
    topicId: topicId,
  });
  return stored.id;
}

const photosOf = (n: number, host = "baolaocai.vn") =>
  Array.from({ length: n }, (_, i) => ({
    url: `https://${host}/uploads/anh-${i + 1}.jpg`,
    caption: `Ảnh số ${i + 1}.`,
  }));

async function seedId(db: Harness["db"]): Promise<number> {
  const [seed] = await searchArticles(db, "thong tin doi ngoai quyen con nguoi", { limit: 1 });
  return seed?.id as number;
}

function messageIdOf(call: RecordedCall | undefined): number {
  return Number((call?.result as { message_id?: number } | undefined)?.message_id);
}

/** The visible text of a Telegram text or caption. */
function visible(html: unknown): string {
  const parsed = parseTelegramHtml(String(html ?? ""));
  expect(parsed.ok, String(html)).toBe(true);
  return parsed.ok ? parsed.text : "";
}

describe("stories read like news, on Telegram", () => {
  let h: Harness;
  let chat = 91_000;
  beforeAll(async () => {
    h = await startTelegramHarness("polling", {
      admins: `telegram:${ADMIN}`,
      env: { NEWSROOM_NAME: ` ${NEWSROOM} ` },
    });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const say = async (chatId: number, text: string) => {
    const calls = await h.send(h.fake.message({ chatId, text, firstName: "Lan" }));
    return calls.filter((c) => SEND_METHODS.includes(c.method));
  };
  const press = async (chatId: number, data: string, messageId: number) =>
    (await h.send(h.fake.callbackQuery({ chatId, data, messageId }))).filter((c) =>
      SEND_METHODS.includes(c.method),
    );

  it("/start is one message: the greeting names the newsroom and carries the topic buttons", async () => {
    const id = ++chat;
    const sent = await say(id, "/start");
    expect(sent.map((c) => c.method)).toEqual(["sendMessage"]);
    const [greeting] = sent;
    expect(visible(greeting?.params.text)).toMatch(
      /^Xin chào Lan! Tôi là bản tin của Báo Lào Cai: .+\nHãy chọn các chủ đề bạn muốn nhận tin:/,
    );
    const topics = buttonsOf(greeting).map((b) => b.text);
    expect(topics).toContain("Thời sự");
    expect(topics).toContain("Xong");

    // Pressing a topic still ticks it in place, in that same message.
    const messageId = messageIdOf(greeting);
    const thoiSu = buttonsOf(greeting).find((b) => b.text === "Thời sự");
    await h.send(
      h.fake.callbackQuery({ chatId: id, data: thoiSu?.callback_data as string, messageId }),
    );
    const edit = h.fake.callsTo("editMessageText").at(-1);
    expect(edit?.params.message_id).toBe(messageId);
    expect(buttonsOf(edit).map((b) => b.text)).toContain("✅ Thời sự");

    // A returning reader is greeted back in one message too.
    const ask = await say(id, "/huy");
    const yes = buttonsOf(ask.at(-1)).find((b) => /Có, dừng/.test(b.text));
    await press(id, yes?.callback_data as string, messageIdOf(ask.at(-1)));
    const back = await say(id, "/start");
    expect(back.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(visible(back[0]?.params.text)).toMatch(
      /^Chào mừng Lan quay lại! Bản tin hằng ngày của Báo Lào Cai đã được bật lại\./,
    );
    expect(buttonsOf(back[0]).map((b) => b.text)).toContain("✅ Thời sự");
  });

  it("a deep link greets and subscribes in one message", async () => {
    const sent = await say(++chat, "/start topic_kinh-te");
    expect(sent).toHaveLength(1);
    expect(visible(sent[0]?.params.text)).toMatch(
      /^Xin chào Lan! Tôi là bản tin của Báo Lào Cai: .+\nĐã theo dõi: Kinh tế$/,
    );
  });

  it("a story's four photos go as one album with their captions, before the story", async () => {
    const id = ++chat;
    const sent = await say(id, `/doc_${await seedId(h.db)}`);
    expect(sent.map((c) => c.method)[0]).toBe("sendMediaGroup");
    expect(sent.filter((c) => c.method === "sendPhoto")).toEqual([]);
    const album = sent[0] as RecordedCall;
    expect(album.ok).toBe(true);
    const media = album.params.media as { type: string; media: string; caption?: string }[];
    expect(media.map((m) => m.type)).toEqual(["photo", "photo", "photo", "photo"]);
    expect(media.map((m) => visible(m.caption))).toEqual(SEED_CAPTIONS);
    for (const m of media) expect(m).toMatchObject({ parse_mode: "HTML" });
    // Telegram answers an album with one message per photo, grouped.
    const messages = album.result as { media_group_id: string; caption?: string }[];
    expect(messages).toHaveLength(4);
    expect(new Set(messages.map((m) => m.media_group_id)).size).toBe(1);
    // Then the story: headline first, the link last.
    const texts = sent.slice(1).map((c) => visible(c.params.text));
    expect(sent.slice(1).every((c) => c.method === "sendMessage")).toBe(true);
    expect(texts[0]).toMatch(/^Nâng cao chất lượng công tác thông tin đối ngoại/);
    expect(texts.join("\n")).toContain("Xem bài gốc");
    // One call for the four photos, then the text: no photo one at a time after the link.
    expect(h.fake.sentMessages(id)).toHaveLength(1 + texts.length);
  });

  it("more than ten photos go as several albums of at most ten; one photo as a photo", async () => {
    const many = await storeStory(h.db, "muoi-hai-anh", photosOf(12));
    const sent = await say(++chat, `/doc_${many}`);
    expect(sent.map((c) => c.method)).toEqual(["sendMediaGroup", "sendMediaGroup", "sendMessage"]);
    const captions = sent
      .slice(0, 2)
      .flatMap((c) => (c.params.media as { caption?: string }[]).map((m) => m.caption));
    expect(captions).toEqual(photosOf(12).map((p) => p.caption));
    for (const album of sent.slice(0, 2)) {
      expect((album.params.media as unknown[]).length).toBeLessThanOrEqual(10);
    }
    expect(visible(sent[2]?.params.text)).toMatch(/^Bài muoi-hai-anh/);

    const one = await storeStory(h.db, "mot-anh", photosOf(1));
    const single = await say(++chat, `/doc_${one}`);
    expect(single.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect(single[0]?.params).toMatchObject({ caption: "Ảnh số 1." });
  });

  it("a photo Telegram cannot fetch costs the album, never the story", async () => {
    const photos = photosOf(3);
    photos[1] = { url: "https://anh-hong.invalid/2.jpg", caption: "Ảnh không tải được." };
    const id = await storeStory(h.db, "anh-hong", photos);
    const sent = await say(++chat, `/doc_${id}`);
    const album = sent.find((c) => c.method === "sendMediaGroup");
    expect(album?.ok).toBe(false);
    expect(album?.description).toMatch(/wrong file identifier\/HTTP URL specified/i);
    // Then photo by photo, in order (the one refused as its caption), then the whole story.
    const delivered = sent.filter((c) => c.ok && c.method !== "sendMediaGroup");
    expect(delivered.map((c) => c.method)).toEqual([
      "sendPhoto",
      "sendMessage",
      "sendPhoto",
      "sendMessage",
    ]);
    const texts = delivered.map((c) => visible(c.params.caption ?? c.params.text));
    expect(texts.slice(0, 3)).toEqual(["Ảnh số 1.", "Ảnh không tải được.", "Ảnh số 3."]);
    expect(texts[3]).toMatch(
      /^Bài anh-hong[\s\S]*Thân bài anh-hong, đoạn hai\.[\s\S]*Xem bài gốc$/,
    );
  });

  it("breaking news carries the newsroom's name in its header, previewed and delivered", async () => {
    const reader = ++chat;
    await say(reader, "/start");
    const preview = await say(ADMIN, "/tinnong @telegram Mưa lớn ở Sa Pa");
    const message = preview.at(-1);
    expect(visible(message?.params.text)).toContain("🔴 TIN NÓNG · Báo Lào Cai\n\nMưa lớn ở Sa Pa");
    const sendButton = buttonsOf(message).find((b) => /Gửi cho/.test(b.text));
    await press(ADMIN, sendButton?.callback_data as string, messageIdOf(message));
    const delivered = await h.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        String(c.params.chat_id) === String(reader) &&
        /TIN NÓNG/.test(String(c.params.text)),
      15_000,
    );
    expect(visible(delivered.params.text)).toBe("🔴 TIN NÓNG · Báo Lào Cai\n\nMưa lớn ở Sa Pa");
  });

  it("a story from another year shows its year, in the list and on the story", async () => {
    // 2023-12-08 17:30 in Hà Nội; NOW is in 2026.
    const id = await storeStory(h.db, "tin-cu-2023", [], "2023-12-08T10:30:00.000Z");
    const list = await say(++chat, "/tim tin-cu-2023");
    expect(visible(list.at(-1)?.params.text)).toContain("17:30 08/12/2023 · Thời sự");
    const story = await say(chat, `/doc_${id}`);
    expect(visible(story[0]?.params.text)).toMatch(
      /^Bài tin-cu-2023\n17:30 08\/12\/2023 · Thời sự/,
    );
    // This year's stories keep the short form.
    const recent = await storeStory(h.db, "tin-moi-2026", []);
    const now = await say(chat, `/doc_${recent}`);
    expect(visible(now[0]?.params.text)).toMatch(/^Bài tin-moi-2026\n09:00 27\/01 · Thời sự/);
  });
});

describe("stories read like news, on Zalo", () => {
  let h: ZaloHarness;
  let chat = 0;
  beforeAll(async () => {
    h = await startZaloHarness("webhook", { env: { NEWSROOM_NAME: NEWSROOM } });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const say = async (chatId: string, text: string) =>
    (await h.send(h.zalo.textEvent({ chatId, text, displayName: "Lan" }))).filter((c) =>
      ["sendMessage", "sendPhoto"].includes(c.method),
    );

  it("/start is one message: greeting with the newsroom, then numbered topics", async () => {
    const sent = await say(`zs${++chat}`, "/start");
    expect(sent.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(String(sent[0]?.params.text)).toMatch(
      /^Xin chào Lan! Tôi là bản tin của Báo Lào Cai: [\s\S]*\n\[1\] Thời sự\n\[2\] Kinh tế/,
    );
  });

  it("a story's photos go first, one by one with their captions in order, then the story", async () => {
    const sent = await say(`zs${++chat}`, `/doc_${await seedId(h.db)}`);
    const methods = sent.map((c) => c.method);
    expect(methods.slice(0, 4)).toEqual(["sendPhoto", "sendPhoto", "sendPhoto", "sendPhoto"]);
    expect(methods.slice(4).every((m) => m === "sendMessage")).toBe(true);
    expect(sent.slice(0, 4).map((c) => c.params.caption)).toEqual(SEED_CAPTIONS);
    expect(String(sent[4]?.params.text)).toMatch(/^Nâng cao chất lượng công tác thông tin/);
  });

  it("a photo Zalo cannot fetch goes as its caption; the story still comes", async () => {
    const photos = photosOf(2);
    photos[0] = { url: "https://anh-hong.invalid/1.jpg", caption: "Ảnh không tải được." };
    const id = await storeStory(h.db, "zalo-anh-hong", photos);
    const sent = await say(`zs${++chat}`, `/doc_${id}`);
    const texts = sent.filter((c) => c.ok).map((c) => String(c.params.text ?? c.params.caption));
    expect(texts.slice(0, 2)).toEqual(["Ảnh không tải được.", "Ảnh số 2."]);
    expect(texts.slice(2).join("\n")).toMatch(/^Bài zalo-anh-hong[\s\S]*Xem bài gốc/);
  });
});
