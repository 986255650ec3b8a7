/**
 * Feed text to items: RSS (0.9x, 1.0, 2.0) and Atom in xml-feed.ts, JSON Feed in json-feed.ts,
 * the finishing every item gets in items.ts.
 */
import { parseDateTime } from "../../text/date";
import { FeedParseError, type ParsedFeed } from "./items";
import { parseJsonFeed } from "./json-feed";
import { parseXmlFeed } from "./xml-feed";

export {
  type FeedItem,
  FeedParseError,
  htmlToText,
  LEAD_MAX_CHARS,
  MAX_ITEMS,
  type ParsedFeed,
} from "./items";

/** A feed's date field as ISO UTC, or null (src/text/date.ts says which forms are read). */
export function parseFeedDate(raw: string | null | undefined): string | null {
  return parseDateTime(raw);
}

function stripPrologAndComments(text: string): string {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith("<?")) {
      const end = rest.indexOf("?>");
      if (end === -1) return rest;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith("<!--")) {
      const end = rest.indexOf("-->");
      if (end === -1) return rest;
      rest = rest.slice(end + 3);
    } else {
      return rest;
    }
  }
}

function looksLikeHtml(text: string): boolean {
  const start = stripPrologAndComments(text).slice(0, 200);
  return /^<!doctype\s+html\b/i.test(start) || /^<(html|head|body)\b/i.test(start);
}

/**
 * RSS (0.9x, 1.0, 2.0), Atom or JSON Feed 1.x text to items. Pure: no I/O, no clock.
 * Throws FeedParseError for anything that is not a readable feed.
 */
export function parseFeed(text: string, feedUrl: string): ParsedFeed {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body === "") throw new FeedParseError("the document is empty, not a feed");
  if (body.startsWith("{")) return parseJsonFeed(body, feedUrl);
  if (looksLikeHtml(body)) throw new FeedParseError("this is an HTML page, not a feed");
  if (!body.startsWith("<")) {
    throw new FeedParseError("not a feed: the document is neither XML nor JSON");
  }
  return parseXmlFeed(body, feedUrl);
}
