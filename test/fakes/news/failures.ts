/** The ways a path can misbehave (FailMode): errors, stalls, huge or hostile bodies. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TextDecoder } from "node:util";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import type { Newsroom } from "./newsroom";
import { feedTitle, isFeedSlug, SITE_NAME, type SiteRenderer } from "./render";
import {
  cacheableReply,
  HTML_TYPE,
  htmlReply,
  isNotModified,
  type Reply,
  RSS_TYPE,
  sendReply,
} from "./reply";
import { cdata } from "./text";
import type { FailMode } from "./types";

/** What a failure mode needs of the site. */
export interface SiteParts {
  base: string;
  news: Newsroom;
  render: SiteRenderer;
  /** The normal answer for a URL. */
  route(url: URL): Reply;
}

// windows-1258: a byte table from TextDecoder, and an encoder that decomposes tones into the
// code page's combining marks where there is no precomposed letter.
let cp1258: Map<string, number> | undefined;
function encodeWindows1258(text: string): Buffer {
  if (!cp1258) {
    cp1258 = new Map();
    const decoder = new TextDecoder("windows-1258");
    for (let b = 0; b < 256; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      if (ch !== "\uFFFD" && !cp1258.has(ch)) cp1258.set(ch, b);
    }
  }
  const table = cp1258;
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const direct = table.get(ch);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    // Keep the marks the code page has as combining characters (the five tones) apart, and
    // recompose the rest: "ậ" is "â" + U+0323.
    const parts = [...ch.normalize("NFD")];
    const tones = parts.filter((p) => /\p{M}/u.test(p) && table.has(p));
    const base = table.get(
      parts
        .filter((p) => !tones.includes(p))
        .join("")
        .normalize("NFC"),
    );
    const done = base !== undefined && tones.length > 0;
    if (done) out.push(base, ...tones.map((t) => table.get(t) as number));
    if (!done) out.push(0x3f);
  }
  return Buffer.from(out);
}

/** A feed cut off inside its first element: the start of stalled and endless bodies. */
const UNFINISHED_RSS = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>';

let gzipBomb: Buffer | undefined;
function getGzipBomb(): Buffer {
  if (!gzipBomb) {
    const head = Buffer.from(UNFINISHED_RSS);
    gzipBomb = gzipSync(Buffer.concat([head, Buffer.alloc(16 * 1024 * 1024, 0x20)]));
  }
  return gzipBomb;
}

/** Streams mib MiB of a feed that never ends its title, declaring the length or not. */
async function streamHuge(res: ServerResponse, mib: number, declareLength: boolean): Promise<void> {
  const total = mib * 1024 * 1024;
  const headers: Record<string, string> = {
    "content-type": RSS_TYPE,
  };
  if (declareLength) headers["content-length"] = String(total);
  res.writeHead(200, headers);
  const head = Buffer.from(UNFINISHED_RSS);
  const chunk = Buffer.alloc(64 * 1024, "Tin tức ");
  let sent = 0;
  const write = (buf: Buffer) =>
    new Promise<void>((resolve) => {
      if (res.write(buf)) resolve();
      else {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      }
    });
  await write(head);
  sent += head.length;
  while (sent < total && !res.destroyed && !res.writableEnded) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
    await write(piece);
    sent += piece.length;
  }
  if (!res.destroyed) res.end();
}

/** The feed slug a path would serve, for failure modes that return feed-shaped bodies. */
function slugForPath(path: string): string {
  const m = /^\/(?:rss|atom|json)\/([a-z-]+)\.(?:rss|xml|json)$/.exec(path);
  return m?.[1] && isFeedSlug(m[1]) ? m[1] : "home";
}

function feedModeBody(mode: FailMode, path: string, site: SiteParts): Reply | null {
  const { base, render } = site;
  const slug = slugForPath(path);
  const now = site.news.lastModified(site.news.inFeed(slug));
  switch (mode) {
    case "malformed-xml":
      return cacheableReply(
        `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${feedTitle(slug)}</title>
<item><title>Tin bị lỗi</title><link>${base}/tin-bi-loi-post1.html</link>
<description>Thẻ không được đóng
</channel></rss>
`,
        RSS_TYPE,
        now,
      );
    case "html-as-feed":
      return htmlReply(render.listPage(null));
    case "entity-bomb": {
      const levels = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++) {
        levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
      }
      return cacheableReply(
        `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 ${levels.join("\n ")}
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>${base}/bom-post2.html</link><description>&lol9;</description></item>
</channel></rss>
`,
        RSS_TYPE,
        now,
      );
    }
    case "external-entity":
      return cacheableReply(
        `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 <!ENTITY passwd SYSTEM "file:///etc/passwd">
 <!ENTITY remote SYSTEM "http://127.0.0.1:1/x">
]>
<rss version="2.0"><channel><title>Tin &remote;</title>
<item><title>Mật khẩu &passwd;</title><link>${base}/xxe-post3.html</link><description>&passwd;</description></item>
</channel></rss>
`,
        RSS_TYPE,
        now,
      );
    case "windows-1258": {
      const body = encodeWindows1258(render.rss(slug, "", "windows-1258"));
      const reply = cacheableReply(body.toString("latin1"), "text/xml", now);
      return { ...reply, body };
    }
    case "item-no-link":
      return cacheableReply(
        render.rss(
          slug,
          `<item><title>${cdata("Tin không có đường dẫn")}</title><description>${cdata("Mục này thiếu thẻ link.")}</description><pubDate>Mon, 26 Jan 2026 07:00:00 +0700</pubDate></item>
<item><link>${base}/khong-tieu-de-post4.html</link><description>${cdata("Mục này thiếu tiêu đề.")}</description></item>
`,
        ),
        RSS_TYPE,
        now,
      );
    case "huge-item": {
      const huge = `<p>${"Nội dung rất dài của một bản tin thử nghiệm. ".repeat(45_000)}</p>`;
      return cacheableReply(
        render.rss(
          slug,
          `<item><title>${cdata("Bản tin có phần mô tả cực lớn")}</title><link>${base}/ban-tin-rat-dai-post5.html</link><pubDate>Tue, 27 Jan 2026 07:00:00 +0700</pubDate><description>${cdata(`<a href="${base}/ban-tin-rat-dai-post5.html"><img src="${base}/uploads/2026/01/27/dai.jpg" /></a></br>${huge}`)}</description></item>
`,
        ),
        RSS_TYPE,
        now,
      );
    }
    default:
      return null;
  }
}

/**
 * Answers a request the way `mode` says; false when the mode only delays, and the normal answer
 * should follow.
 */
export async function misbehave(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  mode: FailMode,
  site: SiteParts,
): Promise<boolean> {
  if (typeof mode === "object") {
    switch (mode.kind) {
      case "status":
        res.writeHead(mode.status, { "content-type": HTML_TYPE });
        res.end(`<html><body><h1>Lỗi ${mode.status}</h1></body></html>`);
        return true;
      case "redirect":
        res.writeHead(mode.status ?? 302, { location: mode.to });
        res.end();
        return true;
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, mode.ms));
        return res.destroyed;
      case "huge":
        await streamHuge(res, mode.mib ?? 8, mode.declareLength ?? false);
        return true;
    }
  }
  switch (mode) {
    case "timeout":
      return true; // never answer
    case "stall-body":
      res.writeHead(200, { "content-type": RSS_TYPE });
      res.write(`${UNFINISHED_RSS}Đang tải`);
      return true;
    case "redirect-loop": {
      const looped = url.searchParams.has("loop");
      res.writeHead(302, { location: looped ? url.pathname : `${url.pathname}?loop=1` });
      res.end();
      return true;
    }
    case "huge":
      await streamHuge(res, 8, false);
      return true;
    case "gzip-bomb": {
      const body = getGzipBomb();
      res.writeHead(200, {
        "content-type": RSS_TYPE,
        "content-encoding": "gzip",
        "content-length": String(body.length),
      });
      res.end(body);
      return true;
    }
    case "gzip":
    case "deflate":
    case "br": {
      const reply = site.route(url);
      if (isNotModified(req, reply)) {
        sendReply(req, res, reply);
        return true;
      }
      const raw = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
      const body =
        mode === "gzip"
          ? gzipSync(raw)
          : mode === "deflate"
            ? deflateSync(raw)
            : brotliCompressSync(raw);
      sendReply(req, res, {
        ...reply,
        headers: { ...reply.headers, "content-encoding": mode, vary: "Accept-Encoding" },
        body,
      });
      return true;
    }
    case "no-body-article": {
      const m = /-post(\d+)\.html$/.exec(url.pathname);
      const a = m ? site.news.find(Number(m[1])) : undefined;
      const html = a
        ? site.render.articlePage(a, { noBody: true })
        : site.render.page(
            SITE_NAME,
            '<h1 class="article__title">Video</h1><div class="video-player"></div>',
          );
      sendReply(req, res, htmlReply(html));
      return true;
    }
    default: {
      const reply = feedModeBody(mode, url.pathname, site);
      if (reply) sendReply(req, res, reply);
      return reply !== null;
    }
  }
}
