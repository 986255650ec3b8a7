/**
 * What a page says about its story outside the body: meta tags, JSON-LD, the byline and the
 * publication time (from metadata first, then datelines near the headline).
 */
import { type DateVerdict, judgeDateTime, parseDateTime } from "../../text/date";
import { cleanLine } from "../../text/normalize";
import {
  attr,
  classAndId,
  type DomDocument,
  type DomElement,
  type DomScope,
  hasFurnitureClass,
  resolveUrl,
  safeQuery,
  safeQueryAll,
  tagOf,
  visibleText,
} from "./dom";
import { nameFromLine, withoutAuthorPrefix } from "./lines";
import { AUTHOR_SELECTORS, DATE_CLASS } from "./site-rules";

export interface PageMeta {
  ogTitle: string;
  docTitle: string;
  description: string;
  siteName: string;
  authors: string[];
  dates: string[];
}

const AUTHOR_META = [
  'meta[name="author"]',
  'meta[property="article:author"]',
  'meta[name="dc.creator"]',
];
const DATE_META = [
  'meta[property="article:published_time"]',
  'meta[itemprop="datePublished"]',
  'meta[name="pubdate"]',
  'meta[name="publishdate"]',
  'meta[name="publish-date"]',
  'meta[property="og:published_time"]',
  'meta[name="dc.date.issued"]',
  'meta[name="dc.date"]',
  'meta[name="date"]',
];
/** Elements looked at for a dateline, at most. */
const MAX_DATE_ELEMENTS = 40;

/**
 * A publication time from metadata or page text -> ISO UTC. Vietnamese forms ("26/01/2026 08:27",
 * "08:27 26/01/2026", "Thứ hai, 26/01/2026 08:27") and zone-less ISO are Asia/Ho_Chi_Minh.
 * Null when unparseable or more than a day in the future.
 */
export function parsePublishedTime(text: string, now: Date = new Date()): string | null {
  return parseDateTime(text, { findInText: true, now });
}

export function judgePublishedTime(text: string | null | undefined, now: Date): DateVerdict {
  return judgeDateTime(text, { findInText: true, now });
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

/** Reads the head's metadata; call before scripts are removed (JSON-LD lives in them). */
export function readMeta(doc: DomDocument): PageMeta {
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
    authors: [...metaContent(doc, AUTHOR_META), ...ld.authors.map((a) => cleanLine(a))],
    dates: [...metaContent(doc, DATE_META), ...ld.dates],
  };
}

/** " | ", " - ", " – ", " — ", " :: ", " » " between a headline and the site's name. */
const TITLE_SEPARATOR = /\s+(?:[|\-–—»·]|::)\s+/u;
/** A part this short at either end of a <title> is taken for the site's name. */
const SITE_NAME_MAX_CHARS = 40;

const sameName = (a: string, b: string) =>
  a.toLocaleLowerCase("vi").replace(/\s+/g, " ") === b.toLocaleLowerCase("vi").replace(/\s+/g, " ");

/**
 * A page title without the site's name: the part at its end (or start) that is the og:site_name,
 * or short beside a headline of some length. Only that part goes: a headline with a dash or a
 * comma of its own ("Hà Nội - Lào Cai: …, 2 người mất tích") keeps the rest whole.
 */
export function withoutSiteName(title: string, siteName: string): string {
  const separators = [...title.matchAll(new RegExp(TITLE_SEPARATOR.source, "gu"))];
  if (separators.length === 0) return title;
  const first = title.slice(0, separators[0]?.index ?? 0);
  const lastSeparator = separators[separators.length - 1] as RegExpExecArray;
  const last = title.slice(lastSeparator.index + lastSeparator[0].length);
  const withoutFirst = title.slice((separators[0]?.index ?? 0) + (separators[0]?.[0].length ?? 0));
  const withoutLast = title.slice(0, lastSeparator.index);
  if (siteName && sameName(last, siteName)) return withoutLast;
  if (siteName && sameName(first, siteName)) return withoutFirst;
  if (last.length <= SITE_NAME_MAX_CHARS && withoutLast.length >= 15) return withoutLast;
  return title;
}

/** The og:title, else the <title>, each without the site's name. */
export function fallbackTitle(meta: PageMeta): string {
  return withoutSiteName(meta.ogTitle || meta.docTitle, meta.siteName);
}

/** Words of a headline, for telling whether two headlines are the same one. */
function headlineWords(text: string): string[] {
  return text.toLocaleLowerCase("vi").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The story's headline: the first heading on the page (an h1, else an h2, outside navigation
 * and furniture) that the page's own title agrees with (most of its words are in the og:title or
 * <title> without the site's name); else that title. A blog's name in an h1, a
 * label above the story or a menu line is not the headline.
 */
export function headlineOf(
  doc: DomDocument,
  meta: PageMeta,
): { text: string; el: DomElement | null } {
  for (const selector of ["article h1", "main h1", "h1", "article h2", "h2"]) {
    for (const el of safeQueryAll(doc, selector).slice(0, 5)) {
      if (insideFurniture(el)) continue;
      const text = cleanLine(el.textContent ?? "");
      if (headlineWords(text).length > 0 && agreesWithTitle(text, meta, false)) {
        return { text, el };
      }
    }
  }
  return { text: fallbackTitle(meta), el: null };
}

/**
 * Whether most words of `heading` are in the page's own title (og:title or <title>, without the
 * site's name); when the page has no title to ask, `untitled`.
 */
export function agreesWithTitle(heading: string, meta: PageMeta, untitled = true): boolean {
  const reference = new Set(headlineWords(fallbackTitle(meta)));
  if (reference.size === 0) return untitled;
  const words = headlineWords(heading);
  const agreeing = words.filter((w) => reference.has(w)).length;
  return agreeing >= Math.max(Math.min(2, words.length), words.length * 0.6);
}

function acceptableAuthor(name: string, meta: PageMeta): string | null {
  const value = withoutAuthorPrefix(name);
  if (!value || value.length > 80) return null;
  if (/https?:|www\.|\.(?:vn|com|net|org)\b|@/i.test(value)) return null;
  if (meta.siteName && value.toLocaleLowerCase("vi") === meta.siteName.toLocaleLowerCase("vi")) {
    return null;
  }
  return value;
}

/** The author from metadata, else from a byline element; never the site's own name or a URL. */
export function authorFromPage(doc: DomDocument, meta: PageMeta): string | null {
  for (const raw of meta.authors) {
    const name = acceptableAuthor(raw, meta);
    if (name) return name;
  }
  for (const selector of AUTHOR_SELECTORS) {
    for (const el of safeQueryAll(doc, selector).slice(0, 3)) {
      const first = visibleText(el).split(/\s*[|•·]\s*/u)[0] ?? "";
      const name = nameFromLine(first);
      if (name) return acceptableAuthor(name, meta);
    }
  }
  return null;
}

/**
 * `el` or an element around it is navigation, a sidebar, a footer or furniture by class; an
 * element around it that also holds `story` (the headline) is the page's main column, whatever
 * its class says ("sidebar-1" on some sites).
 */
export function insideFurniture(el: DomElement, story: DomElement | null = null): boolean {
  let node: DomElement | null = el;
  for (let hops = 0; node && hops < 60; hops += 1) {
    const tag = tagOf(node);
    if (tag === "nav" || tag === "aside" || tag === "footer" || hasFurnitureClass(node)) {
      if (!(story && node.contains(story))) return true;
    }
    node = node.parentElement;
  }
  return false;
}

/**
 * The publication time: metadata first, then date-like elements nearest the headline (a page
 * header often shows today's date), then the text around the headline. The first candidate that
 * reads as a date decides, even when it is in the future.
 */
export function publishedFromPage(
  doc: DomDocument,
  meta: PageMeta,
  titleEl: DomElement | null,
  now: Date,
): DateVerdict {
  const candidates: string[] = [...meta.dates];
  const scopes: DomScope[] = [];
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
      if (taken >= MAX_DATE_ELEMENTS) break;
      if (seen.has(el)) continue;
      seen.add(el);
      const isTime = tagOf(el) === "time";
      if (!isTime && !DATE_CLASS.test(classAndId(el))) continue;
      if (insideFurniture(el, titleEl)) continue;
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
    const verdict = judgePublishedTime(candidate, now);
    if (verdict.kind !== "none") return verdict;
  }
  return { kind: "none" };
}

/** The base for relative URLs: the page's <base href>, else the page's own URL. */
export function resolveBase(doc: DomDocument | null, pageUrl: string): string {
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
