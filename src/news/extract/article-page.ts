/**
 * Full-story extraction from an article page's HTML: pure (HTML in, story out), never throws.
 *
 * Order of attempts: the source's own selectors, then the selectors of the Vietnamese news CMS
 * family (baolaocai.vn and its cousins: h1 + sapo + body block), then Mozilla Readability.
 * Whatever found the body, the same walker turns it into paragraphs and photos and drops the
 * page furniture (related stories, share bars, ads, comments, scripts).
 */
import { Readability } from "@mozilla/readability";
import { DOMParser } from "linkedom";
import { cleanLine } from "../../text/normalize";
import type { ExtractorSelectors } from "../sources";

export type { ExtractorSelectors } from "../sources";

export interface ExtractedPhoto {
  url: string;
  caption: string;
}

export interface ExtractedStory {
  title: string;
  lead: string;
  body: string[];
  photos: ExtractedPhoto[];
  author: string | null;
  /** ISO 8601 in UTC, e.g. "2026-01-26T01:27:00.000Z". */
  publishedAt: string | null;
}

export interface ExtractOptions {
  /** "Now" for rejecting future dates; defaults to the system clock. */
  now?: Date;
}

// ---------------------------------------------------------------------------------------------
// A minimal structural view of the DOM linkedom gives us (the project compiles without lib.dom).

interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  textContent: string | null;
  parentNode: DomNode | null;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
}

interface DomElement extends DomNode {
  localName: string;
  parentElement: DomElement | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  contains(other: DomNode | null): boolean;
  remove(): void;
}

interface DomDocument {
  documentElement: DomElement | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Pages beyond this many characters are cut: a news story fits well inside. */
const MAX_HTML_CHARS = 3_000_000;
/** Deeper than this, a document is treated as hostile and yields nothing. */
const MAX_DEPTH = 1_000;
/** Readability is quadratic-ish in nesting depth; pathological pages skip it. */
const READABILITY_MAX_DEPTH = 200;
const READABILITY_MAX_ELEMENTS = 15_000;
/** A story needs at least this much body text, with one real paragraph. */
const MIN_BODY_CHARS = 140;
const MIN_LONGEST_PARAGRAPH = 60;
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const VIETNAM_OFFSET_MINUTES = 7 * 60;

// ---------------------------------------------------------------------------------------------
// Selectors of the Vietnamese news CMS family, most specific first.

const CMS_TITLE = [
  "h1.article__title",
  ".article__title",
  "h1.detail-title",
  ".detail-title",
  "h1.title-detail",
  ".title-detail",
  "h1.detail__title",
  "h1.title",
  "h1.post-title",
  "h1.entry-title",
  "article h1",
  "h1",
];
const CMS_LEAD = [
  ".article__sapo",
  ".detail-sapo",
  ".sapo-detail",
  ".detail__summary",
  "h2.sapo",
  ".sapo",
  ".article__lead",
  ".lead",
];
const CMS_BODY = [
  ".article__body",
  ".detail-content",
  ".content-detail",
  ".detail__content",
  ".detail-body",
  ".article-content",
  ".article__content",
  ".cms-body",
  "[itemprop=articleBody]",
  ".entry-content",
  ".post-content",
  "#content",
];

/** Never content, anywhere. */
const JUNK_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "svg",
  "canvas",
  "form",
  "button",
  "input",
  "select",
  "textarea",
  "nav",
  "aside",
  "footer",
  "dialog",
  "audio",
  "video",
  "map",
  "head",
  "title",
  "meta",
  "link",
]);

const BLOCK_TAGS = new Set([
  "address",
  "figure",
  "article",
  "blockquote",
  "body",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/** class / id words that mark page furniture (matched per token, on word boundaries). */
const FURNITURE_WORDS =
  /(?:^|[-_])(?:ads?|adv|advert\w*|adsbygoogle|banner\w*|qc|quangcao|quang-cao|sponsor\w*|share\w*|sharing|social\w*|addthis|sharethis|likebox|related|relate[sd]?|lienquan|lien-quan|tinlienquan|tincungchuyenmuc|samecat\w*|same-cat\w*|morenews|more-news|othernews|other-news|readmore|read-more|xemthem|xem-them|docthem|doc-them|recommend\w*|suggest\w*|comments?|comment-\w+|binhluan|binh-luan|disqus|breadcrumbs?|navbar|menu|sidebar|footer|pagination|newsletter|subscribe|popup|modal|cookie\w*|tags?|keywords?|print|toolbar)(?:$|[-_])/i;

/** Datelines and bylines inside the body block (removed when short). */
const META_WORDS =
  /(?:^|[-_\s])(?:meta|post-meta|entry-meta|byline|dateline|author|authors|date|time|publish-date|published)(?:$|[-_\s])/i;

const CAPTION_WORDS =
  /(?:^|[-_])(?:caption|captions|figcaption|image_desc|image-desc|img-desc|desc|chu-thich|chuthich|photo-caption|note-img|expnote)(?:$|[-_])/i;

const IMAGE_TABLE_WORDS = /(?:^|[-_\s])(?:image|tplcaption|picture|photo|img|figure)(?:$|[-_\s])/i;

/** Headings of related-story blocks, compared lower-case, without trailing punctuation. */
const FURNITURE_MARKERS = new Set([
  "có thể bạn quan tâm",
  "bạn có thể quan tâm",
  "tin cùng chuyên mục",
  "cùng chuyên mục",
  "tin cùng danh mục",
  "tin liên quan",
  "tin tức liên quan",
  "bài liên quan",
  "bài viết liên quan",
  "đọc thêm",
  "xem thêm",
  "tin khác",
  "các tin khác",
  "tin mới",
  "tin mới nhất",
  "tin mới cập nhật",
  "tin nổi bật",
  "tin đọc nhiều",
  "đọc nhiều",
  "xem nhiều",
  "related",
  "related news",
  "related stories",
  "related articles",
  "related posts",
  "read more",
  "more stories",
  "more from this section",
  "you may also like",
  "you might also like",
  "recommended",
]);

const READ_MORE_PREFIX =
  /^(?:đọc thêm|xem thêm|tin liên quan|bài liên quan|read more|related|see also)\s*[:>»›\-–—]\s*\S/i;

const SOCIAL_PHRASES = [
  "chia sẻ bài viết",
  "chia sẻ",
  "sao chép liên kết",
  "sao chép link",
  "copy link",
  "bình luận",
  "theo dõi",
  "in bài",
  "gửi bài",
  "lưu bài",
  "quảng cáo",
  "advertisement",
];
const SOCIAL_TOKENS = new Set([
  "fb",
  "facebook",
  "yt",
  "youtube",
  "zl",
  "zalo",
  "tw",
  "twitter",
  "x",
  "in",
  "li",
  "linkedin",
  "ig",
  "instagram",
  "tiktok",
  "telegram",
  "pinterest",
  "rss",
  "email",
  "e-mail",
  "mail",
  "print",
  "share",
  "tweet",
  "like",
  "gửi",
  "lưu",
  "copy",
  "link",
]);

// ---------------------------------------------------------------------------------------------
// Small text helpers shared with text-page.ts.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_TAG = /<\/?[a-z][a-z0-9-]*[\s/>]/i;

/** Drops unpaired surrogates (broken UTF-16 from a bad decode), which NFC leaves alone. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "");
}

function markerKey(text: string): string {
  return cleanLine(text)
    .toLocaleLowerCase("vi")
    .replace(/[\s:.…>»›\-–—|]+$/u, "")
    .trim();
}

/** A heading that opens a related-stories block ("Tin cùng chuyên mục", "Related", ...). */
export function isFurnitureMarker(text: string): boolean {
  if (text.length > 80) return false;
  return FURNITURE_MARKERS.has(markerKey(text));
}

/** "Đọc thêm: <another story>" lines inside a body. */
export function isReadMoreLine(text: string): boolean {
  return text.length <= 300 && READ_MORE_PREFIX.test(cleanLine(text));
}

/** A line made only of share/social words: "fb yt zl tw", "Chia sẻ", "Facebook | Zalo". */
export function isSocialLine(text: string): boolean {
  if (text.length > 80) return false;
  let rest = cleanLine(text).toLocaleLowerCase("vi");
  if (!rest) return false;
  let phrase = false;
  for (const p of SOCIAL_PHRASES) {
    if (rest.includes(p)) {
      rest = rest.split(p).join(" ");
      phrase = true;
    }
  }
  const tokens = rest.split(/[\s|•·,:;/\\\-–—()[\]]+/u).filter(Boolean);
  if (tokens.length === 0) return phrase;
  return tokens.every((token) => SOCIAL_TOKENS.has(token));
}

const AUTHOR_PREFIX =
  /^(?:tác giả|người viết|bài và ảnh|bài, ảnh|bài & ảnh|bài|ảnh|theo|nguồn|phóng viên|pv|by|author|written by)\s*[:\-–]?\s+/iu;

/**
 * A short line that is just a person's (or agency's) name: "Minh Anh", "Thu Hà (TTXVN)",
 * "Bài, ảnh: Lê Nam". Returns the name, or null. Conservative on purpose.
 */
export function nameFromLine(text: string): string | null {
  let line = cleanLine(text);
  if (!line || line.length > 60) return null;
  line = line.replace(AUTHOR_PREFIX, "").trim();
  if (!line || line.length > 50) return null;
  if (/\d/.test(line) || /[.!?;:…"“”]$/u.test(line) || /[!?;:"“”]/u.test(line)) return null;
  const words = line
    .replace(/\([^)]{1,30}\)/gu, " ")
    .split(/[\s,\-–/&]+/u)
    .filter(Boolean);
  if (words.length === 0 || words.length > 6) return null;
  const connectors = new Set(["và", "and"]);
  const ok = words.every(
    (w) => connectors.has(w.toLocaleLowerCase("vi")) || /^\p{Lu}[\p{L}'.]*$/u.test(w),
  );
  return ok ? line : null;
}

// ---------------------------------------------------------------------------------------------
// Dates: ISO/RFC values from metadata, Vietnamese day-first text in Asia/Ho_Chi_Minh (UTC+7).

function fromVietnamLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | null {
  if (year < 1990 || year > 2200) return null;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(utc - VIETNAM_OFFSET_MINUTES * 60_000);
}

const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE_THEN_TIME =
  /(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?:[^\d/]{1,16}?(\d{1,2})\s*[:hg]\s*(\d{2})(?::(\d{2}))?)?/iu;
const TIME_THEN_DATE =
  /(\d{1,2})\s*[:hg]\s*(\d{2})(?::(\d{2}))?[^\d/:]{1,16}?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/iu;

function num(value: string | undefined, fallback = 0): number {
  return value === undefined ? fallback : Number(value);
}

/** Parses a date-time without judging it (no future check). Local times mean UTC+7. */
function parseDateTime(raw: string): Date | null {
  const text = cleanLine(raw);
  if (!text || text.length > 200) return null;

  const iso = ISO_LIKE.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    const local = fromVietnamLocal(num(y), num(mo), num(d), num(h), num(mi), num(s));
    if (!local) return null;
    if (!zone) return local;
    if (/^z$/i.test(zone)) return new Date(local.getTime() + VIETNAM_OFFSET_MINUTES * 60_000);
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!zm) return null;
    const offset = (zm[1] === "-" ? -1 : 1) * (num(zm[2]) * 60 + num(zm[3]));
    return new Date(local.getTime() + (VIETNAM_OFFSET_MINUTES - offset) * 60_000);
  }

  // Vietnamese text: pick whichever of "date time" / "time date" starts first.
  const a = DATE_THEN_TIME.exec(text);
  const b = TIME_THEN_DATE.exec(text);
  if (b && (!a || b.index < a.index)) {
    const [, h, mi, s, d, mo, y] = b;
    return fromVietnamLocal(num(y), num(mo), num(d), num(h), num(mi), num(s));
  }
  if (a) {
    const [, d, mo, y, h, mi, s] = a;
    return fromVietnamLocal(num(y), num(mo), num(d), num(h), num(mi), num(s));
  }

  // RFC 2822 and friends ("Mon, 26 Jan 2026 08:27:00 +0700"): only with an explicit zone.
  if (/[a-z]{3}/i.test(text) && /(?:gmt|utc|[+-]\d{4}|\bz)\b/i.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) {
      const date = new Date(ms);
      return date.getUTCFullYear() >= 1990 ? date : null;
    }
  }
  return null;
}

type DateVerdict = { kind: "ok"; iso: string } | { kind: "future" } | { kind: "none" };

function judgeDate(raw: string | null | undefined, now: Date): DateVerdict {
  if (!raw) return { kind: "none" };
  const date = parseDateTime(raw);
  if (!date || Number.isNaN(date.getTime())) return { kind: "none" };
  if (date.getTime() > now.getTime() + ONE_DAY_MS) return { kind: "future" };
  return { kind: "ok", iso: date.toISOString() };
}

/**
 * A publication time from metadata or page text -> ISO UTC. Vietnamese forms ("26/01/2026 08:27",
 * "08:27 26/01/2026", "Thứ hai, 26/01/2026 08:27") and zone-less ISO are Asia/Ho_Chi_Minh.
 * Null when unparseable or more than a day in the future.
 */
export function parsePublishedTime(text: string, now: Date = new Date()): string | null {
  const verdict = judgeDate(text, now);
  return verdict.kind === "ok" ? verdict.iso : null;
}

const DATE_FILLER = [
  "chủ nhật",
  "thứ hai",
  "thứ ba",
  "thứ tư",
  "thứ năm",
  "thứ sáu",
  "thứ bảy",
  "thứ",
  "cập nhật",
  "cập nhật lúc",
  "đăng lúc",
  "đăng ngày",
  "ngày đăng",
  "xuất bản",
  "ngày",
  "lúc",
  "giờ",
  "gmt+7",
  "gmt +7",
  "utc+7",
  "published",
  "updated",
];

/** A line that is only a date/time ("Thứ hai, 26/01/2026 08:27", "08:27 26/01/2026 (GMT+7)"). */
export function isDateLine(text: string): boolean {
  const line = cleanLine(text);
  if (!line || line.length > 80) return false;
  const a = DATE_THEN_TIME.exec(line);
  const b = TIME_THEN_DATE.exec(line);
  const match = b && (!a || b.index < a.index) ? b : a;
  if (!match) return false;
  let rest = (line.slice(0, match.index) + line.slice(match.index + match[0].length))
    .toLocaleLowerCase("vi")
    .replace(/\d{1,2}\s*[:hg]\s*\d{2}/gu, " ")
    .replace(/thứ\s*[2-7]/gu, " ");
  for (const filler of DATE_FILLER) rest = rest.split(filler).join(" ");
  return rest.replace(/[\s,.:;|()[\]\-–—/]+/gu, "") === "";
}

// ---------------------------------------------------------------------------------------------
// DOM helpers.

function isElement(node: DomNode | null): node is DomElement {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

function tagOf(el: DomElement): string {
  return (el.localName || "").toLowerCase();
}

function parseDocument(html: string): DomDocument | null {
  const wrapped = /<html[\s>]/i.test(html.slice(0, 4096))
    ? html
    : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const doc = new DOMParser().parseFromString(wrapped, "text/html") as unknown as DomDocument;
  return doc.documentElement ? doc : null;
}

function safeQueryAll(scope: DomDocument | DomElement, selector: string): DomElement[] {
  try {
    return Array.from(scope.querySelectorAll(selector));
  } catch {
    return [];
  }
}

function safeQuery(scope: DomDocument | DomElement, selector: string): DomElement | null {
  try {
    return scope.querySelector(selector);
  } catch {
    return null;
  }
}

function bodyOf(doc: DomDocument): DomElement | null {
  return safeQuery(doc, "body") ?? doc.documentElement;
}

function attr(el: DomElement, name: string): string {
  return el.getAttribute(name) ?? "";
}

function classAndId(el: DomElement): string {
  return `${attr(el, "class")} ${attr(el, "id")}`.trim();
}

function hasFurnitureClass(el: DomElement): boolean {
  const words = classAndId(el);
  if (!words) return false;
  return words.split(/\s+/).some((word) => FURNITURE_WORDS.test(word));
}

function isHidden(el: DomElement): boolean {
  if (el.hasAttribute("hidden")) return true;
  const style = attr(el, "style").toLowerCase().replace(/\s+/g, "");
  return style.includes("display:none") || style.includes("visibility:hidden");
}

type Visit = "descend" | "skip" | "stop";

interface Visitor {
  enter(el: DomElement, depth: number): Visit;
  exit(el: DomElement): void;
  text(value: string): void;
}

/** Document-order walk without recursion (hostile pages nest tens of thousands deep). */
function walk(root: DomElement, visitor: Visitor): void {
  let node: DomNode | null = root.firstChild;
  let depth = 1;
  outer: while (node) {
    if (isElement(node)) {
      const action = visitor.enter(node, depth);
      if (action === "stop") return;
      if (action === "descend") {
        if (node.firstChild) {
          node = node.firstChild;
          depth += 1;
          continue;
        }
        visitor.exit(node);
      }
    } else if (node.nodeType === TEXT_NODE) {
      visitor.text(node.nodeValue ?? "");
    }
    while (node) {
      if (node.nextSibling) {
        node = node.nextSibling;
        continue outer;
      }
      node = node.parentNode;
      depth -= 1;
      if (!node || node === root) break outer;
      if (isElement(node)) visitor.exit(node);
    }
  }
}

interface TextStats {
  chars: number;
  linkChars: number;
  elements: number;
  maxDepth: number;
}

function textStats(root: DomElement): TextStats {
  const stats: TextStats = { chars: 0, linkChars: 0, elements: 0, maxDepth: 0 };
  let linkDepth = 0;
  walk(root, {
    enter(el, depth) {
      stats.elements += 1;
      if (depth > stats.maxDepth) stats.maxDepth = depth;
      const tag = tagOf(el);
      if (JUNK_TAGS.has(tag)) return "skip";
      if (tag === "a") linkDepth += 1;
      return "descend";
    },
    exit(el) {
      if (tagOf(el) === "a") linkDepth -= 1;
    },
    text(value) {
      const n = value.replace(/\s+/g, "").length;
      stats.chars += n;
      if (linkDepth > 0) stats.linkChars += n;
    },
  });
  return stats;
}

function visibleText(el: DomElement): string {
  const parts: string[] = [];
  walk(el, {
    enter(child) {
      const tag = tagOf(child);
      if (JUNK_TAGS.has(tag)) return "skip";
      if (tag === "br" || BLOCK_TAGS.has(tag)) parts.push(" ");
      return "descend";
    },
    exit(child) {
      if (BLOCK_TAGS.has(tagOf(child))) parts.push(" ");
    },
    text(value) {
      parts.push(value);
    },
  });
  return cleanLine(parts.join(""));
}

function resolveUrl(raw: string, base: string): string | null {
  const value = raw.trim();
  if (!value || /^(?:data|javascript|about|blob):/i.test(value)) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const PLACEHOLDER_SRC =
  /(?:blank|placeholder|spacer|1x1|pixel|transparent|loading|lazy|grey|gray)\b/i;

function imageUrl(img: DomElement, base: string): string | null {
  const lazy = [
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-url",
    "data-full",
    "data-srcset",
  ];
  for (const name of lazy) {
    const value = attr(img, name).trim().split(/\s+/)[0] ?? "";
    const url = resolveUrl(value, base);
    if (url) return url;
  }
  const src = attr(img, "src");
  if (src && !PLACEHOLDER_SRC.test(src.split("/").pop() ?? "")) {
    const url = resolveUrl(src, base);
    if (url) return url;
  }
  const srcset = attr(img, "srcset").trim().split(/\s+/)[0] ?? "";
  return resolveUrl(srcset, base);
}

function isTinyImage(img: DomElement): boolean {
  const w = Number.parseInt(attr(img, "width"), 10);
  const h = Number.parseInt(attr(img, "height"), 10);
  return (Number.isFinite(w) && w > 0 && w <= 50) || (Number.isFinite(h) && h > 0 && h <= 50);
}

function isImageTable(table: DomElement): boolean {
  const images = safeQueryAll(table, "img");
  if (images.length === 0 || images.length > 4) return false;
  if (IMAGE_TABLE_WORDS.test(attr(table, "class"))) return true;
  return visibleText(table).length <= 400 && safeQueryAll(table, "tr").length <= 4;
}

function isRightAligned(el: DomElement): boolean {
  const style = attr(el, "style").toLowerCase().replace(/\s+/g, "");
  return (
    style.includes("text-align:right") ||
    attr(el, "align").toLowerCase() === "right" ||
    /(?:^|[-_\s])(?:right|text-right|author)(?:$|[-_\s])/i.test(attr(el, "class"))
  );
}

// ---------------------------------------------------------------------------------------------
// The body walker: element -> paragraphs and photos.

interface TextBlock {
  kind: "text";
  text: string;
  linkRatio: number;
  italic: boolean;
  bold: boolean;
  right: boolean;
  captionLike: boolean;
}

interface PhotoBlock {
  kind: "photo";
  url: string;
  caption: string;
}

type Block = TextBlock | PhotoBlock;

/** Removes furniture inside the body: by class, by tag, and related blocks found by heading. */
function pruneBody(root: DomElement, extraRemove: string[]): void {
  for (const selector of extraRemove) {
    for (const el of safeQueryAll(root, selector)) el.remove();
  }
  for (const el of safeQueryAll(root, "*")) {
    if (!root.contains(el)) continue;
    if (hasFurnitureClass(el) || JUNK_TAGS.has(tagOf(el))) {
      el.remove();
    } else if (META_WORDS.test(classAndId(el)) && visibleText(el).length <= 200) {
      el.remove(); // dateline, byline: read already, not body text
    }
  }
  const candidates = safeQueryAll(
    root,
    "h1,h2,h3,h4,h5,h6,p,div,section,header,li,td,span,strong,b,em,a",
  );
  for (const el of candidates) {
    if (!root.contains(el)) continue; // already removed with an ancestor
    const text = el.textContent ?? "";
    if (text.length > 120 || !isFurnitureMarker(text)) continue;
    const parent = el.parentElement;
    if (parent && parent !== root && isFurnitureMarker(parent.textContent ?? "")) continue;
    const box = relatedBox(el, root);
    if (box) {
      box.remove();
    } else if (tagOf(el) === "a") {
      el.remove();
    } else {
      el.setAttribute("data-bantin-stop", "1");
    }
  }
}

/** The largest ancestor (below root) that starts with the marker and is mostly links. */
function relatedBox(marker: DomElement, root: DomElement): DomElement | null {
  const markerText = cleanLine(marker.textContent ?? "");
  let best: DomElement | null = null;
  let el = marker.parentElement;
  while (el && el !== root && root.contains(el)) {
    const text = cleanLine(el.textContent ?? "");
    if (!text.startsWith(markerText)) break;
    const stats = textStats(el);
    const markerChars = markerText.replace(/\s+/g, "").length;
    const rest = stats.chars - markerChars;
    if (rest <= 0 || stats.linkChars / rest >= 0.5) best = el;
    el = el.parentElement;
  }
  return best;
}

function collectBlocks(root: DomElement, base: string): Block[] {
  const blocks: Block[] = [];
  const blockStack: DomElement[] = [root];
  let buffer: string[] = [];
  let chars = 0;
  let linkChars = 0;
  let nonItalic = false;
  let nonBold = false;
  let italicDepth = 0;
  let boldDepth = 0;
  let linkDepth = 0;

  const flush = () => {
    const text = cleanLine(buffer.join(""));
    if (text) {
      blocks.push({
        kind: "text",
        text,
        linkRatio: chars > 0 ? linkChars / chars : 0,
        italic: !nonItalic,
        bold: !nonBold,
        right: blockStack.some((el) => el !== root && isRightAligned(el)),
        captionLike: blockStack.some((el) => el !== root && CAPTION_WORDS.test(classAndId(el))),
      });
    }
    buffer = [];
    chars = 0;
    linkChars = 0;
    nonItalic = false;
    nonBold = false;
  };

  const addPhoto = (img: DomElement, caption: string) => {
    if (isTinyImage(img)) return;
    const url = imageUrl(img, base);
    if (url) blocks.push({ kind: "photo", url, caption });
  };

  walk(root, {
    enter(el) {
      const tag = tagOf(el);
      if (el.hasAttribute("data-bantin-stop")) {
        flush();
        return "stop";
      }
      if (JUNK_TAGS.has(tag) || isHidden(el) || hasFurnitureClass(el)) return "skip";
      if (tag === "figure" && safeQuery(el, "img")) {
        flush();
        const captionEl = safeQuery(el, "figcaption");
        const caption = captionEl ? visibleText(captionEl) : "";
        for (const img of safeQueryAll(el, "img")) addPhoto(img, caption);
        return "skip";
      }
      if (tag === "table" && isImageTable(el)) {
        flush();
        const caption = visibleText(el);
        for (const img of safeQueryAll(el, "img")) addPhoto(img, caption);
        return "skip";
      }
      if (tag === "img") {
        flush();
        addPhoto(el, "");
        return "skip";
      }
      if (tag === "br" || tag === "hr") {
        flush();
        return "skip";
      }
      if (BLOCK_TAGS.has(tag)) {
        flush();
        blockStack.push(el);
      } else if (tag === "em" || tag === "i") {
        italicDepth += 1;
      } else if (tag === "strong" || tag === "b") {
        boldDepth += 1;
      } else if (tag === "a") {
        linkDepth += 1;
      }
      return "descend";
    },
    exit(el) {
      const tag = tagOf(el);
      if (BLOCK_TAGS.has(tag)) {
        flush();
        blockStack.pop();
      } else if (tag === "em" || tag === "i") {
        italicDepth -= 1;
      } else if (tag === "strong" || tag === "b") {
        boldDepth -= 1;
      } else if (tag === "a") {
        linkDepth -= 1;
      }
    },
    text(value) {
      buffer.push(value);
      const n = value.replace(/\s+/g, "").length;
      if (n === 0) return;
      chars += n;
      if (linkDepth > 0) linkChars += n;
      if (italicDepth <= 0) nonItalic = true;
      if (boldDepth <= 0) nonBold = true;
    },
  });
  flush();
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Metadata.

interface PageMeta {
  ogTitle: string;
  docTitle: string;
  description: string;
  siteName: string;
  authors: string[];
  dates: string[];
}

function metaContent(doc: DomDocument, selectors: string[]): string[] {
  const out: string[] = [];
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector)) {
      const value = cleanLine(attr(el, "content") || attr(el, "datetime") || attr(el, "value"));
      if (value) out.push(value);
    }
  }
  return out;
}

function jsonLdValues(doc: DomDocument): { dates: string[]; authors: string[] } {
  const dates: string[] = [];
  const authors: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 50)) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.datePublished === "string") dates.push(record.datePublished);
    const author = record.author;
    const people = Array.isArray(author) ? author : author ? [author] : [];
    for (const person of people.slice(0, 5)) {
      if (typeof person === "string") authors.push(person);
      else if (person && typeof person === "object") {
        const name = (person as Record<string, unknown>).name;
        if (typeof name === "string") authors.push(name);
      }
    }
    for (const key of ["@graph", "mainEntity", "mainEntityOfPage"]) {
      if (key in record) visit(record[key], depth + 1);
    }
  };
  for (const script of safeQueryAll(doc, 'script[type="application/ld+json"]').slice(0, 10)) {
    const raw = script.textContent ?? "";
    if (raw.length > 200_000) continue;
    try {
      visit(JSON.parse(raw), 0);
    } catch {
      // broken JSON-LD is common; ignore it
    }
  }
  return { dates, authors };
}

function readMeta(doc: DomDocument): PageMeta {
  const first = (selectors: string[]) => metaContent(doc, selectors)[0] ?? "";
  const ld = jsonLdValues(doc);
  const titleEl = safeQuery(doc, "title");
  return {
    ogTitle: first(['meta[property="og:title"]', 'meta[name="twitter:title"]']),
    docTitle: titleEl ? cleanLine(titleEl.textContent ?? "") : "",
    description: first([
      'meta[property="og:description"]',
      'meta[name="description"]',
      'meta[name="twitter:description"]',
    ]),
    siteName: first(['meta[property="og:site_name"]']),
    authors: [
      ...metaContent(doc, [
        'meta[name="author"]',
        'meta[property="article:author"]',
        'meta[name="dc.creator"]',
      ]),
      ...ld.authors.map((a) => cleanLine(a)),
    ],
    dates: [
      ...metaContent(doc, [
        'meta[property="article:published_time"]',
        'meta[itemprop="datePublished"]',
        'meta[name="pubdate"]',
        'meta[name="publishdate"]',
        'meta[name="publish-date"]',
        'meta[property="og:published_time"]',
        'meta[name="dc.date.issued"]',
        'meta[name="dc.date"]',
        'meta[name="date"]',
      ]),
      ...ld.dates,
    ],
  };
}

function acceptableAuthor(name: string, meta: PageMeta): string | null {
  const value = cleanLine(name).replace(AUTHOR_PREFIX, "").trim();
  if (!value || value.length > 80) return null;
  if (/https?:|www\.|\.(?:vn|com|net|org)\b|@/i.test(value)) return null;
  if (meta.siteName && value.toLocaleLowerCase("vi") === meta.siteName.toLocaleLowerCase("vi")) {
    return null;
  }
  return value;
}

function authorFromPage(doc: DomDocument, meta: PageMeta): string | null {
  for (const raw of meta.authors) {
    const name = acceptableAuthor(raw, meta);
    if (name) return name;
  }
  const selectors = [
    ".article__author",
    ".detail-author",
    ".author-name",
    ".author",
    '[rel="author"]',
    '[itemprop="author"]',
    ".byline",
  ];
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector).slice(0, 3)) {
      const first = visibleText(el).split(/\s*[|•·]\s*/u)[0] ?? "";
      const name = nameFromLine(first);
      if (name) return acceptableAuthor(name, meta);
    }
  }
  return null;
}

function insideFurniture(el: DomElement): boolean {
  let node: DomElement | null = el;
  for (let hops = 0; node && hops < 60; hops += 1) {
    const tag = tagOf(node);
    if (tag === "nav" || tag === "aside" || tag === "footer" || hasFurnitureClass(node))
      return true;
    node = node.parentElement;
  }
  return false;
}

const DATE_CLASS = /(?:date|time|publish|posted|ngay-?dang|thoi-?gian|meta)/i;

function publishedFromPage(
  doc: DomDocument,
  meta: PageMeta,
  titleEl: DomElement | null,
  now: Date,
): DateVerdict {
  const candidates: string[] = [...meta.dates];
  // Nearest to the headline first: a page header often shows today's date.
  const scopes: (DomDocument | DomElement)[] = [];
  let ancestor = titleEl?.parentElement ?? null;
  for (let level = 0; ancestor && level < 4; level += 1) {
    scopes.push(ancestor);
    ancestor = ancestor.parentElement;
  }
  scopes.push(doc);
  const seen = new Set<DomElement>();
  let taken = 0;
  for (const scope of scopes) {
    for (const el of safeQueryAll(scope, "time, [class], [id]")) {
      if (taken >= 40) break;
      if (seen.has(el)) continue;
      seen.add(el);
      const isTime = tagOf(el) === "time";
      if (!isTime && !DATE_CLASS.test(classAndId(el))) continue;
      if (insideFurniture(el)) continue;
      if (isTime && el.hasAttribute("datetime")) candidates.push(attr(el, "datetime"));
      const text = visibleText(el);
      if (text.length <= 200) candidates.push(text);
      taken += 1;
    }
  }
  if (titleEl?.parentElement) {
    const text = visibleText(titleEl.parentElement);
    if (text.length <= 2000) candidates.push(text);
  }
  for (const candidate of candidates) {
    const verdict = judgeDate(candidate, now);
    if (verdict.kind !== "none") return verdict;
  }
  return { kind: "none" };
}

function resolveBase(doc: DomDocument | null, pageUrl: string): string {
  let page = "http://localhost/";
  try {
    page = new URL(pageUrl).href;
  } catch {
    // a bad page URL leaves relative images unresolvable; absolute ones still work
  }
  const baseEl = doc ? safeQuery(doc, "base[href]") : null;
  if (baseEl) {
    const href = resolveUrl(attr(baseEl, "href"), page);
    if (href) return href;
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// Assembling a story.

function sameText(a: string, b: string): boolean {
  return a.toLocaleLowerCase("vi") === b.toLocaleLowerCase("vi");
}

function stripEllipsis(text: string): string {
  return text.replace(/\s*(?:\.\.\.|…)\s*$/u, "").trim();
}

interface Draft {
  title: string;
  lead: string;
  blocks: Block[];
  author: string | null;
  publishedAt: DateVerdict;
  description: string;
}

function finish(draft: Draft): ExtractedStory | null {
  const photos: ExtractedPhoto[] = [];
  const texts: TextBlock[] = [];
  const blocks = draft.blocks;
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    if (!block) continue;
    if (block.kind === "photo") {
      let caption = block.caption;
      const next = blocks[i + 1];
      if (
        !caption &&
        next?.kind === "text" &&
        next.text.length <= 300 &&
        (next.captionLike || next.italic)
      ) {
        caption = next.text;
        i += 1;
      }
      const existing = photos.find((p) => p.url === block.url);
      if (existing) {
        if (!existing.caption) existing.caption = caption;
      } else {
        photos.push({ url: block.url, caption });
      }
      continue;
    }
    texts.push(block);
  }

  const title = draft.title;
  let lead = draft.lead;
  const captions = photos.map((p) => p.caption).filter(Boolean);
  let author = draft.author;

  let kept = texts.filter((block) => {
    const text = block.text;
    if (title && sameText(text, title)) return false;
    if (lead && sameText(text, lead)) return false;
    if (captions.some((c) => sameText(c, text))) return false;
    if (isSocialLine(text) || isReadMoreLine(text) || isFurnitureMarker(text)) return false;
    if (isDateLine(text)) return false;
    if (block.linkRatio >= 0.8 && text.length < 300) return false;
    return true;
  });

  // A closing byline: short, bold or right-aligned, just a name.
  const last = kept[kept.length - 1];
  if (last && (last.bold || last.right) && kept.length > 1) {
    const name = nameFromLine(last.text);
    if (name) {
      author ??= name;
      kept = kept.slice(0, -1);
    }
  }

  let body: string[] = [];
  for (const block of kept) {
    if (body[body.length - 1] !== block.text) body.push(block.text);
  }

  // No lead block: the meta description is the lead only when it is the story's opening
  // paragraph (a site-wide blurb must not become a lead).
  if (!lead && draft.description) {
    const description = stripEllipsis(draft.description);
    const index = body
      .slice(0, 3)
      .findIndex(
        (p) =>
          sameText(p, draft.description) || (description.length >= 40 && p.startsWith(description)),
      );
    if (index >= 0) lead = body.splice(index, 1)[0] ?? "";
  }
  if (lead) body = body.filter((p) => !sameText(p, lead));

  const total = body.reduce((sum, p) => sum + p.length, 0);
  const longest = body.reduce((max, p) => Math.max(max, p.length), 0);
  if (total < MIN_BODY_CHARS || longest < MIN_LONGEST_PARAGRAPH) return null;

  return {
    title,
    lead,
    body,
    photos,
    author,
    publishedAt: draft.publishedAt.kind === "ok" ? draft.publishedAt.iso : null,
  };
}

function firstMatch(doc: DomDocument, selectors: string[]): DomElement | null {
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector)) {
      if (visibleText(el)) return el;
    }
  }
  return null;
}

function bodyMatch(doc: DomDocument, selectors: string[], strict: boolean): DomElement | null {
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector).slice(0, 5)) {
      const stats = textStats(el);
      if (!strict && stats.chars > 0) return el;
      if (stats.chars >= 100 && stats.linkChars / stats.chars < 0.5) return el;
    }
  }
  return null;
}

function fallbackTitle(meta: PageMeta): string {
  if (meta.ogTitle) return meta.ogTitle;
  const parts = meta.docTitle.split(/\s+[|\-–—]\s+/u);
  const head = parts[0] ?? "";
  return parts.length > 1 && head.length >= 15 ? head : meta.docTitle;
}

interface Context {
  /** Set once an attempt has started pruning the document. */
  dirty: boolean;
  base: string;
  now: Date;
  meta: PageMeta;
  remove: string[];
}

function extractWithSelectors(
  doc: DomDocument,
  title: string[],
  lead: string[],
  body: string[],
  strict: boolean,
  ctx: Context,
): ExtractedStory | null {
  const bodyEl = bodyMatch(doc, body, strict);
  if (!bodyEl) return null;
  const titleEl = firstMatch(doc, title);
  let leadEl = firstMatch(doc, lead);
  if (leadEl && (leadEl.contains(bodyEl) || leadEl === bodyEl)) leadEl = null;

  const titleText = titleEl ? visibleText(titleEl) : fallbackTitle(ctx.meta);
  const leadText = leadEl ? visibleText(leadEl) : "";
  const author = authorFromPage(doc, ctx.meta);
  const publishedAt = publishedFromPage(doc, ctx.meta, titleEl, ctx.now);

  ctx.dirty = true;
  if (titleEl && bodyEl.contains(titleEl)) titleEl.remove();
  if (leadEl && bodyEl.contains(leadEl)) leadEl.remove();
  pruneBody(bodyEl, ctx.remove);

  return finish({
    title: titleText,
    lead: leadText,
    blocks: collectBlocks(bodyEl, ctx.base),
    author,
    publishedAt,
    description: ctx.meta.description,
  });
}

function extractWithReadability(doc: DomDocument, ctx: Context): ExtractedStory | null {
  const body = bodyOf(doc);
  if (!body) return null;
  const stats = textStats(body);
  if (stats.maxDepth > READABILITY_MAX_DEPTH || stats.elements > READABILITY_MAX_ELEMENTS) {
    return null;
  }
  // Read what Readability would destroy first.
  const titleEl = firstMatch(doc, ["article h1", "main h1", "h1"]);
  const pageTitle = titleEl ? visibleText(titleEl) : "";
  const pageAuthor = authorFromPage(doc, ctx.meta);
  let publishedAt = publishedFromPage(doc, ctx.meta, titleEl, ctx.now);

  const article = new Readability(doc as never, {
    keepClasses: true,
    maxElemsToParse: READABILITY_MAX_ELEMENTS,
  }).parse();
  const content = typeof article?.content === "string" ? article.content : "";
  if (!article || !content) return null;

  const contentDoc = parseDocument(`<!doctype html><html><body>${content}</body></html>`);
  const root = contentDoc && bodyOf(contentDoc);
  if (!root) return null;

  const title = cleanLine(article.title ?? "") || pageTitle || fallbackTitle(ctx.meta);
  const author =
    pageAuthor ??
    (article.byline ? nameFromLine(article.byline.split(/\s*[|•·]\s*/u)[0] ?? "") : null);
  if (publishedAt.kind === "none") publishedAt = judgeDate(article.publishedTime, ctx.now);

  for (const h of safeQueryAll(root, "h1,h2")) {
    if (sameText(visibleText(h), title)) h.remove();
  }
  pruneBody(root, []);
  return finish({
    title,
    lead: "",
    blocks: collectBlocks(root, ctx.base),
    author,
    publishedAt,
    description: ctx.meta.description,
  });
}

function hasAny(selectors: ExtractorSelectors | null | undefined): selectors is ExtractorSelectors {
  return Boolean(selectors && (selectors.title || selectors.lead || selectors.body));
}

function extractUnsafe(
  input: string,
  pageUrl: string,
  selectors: ExtractorSelectors | null | undefined,
  now: Date,
): ExtractedStory | null {
  if (typeof input !== "string") return null;
  const html = wellFormed(input.length > MAX_HTML_CHARS ? input.slice(0, MAX_HTML_CHARS) : input);
  if (!html.trim() || !ANY_TAG.test(html.slice(0, 65_536))) return null;

  const remove = (selectors?.remove ?? []).filter((s) => typeof s === "string" && s.trim());
  const base = resolveBase(null, pageUrl);
  let page: { doc: DomDocument; ctx: Context } | null = null;
  // Attempts prune the tree they work on; a pruned tree is parsed afresh for the next one.
  const clean = (): { doc: DomDocument; ctx: Context } | null => {
    if (page && !page.ctx.dirty) return page;
    const doc = parseDocument(html);
    if (!doc?.documentElement) return null;
    // No real page nests this deep; such markup is hostile and every query on it is slow.
    if (textStats(doc.documentElement).maxDepth > MAX_DEPTH) return null;
    const meta = readMeta(doc);
    for (const el of safeQueryAll(doc, "script, style, noscript, template")) el.remove();
    for (const selector of remove) {
      for (const el of safeQueryAll(doc, selector)) el.remove();
    }
    page = { doc, ctx: { base: resolveBase(doc, base), now, meta, remove, dirty: false } };
    return page;
  };

  if (hasAny(selectors)) {
    const p = clean();
    if (!p) return null;
    const story = extractWithSelectors(
      p.doc,
      selectors.title ? [selectors.title, ...CMS_TITLE] : CMS_TITLE,
      selectors.lead ? [selectors.lead, ...CMS_LEAD] : CMS_LEAD,
      selectors.body ? [selectors.body] : CMS_BODY,
      !selectors.body,
      p.ctx,
    );
    if (story) return story;
  }

  const p = clean();
  if (!p) return null;
  const story = extractWithSelectors(p.doc, CMS_TITLE, CMS_LEAD, CMS_BODY, true, p.ctx);
  if (story) return story;

  const q = clean();
  return q ? extractWithReadability(q.doc, q.ctx) : null;
}

/**
 * The story on an article page, or null when the page holds no recognisable body (a section
 * front, an error page, a page of links). Never throws.
 *
 * @param pageUrl the page's own URL, for resolving relative image URLs.
 * @param selectors per-source overrides, tried before the built-in selectors.
 */
export function extractArticlePage(
  html: string,
  pageUrl: string,
  selectors?: ExtractorSelectors | null,
  options: ExtractOptions = {},
): ExtractedStory | null {
  try {
    return extractUnsafe(html, pageUrl, selectors, options.now ?? new Date());
  } catch {
    return null;
  }
}
