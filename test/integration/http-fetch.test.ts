import iconv from "iconv-lite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canonicalUrl } from "../../src/news/canonical";
import { parseFeed } from "../../src/news/feed/parse-feed";
import {
  createFetcher,
  DEFAULT_USER_AGENT,
  decodeText,
  FetchError,
  type FetchResult,
} from "../../src/news/fetch/http-fetch";
import {
  EDITABLE_ARTICLE_ID,
  type FakeNewsSite,
  SEED_ARTICLE_ID,
  SHARED_ARTICLE_ID,
  startFakeNewsSite,
} from "../fakes/news-site";

let site: FakeNewsSite;
// The fake site is on 127.0.0.1: allowed here the way FETCH_ALLOW_PRIVATE allows an intranet feed.
const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });

beforeAll(async () => {
  site = await startFakeNewsSite();
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
});
beforeEach(() => {
  site.clearFailures();
  site.requests.length = 0;
});

function ok(result: FetchResult) {
  if (result.status !== "ok") throw new Error(`expected ok, got ${result.status}`);
  return result;
}

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error("expected a FetchError");
}

const lastRequest = () => site.requests[site.requests.length - 1];

describe("fetchText", () => {
  it("fetches a feed with its validators and sends the bot's User-Agent", async () => {
    const result = ok(await fetcher.fetchText(site.feedUrl("thoi-su")));
    expect(result.url).toBe(site.feedUrl("thoi-su"));
    expect(result.contentType).toBe("application/rss+xml; charset=utf-8");
    expect(result.etag).toMatch(/^"[0-9a-f]+"$/);
    expect(result.lastModified).toMatch(/GMT$/);
    expect(result.body).toContain(
      "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
    );
    expect(lastRequest()?.headers["user-agent"]).toBe(DEFAULT_USER_AGENT);
    expect(lastRequest()?.headers["accept-encoding"]).toContain("gzip");
  });

  it("makes conditional requests and reports not-modified on 304", async () => {
    const first = ok(await fetcher.fetchText(site.feedUrl("kinh-te")));
    const byEtag = await fetcher.fetchText(site.feedUrl("kinh-te"), { etag: first.etag });
    expect(byEtag).toEqual({ status: "not-modified" });
    expect(lastRequest()?.headers["if-none-match"]).toBe(first.etag);

    const byDate = await fetcher.fetchText(site.feedUrl("kinh-te"), {
      lastModified: first.lastModified,
    });
    expect(byDate).toEqual({ status: "not-modified" });
    expect(lastRequest()?.headers["if-modified-since"]).toBe(first.lastModified);
    expect(lastRequest()?.headers["if-none-match"]).toBeUndefined();
  });

  it("gets the new feed after a story is edited", async () => {
    const before = ok(await fetcher.fetchText(site.feedUrl("thoi-su")));
    site.editArticle(EDITABLE_ARTICLE_ID, {
      title:
        "Tổng Bí thư, Chủ tịch nước Lào kết thúc tốt đẹp chuyến thăm cấp Nhà nước tới Việt Nam",
    });
    const after = ok(
      await fetcher.fetchText(site.feedUrl("thoi-su"), {
        etag: before.etag,
        lastModified: before.lastModified,
      }),
    );
    expect(after.etag).not.toBe(before.etag);
    expect(after.lastModified).not.toBe(before.lastModified);
    expect(after.body).toContain("kết thúc tốt đẹp chuyến thăm");
    const page = ok(await fetcher.fetchText(site.articleUrl(EDITABLE_ARTICLE_ID)));
    expect(page.body).toContain("kết thúc tốt đẹp chuyến thăm");
  });

  it.each(["gzip", "deflate", "br"] as const)("decodes %s", async (encoding) => {
    const plain = ok(await fetcher.fetchText(site.feedUrl("van-hoa")));
    site.fail("/rss/van-hoa.rss", encoding);
    const encoded = ok(await fetcher.fetchText(site.feedUrl("van-hoa")));
    expect(encoded.body).toBe(plain.body);
  });

  it("stops a body that grows past the cap while streaming", async () => {
    site.fail("/rss/home.rss", "huge");
    const started = Date.now();
    const err = await fetchError(
      fetcher.fetchText(site.feedUrl("home"), { maxBytes: 1024 * 1024 }),
    );
    expect(err.kind).toBe("too-large");
    expect(err.message).toBe("response larger than 1 MiB");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a declared Content-Length above the cap before reading", async () => {
    site.fail("/rss/home.rss", { kind: "huge", mib: 6, declareLength: true });
    const err = await fetchError(fetcher.fetchText(site.feedUrl("home")));
    expect(err.kind).toBe("too-large");
    expect(err.message).toBe("response larger than 5 MiB");
  });

  it("applies the cap to decompressed bytes (gzip bomb)", async () => {
    site.fail("/rss/home.rss", "gzip-bomb");
    const err = await fetchError(fetcher.fetchText(site.feedUrl("home")));
    expect(err.kind).toBe("too-large");
  });

  it("times out a server that never answers", async () => {
    site.fail("/rss/xa-hoi.rss", "timeout");
    const started = Date.now();
    const err = await fetchError(fetcher.fetchText(site.feedUrl("xa-hoi"), { timeoutMs: 300 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe("timed out after 0.3 s");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("times out a body that stalls after the headers", async () => {
    site.fail("/rss/xa-hoi.rss", "stall-body");
    const err = await fetchError(fetcher.fetchText(site.feedUrl("xa-hoi"), { timeoutMs: 300 }));
    expect(err.kind).toBe("timeout");
  });

  it("follows redirects and reports the final URL", async () => {
    site.fail("/rss/old-feed.rss", { kind: "redirect", to: "/rss/the-thao.rss", status: 301 });
    const result = ok(await fetcher.fetchText(`${site.url}/rss/old-feed.rss`));
    expect(result.url).toBe(site.feedUrl("the-thao"));
    expect(result.body).toContain("U17 Lào Cai");
  });

  it("detects redirect loops", async () => {
    site.fail("/rss/home.rss", "redirect-loop");
    const err = await fetchError(fetcher.fetchText(site.feedUrl("home")));
    expect(err.kind).toBe("redirect-loop");
    expect(err.message).toBe(`redirect loop at ${site.feedUrl("home")}`);
  });

  it("bounds redirect chains", async () => {
    site.fail("/a", { kind: "redirect", to: "/b" });
    site.fail("/b", { kind: "redirect", to: "/c" });
    site.fail("/c", { kind: "redirect", to: "/rss/home.rss" });
    const err = await fetchError(fetcher.fetchText(`${site.url}/a`, { maxRedirects: 2 }));
    expect(err.kind).toBe("too-many-redirects");
    expect(ok(await fetcher.fetchText(`${site.url}/a`, { maxRedirects: 3 })).url).toBe(
      site.feedUrl("home"),
    );
  });

  it.each([
    [404, "HTTP 404 Not Found"],
    [500, "HTTP 500 Internal Server Error"],
  ])("turns HTTP %i into an error an operator can read", async (status, message) => {
    site.fail("/rss/kinh-te.rss", { kind: "status", status });
    const err = await fetchError(fetcher.fetchText(site.feedUrl("kinh-te")));
    expect(err.kind).toBe("http");
    expect(err.status).toBe(status);
    expect(err.message).toBe(message);
  });

  it("refuses non-web URLs and reports refused connections", async () => {
    expect((await fetchError(fetcher.fetchText("ftp://127.0.0.1/feed"))).kind).toBe("bad-url");
    expect((await fetchError(fetcher.fetchText("not a url"))).kind).toBe("bad-url");
    const refused = await fetchError(fetcher.fetchText("http://127.0.0.1:1/feed.rss"));
    expect(refused.kind).toBe("network");
    expect(refused.message).toBe("could not fetch from 127.0.0.1:1: connection refused");
  });

  it("decodes a windows-1258 feed declared only in the XML prolog", async () => {
    site.fail("/rss/kinh-te.rss", "windows-1258");
    const result = ok(await fetcher.fetchText(site.feedUrl("kinh-te")));
    expect(result.contentType).toBe("text/xml");
    const feed = parseFeed(result.body, result.url);
    expect(feed.title).toBe("Báo Lào Cai - Kinh tế");
    expect(feed.items.map((i) => i.title)).toContain(
      "Kim ngạch xuất nhập khẩu qua cửa khẩu Lào Cai tăng mạnh đầu năm",
    );
    expect(feed.items.map((i) => i.title)).toContain("Nông dân Văn Chấn tất bật vào vụ chè xuân");
  });

  it("never has more than perHostConcurrency requests in flight to one host", async () => {
    const limited = createFetcher({ perHostConcurrency: 2, allowPrivate: ["127.0.0.1"] });
    site.fail("/rss/the-thao.rss", { kind: "delay", ms: 80 });
    site.resetStats();
    const results = await Promise.all(
      Array.from({ length: 7 }, () => limited.fetchText(site.feedUrl("the-thao"))),
    );
    expect(results.every((r) => r.status === "ok")).toBe(true);
    expect(site.stats.maxInFlight).toBe(2);
  });
});

/** Text as windows-1258 writes it: a letter it has (ê, ơ, đ …) and the tone as a combining mark. */
function toWindows1258(text: string): Buffer {
  const tones = /[\u0300\u0301\u0303\u0309\u0323]/g;
  const parts = [...text.normalize("NFC")].map((char) => {
    const whole = iconv.encode(char, "windows-1258");
    if (iconv.decode(whole, "windows-1258") === char) return whole;
    const split = char.normalize("NFD");
    const base = split.replace(tones, "").normalize("NFC");
    return iconv.encode(base + (split.match(tones) ?? []).join(""), "windows-1258");
  });
  return Buffer.concat(parts);
}

describe("decodeText", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("prefers the HTTP charset, then the prolog, then <meta>, else UTF-8", () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><t>café</t>', "latin1");
    expect(decodeText(latin1, "text/xml")).toContain("café");
    expect(decodeText(utf8("<t>Lào Cai</t>"), "text/xml; charset=UTF-8")).toBe("<t>Lào Cai</t>");
    const meta = Buffer.from('<html><head><meta charset="iso-8859-1"></head>é</html>', "latin1");
    expect(decodeText(meta, "text/html")).toContain("é");
    expect(decodeText(utf8("Lào Cai"), null)).toBe("Lào Cai");
  });

  it("reads windows-1252 as windows-1252, also when labelled ISO-8859-1 or ASCII", () => {
    // don’t “quoted” – … in windows-1252: the bytes Node 20.20's own decoder turns into C1
    // controls (nodejs/node#60888), which the text cleaner then deletes.
    const text = "don’t “quoted” – € …";
    const bytes = iconv.encode(text, "windows-1252");
    for (const label of ["windows-1252", "ISO-8859-1", "latin1", "us-ascii"]) {
      expect(decodeText(bytes, `text/html; charset=${label}`), label).toBe(text);
    }
    const prolog = iconv.encode(
      `<?xml version="1.0" encoding="iso-8859-1"?><title>${text}</title>`,
      "windows-1252",
    );
    expect(decodeText(prolog, "application/xml")).toContain(`<title>${text}</title>`);
  });

  it("reads a Vietnamese page in windows-1258, the old Vietnamese code page", () => {
    const page =
      '<html><head><meta charset="windows-1258"></head><h1>Lào Cai đón 1,2 triệu lượt khách</h1></html>';
    const bytes = toWindows1258(page);
    expect(bytes.includes(0xd2)).toBe(false); // no hook above here…
    expect(bytes.includes(0xf2)).toBe(true); // …but dot below (ệ, ợ) as a combining mark
    expect(decodeText(bytes, "text/html").normalize("NFC")).toBe(page);
  });

  it.each([
    [
      "Big5",
      "big5",
      "台灣新聞：颱風來襲，各地停班停課，請民眾注意安全。台北市政府宣布明天停止上班上課。",
    ],
    [
      "EUC-JP",
      "euc-jp",
      "東京で大雨警報が発表されました。気象庁によりますと、今夜から明日にかけて激しい雨が降る見込みです。",
    ],
    [
      "Shift_JIS",
      "shift_jis",
      "東京で大雨警報が発表されました。気象庁によりますと、今夜から明日にかけて激しい雨が降る見込みです。",
    ],
    [
      "EUC-KR",
      "euc-kr",
      "서울에 폭우 경보가 내려졌습니다. 기상청에 따르면 오늘 밤부터 내일까지 많은 비가 내릴 것으로 예상됩니다.",
    ],
  ])("reads an undeclared %s page by its bytes, not as U+FFFD", (_name, charset, text) => {
    const page = `<html><body><p>${text}</p><p>${text}</p></body></html>`;
    const decoded = decodeText(iconv.encode(page, charset), "text/html");
    expect(decoded).not.toContain("\uFFFD");
    expect(decoded).toContain(text);
  });

  it("falls back to UTF-8 for unknown labels and honours a BOM", () => {
    expect(decodeText(utf8("Lào Cai"), "text/plain; charset=x-klingon")).toBe("Lào Cai");
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("<t>Hà Nội</t>", "utf16le"),
    ]);
    expect(decodeText(utf16, "text/xml; charset=utf-8")).toBe("<t>Hà Nội</t>");
  });
});

describe("the fake news site", () => {
  it("serves the seed article as a CMS page with furniture around the story", async () => {
    const page = ok(await fetcher.fetchText(site.articleUrl(SEED_ARTICLE_ID)));
    expect(page.body).toContain(
      '<h1 class="article__title">Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người</h1>',
    );
    expect(page.body).toContain('<div class="article__sapo">Trong 2 ngày (7 - 8/12)');
    expect(page.body).toContain("<figcaption>Quang cảnh hội nghị.</figcaption>");
    expect(page.body).toContain("Tin cùng chuyên mục");
    expect(page.body).toContain("Có thể bạn quan tâm");
    expect(page.body).toContain("08/12/2023 17:30");
  });

  it("puts one story in two feeds, with a tracking parameter in one of them", async () => {
    const thoiSu = parseFeed(ok(await fetcher.fetchText(site.feedUrl("thoi-su"))).body, site.url);
    const xaHoi = parseFeed(ok(await fetcher.fetchText(site.feedUrl("xa-hoi"))).body, site.url);
    const url = site.articleUrl(SHARED_ARTICLE_ID);
    const inThoiSu = thoiSu.items.find((i) => i.guid === url);
    const inXaHoi = xaHoi.items.find((i) => i.guid === url);
    expect(inThoiSu?.link).toBe(url);
    expect(inXaHoi?.link).toMatch(/\?utm_source=rss/);
    expect(canonicalUrl(inXaHoi?.link ?? "")).toBe(canonicalUrl(url));
  });

  it("serves an article page without a recognisable body on request", async () => {
    site.fail(site.articlePath(SEED_ARTICLE_ID), "no-body-article");
    const page = ok(await fetcher.fetchText(site.articleUrl(SEED_ARTICLE_ID)));
    expect(page.body).toContain("article__title");
    expect(page.body).not.toContain("article__body");
  });

  it("closes even with a request left hanging", async () => {
    const other = await startFakeNewsSite();
    other.fail("/rss/home.rss", "timeout");
    const pending = fetcher.fetchText(other.feedUrl("home"), { timeoutMs: 5000 }).catch((e) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect(await pending).toBeInstanceOf(FetchError);
  });
});
