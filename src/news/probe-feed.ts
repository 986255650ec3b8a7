/**
 * What an address holds, asked once before a feed is added: a feed (with its title and how many
 * stories it lists), a web page that names its feeds (`<link rel="alternate">`), or something
 * that is neither, or nothing at all (a 404, a refused private address, a timeout). Every fetch
 * goes through the fetch guard like ingest's.
 */
import { cleanLine } from "../text/normalize";
import { attr, parseDocument, safeQueryAll } from "./extract/dom";
import { absoluteHttpUrl } from "./feed/items";
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
  const doc = parseDocument(html.slice(0, 500_000));
  if (!doc) return [];
  const found: { url: string; title: string }[] = [];
  const seen = new Set<string>();
  for (const link of safeQueryAll(doc, "link[rel][href]")) {
    if (!attr(link, "rel").toLowerCase().split(/\s+/).includes("alternate")) continue;
    if (!FEED_TYPES.test(attr(link, "type").trim())) continue;
    const url = absoluteHttpUrl(attr(link, "href"), pageUrl);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    found.push({ url, title: cleanLine(attr(link, "title")) });
    if (found.length === MAX_FEEDS) break;
  }
  return found;
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
