import { describe, expect, it } from "vitest";
import { bold, type OutMessage } from "../../src/message/model";
import { readPayload, renderPayload } from "../../src/message/payload";
import { renderPlain } from "../../src/message/render/plain";
import { CAPTION_LIMIT, renderTelegramHtml } from "../../src/message/render/telegram-html";
import { visibleLength } from "../../src/text/split";

const photos = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    url: `https://e.vn/${i + 1}.jpg`,
    caption: [[`Ảnh <${i + 1}> & chú thích`]],
  }));

const story = (n: number): OutMessage => ({
  album: photos(n),
  lines: [[bold("Tiêu đề")], ["Thân bài."]],
  buttons: [[{ label: "Xem bài gốc", url: "https://e.vn/bai" }]],
});

describe("a story's album, rendered", () => {
  it("on Telegram: one album part first with escaped HTML captions, then the text with the buttons", () => {
    const parts = renderTelegramHtml(story(4));
    expect(parts.map((p) => p.kind)).toEqual(["album", "text"]);
    const [album, text] = parts;
    expect(album?.kind === "album" && album.photos).toEqual(
      [1, 2, 3, 4].map((i) => ({
        url: `https://e.vn/${i}.jpg`,
        caption: `Ảnh &lt;${i}&gt; &amp; chú thích`,
      })),
    );
    expect(album?.buttons).toBeUndefined();
    expect(text).toMatchObject({ kind: "text", text: "<b>Tiêu đề</b>\nThân bài." });
    expect(text?.buttons).toEqual([[{ label: "Xem bài gốc", url: "https://e.vn/bai" }]]);
  });

  it("on Telegram: more than ten photos as even albums of at most ten; one photo as a photo", () => {
    const sizes = (n: number) =>
      renderTelegramHtml(story(n))
        .filter((p) => p.kind !== "text")
        .map((p) => (p.kind === "album" ? p.photos.length : 1));
    expect(sizes(1)).toEqual([1]);
    expect(renderTelegramHtml(story(1))[0]).toMatchObject({
      kind: "photo",
      url: "https://e.vn/1.jpg",
    });
    expect(sizes(2)).toEqual([2]);
    expect(sizes(10)).toEqual([10]);
    expect(sizes(11)).toEqual([6, 5]);
    expect(sizes(20)).toEqual([10, 10]);
    expect(sizes(21)).toEqual([7, 7, 7]);
  });

  it("on Telegram: a caption over 1024 characters is cut to fit", () => {
    const long = `${"Chú thích rất dài. ".repeat(120)}`.trim();
    const [album] = renderTelegramHtml({
      album: [
        { url: "https://e.vn/1.jpg", caption: [[long]] },
        { url: "https://e.vn/2.jpg", caption: [] },
      ],
      lines: [["Thân bài."]],
    });
    if (album?.kind !== "album") throw new Error("no album");
    expect(visibleLength(album.photos[0]?.caption ?? "")).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(album.photos[0]?.caption).toMatch(/^Chú thích rất dài\./);
    expect(album.photos[1]?.caption).toBe("");
  });

  it("on Zalo: each photo with its plain caption in order, then the text with links and choices", () => {
    const { parts } = renderPayload("zalo", story(3), "vi");
    expect(parts.map((p) => p.kind)).toEqual(["photo", "photo", "photo", "text"]);
    expect(parts.slice(0, 3).map((p) => (p.kind === "photo" ? p.caption : null))).toEqual([
      "Ảnh <1> & chú thích",
      "Ảnh <2> & chú thích",
      "Ảnh <3> & chú thích",
    ]);
    expect(parts[3]).toMatchObject({
      kind: "text",
      text: "Tiêu đề\nThân bài.\nXem bài gốc: https://e.vn/bai",
    });
  });

  it("in the plain-text rendering (Zalo, the terminal): the album's captions, then the text", () => {
    const plain = renderPlain(story(2), "vi");
    expect(plain.album?.map((p) => p.caption)).toEqual([
      "Ảnh <1> & chú thích",
      "Ảnh <2> & chú thích",
    ]);
    expect(plain.text).toMatch(/^Tiêu đề\nThân bài\./);
  });

  it("a stored payload keeps its album", () => {
    const payload = renderPayload("telegram", story(3), "vi");
    const stored = JSON.parse(JSON.stringify(payload));
    expect(readPayload(stored, "telegram")).toEqual(payload);
  });
});
