import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ExtractedStory,
  extractArticlePage,
  extractTextPage,
  isFurnitureMarker,
  isProbablyHtml,
  isSocialLine,
  parsePublishedTime,
} from "../../src/news/extract";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/articles/${name}`, import.meta.url), "utf8");

const PAGE_URL =
  "https://baolaocai.vn/nang-cao-chat-luong-cong-tac-thong-tin-doi-ngoai-ve-quyen-con-nguoi-post372851.html";
const NOW = new Date("2026-01-27T00:00:00Z");

/** Every string the story carries, for "appears nowhere" checks. */
function allText(story: ExtractedStory): string {
  return [story.title, story.lead, ...story.body, ...story.photos.map((p) => p.caption)].join("\n");
}

function expectNfc(story: ExtractedStory): void {
  for (const text of [
    story.title,
    story.lead,
    ...story.body,
    ...story.photos.map((p) => p.caption),
  ]) {
    expect(text).toBe(text.normalize("NFC"));
  }
}

const PARA =
  "Đây là một đoạn văn bản tin tức đủ dài để được coi là nội dung chính của bài viết này.";
/** Another story's words: a block the built-in selectors find that the story does not hold. */
const DECOY =
  "Giá cà phê tại các tỉnh Tây Nguyên tăng mạnh trong tuần qua, thương lái thu mua sôi động.";

describe("extractArticlePage: baolaocai-style CMS page", () => {
  const story = extractArticlePage(fixture("baolaocai-style.html"), PAGE_URL, null, { now: NOW });
  const seed = fixture("seed-baolaocai.txt").split("\n");
  const line = (n: number) => seed[n - 1] ?? "";

  it("finds the story", () => {
    expect(story).not.toBeNull();
  });

  it("reads headline and sapo", () => {
    expect(story?.title).toBe(
      "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
    );
    expect(story?.lead).toBe(
      "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người.",
    );
  });

  it("keeps every body paragraph, in order, and nothing else", () => {
    expect(story?.body).toEqual([8, 10, 12, 17, 19, 24, 26, 31, 33, 35].map(line));
    expect(story?.body[0]).toMatch(/^Hội nghị do Bộ Thông tin và Truyền thông/);
    expect(story?.body.at(-1)).toMatch(/thông tin đối ngoại định kỳ\.$/);
  });

  it("collects photos with absolute URLs (lazy attributes preferred) and captions", () => {
    expect(story?.photos).toEqual([
      { url: "https://baolaocai.vn/images/2023/12/09/111.jpg", caption: "Quang cảnh hội nghị." },
      {
        url: "https://cdn.baolaocai.vn/images/2023/12/09/44.jpg",
        caption: "Đại biểu tỉnh Lào Cai dự hội nghị.",
      },
      { url: "https://cdn.baolaocai.vn/images/2023/12/09/22.jpg", caption: line(22) },
      { url: "https://baolaocai.vn/33.jpg", caption: line(29) },
    ]);
  });

  it("does not repeat captions, the title or the lead as paragraphs", () => {
    for (const photo of story?.photos ?? []) expect(story?.body).not.toContain(photo.caption);
    expect(story?.body).not.toContain(story?.title);
    expect(story?.body).not.toContain(story?.lead);
  });

  it("drops related stories, share bars, ads, tags, comments and footer", () => {
    const text = allText(story as ExtractedStory);
    for (const furniture of [
      "Tin cùng chuyên mục",
      "Có thể bạn quan tâm",
      "Tin liên quan",
      "Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân",
      "“Tiến lên! Toàn thắng ắt về ta!”",
      "Đảng bộ xã Lục Yên phấn đấu kết nạp mới 51 đảng viên trong năm 2026",
      "Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh”",
      "Giữ bình yên để Lào Cai phát triển",
      "Lào Cai tập huấn nghiệp vụ thông tin đối ngoại năm 2023",
      "Đẩy mạnh tuyên truyền về quyền con người trên không gian mạng",
      "Nhằm chuẩn bị tốt cho công tác tuyển chọn",
      "fb yt zl tw",
      "Chia sẻ",
      "Quảng cáo",
      "Từ khóa",
      "Bình luận",
      "Giấy phép",
      "Trang chủ",
      "adsbygoogle",
      "dataLayer",
    ]) {
      expect(text).not.toContain(furniture);
    }
    expect(story?.body.some((p) => /^(fb|yt|zl|tw)(\s|$)/.test(p))).toBe(false);
  });

  it("takes the closing bold name as author, not the site name in meta", () => {
    expect(story?.author).toBe("Thu Hà");
    expect(story?.body).not.toContain("Thu Hà");
  });

  it("reads the Vietnamese dateline near the headline as UTC+7, not the header's date", () => {
    expect(story?.publishedAt).toBe("2023-12-09T01:27:00.000Z");
  });

  it("agrees with the plain-text seed on body and captions", () => {
    const fromText = extractTextPage(fixture("seed-baolaocai.txt"));
    expect(fromText?.body).toEqual(story?.body);
    expect(fromText?.photos.map((p) => p.caption)).toEqual(story?.photos.map((p) => p.caption));
    expect(fromText?.lead).toBe(story?.lead);
  });
});

describe("extractArticlePage: generic <article> page (Readability path)", () => {
  const url = "https://blog.example.org/posts/2025/plain-text/";
  const story = extractArticlePage(fixture("generic-blog.html"), url);

  it("extracts title, lead and body", () => {
    expect(story?.title).toBe("Why we moved our newsroom to plain text");
    expect(story?.lead).toBe(
      "For ten years our reporters filed stories into a content management system that fought them at every turn.",
    );
    expect(story?.body).toHaveLength(6);
    expect(story?.body[0]).toMatch(/^Every story passed through four screens/);
    expect(story?.body).toContain("What changed");
    expect(story?.body.at(-1)).toMatch(/until nobody opens it any more\.$/);
    expect(story?.body).not.toContain(story?.lead);
  });

  it("resolves a relative image against the page URL", () => {
    expect(story?.photos).toEqual([
      {
        url: "https://blog.example.org/posts/2025/media/old-desk.jpg",
        caption: "The old desk, before the move.",
      },
    ]);
  });

  it("reads author and time from metadata", () => {
    expect(story?.author).toBe("Jane Doe");
    expect(story?.publishedAt).toBe("2025-03-04T10:00:00.000Z");
  });

  it("drops related posts, comments, share buttons and the dateline", () => {
    const text = allText(story as ExtractedStory);
    for (const furniture of [
      "Related posts",
      "Ten tips for faster builds",
      "Notes from the night desk",
      "Great post!",
      "3 comments",
      "Tweet",
      "Published March 4, 2025",
      "All rights reserved",
      "Subscribe",
    ]) {
      expect(text).not.toContain(furniture);
    }
  });
});

describe("extractArticlePage: pages without a story", () => {
  it("returns null for a page of navigation and links", () => {
    expect(extractArticlePage(fixture("no-body.html"), "https://baolaocai.vn/khong-co")).toBeNull();
  });

  it("returns null for empty and non-HTML input", () => {
    expect(extractArticlePage("", PAGE_URL)).toBeNull();
    expect(extractArticlePage("   \n ", PAGE_URL)).toBeNull();
    expect(extractArticlePage("just some words, no markup", PAGE_URL)).toBeNull();
    expect(extractArticlePage(undefined as unknown as string, PAGE_URL)).toBeNull();
  });

  it("returns null for an error page", () => {
    const html = `<html><head><title>404</title></head><body><h1>Lỗi 404</h1><p>Trang bạn tìm không tồn tại.</p><a href="/">Về trang chủ</a></body></html>`;
    expect(extractArticlePage(html, PAGE_URL)).toBeNull();
  });
});

describe("extractArticlePage: NFD input", () => {
  const raw = fixture("nfd-text.html");
  const story = extractArticlePage(raw, "https://baolaocai.vn/du-lich/lao-cai-post1.html", null, {
    now: NOW,
  });

  it("is a decomposed fixture", () => {
    expect(raw).not.toBe(raw.normalize("NFC"));
  });

  it("returns composed (NFC) text everywhere", () => {
    expect(story).not.toBeNull();
    expectNfc(story as ExtractedStory);
    expect(story?.title).toBe("Lào Cai đón hơn một triệu lượt khách du lịch dịp đầu năm");
    expect(story?.lead).toMatch(/^Trong tháng Một, tỉnh Lào Cai đón hơn một triệu lượt khách/);
    expect(story?.body).toHaveLength(3);
    expect(story?.photos).toEqual([
      {
        url: "https://baolaocai.vn/uploads/2026/01/hoa-dao.jpg",
        caption: "Du khách ngắm hoa đào ở Sa Pa.",
      },
    ]);
    expect(story?.author).toBe("Minh Anh");
    expect(story?.body).not.toContain("Minh Anh");
    expect(story?.publishedAt).toBe("2026-01-26T01:27:00.000Z");
  });
});

describe("extractArticlePage: per-source selectors", () => {
  const html = `<!doctype html><html><head><title>Báo ABC</title></head><body>
    <h1 class="logo">Báo ABC</h1>
    <div class="sapo">Mô tả chung của chuyên trang, không phải sapo của bài.</div>
    <div class="news-head"><span class="x-headline">Tiêu đề thật của bài viết</span></div>
    <div class="x-summary">Sapo thật của bài viết nằm ở đây.</div>
    <div class="x-text">
      <p>${PARA} Đoạn một.</p>
      <p class="x-promo">Tải ứng dụng Báo ABC để đọc tin nhanh hơn và nhận thông báo mỗi ngày.</p>
      <p>${PARA} Đoạn hai.</p>
      <p><img src="images/a.jpg" data-src="/img/lazy-a.jpg"></p>
      <p class="caption"><em>Chú thích ảnh A.</em></p>
      <p>${PARA} Đoạn ba.</p>
    </div>
    <div class="detail-content"><p>${DECOY} Nội dung mồi, không phải bài.</p><p>${DECOY}</p></div>
  </body></html>`;
  const url = "https://abc.example.vn/thoi-su/bai-viet-post9.html";

  it("uses the source's title, lead and body selectors and removals first", () => {
    const story = extractArticlePage(html, url, {
      title: ".x-headline",
      lead: ".x-summary",
      body: ".x-text",
      remove: [".x-promo"],
    });
    expect(story?.title).toBe("Tiêu đề thật của bài viết");
    expect(story?.lead).toBe("Sapo thật của bài viết nằm ở đây.");
    expect(story?.body).toEqual([`${PARA} Đoạn một.`, `${PARA} Đoạn hai.`, `${PARA} Đoạn ba.`]);
    expect(story?.photos).toEqual([
      { url: "https://abc.example.vn/img/lazy-a.jpg", caption: "Chú thích ảnh A." },
    ]);
  });

  it("without them falls back to the built-in CMS selectors", () => {
    const story = extractArticlePage(html, url);
    expect(story?.title).toBe("Báo ABC");
    expect(story?.body[0]).toBe(`${DECOY} Nội dung mồi, không phải bài.`);
  });

  it("falls back when the source's body selector no longer matches", () => {
    const story = extractArticlePage(html, url, { body: ".gone" });
    expect(story?.body[0]).toBe(`${DECOY} Nội dung mồi, không phải bài.`);
  });

  it("survives invalid selectors", () => {
    const story = extractArticlePage(html, url, { title: ":::", body: "div[[[", remove: ["<<"] });
    expect(story?.body[0]).toBe(`${DECOY} Nội dung mồi, không phải bài.`);
  });
});

describe("extractArticlePage: dates", () => {
  const page = (head: string, meta = "") =>
    `<html><head>${head}</head><body><h1 class="detail-title">Tiêu đề</h1>${meta}<div class="detail-content"><p>${PARA}</p><p>${PARA} Hai.</p></div></body></html>`;

  it("rejects a published time far in the future", () => {
    const story = extractArticlePage(
      page('<meta property="article:published_time" content="2099-01-01T00:00:00+07:00">'),
      PAGE_URL,
    );
    expect(story).not.toBeNull();
    expect(story?.publishedAt).toBeNull();
  });

  it("allows up to one day ahead of now (clock skew), not more", () => {
    const soon = page('<meta property="article:published_time" content="2026-01-27T12:00:00Z">');
    const later = page('<meta property="article:published_time" content="2026-01-28T12:00:00Z">');
    expect(extractArticlePage(soon, PAGE_URL, null, { now: NOW })?.publishedAt).toBe(
      "2026-01-27T12:00:00.000Z",
    );
    expect(extractArticlePage(later, PAGE_URL, null, { now: NOW })?.publishedAt).toBeNull();
  });

  it("reads JSON-LD datePublished", () => {
    const ld = `<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2026-01-20T07:00:00+07:00"}]}</script>`;
    expect(extractArticlePage(page(ld), PAGE_URL, null, { now: NOW })?.publishedAt).toBe(
      "2026-01-20T00:00:00.000Z",
    );
  });

  it("reads <time datetime> and Vietnamese text", () => {
    const time = '<time datetime="2026-01-26T08:27:00+07:00">26/01/2026</time>';
    expect(extractArticlePage(page("", time), PAGE_URL, null, { now: NOW })?.publishedAt).toBe(
      "2026-01-26T01:27:00.000Z",
    );
    const text = '<div class="detail-time">08:27 26/01/2026</div>';
    expect(extractArticlePage(page("", text), PAGE_URL, null, { now: NOW })?.publishedAt).toBe(
      "2026-01-26T01:27:00.000Z",
    );
  });
});

describe("parsePublishedTime", () => {
  it.each([
    ["26/01/2026 08:27", "2026-01-26T01:27:00.000Z"],
    ["08:27 26/01/2026", "2026-01-26T01:27:00.000Z"],
    ["Thứ hai, 26/01/2026 08:27", "2026-01-26T01:27:00.000Z"],
    ["Thứ hai, 26/01/2026 - 08:27 (GMT+7)", "2026-01-26T01:27:00.000Z"],
    ["26/01/2026 | 08h27", "2026-01-26T01:27:00.000Z"],
    ["1/1/2026 6:05", "2025-12-31T23:05:00.000Z"],
    ["26/01/2026", "2026-01-25T17:00:00.000Z"],
    ["2026-01-26T08:27:00+07:00", "2026-01-26T01:27:00.000Z"],
    ["2026-01-26T01:27:00Z", "2026-01-26T01:27:00.000Z"],
    ["2026-01-26 08:27", "2026-01-26T01:27:00.000Z"],
    ["Mon, 26 Jan 2026 08:27:00 +0700", "2026-01-26T01:27:00.000Z"],
  ])("%s -> %s", (text, iso) => {
    expect(parsePublishedTime(text, NOW)).toBe(iso);
  });

  it.each([
    "",
    "không có ngày",
    "31/02/2026 08:00",
    "26/13/2026",
    "25:00 26/01/2026",
    "2099-01-01",
  ])("rejects %j", (text) => {
    expect(parsePublishedTime(text, NOW)).toBeNull();
  });
});

describe("furniture helpers", () => {
  it("recognises social lines", () => {
    for (const line of [
      "fb yt zl tw",
      "FB | Zalo | Twitter",
      "Chia sẻ",
      "Chia sẻ:",
      "Facebook Zalo",
    ]) {
      expect(isSocialLine(line)).toBe(true);
    }
    for (const line of ["Hội nghị chia sẻ kinh nghiệm", "fb là viết tắt của Facebook", PARA]) {
      expect(isSocialLine(line)).toBe(false);
    }
  });

  it("recognises related-story headings", () => {
    for (const line of [
      "Tin cùng chuyên mục",
      "CÓ THỂ BẠN QUAN TÂM",
      "Tin liên quan:",
      "Related",
    ]) {
      expect(isFurnitureMarker(line)).toBe(true);
    }
    expect(isFurnitureMarker("Tin liên quan đến vụ cháy")).toBe(false);
  });

  it("tells HTML from plain text", () => {
    expect(isProbablyHtml(fixture("baolaocai-style.html"))).toBe(true);
    expect(isProbablyHtml("<p>một</p><p>hai</p><div>ba</div>")).toBe(true);
    expect(isProbablyHtml(fixture("seed-baolaocai.txt"))).toBe(false);
    expect(isProbablyHtml("a < b and c > d")).toBe(false);
  });
});

describe("extractArticlePage: hostile input", () => {
  it("survives 200k characters of nested divs", () => {
    const html = `<html><body>${"<div>".repeat(40_000)}${PARA}</body></html>`;
    const started = Date.now();
    expect(extractArticlePage(html, PAGE_URL)).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("ignores script text", () => {
    const html = `<html><body><script>${"document.write('Tin tức giả mạo rất dài');".repeat(500)}</script></body></html>`;
    expect(extractArticlePage(html, PAGE_URL)).toBeNull();
  });

  it("copes with unclosed tags", () => {
    const html = `<html><body><h1 class="title">Tiêu đề<div class="detail-content"><p>${PARA}<p>${PARA} Hai.<b>đậm <i>nghiêng`;
    const story = extractArticlePage(html, PAGE_URL);
    expect(story?.body[0]).toBe(PARA);
    expect(story?.body.length).toBeGreaterThanOrEqual(2);
  });

  it("survives broken UTF-16 and control characters", () => {
    const html = `<html><body><div class="detail-content"><p>${PARA}\uD800\u0000 kết thúc.</p><p>${PARA}</p></div></body></html>`;
    const story = extractArticlePage(html, PAGE_URL);
    expect(story?.body[0]).toBe(`${PARA} kết thúc.`);
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const wrapped = `<div class="detail-content"><p>${text}</p></div>`;
        extractArticlePage(text, PAGE_URL);
        extractArticlePage(wrapped, "::bad url::");
      }),
      { numRuns: 150 },
    );
  });
});

describe("extractArticlePage: body details", () => {
  const url = "https://baolaocai.vn/a-post1.html";

  it("keeps a figure without an image (a pull quote) as text", () => {
    const html = `<html><body><h1 class="detail-title">Tiêu đề</h1><div class="detail-content"><p>${PARA}</p><figure><blockquote>Câu trích dẫn quan trọng của nhân vật trong bài viết này.</blockquote></figure><p>${PARA} Hai.</p></div></body></html>`;
    expect(extractArticlePage(html, url)?.body).toEqual([
      PARA,
      "Câu trích dẫn quan trọng của nhân vật trong bài viết này.",
      `${PARA} Hai.`,
    ]);
  });

  it("drops 'Đọc thêm:' lines, date lines and share lines inside the body", () => {
    const html = `<html><body><h1 class="detail-title">Tiêu đề</h1><div class="detail-content"><p>Thứ hai, 26/01/2026 08:27</p><p>${PARA}</p><p>Đọc thêm: <a href="/x">Một bài khác</a></p><p>Chia sẻ: Facebook | Zalo</p><p>${PARA} Hai.</p></div></body></html>`;
    expect(extractArticlePage(html, url)?.body).toEqual([PARA, `${PARA} Hai.`]);
  });
});

describe("extractArticlePage: short briefs and invisible characters (fixtures/hostile/pages)", () => {
  const hostilePage = (name: string) =>
    readFileSync(new URL(`../fixtures/hostile/pages/${name}`, import.meta.url), "utf8");
  const url = "https://baolaocai.vn/mo-them-gio-lam-viec-post480201.html";

  it("a known CMS layout with headline, lead and one short paragraph is a story", () => {
    const story = extractArticlePage(hostilePage("cms-brief.html"), url, null, { now: NOW });
    expect(story).toEqual({
      title: "Mở thêm giờ làm việc tại cửa khẩu phụ Bản Vược",
      lead: "Từ ngày 1/2, cửa khẩu phụ Bản Vược làm việc đến 22 giờ.",
      body: ["Việc này giúp hàng hóa thông quan nhanh hơn dịp cuối năm."],
      photos: [
        {
          url: "https://baolaocai.vn/uploads/2026/01/26/ban-vuoc.jpg",
          caption: "Cửa khẩu phụ Bản Vược.",
        },
      ],
      author: "Thu Hà",
      publishedAt: "2026-01-26T01:27:00.000Z",
    });
  });

  it("without its lead, or without a paragraph, the same brief is not a story", () => {
    const page = hostilePage("cms-brief.html");
    const noLead = page.replace(/<div class="article__sapo">.*?<\/div>/, "");
    expect(extractArticlePage(noLead, url, null, { now: NOW })).toBeNull();
    const noParagraph = page.replace(/<p>Việc này.*?<\/p>/, "");
    expect(extractArticlePage(noParagraph, url, null, { now: NOW })).toBeNull();
  });

  it("a page no known layout fits keeps the Readability minimum", () => {
    expect(
      extractArticlePage(hostilePage("generic-brief.html"), url, null, { now: NOW }),
    ).toBeNull();
  });

  it("drops format characters from headline, lead and body, keeping emoji whole", () => {
    const story = extractArticlePage(hostilePage("format-characters.html"), url, null, {
      now: NOW,
    });
    expect(story?.title).toBe("Hà Nội đón đoàn công tác của tỉnh Lào Cai");
    expect(story?.lead).toBe(
      "Đoàn công tác của tỉnh Lào Cai làm việc tại Hà Nội về hợp tác phát triển du lịch.",
    );
    expect(story?.body[0]).toContain("về đối ngoại, du lịch");
    expect(story?.body[1]).toMatch(/^Lãnh đạo hai địa phương cam kết/);
    expect(story?.body[1]).toContain("👨\u200D👩\u200D👧");
    const text = [story?.title, story?.lead, ...(story?.body ?? [])].join("\n");
    expect(text.replace(/👨\u200D👩\u200D👧/gu, "")).not.toMatch(/\p{Cf}/u);
  });
});

describe("extractArticlePage: furniture words match whole parts of class names", () => {
  const paragraphs = [
    "The river rose two metres overnight and the old bridge was closed to traffic at dawn.",
    "Engineers from the province inspected the piers and found cracks in two of them.",
    "Traffic now goes through the ferry crossing, which doubled its trips for the week.",
    "The new bridge, built upstream, is due to open next spring after three years of work.",
  ];
  const page = `<!doctype html><html><head><title>Bridge closed after flood</title></head><body>
    <header class="site-menu"><a href="/">Home</a></header>
    <main><div class="post-shared-content entry">
      <h1>Bridge closed after flood</h1>
      ${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
      <div class="share-buttons"><a href="#">Share on Facebook</a><a href="#">Tweet</a></div>
      <div class="advertorial_free-zone"><p>Readers can write to the desk with their photos of the flood.</p></div>
    </div></main>
    <aside class="box_related"><a href="/x">Another story about bridges</a></aside>
  </body></html>`;
  const story = extractArticlePage(page, "https://example.org/news/bridge-closed");

  it("keeps a story whose wrapper's class holds a furniture word inside a longer one", () => {
    expect(story).not.toBeNull();
    expect(story?.body.slice(0, 4)).toEqual(paragraphs);
    expect(story?.body).toContain("Readers can write to the desk with their photos of the flood.");
  });

  it("still drops the share bar and the related box", () => {
    const text = allText(story as ExtractedStory);
    expect(text).not.toContain("Share on Facebook");
    expect(text).not.toContain("Another story about bridges");
  });
});

describe("extractArticlePage: when a known selector finds less than the story", () => {
  const story = [
    "The council approved the new school budget on Tuesday after a long debate about class sizes.",
    "Teachers had asked for more staff in the primary schools, where classes now hold forty pupils.",
    "The budget adds twelve posts next year and another twelve the year after, the council said.",
    "Parents who spoke at the meeting welcomed the plan but asked for a date for the new building.",
    "The mayor said the building would be tendered in spring and open to pupils in two years' time.",
  ];

  it("does not take a reader's comment that carries the story's class", () => {
    const page = `<html><head><title>School budget approved</title></head><body>
      <h1>School budget approved</h1>
      <div class="entry-content">Updated 10:00</div>
      <div class="story">${story.map((p) => `<p>${p}</p>`).join("")}</div>
      <div class="comments"><div class="entry-content"><p>Great news for our town, I have two children in the primary school and we waited years for this. Thank you to everyone on the council who voted for it this week.</p></div></div>
    </body></html>`;
    const extracted = extractArticlePage(page, "https://example.org/school-budget");
    expect(extracted?.body).toEqual(story);
  });

  it("takes the generic reader's story when the layout's block holds only part of it", () => {
    const page = `<html><head><title>School budget approved</title></head><body>
      <h1>School budget approved</h1>
      <div class="post-content"><p>${story[0]}</p><p>${story[1]}</p></div>
      <div class="post-more">${story
        .slice(2)
        .map((p) => `<p>${p}</p>`)
        .join("")}</div>
    </body></html>`;
    const extracted = extractArticlePage(page, "https://example.org/school-budget");
    expect(extracted?.body).toEqual(story);
  });
});

describe("extractArticlePage: a furniture word on the story's own wrapper", () => {
  it("keeps the paragraphs of a wrapper classed 'article-body pagination-first'", () => {
    const paragraphs = [
      "Three cases of a rare disease were found in the north of the country this week, officials said.",
      "Two of the patients are being treated in the capital; the third is in a provincial hospital.",
      "Health workers are tracing everyone the patients met in the ten days before they fell ill.",
      "The ministry said the risk to the public was low and that the cases were under control.",
    ];
    const page = `<html><head><title>Rare disease found</title></head><body>
      <header class="article-header"><h1>Rare disease found</h1><p class="subtitle">Officials say the risk is low.</p></header>
      <div class="article-body pagination-first">${paragraphs.map((p) => `<p>${p}</p>`).join("")}</div>
      <div class="pagination"><a href="?page=2">Next page</a></div>
    </body></html>`;
    const story = extractArticlePage(page, "https://example.org/rare-disease");
    expect(story?.body).toEqual(expect.arrayContaining(paragraphs));
    expect(allText(story as ExtractedStory)).not.toContain("Next page");
  });
});

describe("extractArticlePage: the story goes on after a marker", () => {
  const first = [
    "The provincial council met on Monday to discuss the road linking the two border towns.",
    "Members heard that the first section had been finished ahead of time and under budget.",
  ];
  const rest = [
    "The second section crosses the river and needs a bridge, which the council will tender in May.",
    "Residents of the villages along the route asked that the old track stay open during the works.",
    "The council agreed and said the new road would open to traffic before the next rainy season.",
    "Traders in both towns expect the road to halve the time their goods take to reach the market.",
  ];
  const paragraphs = (list: string[]) => list.map((p) => `<p>${p}</p>`).join("");

  it("keeps the rest of the story behind a 'Read more' button", () => {
    const page = `<html><body><article><h1>Border road</h1><h2 class="sapo">The first section of the border road is finished.</h2>
      <div class="article-content">${paragraphs(first)}
        <div class="zn-body__read-more"><div class="read-more-button">Read More</div></div>
        <div class="zn-body__read-all">${paragraphs(rest)}</div>
      </div></article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/border-road");
    expect(story?.body).toEqual([...first, ...rest]);
  });

  it("drops a related heading and its links inside the story, and keeps what follows", () => {
    const page = `<html><body><article><h1>Border road</h1><h2 class="sapo">The first section of the border road is finished.</h2>
      <div class="article-content">${paragraphs(first)}
        <h2>Related news</h2>
        <ul><li><a href="/a">Bridge tender opens in May for the second section of the road</a></li>
        <li><a href="/b">Villages along the border ask for their old track to stay open</a></li></ul>
        ${paragraphs(rest)}
      </div></article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/border-road");
    expect(story?.body).toEqual([...first, ...rest]);
  });
});

describe("extractArticlePage: length rules in every script", () => {
  it("reads a Chinese story whose paragraphs are short in characters", () => {
    const paragraphs = [
      "台风今天下午在沿海地区登陆，多地发布暴雨红色预警。",
      "气象部门表示，未来两天仍有强降雨，请市民减少外出。",
      "学校和部分工厂已经停课停工，交通部门暂停了渡轮服务。",
      "救援队伍已在低洼地区待命，准备随时转移受影响的居民。",
    ];
    const page = `<html><head><title>台风登陆</title></head><body><article><h1>台风登陆</h1>
      ${paragraphs.map((p) => `<p>${p}</p>`).join("")}</article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/typhoon");
    expect(story?.body).toEqual(paragraphs);
  });
});

describe("extractArticlePage: the headline", () => {
  const body = [
    "Heavy rain overnight brought down a hillside above the town, blocking the main road for hours.",
    "Rescue teams from the province worked through the morning to reach the houses that were hit.",
    "The district said two people were missing and that the search would go on through the night.",
  ]
    .map((p) => `<p>${p}</p>`)
    .join("");

  it("is not the blog's name in an h1 nor a label above the story", () => {
    const page = `<html><head><title>Landslide blocks the main road | Mountain Notes</title>
      <meta property="og:site_name" content="Mountain Notes"></head><body>
      <header><h1 class="site-title">Mountain Notes</h1></header>
      <main><div class="label">Weather</div><h2>Landslide blocks the main road</h2>${body}</main>
    </body></html>`;
    expect(extractArticlePage(page, "https://example.org/landslide")?.title).toBe(
      "Landslide blocks the main road",
    );
  });

  it("is the heading the page's title agrees with when a layout's class sits on the banner", () => {
    const page = `<html><head><title>September open thread - The Desk Blog</title>
      <meta property="og:site_name" content="The Desk Blog"></head><body>
      <div id="banner"><h1 class="title">The Desk Blog</h1></div>
      <h1 class="entry-title">September open thread</h1>
      <div class="entry-content">${body}</div></body></html>`;
    expect(extractArticlePage(page, "https://example.org/open-thread")?.title).toBe(
      "September open thread",
    );
  });

  it("from <title>, loses the site's name and nothing else", () => {
    const cases: [string, string, string][] = [
      [
        "Sạt lở ở Sa Pa, 2 người mất tích - Báo Lào Cai",
        "Báo Lào Cai",
        "Sạt lở ở Sa Pa, 2 người mất tích",
      ],
      [
        "Hà Nội - Lào Cai: cao tốc thông xe, 2 người mất tích | VnExpress",
        "",
        "Hà Nội - Lào Cai: cao tốc thông xe, 2 người mất tích",
      ],
      [
        "Báo Lào Cai - Sạt lở ở Sa Pa, 2 người mất tích",
        "Báo Lào Cai",
        "Sạt lở ở Sa Pa, 2 người mất tích",
      ],
      ["Sạt lở ở Sa Pa, 2 người mất tích", "", "Sạt lở ở Sa Pa, 2 người mất tích"],
    ];
    for (const [title, site, headline] of cases) {
      const page = `<html><head><title>${title}</title>${site ? `<meta property="og:site_name" content="${site}">` : ""}</head>
        <body><div class="story">${body}</div></body></html>`;
      expect(extractArticlePage(page, "https://example.org/x")?.title, title).toBe(headline);
    }
  });
});

describe("extractArticlePage: byline and captions", () => {
  const paragraphs = [
    "Farmers in the highland communes began the rice harvest a week early this year, the district said.",
    "A dry autumn ripened the terraces quickly, and machines hired from the lowlands are in short supply.",
    "The district has asked cooperatives to share their harvesters so that no field waits too long.",
  ];

  it("takes the story's closing byline over a <meta name=author> that names the site", () => {
    const page = `<html><head><title>Early harvest</title><meta name="author" content="Báo Điện tử Vùng Cao"></head>
      <body><article><h1>Early harvest</h1>${paragraphs.map((p) => `<p>${p}</p>`).join("")}
      <p><strong>Minh Anh</strong></p></article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/harvest");
    expect(story?.author).toBe("Minh Anh");
    expect(story?.body).toEqual(paragraphs);
  });

  it("keeps the figcaption under the story's photo", () => {
    const page = `<html><head><title>Early harvest</title></head><body><article><h1>Early harvest</h1>
      <p>${paragraphs[0]}</p>
      <figure><img src="/img/terraces.jpg" alt=""><figcaption>Terraces in Mù Cang Chải at harvest time. Photo: Minh Anh</figcaption></figure>
      ${paragraphs
        .slice(1)
        .map((p) => `<p>${p}</p>`)
        .join("")}</article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/harvest");
    expect(story?.photos).toEqual([
      {
        url: "https://example.org/img/terraces.jpg",
        caption: "Terraces in Mù Cang Chải at harvest time. Photo: Minh Anh",
      },
    ]);
    expect(story?.body).toEqual(paragraphs);
  });
});

describe("extractArticlePage: galleries and players inside the body", () => {
  const paragraphs = [
    "Hotel rooms are cleaned every day, but some things in them are cleaned far less often than guests think.",
    "Two managers who run hotel companies in the United States shared what they check first in a new room.",
    "Both said the bedspread and the remote control were the things they would never touch without a wipe.",
  ];
  const slides = Array.from(
    { length: 50 },
    (_, i) =>
      `<li><img src="/g/${i}.jpg" alt=""><h2><span class="counter">${i + 1}/50</span> Market day ${i + 1}</h2><p>Slide caption number ${i + 1} about another story entirely.</p></li>`,
  ).join("");
  const page = `<html><head><title>What hotels do not tell you</title></head><body><article>
    <h1>What hotels do not tell you</h1>
    <div itemprop="articleBody">
      <p>${paragraphs[0]}</p>
      <div class="video-js vjs-default-skin"><div class="vjs-control-bar"><span class="vjs-control-text">Play Video</span><span>Loaded: 0%</span></div></div>
      <p>${paragraphs[1]}</p>
      <div class="container grid-mod-gallery"><h2 class="gallery-title">Business news in pictures</h2><ul>${slides}</ul></div>
      <p>${paragraphs[2]}</p>
      <div class="slideshow"><figure><img src="/s/1.jpg" alt=""><figcaption>The bedspread, rarely washed.</figcaption></figure>
        <figure><img src="/s/2.jpg" alt=""><figcaption>The remote control.</figcaption></figure></div>
    </div></article></body></html>`;
  const story = extractArticlePage(page, "https://example.org/hotels");

  it("reads a long slideshow as no part of the story, and a short one as its photos", () => {
    expect(story?.body).toEqual(paragraphs);
    expect(story?.photos).toEqual([
      { url: "https://example.org/s/1.jpg", caption: "The bedspread, rarely washed." },
      { url: "https://example.org/s/2.jpg", caption: "The remote control." },
    ]);
    const text = allText(story as ExtractedStory);
    expect(text).not.toContain("Slide caption");
    expect(text).not.toContain("Play Video");
  });
});

describe("extractArticlePage: lists of links", () => {
  it("keeps a list of links inside the story and drops the one after it", () => {
    const intro =
      "The ministry published three guides for farmers this week, each on a different crop season.";
    const outro =
      "Officials said printed copies would reach every commune office before the end of the month.";
    const page = `<html><head><title>Guides for farmers</title></head><body><article><h1>Guides for farmers</h1>
      <div class="article-content"><p>${intro}</p><p>${intro.replace("three", "the")}</p>
      <ul><li><a href="/g1">Planting rice in the spring season</a></li>
      <li><a href="/g2">Caring for tea hills in the dry months</a></li></ul>
      <p>${outro}</p>
      <ul><li><a href="/other1">Storm expected in the north next week</a></li>
      <li><a href="/other2">Fuel prices go down again today</a></li></ul></div>
    </article></body></html>`;
    const story = extractArticlePage(page, "https://example.org/guides");
    expect(story?.body).toEqual([
      intro,
      intro.replace("three", "the"),
      "Planting rice in the spring season",
      "Caring for tea hills in the dry months",
      outro,
    ]);
  });
});
