import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ExtractedStory, extractTextPage, isImageLine } from "../../src/news/extract";

const SEED = readFileSync(
  new URL("../fixtures/articles/seed-baolaocai.txt", import.meta.url),
  "utf8",
);
const seedLines = SEED.split("\n");
const line = (n: number) => seedLines[n - 1] ?? "";
const NOW = new Date("2026-01-27T00:00:00Z");

function allText(story: ExtractedStory): string {
  return [story.title, story.lead, ...story.body, ...story.photos.map((p) => p.caption)].join("\n");
}

describe("extractTextPage: the seed article", () => {
  const story = extractTextPage(SEED);

  it("is the seed fixture, copied verbatim", () => {
    expect(SEED).toBe(readFileSync("/work/shared/seed/000_c6bcfe64b47a32e4.txt", "utf8"));
  });

  it("recovers the headline and the lead", () => {
    expect(story?.title).toBe(
      "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
    );
    expect(story?.lead).toBe(
      "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người.",
    );
  });

  it("recovers every body paragraph in order", () => {
    expect(story?.body).toHaveLength(10);
    expect(story?.body).toEqual([8, 10, 12, 17, 19, 24, 26, 31, 33, 35].map(line));
    expect(story?.body[0]).toBe(
      "Hội nghị do Bộ Thông tin và Truyền thông, Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp UBND tỉnh Hòa Bình tổ chức.",
    );
    expect(story?.body[9]).toMatch(/^Dịp này, Cục Thông tin đối ngoại/);
  });

  it("pairs each photo file with its caption", () => {
    expect(story?.photos).toEqual([
      { url: "111.jpg", caption: "Quang cảnh hội nghị." },
      { url: "44.jpg", caption: "Đại biểu tỉnh Lào Cai dự hội nghị." },
      {
        url: "22.jpg",
        caption:
          "Đồng chí Lê Hải Bình, Phó Trưởng Ban Tuyên giáo Trung ương, Phó Trưởng Ban Thường trực Ban Chỉ đạo công tác thông tin đối ngoại Trung ương triển khai các chuyên đề tại hội nghị.",
      },
      {
        url: "33.jpg",
        caption:
          "Đồng chí Nguyễn Văn Chương, Phó Chủ tịch UBND tỉnh Hòa Bình phát biểu tại hội nghị.",
      },
    ]);
  });

  it("keeps captions and file names out of the body", () => {
    for (const photo of story?.photos ?? []) {
      expect(story?.body).not.toContain(photo.caption);
      expect(story?.body.join("\n")).not.toContain(photo.url);
    }
  });

  it("drops the related stories, their markers and the social line", () => {
    const text = allText(story as ExtractedStory);
    for (const n of [
      37, 39, 41, 45, 47, 51, 53, 57, 59, 63, 65, 69, 71, 75, 77, 81, 83, 87, 89, 93, 95,
    ]) {
      if (line(n)) expect(text).not.toContain(line(n));
    }
    for (const furniture of [
      "Có thể bạn quan tâm",
      "Tin cùng chuyên mục",
      "Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân",
      "Giữ bình yên để Lào Cai phát triển",
      "Tổng Bí thư, Chủ tịch nước Lào thăm cấp Nhà nước tới Việt Nam",
      "fb yt zl tw",
    ]) {
      expect(text).not.toContain(furniture);
    }
  });

  it("has no byline or date to report", () => {
    expect(story?.author).toBeNull();
    expect(story?.publishedAt).toBeNull();
  });

  it("reads the same with CRLF line ends and decomposed (NFD) text", () => {
    const mangled = extractTextPage(SEED.replace(/\n/g, "\r\n").normalize("NFD"));
    expect(mangled).toEqual(story);
    for (const text of [mangled?.title ?? "", ...(mangled?.body ?? [])]) {
      expect(text).toBe(text.normalize("NFC"));
    }
  });
});

describe("extractTextPage: other layouts", () => {
  const body1 =
    "Sáng 26/1, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm 2025 và triển khai nhiệm vụ năm 2026.";
  const body2 =
    "Năm 2025, tăng trưởng kinh tế của tỉnh đạt 8,2%, thu ngân sách vượt dự toán được giao, đời sống nhân dân tiếp tục được cải thiện.";

  it("reads a date line and a byline under the headline", () => {
    const text = [
      "Tổng kết công tác năm 2025",
      "",
      "Thứ hai, 26/01/2026 08:27",
      "Bài, ảnh: Minh Anh",
      "",
      "Lãnh đạo tỉnh dự và chỉ đạo hội nghị.",
      "",
      body1,
      "",
      "IMG_2034.JPEG",
      "Các đại biểu dự hội nghị.",
      "",
      body2,
      "",
      "Tin liên quan",
      "",
      "Một tin khác",
    ].join("\n");
    const story = extractTextPage(text, { now: NOW });
    expect(story).toEqual({
      title: "Tổng kết công tác năm 2025",
      lead: "Lãnh đạo tỉnh dự và chỉ đạo hội nghị.",
      body: [body1, body2],
      photos: [{ url: "IMG_2034.JPEG", caption: "Các đại biểu dự hội nghị." }],
      author: "Minh Anh",
      publishedAt: "2026-01-26T01:27:00.000Z",
    });
  });

  it("reads a closing name as the author and a combined meta line", () => {
    const text = [
      "Tiêu đề bài viết",
      "Thu Hà | 08:27 26/01/2026",
      "Đoạn mở đầu của bài viết.",
      body1,
      body2,
      "Thu Hà",
      "fb yt zl tw",
    ].join("\n");
    const story = extractTextPage(text, { now: NOW });
    expect(story?.author).toBe("Thu Hà");
    expect(story?.publishedAt).toBe("2026-01-26T01:27:00.000Z");
    expect(story?.lead).toBe("Đoạn mở đầu của bài viết.");
    expect(story?.body).toEqual([body1, body2]);
  });

  it("works without blank lines and with image URLs", () => {
    const text = [
      "Tiêu đề",
      "Sapo của bài.",
      "https://cdn.example.vn/images/2026/01/anh-1.png",
      "Chú thích ảnh một.",
      body1,
      "Đọc thêm: Một bài khác trên trang",
      body2,
    ].join("\n");
    const story = extractTextPage(text);
    expect(story?.lead).toBe("Sapo của bài.");
    expect(story?.photos).toEqual([
      { url: "https://cdn.example.vn/images/2026/01/anh-1.png", caption: "Chú thích ảnh một." },
    ]);
    expect(story?.body).toEqual([body1, body2]);
  });

  it("stops at related headlines printed twice even without a marker", () => {
    const text = [
      "Tiêu đề",
      "",
      "Sapo.",
      "",
      body1,
      "",
      "Tin khác A",
      "",
      "Tin khác A",
      "",
      body2,
    ].join("\n");
    expect(extractTextPage(text)?.body).toEqual([body1]);
  });

  it("joins hard-wrapped paragraphs", () => {
    const text = [
      "Tiêu đề",
      "",
      "Sapo.",
      "",
      "Sáng 26/1, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết",
      "công tác năm 2025 và triển khai nhiệm vụ năm 2026.",
    ].join("\n");
    expect(extractTextPage(text)?.body).toEqual([
      "Sáng 26/1, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm 2025 và triển khai nhiệm vụ năm 2026.",
    ]);
  });

  it("rejects a future date line", () => {
    const text = ["Tiêu đề", "26/01/2099 08:27", "Sapo.", body1].join("\n");
    const story = extractTextPage(text, { now: NOW });
    expect(story?.publishedAt).toBeNull();
    expect(story?.lead).toBe("Sapo.");
  });

  it("returns null when there is no body", () => {
    expect(extractTextPage("")).toBeNull();
    expect(extractTextPage("\n\n  \n")).toBeNull();
    expect(extractTextPage("Chỉ có tiêu đề")).toBeNull();
    expect(extractTextPage("Tiêu đề\n\nSapo ngắn.")).toBeNull();
    expect(extractTextPage("Tiêu đề\n\nCó thể bạn quan tâm\n\nTin khác")).toBeNull();
    expect(extractTextPage(null as unknown as string)).toBeNull();
  });

  it("is fast and safe on large input", () => {
    const big = `Tiêu đề\n\nSapo.\n\n${`${body1}\n\n${body2}\n\n`.repeat(5_000)}\uD800`;
    const started = Date.now();
    const story = extractTextPage(big);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(story?.body).toHaveLength(10_000);
    expect(story?.body.at(-1)).toBe(body2);
  });
});

describe("isImageLine", () => {
  it.each([
    "111.jpg",
    "anh-1.png",
    "IMG_2034.JPEG",
    "https://cdn.example.vn/a/b.webp?w=800",
    "x.gif",
  ])("accepts %s", (text) => expect(isImageLine(text)).toBe(true));
  it.each(["Quang cảnh hội nghị.", "ảnh 1.jpg là đây", "jpg", "https://example.vn/article.html"])(
    "rejects %s",
    (text) => expect(isImageLine(text)).toBe(false),
  );
});
