/**
 * Fetching feeds and pages over HTTP: conditional GET, redirects followed by hand (loops and
 * limits checked), a timeout per hop, a size cap, at most a few requests per host at once, and
 * the fetch guard (guard.ts) on every connection of every hop. Every outbound fetch of content
 * goes through a Fetcher made here.
 */
import { STATUS_CODES } from "node:http";
import type { LookupFunction } from "node:net";
import { type Dispatcher, request } from "undici";
import { decodeText, discard, readBody } from "./body";
import { FetchError, formatBytes, networkError } from "./fetch-error";
import { createGuardedAgent, parseAllowList, refuseLiteral } from "./guard";
import { HostLimiter } from "./host-limiter";

export { decodeText } from "./body";
export { FetchError, type FetchErrorKind, formatBytes } from "./fetch-error";

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
  /** Stops the fetch (waiting for a slot, connecting or reading) with a FetchError "aborted". */
  signal?: AbortSignal;
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

export interface Fetcher {
  fetchText(url: string, options?: FetchOptions): Promise<FetchResult>;
  /** Closes kept-alive connections; fetches still in flight are cut. */
  close(): Promise<void>;
}

export interface FetcherOptions {
  userAgent?: string;
  /** At most this many requests in flight to one host (host:port). Default 2. */
  perHostConcurrency?: number;
  /**
   * FETCH_ALLOW_PRIVATE: hosts ("name" or "name:port", "*" for all) that may resolve to private
   * addresses. Default empty: loopback, private, link-local ... addresses are refused.
   */
  allowPrivate?: readonly string[];
  /** Name resolution for the guard (dns.lookup by default); tests pass their own. */
  lookup?: LookupFunction;
}

export const DEFAULT_USER_AGENT = "bantin/0.1 (+news bot)";
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5";
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** "15 s", "0.3 s". */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
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

/** Why a fetch was stopped from outside, as a FetchError. */
function abortedError(signal: AbortSignal): FetchError {
  const reason: unknown = signal.reason;
  if (reason instanceof FetchError) return reason;
  const why = reason instanceof Error && reason.name !== "AbortError" ? reason.message : "";
  return new FetchError("aborted", why ? `stopped: ${why}` : "stopped before it finished");
}

export function createFetcher(opts: FetcherOptions = {}): Fetcher {
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const limiter = new HostLimiter(Math.max(1, opts.perHostConcurrency ?? 2));
  const allowList = parseAllowList(opts.allowPrivate ?? []);
  const dispatcher: Dispatcher = createGuardedAgent({
    allowPrivate: opts.allowPrivate ?? [],
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
  });

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

    const outer = options.signal;
    let release: () => void;
    try {
      release = await limiter.acquire(url.host, outer);
    } catch (err) {
      if (outer?.aborted) throw abortedError(outer);
      throw err;
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new FetchError("timeout", `timed out after ${formatSeconds(timeoutMs)}`));
    }, timeoutMs);
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    const timeoutError = () =>
      new FetchError("timeout", `timed out after ${formatSeconds(timeoutMs)}`);
    /** What stopped the request: our timeout, the caller's signal, or the network. */
    const failure = (err: unknown) => {
      if (outer?.aborted) return abortedError(outer);
      if (timedOut) return timeoutError();
      return networkError(url, err);
    };
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: "GET",
          headers,
          signal: controller.signal,
          dispatcher,
        });
      } catch (err) {
        throw failure(err);
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
        if (outer?.aborted || timedOut) throw failure(err);
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
      outer?.removeEventListener("abort", onOuterAbort);
      release();
    }
  }

  async function fetchText(rawUrl: string, options: FetchOptions = {}): Promise<FetchResult> {
    const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let url = parseHttpUrl(rawUrl);
    const seen = new Set<string>([url.href]);
    for (let redirects = 0; ; redirects++) {
      // A private IP literal is refused before any connection; names are judged on connect.
      const refused = refuseLiteral(url, allowList);
      if (refused) throw refused;
      if (options.signal?.aborted) throw abortedError(options.signal);
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

  return {
    fetchText,
    async close() {
      await dispatcher.destroy();
    },
  };
}
