import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FeedParseError,
  LEAD_MAX_CHARS,
  parseFeed,
  parseFeedDate,
} from "../../src/news/feed/parse-feed";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), "utf8");
const FEED_URL = "https://baolaocai.vn/rss/thoi-su.rss";

function parseError(fn: () => unknown): FeedParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FeedParseError);
    return err as FeedParseError;
  }
  throw new Error("expected a FeedParseError");
}

describe("parseFeed: RSS 2.0 as Vietnamese CMSes write it", () => {
  const feed = parseFeed(fixture("rss-cdata.xml"), FEED_URL);

  it("reads the channel and every item", () => {
    expect(feed.title).toBe("Báo Lào Cai - Thời sự");
    expect(feed.items).toHaveLength(4);
    expect(feed.skipped).toEqual([]);
  });

  it("splits the CDATA description into picture and lead", () => {
    const [first] = feed.items;
    expect(first).toEqual({
      title: "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
      link: "https://baolaocai.vn/nang-cao-chat-luong-cong-tac-thong-tin-doi-ngoai-ve-quyen-con-nguoi-post370001.html",
      guid: "https://baolaocai.vn/nang-cao-chat-luong-cong-tac-thong-tin-doi-ngoai-ve-quyen-con-nguoi-post370001.html",
      publishedAt: "2023-12-08T10:30:00.000Z",
      lead: "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người.",
      imageUrl: "https://cdn.baolaocai.vn/images/2023/12/08/111.jpg",
      author: "Minh Ngọc",
      media: [],
    });
  });

  it("normalises to NFC, decodes entities, strips tags and scripts, resolves relative links", () => {
    const item = feed.items[1];
    expect(item?.title).toBe("Gắn kết từ mô hình “Ngày cuối tuần cùng dân” ở xã Yên Bình");
    expect(item?.title).toBe(item?.title.normalize("NFC"));
    expect(item?.link).toBe(
      "https://baolaocai.vn/gan-ket-tu-mo-hinh-ngay-cuoi-tuan-cung-dan-o-xa-yen-binh-post480103.html?utm_source=rss&utm_medium=feed",
    );
    expect(item?.guid).toBe("post480103");
    expect(item?.lead).toBe(
      'Ngày 25/1, phòng Cảnh sát giao thông & Công an xã Yên Bình ra quân dọn dẹp, vệ sinh môi trường trên tuyến đường "Hương Lý".',
    );
    // Lazy-loaded picture: data-src wins over the placeholder.
    expect(item?.imageUrl).toBe("https://baolaocai.vn/images/2026/01/26/yen-binh.jpg");
    expect(item?.author).toBeNull();
  });

  it("reads escaped HTML descriptions, enclosures and media:content", () => {
    expect(feed.items[2]?.lead).toBe(
      "Kim ngạch đạt hơn 520 triệu USD, tăng 18% so với cùng kỳ & cao nhất từ trước đến nay.",
    );
    expect(feed.items[2]?.imageUrl).toBe("https://cdn.baolaocai.vn/images/2026/01/26/cua-khau.jpg");
    expect(feed.items[2]?.author).toBe("quangminh@baolaocai.vn (Quang Minh)");
    expect(feed.items[2]?.guid).toBeNull();
    expect(feed.items[3]?.imageUrl).toBe("https://cdn.baolaocai.vn/images/2026/01/25/viet-da.jpg");
    expect(feed.items[3]?.lead).toBe("Sáng 25/1, giải Việt dã thu hút hơn 1.000 vận động viên.");
  });
});

describe("parseFeed: Atom", () => {
  const feed = parseFeed(fixture("atom.xml"), "https://baolaocai.vn/atom/van-hoa.xml");

  it("reads entries with html titles, alternate links and summaries", () => {
    expect(feed.title).toBe("Báo Lào Cai - Văn hóa");
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toEqual({
      title: "Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh”",
      link: "https://baolaocai.vn/chuong-trinh-nghe-thuat-post480107.html",
      guid: "tag:baolaocai.vn,2026:post480107",
      publishedAt: "2026-01-25T15:10:00.000Z",
      lead: "Tối 25/1, tại Quảng trường 19/8 (phường Yên Bái) đã diễn ra chương trình nghệ thuật.",
      imageUrl: "https://cdn.baolaocai.vn/images/2026/01/26/nghe-thuat.jpg",
      author: "Thu Trang",
      media: [],
    });
  });

  it("reads xhtml content, relative links, updated as the date and enclosure pictures", () => {
    const entry = feed.items[1];
    expect(entry?.link).toBe("https://baolaocai.vn/gau-tao-bac-ha-post480108.html");
    expect(entry?.publishedAt).toBe("2026-01-24T09:45:00.000Z");
    expect(entry?.lead).toContain("ném pa pao");
    expect(entry?.imageUrl).toBe("https://cdn.baolaocai.vn/images/2026/01/24/gau-tao.jpg");
    expect(entry?.author).toBeNull();
  });
});

describe("parseFeed: JSON Feed", () => {
  const feed = parseFeed(fixture("jsonfeed.json"), "https://baolaocai.vn/json/the-thao.json");

  it("reads items, keeps plain-text summaries as text, skips items without a URL", () => {
    expect(feed.title).toBe("Báo Lào Cai - Thể thao");
    expect(feed.items.map((i) => i.guid)).toEqual(["480110", "480109"]);
    expect(feed.items[0]?.lead).toBe(
      "Với chiến thắng 2-1 trước U17 Phú Thọ, U17 Lào Cai giành ngôi nhất bảng <không phải thẻ>.",
    );
    expect(feed.items[0]?.imageUrl).toBe("https://cdn.baolaocai.vn/images/u17.jpg");
    expect(feed.items[0]?.author).toBe("Đức Anh");
    expect(feed.items[0]?.publishedAt).toBe("2026-01-24T13:00:00.000Z");
    expect(feed.items[1]?.lead).toBe("Hơn 1.000 vận động viên tranh tài.");
    expect(feed.items[1]?.imageUrl).toBe("https://baolaocai.vn/images/viet-da.jpg");
    expect(feed.items[1]?.author).toBe("Văn Thông");
    expect(feed.skipped).toEqual([{ reason: "item 3: no link (“Tin không có địa chỉ”)" }]);
  });

  it("refuses JSON that is not a JSON Feed, and broken JSON", () => {
    expect(parseError(() => parseFeed('{"hello": 1}', FEED_URL)).message).toMatch(
      /not a JSON Feed/,
    );
    expect(parseError(() => parseFeed('{"version": ', FEED_URL)).message).toMatch(
      /^not valid JSON/,
    );
  });
});

describe("parseFeed: documents that are not feeds", () => {
  it("reports malformed XML clearly", () => {
    const err = parseError(() => parseFeed(fixture("malformed.xml"), FEED_URL));
    expect(err.message).toMatch(/^not well-formed XML: .*\(line \d+, column \d+\)$/);
  });

  it("recognises an HTML page served as a feed", () => {
    expect(parseError(() => parseFeed(fixture("html-page.html"), FEED_URL)).message).toBe(
      "this is an HTML page, not a feed",
    );
    expect(
      parseError(() => parseFeed("<html><body><p>x</p></body></html>", FEED_URL)).message,
    ).toBe("this is an HTML page, not a feed");
  });

  it("refuses entity declarations quickly and never expands them", () => {
    const started = performance.now();
    const bomb = parseError(() => parseFeed(fixture("entity-bomb.xml"), FEED_URL));
    expect(bomb.message).toBe("feed declares entities; refused");
    const xxe = parseError(() => parseFeed(fixture("external-entity.xml"), FEED_URL));
    expect(xxe.message).toBe("feed declares entities; refused");
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("leaves undeclared entity references alone instead of resolving them", () => {
    const feed = parseFeed(
      `<rss version="2.0"><channel><title>T</title><item><title>A &passwd; B</title><link>https://x.vn/a</link></item></channel></rss>`,
      FEED_URL,
    );
    expect(feed.items[0]?.title).toBe("A &passwd; B");
  });

  it("names other roots, empty documents and plain text", () => {
    expect(parseError(() => parseFeed("<sitemap><url/></sitemap>", FEED_URL)).message).toMatch(
      /<sitemap>/,
    );
    expect(parseError(() => parseFeed("  \n", FEED_URL)).message).toMatch(/empty/);
    expect(parseError(() => parseFeed("Service Unavailable", FEED_URL)).message).toMatch(
      /neither XML nor JSON/,
    );
  });
});

describe("parseFeed: dates", () => {
  const feed = parseFeed(fixture("dates.xml"), FEED_URL);
  const byTitle = Object.fromEntries(feed.items.map((i) => [i.title, i.publishedAt]));

  it("reads RFC 822 with +0700, GMT, ISO 8601 and day-first Vietnamese times", () => {
    const expected = "2026-01-26T01:27:00.000Z";
    expect(byTitle["rfc822-plus7"]).toBe(expected);
    expect(byTitle["rfc822-gmt"]).toBe(expected);
    expect(byTitle["iso-offset"]).toBe(expected);
    expect(byTitle["iso-z-dc"]).toBe(expected);
    expect(byTitle["vn-local"]).toBe(expected);
    expect(byTitle["no-zone"]).toBe(expected);
  });

  it("gives null for missing, unreadable or impossible dates", () => {
    expect(byTitle.missing).toBeNull();
    expect(byTitle.garbage).toBeNull();
    expect(byTitle.impossible).toBeNull();
  });

  it("parseFeedDate handles the odd spellings", () => {
    expect(parseFeedDate("Mon, 26 Jan 26 08:27 +0700")).toBe("2026-01-26T01:27:00.000Z");
    expect(parseFeedDate("26 Jan 2026 08:27:00 GMT+7")).toBe("2026-01-26T01:27:00.000Z");
    expect(parseFeedDate("2026-01-26")).toBe("2026-01-25T17:00:00.000Z");
    expect(parseFeedDate("2026-01-26T08:27:00.123+0700")).toBe("2026-01-26T01:27:00.000Z");
    expect(parseFeedDate("")).toBeNull();
    expect(parseFeedDate(null)).toBeNull();
    expect(parseFeedDate("Mon, 26 Foo 2026 08:27:00 +0700")).toBeNull();
  });
});

describe("parseFeed: items without link or title", () => {
  it("skips them with a reason, and accepts a permalink guid as the link", () => {
    const feed = parseFeed(fixture("missing-link-title.xml"), FEED_URL);
    expect(feed.items.map((i) => [i.title, i.link])).toEqual([
      ["Đường dẫn trong guid", "https://baolaocai.vn/guid-post3.html"],
      ["Tin hợp lệ", "https://baolaocai.vn/hop-le-post4.html"],
    ]);
    expect(feed.skipped.map((s) => s.reason)).toEqual([
      "item 1: no link (“Tin không có đường dẫn”)",
      "item 2: no title, so there is no headline to show (https://baolaocai.vn/khong-tieu-de-post2.html)",
      "item 3: link is not a web address (javascript:alert(1))",
    ]);
  });
});

describe("parseFeed: a huge item", () => {
  it("parses a 2 MB description quickly and truncates the lead", () => {
    const huge = `<p>${"Nội dung rất dài của bản tin. ".repeat(70_000)}</p>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Tin rất dài</title><link>https://baolaocai.vn/dai-post1.html</link>
<description><![CDATA[<a href="https://baolaocai.vn/dai-post1.html"><img src="https://cdn.baolaocai.vn/dai.jpg" /></a></br>${huge}]]></description></item>
<item><title>Tin ngắn</title><link>https://baolaocai.vn/ngan-post2.html</link></item>
</channel></rss>`;
    expect(xml.length).toBeGreaterThan(2_000_000);
    const started = performance.now();
    const feed = parseFeed(xml, FEED_URL);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(feed.items).toHaveLength(2);
    const lead = feed.items[0]?.lead ?? "";
    expect(lead.length).toBeLessThanOrEqual(LEAD_MAX_CHARS + 1);
    expect(lead.length).toBeGreaterThan(LEAD_MAX_CHARS / 2);
    expect(lead.endsWith("…")).toBe(true);
    expect(feed.items[0]?.imageUrl).toBe("https://cdn.baolaocai.vn/dai.jpg");
    expect(feed.items[1]?.lead).toBe("");
  });
});
