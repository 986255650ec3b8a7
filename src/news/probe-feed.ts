/**
 * What an address holds, asked once before a feed is added: a feed (with its title and how many
 * stories it lists), a web page that names its feeds (`<link rel="alternate">`), or something
 * that is neither, or nothing at all (a 404, a refused private address, a timeout). Every fetch
 * goes through the fetch guard like ingest's.
 */
import { FeedParseError, parseFeed } from "./feed/parse-feed";
import { FetchError } from "./fetch/fetch-error";
import type { Fetcher } from "./fetch/http-fetch";

export type FeedProbe =
  | { kind: "feed"; url: string; title: string; items: number }
  | { kind: "page"; url: string; feeds: { url: string; title: string }[] }
  | { kind: "notFeed"; url: string; reason: string }
  | { kind: "unreachable"; url: string; reason: string };

const FEED_TYPES = /^application\/(?:rss\+xml|atom\+xml|feed\+json|json|xml)$|^text\/xml$/i;
/** A page names its feeds in its head; few name more than a handful. */
const MAX_FEEDS = 20;

/** `<link rel="alternate" type="application/rss+xml" href="…" title="…">` of an HTML page. */
export function declaredFeeds(html: string, pageUrl: string): { url: string; title: string }[] {
  const found: { url: string; title: string }[] = [];
  const seen = new Set<string>();
  for (const [tag] of html.slice(0, 500_000).matchAll(/<link\b[^>]*>/gi)) {
    const attr = (name: string) =>
      new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
        .exec(tag)
        ?.slice(1)
        .find((v) => v !== undefined)
        ?.trim() ?? "";
    if (!attr("rel").toLowerCase().split(/\s+/).includes("alternate")) continue;
    if (!FEED_TYPES.test(attr("type"))) continue;
    let url: string;
    try {
      url = new URL(decodeEntities(attr("href")), pageUrl).href;
    } catch {
      continue;
    }
    if (!/^https?:/.test(url) || seen.has(url)) continue;
    seen.add(url);
    found.push({ url, title: decodeEntities(attr("title")) });
    if (found.length === MAX_FEEDS) break;
  }
  return found;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

export async function probeFeed(fetcher: Fetcher, url: string): Promise<FeedProbe> {
  let fetched: Awaited<ReturnType<Fetcher["fetchText"]>>;
  try {
    fetched = await fetcher.fetchText(url);
  } catch (error) {
    const reason = error instanceof FetchError ? error.message : String(error);
    return { kind: "unreachable", url, reason };
  }
  if (fetched.status !== "ok") return { kind: "unreachable", url, reason: "no answer" };
  try {
    const feed = parseFeed(fetched.body, fetched.url);
    return { kind: "feed", url: fetched.url, title: feed.title, items: feed.items.length };
  } catch (error) {
    if (!(error instanceof FeedParseError)) throw error;
    const feeds = declaredFeeds(fetched.body, fetched.url);
    if (feeds.length > 0) return { kind: "page", url: fetched.url, feeds };
    return { kind: "notFeed", url: fetched.url, reason: error.message };
  }
}
