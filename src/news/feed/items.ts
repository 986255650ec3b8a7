/**
 * What every feed format comes down to: raw items (title, link, date, HTML) finished into
 * FeedItems the same way, with plain-text leads, absolute links and a picture where there is one.
 */
import { decodeHTML } from "entities";
import { parseDateTime } from "../../text/date";
import { cleanLine } from "../../text/normalize";
import { truncate } from "../../text/truncate";

export interface FeedItem {
  title: string;
  /** Absolute http(s) URL of the story. */
  link: string;
  guid: string | null;
  /** ISO 8601 in UTC, or null when the feed gave no date we could read. */
  publishedAt: string | null;
  /** Plain text, NFC, at most LEAD_MAX_CHARS letters, cut after a whole word. */
  lead: string;
  imageUrl: string | null;
  author: string | null;
  /** Audio and video the item carries (enclosures, Media RSS, attachments), at most a few. */
  media: FeedMedia[];
}

/** A sound or a film a feed item carries: a broadcaster's programme. */
export interface FeedMedia {
  url: string;
  kind: "audio" | "video";
  /** The MIME type the feed gave ("audio/mpeg"), or "" when it gave none. */
  type: string;
  /** Its size in bytes when the feed gave it (RSS enclosure length), else null. */
  bytes: number | null;
}

/** Media kept per item: a programme is one file, sometimes offered in two formats. */
export const MAX_MEDIA = 3;

const AUDIO_EXTENSION = /\.(mp3|m4a|aac|ogg|oga|opus|wav)(\?|#|$)/i;
const VIDEO_EXTENSION = /\.(mp4|m4v|webm|mov)(\?|#|$)/i;

/**
 * A media file named by URL, type, medium (Media RSS) and length, when it is audio or video;
 * null for pictures and anything else.
 */
export function mediaOf(
  url: string | null,
  type: string | null,
  medium: string | null,
  length: string | null,
): FeedMedia | null {
  if (!url) return null;
  const mime = (type ?? "").trim().toLowerCase();
  const kind =
    medium === "audio" || mime.startsWith("audio/")
      ? "audio"
      : medium === "video" || mime.startsWith("video/")
        ? "video"
        : !mime && !medium && AUDIO_EXTENSION.test(url)
          ? "audio"
          : !mime && !medium && VIDEO_EXTENSION.test(url)
            ? "video"
            : null;
  if (!kind) return null;
  const size = Number(length);
  return { url, kind, type: mime, bytes: Number.isSafeInteger(size) && size > 0 ? size : null };
}

export interface ParsedFeed {
  title: string;
  items: FeedItem[];
  /** Items left out, each with a reason an operator can read. */
  skipped: { reason: string }[];
}

/** The document is not a feed we can read; the message says why in plain words. */
export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeedParseError";
  }
}

export const LEAD_MAX_CHARS = 1000;
/** Items past this many are ignored (one skipped entry says how many). */
export const MAX_ITEMS = 1000;
/** HTML beyond this many characters of one field is not looked at. */
const MAX_HTML_CHARS = 100_000;
/** Names and links quoted in skip reasons are cut to this many characters. */
const MAX_QUOTED_CHARS = 80;

/** An item as a format reader found it, before the shared checks and clean-up. */
export interface RawItem {
  title: string;
  link: string | null;
  /** The link as written, for saying why it was refused. */
  rawLink: string;
  guid: string | null;
  date: string | null;
  html: string;
  /** A picture named outside the HTML (enclosure, media:content, JSON Feed image). */
  extraImage: string | null;
  author: string | null;
  /** Audio and video named outside the HTML. */
  media?: FeedMedia[];
}

/** Each file once, at most MAX_MEDIA. */
function uniqueMedia(media: FeedMedia[]): FeedMedia[] {
  const seen = new Set<string>();
  return media.filter((m) => !seen.has(m.url) && seen.add(m.url)).slice(0, MAX_MEDIA);
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function emptyToNull(text: string): string | null {
  return text === "" ? null : text;
}

export function firstNonEmpty(...values: string[]): string {
  return values.find((v) => v.trim() !== "") ?? "";
}

/** Tags that sit inside words and sentences: removed without leaving a space. */
const INLINE_TAGS =
  /^(a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)$/i;

function capHtml(html: string): string {
  if (html.length <= MAX_HTML_CHARS) return html;
  return html.slice(0, MAX_HTML_CHARS).replace(/<[^>]*$/, "");
}

/** HTML (or plain text) to one clean line: tags out, entities decoded, NFC, spaces collapsed. */
export function htmlToText(html: string): string {
  const text = capHtml(html)
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<\/?([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>/g, (_tag, name: string) =>
      INLINE_TAGS.test(name) ? "" : " ",
    )
    .replace(/<![^>]*>/g, " ");
  return cleanLine(decodeHTML(text));
}

export function absoluteHttpUrl(raw: string | null | undefined, base: string): string | null {
  if (!raw) return null;
  const trimmed = cleanLine(raw);
  if (trimmed === "") return null;
  try {
    const url = new URL(trimmed, base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.href;
  } catch {
    return null;
  }
}

/** The first real picture in a piece of HTML (lazy-loading attributes preferred). */
export function firstImage(html: string, base: string): string | null {
  const capped = capHtml(html);
  for (const match of capped.matchAll(/<img\b[^>]*>/gi)) {
    const tag = match[0];
    for (const name of ["data-src", "data-original", "data-lazy-src", "src"]) {
      const found = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(
        tag,
      );
      const value = found ? (found[1] ?? found[2] ?? found[3] ?? "") : "";
      if (value === "" || value.startsWith("data:")) continue;
      const url = absoluteHttpUrl(decodeHTML(value), base);
      if (url) return url;
    }
  }
  return null;
}

function shorten(text: string, max: number): string {
  return truncate(text, max, { atWordBoundary: true });
}

function quote(text: string): string {
  return `“${shorten(text, MAX_QUOTED_CHARS)}”`;
}

/**
 * Raw items to FeedItems: items without a usable link or a title are skipped with a reason,
 * and past MAX_ITEMS the rest are counted, not read. `kind` names an item in reasons.
 */
export function finishItems(raws: RawItem[], kind: string): Pick<ParsedFeed, "items" | "skipped"> {
  const items: FeedItem[] = [];
  const skipped: { reason: string }[] = [];
  raws.slice(0, MAX_ITEMS).forEach((raw, index) => {
    const n = index + 1;
    if (!raw.link) {
      if (raw.rawLink !== "") {
        skipped.push({
          reason: `${kind} ${n}: link is not a web address (${shorten(raw.rawLink, MAX_QUOTED_CHARS)})`,
        });
      } else {
        skipped.push({
          reason: `${kind} ${n}: no link${raw.title ? ` (${quote(raw.title)})` : ""}`,
        });
      }
      return;
    }
    if (!raw.title) {
      skipped.push({
        reason: `${kind} ${n}: no title, so there is no headline to show (${raw.link})`,
      });
      return;
    }
    items.push({
      title: raw.title,
      link: raw.link,
      guid: raw.guid,
      publishedAt: parseDateTime(raw.date),
      lead: shorten(htmlToText(raw.html), LEAD_MAX_CHARS),
      imageUrl: firstImage(raw.html, raw.link) ?? raw.extraImage,
      author: raw.author,
      media: uniqueMedia(raw.media ?? []),
    });
  });
  if (raws.length > MAX_ITEMS) {
    skipped.push({ reason: `${raws.length - MAX_ITEMS} more items ignored (limit ${MAX_ITEMS})` });
  }
  return { items, skipped };
}
