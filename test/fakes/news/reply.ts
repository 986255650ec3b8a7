/** Answers of the fake news site: HTML, cacheable feeds and pages, conditional GET. */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export const HTML_TYPE = "text/html; charset=utf-8";
export const RSS_TYPE = "application/rss+xml; charset=utf-8";

export function htmlReply(body: string, status = 200): Reply {
  return { status, headers: { "content-type": HTML_TYPE }, body };
}

/** A 200 with ETag, Last-Modified and a max-age, as the CMS serves feeds and articles. */
export function cacheableReply(body: string, contentType: string, modified: Date): Reply {
  return {
    status: 200,
    headers: {
      "content-type": contentType,
      etag: `"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`,
      "last-modified": modified.toUTCString(),
      "cache-control": "max-age=300",
    },
    body,
  };
}

export function isNotModified(req: IncomingMessage, reply: Reply): boolean {
  if (reply.status !== 200) return false;
  const inm = req.headers["if-none-match"];
  const etag = reply.headers.etag;
  if (inm !== undefined) {
    if (!etag) return false;
    const tags = inm.split(",").map((t) => t.trim().replace(/^W\//, ""));
    return tags.includes("*") || tags.includes(etag);
  }
  const ims = req.headers["if-modified-since"];
  const lm = reply.headers["last-modified"];
  if (ims !== undefined && lm) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Date.parse(lm) <= since;
  }
  return false;
}

export function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (isNotModified(req, reply)) {
    const headers: Record<string, string> = {};
    for (const name of ["etag", "last-modified", "cache-control"]) {
      const value = reply.headers[name];
      if (value) headers[name] = value;
    }
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
}
