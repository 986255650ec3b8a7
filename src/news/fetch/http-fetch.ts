import { STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { TextDecoder } from "node:util";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { type Dispatcher, request } from "undici";

export interface FetchOptions {
  /** ETag from the last successful fetch: sent as If-None-Match. */
  etag?: string | null;
  /** Last-Modified from the last successful fetch: sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Per request (each redirect hop), headers and body together. Default 15000. */
  timeoutMs?: number;
  /** Cap on the decoded (decompressed) body. Default 5 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Accept header; the default prefers feeds, then HTML. */
  accept?: string;
}

export type FetchResult =
  | { status: "not-modified" }
  | {
      status: "ok";
      /** Final URL, after redirects. */
      url: string;
      /** Decoded text. */
      body: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    };

export type FetchErrorKind =
  | "timeout"
  | "too-large"
  | "redirect-loop"
  | "too-many-redirects"
  | "http"
  | "network"
  | "bad-url";

/** A fetch that failed, with a message an operator can read in `source list`. */
export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  readonly status?: number;

  constructor(
    kind: FetchErrorKind,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FetchError";
    this.kind = kind;
    if (options?.status !== undefined) this.status = options.status;
  }
}

export interface Fetcher {
  fetchText(url: string, options?: FetchOptions): Promise<FetchResult>;
}

export interface FetcherOptions {
  userAgent?: string;
  /** At most this many requests in flight to one host (host:port). Default 2. */
  perHostConcurrency?: number;
  /** undici dispatcher (Agent, MockAgent, ...); the global one by default. */
  dispatcher?: Dispatcher;
}

export const DEFAULT_USER_AGENT = "bantin/0.1 (+news bot)";
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5";
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** "5 MiB", "512 KiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${Number((bytes / mib).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** "15 s", "0.3 s". */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A counting semaphore per host, so one slow site is never hit by many requests at once. */
class HostLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async acquire(host: string): Promise<() => void> {
    let slot = this.slots.get(host);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(host, slot);
    }
    const s = slot;
    if (s.active < this.limit) {
      s.active++;
    } else {
      // The releaser hands its slot over directly, so `active` stays the same.
      await new Promise<void>((resolve) => s.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      if (next) {
        next();
        return;
      }
      s.active--;
      if (s.active === 0) this.slots.delete(host);
    };
  }
}

function parseHttpUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new FetchError("bad-url", `not a valid web address: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchError("bad-url", `only http and https addresses can be fetched, not ${raw}`);
  }
  url.hash = "";
  return url;
}

function header(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_CLOSED: "connection closed",
  EPROTO: "TLS handshake failed",
  CERT_HAS_EXPIRED: "the site's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the site's TLS certificate is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the site's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the site's TLS certificate is for another name",
};

function networkError(url: URL, err: unknown): FetchError {
  if (err instanceof FetchError) return err;
  const code = (err as { code?: string } | null)?.code;
  const what = (code && NETWORK_CODES[code]) ?? (err instanceof Error ? err.message : String(err));
  return new FetchError("network", `could not fetch from ${url.host}: ${what}`, { cause: err });
}

/** Drops a body we will not read; the error a destroyed body emits is expected, not a crash. */
function discard(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

function decoderFor(encoding: string): NodeJS.ReadWriteStream | null {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

/** Reads the body, undoing Content-Encoding, and stops as soon as it passes `maxBytes`. */
async function readBody(
  body: Readable,
  contentEncoding: string | null,
  maxBytes: number,
): Promise<Buffer> {
  const encodings = (contentEncoding ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== "" && e !== "identity");
  let stream: NodeJS.ReadableStream = body;
  // Encodings are listed in the order applied, so undo them from the last one.
  for (const encoding of encodings.reverse()) {
    const decoder = decoderFor(encoding);
    if (!decoder) {
      discard(body);
      throw new FetchError("http", `the site used an unsupported content encoding: ${encoding}`);
    }
    stream = pipeline(stream, decoder, () => {});
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new FetchError("too-large", `response larger than ${formatBytes(maxBytes)}`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const code = (err as { code?: string } | null)?.code ?? "";
    if (code.startsWith("Z_") || code.startsWith("ERR_BROTLI") || code === "ERR__ERROR_FORMAT") {
      throw new FetchError(
        "network",
        `could not decompress the response (${encodings.join(", ")})`,
        {
          cause: err,
        },
      );
    }
    throw err;
  } finally {
    if (!body.destroyed) discard(body);
    if (stream !== body) {
      const decoded = stream as Readable;
      decoded.on("error", () => {});
      decoded.destroy();
    }
  }
  return Buffer.concat(chunks, total);
}

function labelFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1] ?? null;
}

/** Charset declared inside the document: the XML prolog, else an HTML meta tag. */
function labelFromDocument(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  const prolog = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (prolog?.[1]) return prolog[1];
  if (/^\s*<\?xml/.test(head)) return null;
  const meta =
    /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

function sniffBom(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return "utf-8";
  if (a === 0xfe && b === 0xff) return "utf-16be";
  if (a === 0xff && b === 0xfe) return "utf-16le";
  // "<?" in UTF-16 without a BOM.
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return "utf-16le";
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return "utf-16be";
  return null;
}

function makeDecoder(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

/**
 * Bytes to text: a byte-order mark wins, then the HTTP charset, then the XML prolog's
 * encoding, then an HTML `<meta charset>`, else UTF-8. Unknown labels fall back to UTF-8;
 * bytes that are not valid in the charset become U+FFFD rather than an error.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  const decoder =
    makeDecoder(sniffBom(bytes)) ??
    makeDecoder(labelFromContentType(contentType)) ??
    makeDecoder(labelFromDocument(bytes)) ??
    new TextDecoder("utf-8");
  return decoder.decode(bytes);
}

export function createFetcher(opts: FetcherOptions = {}): Fetcher {
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const limiter = new HostLimiter(Math.max(1, opts.perHostConcurrency ?? 2));
  const dispatcher = opts.dispatcher;

  async function fetchOnce(
    url: URL,
    options: FetchOptions,
  ): Promise<
    | { kind: "redirect"; location: string; status: number }
    | { kind: "not-modified" }
    | {
        kind: "ok";
        body: string;
        contentType: string | null;
        etag: string | null;
        lastModified: string | null;
      }
  > {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const headers: Record<string, string> = {
      "user-agent": userAgent,
      accept: options.accept ?? DEFAULT_ACCEPT,
      "accept-encoding": "gzip, deflate, br",
    };
    if (options.etag) headers["if-none-match"] = options.etag;
    if (options.lastModified) headers["if-modified-since"] = options.lastModified;

    const release = await limiter.acquire(url.host);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new FetchError("timeout", `timed out after ${formatSeconds(timeoutMs)}`));
    }, timeoutMs);
    const timeoutError = () =>
      new FetchError("timeout", `timed out after ${formatSeconds(timeoutMs)}`);
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: "GET",
          headers,
          signal: controller.signal,
          ...(dispatcher ? { dispatcher } : {}),
        });
      } catch (err) {
        if (timedOut) throw timeoutError();
        throw networkError(url, err);
      }
      const status = res.statusCode;
      const location = header(res.headers, "location");
      if (REDIRECT_STATUSES.has(status) && location) {
        discard(res.body);
        return { kind: "redirect", location, status };
      }
      if (status === 304) {
        discard(res.body);
        return { kind: "not-modified" };
      }
      if (status < 200 || status >= 300) {
        discard(res.body);
        const text = STATUS_CODES[status] ?? "";
        throw new FetchError("http", `HTTP ${status}${text ? ` ${text}` : ""}`, { status });
      }
      const declared = Number(header(res.headers, "content-length"));
      if (Number.isFinite(declared) && declared > maxBytes) {
        controller.abort();
        discard(res.body);
        throw new FetchError("too-large", `response larger than ${formatBytes(maxBytes)}`);
      }
      let bytes: Buffer;
      try {
        bytes = await readBody(res.body, header(res.headers, "content-encoding"), maxBytes);
      } catch (err) {
        if (timedOut) throw timeoutError();
        if (err instanceof FetchError) {
          controller.abort();
          throw err;
        }
        throw networkError(url, err);
      }
      const contentType = header(res.headers, "content-type");
      return {
        kind: "ok",
        body: decodeText(bytes, contentType),
        contentType,
        etag: header(res.headers, "etag"),
        lastModified: header(res.headers, "last-modified"),
      };
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  async function fetchText(rawUrl: string, options: FetchOptions = {}): Promise<FetchResult> {
    const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let url = parseHttpUrl(rawUrl);
    const seen = new Set<string>([url.href]);
    for (let redirects = 0; ; redirects++) {
      const outcome = await fetchOnce(url, options);
      if (outcome.kind === "not-modified") return { status: "not-modified" };
      if (outcome.kind === "ok") {
        return {
          status: "ok",
          url: url.href,
          body: outcome.body,
          contentType: outcome.contentType,
          etag: outcome.etag,
          lastModified: outcome.lastModified,
        };
      }
      const next = parseHttpUrl(outcome.location, url.href);
      if (seen.has(next.href)) {
        throw new FetchError("redirect-loop", `redirect loop at ${next.href}`);
      }
      if (redirects >= maxRedirects) {
        throw new FetchError(
          "too-many-redirects",
          `more than ${maxRedirects} redirects (last to ${next.href})`,
        );
      }
      seen.add(next.href);
      url = next;
    }
  }

  return { fetchText };
}
