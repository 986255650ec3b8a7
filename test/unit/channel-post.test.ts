import { describe, expect, it } from "vitest";
import { channelPost } from "../../src/message/channel-post";
import { catalogue } from "../../src/message/i18n";
import { CAPTION_LIMIT, renderTelegramHtml } from "../../src/message/render/telegram-html";
import { visibleLength } from "../../src/text/split";

const vi = catalogue("vi");
const en = catalogue("en");
const URL = "https://tin.example/thoi-su/mua-lon-123.html?a=1&b=2";
const PHOTO = { url: "https://tin.example/anh/mua.jpg", caption: "Ảnh: Ngọc Anh" };
const LEAD =
  "Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến phố ở trung tâm thành phố ngập sâu, giao thông ùn tắc kéo dài. ";

describe("channelPost", () => {
  it("is the photo with the bold headline, the lead and a Read more link as caption", () => {
    const message = channelPost(
      { title: "Mưa lớn gây ngập", lead: "Nhiều tuyến phố ngập sâu.", url: URL, photo: PHOTO },
      vi,
    );
    const parts = renderTelegramHtml(message);
    expect(parts).toHaveLength(1);
    const [part] = parts;
    expect(part?.kind).toBe("photo");
    if (part?.kind !== "photo") return;
    expect(part.url).toBe(PHOTO.url);
    expect(part.caption).toBe(
      `<b>Mưa lớn gây ngập</b>\n\nNhiều tuyến phố ngập sâu.\n\n<a href="https://tin.example/thoi-su/mua-lon-123.html?a=1&amp;b=2">Đọc tiếp</a>`,
    );
  });

  it("speaks English when given the English catalogue", () => {
    const [part] = renderTelegramHtml(
      channelPost({ title: "Rain", lead: "Floods.", url: URL }, en),
    );
    expect(part?.kind).toBe("text");
    expect(part?.kind === "text" && part.text).toContain(">Read more</a>");
  });

  it("cuts a long lead so the caption fits 1024 characters, keeping the link", () => {
    const lead = LEAD.repeat(40); // about 4,400 characters
    const message = channelPost({ title: "Mưa lớn gây ngập", lead, url: URL, photo: PHOTO }, vi);
    const parts = renderTelegramHtml(message);
    expect(parts).toHaveLength(1);
    const [part] = parts;
    if (part?.kind !== "photo") throw new Error("expected a photo");
    expect(visibleLength(part.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(visibleLength(part.caption)).toBeGreaterThan(CAPTION_LIMIT - 40);
    expect(part.caption).toMatch(/…\n\n<a href="[^"]+">Đọc tiếp<\/a>$/);
    expect(part.caption.startsWith("<b>Mưa lớn gây ngập</b>\n\nMưa lớn kéo dài")).toBe(true);
  });

  it("escapes HTML-special characters in headline, lead and link", () => {
    const message = channelPost(
      {
        title: "Giá <vàng> & đô la",
        lead: 'Tăng "mạnh" <b>5%</b> & hơn',
        url: 'https://tin.example/a?x=1&y="2"',
        photo: PHOTO,
      },
      vi,
    );
    const [part] = renderTelegramHtml(message);
    if (part?.kind !== "photo") throw new Error("expected a photo");
    expect(part.caption).toContain("<b>Giá &lt;vàng&gt; &amp; đô la</b>");
    expect(part.caption).toContain('Tăng "mạnh" &lt;b&gt;5%&lt;/b&gt; &amp; hơn');
    expect(part.caption).toContain('href="https://tin.example/a?x=1&amp;y=&quot;2&quot;"');
  });

  it("never cuts a Vietnamese letter from its marks, even a decomposed one", () => {
    // "ệ" written as e + two combining marks: three code units, one letter.
    const decomposed = "Việt Nam ".normalize("NFD").repeat(300);
    const message = channelPost({ title: "Tin", lead: decomposed, url: URL, photo: PHOTO }, vi);
    const [part] = renderTelegramHtml(message);
    if (part?.kind !== "photo") throw new Error("expected a photo");
    expect(visibleLength(part.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    const lead = part.caption.split("\n\n")[1] ?? "";
    expect(lead.endsWith("…")).toBe(true);
    // The cut falls after a whole word: no combining mark left without its letter.
    expect(
      lead.slice(0, -1).normalize("NFC").endsWith("Việt") ||
        lead.slice(0, -1).normalize("NFC").endsWith("Nam"),
    ).toBe(true);
  });

  it("counts letters that take two code units (emoji) against the limit", () => {
    const lead = "🌧️ mưa ".repeat(400);
    const message = channelPost({ title: "Mưa", lead, url: URL, photo: PHOTO }, vi);
    const [part] = renderTelegramHtml(message);
    if (part?.kind !== "photo") throw new Error("expected a photo");
    expect(visibleLength(part.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(part.caption).toContain(">Đọc tiếp</a>");
  });

  it("is a text message without a photo, and skips an empty lead", () => {
    const message = channelPost({ title: "Chỉ có tiêu đề", lead: "  ", url: URL }, vi);
    expect(message.photo).toBeUndefined();
    const parts = renderTelegramHtml(message);
    expect(parts).toEqual([
      {
        kind: "text",
        format: "html",
        text: `<b>Chỉ có tiêu đề</b>\n\n<a href="https://tin.example/thoi-su/mua-lon-123.html?a=1&amp;b=2">Đọc tiếp</a>`,
      },
    ]);
  });

  it("cuts a very long headline too, so the lead keeps room", () => {
    const title = "Tiêu đề rất dài ".repeat(100);
    const message = channelPost({ title, lead: LEAD.repeat(20), url: URL, photo: PHOTO }, vi);
    const [part] = renderTelegramHtml(message);
    if (part?.kind !== "photo") throw new Error("expected a photo");
    expect(visibleLength(part.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    const [head, lead] = part.caption.split("\n\n");
    expect(visibleLength(head ?? "")).toBeLessThanOrEqual(300);
    expect(visibleLength(lead ?? "")).toBeGreaterThan(600);
  });
});
