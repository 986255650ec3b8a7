import { Bot, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";

/** The fake's sendMediaGroup checks what the real one does, and pictures it cannot fetch. */
const CHAT = 2002;
let fake: FakeTelegram;
let bot: Bot;

beforeEach(async () => {
  fake = await startFakeTelegram({ limits: { perChatPerSecond: 100 } });
  bot = new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
});
afterEach(async () => {
  await fake.close();
});

interface AlbumMessage {
  message_id: number;
  media_group_id?: string;
  photo?: unknown[];
  caption?: string;
  caption_entities?: unknown[];
}

const photo = (n: number, caption?: string) => ({
  type: "photo" as const,
  media: `https://e.vn/${n}.jpg`,
  ...(caption === undefined ? {} : { caption, parse_mode: "HTML" as const }),
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(400);
    return (error as GrammyError).description;
  }
  throw new Error("expected a refusal");
}

describe("fake Telegram: albums", () => {
  it("sends 2–10 photos as messages of one group, captions parsed, and records the call", async () => {
    const sent = (await bot.api.sendMediaGroup(CHAT, [
      photo(1, "<b>Quang cảnh</b> hội nghị"),
      photo(2),
      photo(3, "Đại biểu &amp; khách mời"),
    ])) as unknown as AlbumMessage[];
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.media_group_id)).size).toBe(1);
    expect(sent.map((m) => m.caption)).toEqual([
      "Quang cảnh hội nghị",
      undefined,
      "Đại biểu & khách mời",
    ]);
    expect(sent[0]?.caption_entities).toEqual([{ type: "bold", offset: 0, length: 10 }]);
    expect(sent.every((m) => Array.isArray(m.photo))).toBe(true);
    const ids = sent.map((m) => m.message_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const [call] = fake.callsTo("sendMediaGroup");
    expect(call?.ok).toBe(true);
    expect(call?.params.media).toHaveLength(3);
    expect(fake.stats.sends).toBe(3); // an album counts as its messages against the limits
  });

  it("refuses fewer than 2 or more than 10 media, bad captions and mixed documents", async () => {
    expect(await refusal(bot.api.sendMediaGroup(CHAT, [photo(1)]))).toMatch(/too few/);
    const eleven = Array.from({ length: 11 }, (_, i) => photo(i));
    expect(await refusal(bot.api.sendMediaGroup(CHAT, eleven))).toMatch(
      /too much messages to send as an album/,
    );
    expect(
      await refusal(bot.api.sendMediaGroup(CHAT, [photo(1, "x".repeat(1025)), photo(2)])),
    ).toMatch(/caption is too long/);
    expect(await refusal(bot.api.sendMediaGroup(CHAT, [photo(1, "<b>open"), photo(2)]))).toMatch(
      /can't parse entities/,
    );
    expect(
      await refusal(
        bot.api.sendMediaGroup(CHAT, [
          photo(1),
          { type: "document", media: "https://e.vn/a.pdf" },
        ] as never),
      ),
    ).toMatch(/can't be mixed/);
    expect(fake.stats.sends).toBe(0);
  });

  it("cannot fetch a picture on a .invalid host: sendPhoto and the album refuse it", async () => {
    expect(await refusal(bot.api.sendPhoto(CHAT, "https://anh.invalid/1.jpg"))).toMatch(
      /wrong file identifier\/HTTP URL specified/,
    );
    expect(
      await refusal(
        bot.api.sendMediaGroup(CHAT, [
          photo(1),
          { type: "photo", media: "https://anh.invalid/2.jpg" },
        ]),
      ),
    ).toMatch(/failed to send message #2 .*wrong file identifier/i);
    expect(await bot.api.sendPhoto(CHAT, "https://e.vn/1.jpg")).toHaveProperty("photo");
  });
});
