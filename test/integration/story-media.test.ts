/**
 * A broadcaster's programme in a story (audio or video from its feed) reaches readers as
 * something they can play: on Telegram a player (sendAudio / sendVideo by address, within the
 * Bot API's 20 MB), always a link in the story's text; on Zalo the link.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoryMedia, storeArticle } from "../../src/news/articles";
import { findTopicBySlug } from "../../src/news/topics";
import { type Harness, NOW, startTelegramHarness, textOf } from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness, zaloTexts } from "../helpers/zalo-harness";

async function storeProgramme(
  db: Harness["db"],
  slug: string,
  media: StoryMedia[],
): Promise<number> {
  const topicId = (await findTopicBySlug(db, "thoi-su"))?.id as number;
  const { id } = await storeArticle(db, {
    url: `https://baolaocai.vn/${slug}-post990001.html`,
    contentHash: slug,
    title: `Bản tin thời sự ${slug}`,
    lead: "Chương trình phát thanh buổi sáng.",
    body: [],
    photos: [],
    media,
    fullText: false,
    publishedAt: NOW.toISOString(),
    fetchedAt: NOW.toISOString(),
    topicId,
  });
  return id;
}

const MP3: StoryMedia = {
  url: "https://cdn.baolaocai.vn/radio/ban-tin-sang.mp3",
  kind: "audio",
  type: "audio/mpeg",
  bytes: 4_800_000,
};
const LONG_VIDEO: StoryMedia = {
  url: "https://cdn.baolaocai.vn/tv/thoi-su-toi.mp4",
  kind: "video",
  type: "video/mp4",
  bytes: 300_000_000,
};

describe("a programme on Telegram", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTelegramHarness("polling");
  }, 30_000);
  afterAll(() => h?.stop());

  it("plays a file within 20 MB, and links one beyond it", async () => {
    const id = await storeProgramme(h.db, "radio", [MP3, LONG_VIDEO]);
    const calls = await h.send(h.fake.message({ chatId: 5151, text: `/doc #${id}` }));
    const text = calls
      .filter((c) => c.method === "sendMessage")
      .map(textOf)
      .join("\n");
    expect(text).toContain(`<a href="${MP3.url}">🎧 Nghe chương trình</a>`);
    expect(text).toContain(`<a href="${LONG_VIDEO.url}">🎬 Xem video</a>`);
    const played = calls.filter((c) => c.method === "sendAudio" || c.method === "sendVideo");
    expect(played.map((c) => [c.method, c.params.audio ?? c.params.video])).toEqual([
      ["sendAudio", MP3.url],
    ]);
    expect(played[0]?.ok).not.toBe(false);
  });
});

describe("a programme on Zalo", () => {
  let h: ZaloHarness;
  beforeAll(async () => {
    h = await startZaloHarness("webhook");
  }, 30_000);
  afterAll(() => h?.stop());

  it("is a link in the story's text", async () => {
    const id = await storeProgramme(h.db, "radio-zalo", [MP3]);
    const calls = await h.send(h.zalo.textEvent({ chatId: "zmedia", text: `đọc #${id}` }));
    expect(zaloTexts(calls).join("\n")).toContain(`🎧 Nghe chương trình: ${MP3.url}`);
  });
});
