import { decodeHTML, decodeXML } from "entities";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeHtml } from "../../text/html";
import { cleanLine } from "../../text/normalize";

export interface FeedItem {
  title: string;
  /** Absolute http(s) URL of the story. */
  link: string;
  guid: string | null;
  /** ISO 8601 in UTC, or null when the feed gave no date we could read. */
  publishedAt: string | null;
  /** Plain text, NFC, at most about LEAD_MAX_CHARS characters. */
  lead: string;
  imageUrl: string | null;
  author: string | null;
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
/** Houses rule: a time without a zone is Vietnamese local time (UTC+7, no DST). */
const DEFAULT_OFFSET_MINUTES = 7 * 60;

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  // Entities are decoded by us, once, and only the predefined and numeric ones (plus HTML
  // names): a DOCTYPE's own entities are never expanded. Nothing is ever fetched.
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  cdataPropName: "#cdata",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

// ---------------------------------------------------------------------------------------------
// Text helpers

function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The character content of an element as HTML-or-text: text nodes XML-decoded, CDATA as is,
 * child elements (Atom xhtml) flattened. Attributes are ignored.
 */
function rawText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return decodeXML(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(rawText).join(" ");
  if (isNode(value)) {
    const parts: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith("@_")) continue;
      if (key === "#cdata") parts.push(asArray(child as string).join(""));
      else if (key === "#text") parts.push(rawText(child));
      else parts.push(rawText(child));
    }
    return parts.join(" ");
  }
  return "";
}

function attr(node: unknown, name: string): string | null {
  if (!isNode(node)) return null;
  const value = node[`@_${name}`];
  return typeof value === "string" ? decodeXML(value) : null;
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

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, "")}…`;
}

function plainText(value: unknown): string {
  return htmlToText(rawText(value));
}

function absoluteHttpUrl(raw: string | null | undefined, base: string): string | null {
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
function firstImage(html: string, base: string): string | null {
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

function leadFrom(html: string): string {
  return truncate(htmlToText(html), LEAD_MAX_CHARS);
}

function emptyToNull(text: string): string | null {
  return text === "" ? null : text;
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  ICT: 420,
};

/** Minutes east of UTC, DEFAULT_OFFSET_MINUTES when absent, undefined when unreadable. */
function zoneOffset(zone: string | undefined): number | undefined {
  const z = (zone ?? "").trim().toUpperCase();
  if (z === "") return DEFAULT_OFFSET_MINUTES;
  const named = ZONES[z];
  if (named !== undefined) return named;
  const numeric = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (!numeric) return undefined;
  const sign = numeric[1] === "-" ? -1 : 1;
  const hours = Number(numeric[2]);
  const minutes = Number(numeric[3] ?? "0");
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

function buildDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number | undefined,
): string | null {
  if (offsetMinutes === undefined) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const ms = local - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}

/**
 * RFC 822/1123 ("Mon, 26 Jan 2026 08:27:00 +0700"), ISO 8601 ("2026-01-26T08:27:00+07:00")
 * or day-first Vietnamese ("26/01/2026 08:27") to ISO UTC. A time without a zone is taken as
 * Vietnamese local time. Anything else gives null.
 */
export function parseFeedDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = cleanLine(raw);
  if (s === "" || s.length > 80) return null;

  const rfc =
    /^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/.exec(
      s,
    );
  if (rfc) {
    const month = MONTHS[(rfc[2] ?? "").slice(0, 3).toLowerCase()];
    if (month === undefined) return null;
    let year = Number(rfc[3]);
    if (year < 100) year += year < 50 ? 2000 : 1900;
    const zone = (rfc[7] ?? "").replace(/\s*\(.*\)$/, "");
    return buildDate(
      year,
      month,
      Number(rfc[1]),
      Number(rfc[4]),
      Number(rfc[5]),
      Number(rfc[6] ?? "0"),
      zoneOffset(zone),
    );
  }

  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(
      s,
    );
  if (iso) {
    return buildDate(
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      Number(iso[4] ?? "0"),
      Number(iso[5] ?? "0"),
      Number(iso[6] ?? "0"),
      zoneOffset(iso[7]),
    );
  }

  const vi = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[\s,-]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (vi) {
    return buildDate(
      Number(vi[3]),
      Number(vi[2]),
      Number(vi[1]),
      Number(vi[4] ?? "0"),
      Number(vi[5] ?? "0"),
      Number(vi[6] ?? "0"),
      DEFAULT_OFFSET_MINUTES,
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Items

interface RawItem {
  title: string;
  link: string | null;
  rawLink: string;
  guid: string | null;
  date: string | null;
  html: string;
  extraImage: string | null;
  author: string | null;
}

function quote(text: string): string {
  return `“${truncate(text, 80)}”`;
}

function finishItems(raws: RawItem[], kind: string): Pick<ParsedFeed, "items" | "skipped"> {
  const items: FeedItem[] = [];
  const skipped: { reason: string }[] = [];
  raws.slice(0, MAX_ITEMS).forEach((raw, index) => {
    const n = index + 1;
    if (!raw.link) {
      if (raw.rawLink !== "") {
        skipped.push({
          reason: `${kind} ${n}: link is not a web address (${truncate(raw.rawLink, 80)})`,
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
      publishedAt: parseFeedDate(raw.date),
      lead: leadFrom(raw.html),
      imageUrl: firstImage(raw.html, raw.link) ?? raw.extraImage,
      author: raw.author,
    });
  });
  if (raws.length > MAX_ITEMS) {
    skipped.push({ reason: `${raws.length - MAX_ITEMS} more items ignored (limit ${MAX_ITEMS})` });
  }
  return { items, skipped };
}

function isImageType(type: string | null, url: string | null): boolean {
  if (type) return type.toLowerCase().startsWith("image/");
  return url !== null && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(url);
}

/** enclosure, media:content, media:thumbnail, a bare <image>: whichever names a picture. */
function mediaImage(item: XmlNode, base: string): string | null {
  for (const enc of asArray(item.enclosure)) {
    const url = attr(enc, "url");
    if (isImageType(attr(enc, "type"), url)) return absoluteHttpUrl(url, base);
  }
  for (const media of [
    ...asArray(item["media:group"]).flatMap((g) =>
      asArray(isNode(g) ? g["media:content"] : undefined),
    ),
    ...asArray(item["media:content"]),
  ]) {
    const url = attr(media, "url");
    const medium = attr(media, "medium");
    if (medium === "image" || isImageType(attr(media, "type"), url)) {
      const abs = absoluteHttpUrl(url, base);
      if (abs) return abs;
    }
  }
  for (const thumb of asArray(item["media:thumbnail"])) {
    const abs = absoluteHttpUrl(attr(thumb, "url"), base);
    if (abs) return abs;
  }
  for (const image of asArray(item.image)) {
    const abs = absoluteHttpUrl(isNode(image) ? rawText(image.url) : rawText(image), base);
    if (abs) return abs;
  }
  return null;
}

function firstNonEmpty(...values: string[]): string {
  return values.find((v) => v.trim() !== "") ?? "";
}

function rssItem(item: XmlNode, feedUrl: string): RawItem {
  const title = plainText(item.title);
  const links = asArray(item.link).map((l) => cleanLine(rawText(l)));
  const rawLink = links.find((l) => l !== "") ?? "";
  const guidNode = asArray(item.guid)[0];
  const guid = emptyToNull(cleanLine(rawText(guidNode)));
  let link = absoluteHttpUrl(rawLink, feedUrl);
  if (!link && rawLink === "" && guid && attr(guidNode, "isPermaLink") !== "false") {
    // RSS 2.0: a permalink guid is the story's address when <link> is missing.
    link = absoluteHttpUrl(guid, feedUrl);
    if (link && !/^https?:\/\//i.test(guid)) link = null;
  }
  const html = firstNonEmpty(
    rawText(asArray(item.description)[0]),
    rawText(asArray(item["content:encoded"])[0]),
    rawText(asArray(item["media:description"])[0]),
  );
  const author = emptyToNull(
    plainText(asArray(item["dc:creator"])[0]) || plainText(asArray(item.author)[0]),
  );
  const date =
    cleanLine(rawText(asArray(item.pubDate)[0])) ||
    cleanLine(rawText(asArray(item["dc:date"])[0])) ||
    cleanLine(rawText(asArray(item.published)[0])) ||
    null;
  return {
    title,
    link,
    rawLink,
    guid,
    date,
    html,
    extraImage: mediaImage(item, link ?? feedUrl),
    author,
  };
}

function atomLink(entry: XmlNode, feedUrl: string): { link: string | null; raw: string } {
  const links = asArray(entry.link);
  const alternates = links.filter((l) => {
    const rel = attr(l, "rel");
    return rel === null || rel === "alternate";
  });
  const preferred =
    alternates.find((l) => (attr(l, "type") ?? "text/html").includes("html")) ?? alternates[0];
  const raw = attr(preferred, "href") ?? (typeof preferred === "string" ? preferred : "");
  return { link: absoluteHttpUrl(raw, feedUrl), raw: cleanLine(raw) };
}

function atomEntry(entry: XmlNode, feedUrl: string): RawItem {
  const { link, raw } = atomLink(entry, feedUrl);
  const author = asArray(entry.author)[0];
  let extraImage: string | null = null;
  for (const l of asArray(entry.link)) {
    const href = attr(l, "href");
    if (attr(l, "rel") === "enclosure" && isImageType(attr(l, "type"), href)) {
      extraImage = absoluteHttpUrl(href, link ?? feedUrl);
      if (extraImage) break;
    }
  }
  return {
    title: plainText(entry.title),
    link,
    rawLink: raw,
    guid: emptyToNull(cleanLine(rawText(asArray(entry.id)[0]))),
    date:
      cleanLine(rawText(asArray(entry.published)[0])) ||
      cleanLine(rawText(asArray(entry.updated)[0])) ||
      null,
    html: firstNonEmpty(rawText(asArray(entry.summary)[0]), rawText(asArray(entry.content)[0])),
    extraImage: extraImage ?? mediaImage(entry, link ?? feedUrl),
    author: emptyToNull(isNode(author) ? plainText(author.name) : plainText(author)),
  };
}

// ---------------------------------------------------------------------------------------------
// Documents

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

/** Any <!ENTITY> in an internal DTD subset: refused outright, expanded never. */
function declaresEntities(text: string): boolean {
  const lower = text.slice(0, 1_000_000).toLowerCase();
  const doctype = lower.indexOf("<!doctype");
  if (doctype === -1) return false;
  const entity = lower.indexOf("<!entity", doctype);
  if (entity === -1) return false;
  const subsetEnd = lower.indexOf("]>", doctype);
  return subsetEnd === -1 || entity < subsetEnd;
}

/** "a=1&b=2" in a <link> is common and not XML; make such bare ampersands "&amp;" (outside CDATA). */
function repairBareAmpersands(text: string): string {
  if (!text.includes("&")) return text;
  const bare = /&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)/g;
  let out = "";
  let pos = 0;
  while (pos < text.length) {
    const start = text.indexOf("<![CDATA[", pos);
    const plainEnd = start === -1 ? text.length : start;
    out += text.slice(pos, plainEnd).replace(bare, "&amp;");
    if (start === -1) break;
    const end = text.indexOf("]]>", start);
    const cdataEnd = end === -1 ? text.length : end + 3;
    out += text.slice(start, cdataEnd);
    pos = cdataEnd;
  }
  return out;
}

function parseXmlFeed(text: string, feedUrl: string): ParsedFeed {
  if (declaresEntities(text)) throw new FeedParseError("feed declares entities; refused");
  const xml = repairBareAmpersands(text);
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(xml);
  } catch (err) {
    throw new FeedParseError(
      `not well-formed XML: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new FeedParseError(`not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new FeedParseError(
      `not well-formed XML: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("#"));
  const root = rootName ? doc[rootName] : undefined;
  const rootNode = isNode(root) ? root : {};

  if (rootName === "rss" || rootName === "rdf:RDF") {
    const channel = asArray(rootNode.channel).find(isNode) ?? {};
    // RSS 1.0 keeps items beside the channel; 0.9x/2.0 inside it.
    const items = [...asArray(channel.item), ...asArray(rootNode.item)].filter(isNode);
    return {
      title: plainText(asArray(channel.title)[0]),
      ...finishItems(
        items.map((item) => rssItem(item, feedUrl)),
        "item",
      ),
    };
  }
  if (rootName === "feed") {
    const entries = asArray(rootNode.entry).filter(isNode);
    return {
      title: plainText(rootNode.title),
      ...finishItems(
        entries.map((entry) => atomEntry(entry, feedUrl)),
        "entry",
      ),
    };
  }
  if (rootName && /^(html|xhtml:html)$/i.test(rootName)) {
    throw new FeedParseError("this is an HTML page, not a feed");
  }
  throw new FeedParseError(
    rootName
      ? `not a feed: the document is <${rootName}>, not RSS, Atom or JSON Feed`
      : "not a feed: the document has no root element",
  );
}

function stringField(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

function parseJsonFeed(text: string, feedUrl: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc) || !/^https?:\/\/jsonfeed\.org\/version\/1/.test(stringField(doc.version))) {
    throw new FeedParseError("this JSON document is not a JSON Feed (no jsonfeed.org version)");
  }
  const items = Array.isArray(doc.items) ? doc.items : [];
  const raws = items.map((value: unknown): RawItem => {
    const item = isNode(value) ? value : {};
    const rawLink = cleanLine(stringField(item.url) || stringField(item.external_url));
    const link = absoluteHttpUrl(rawLink, feedUrl);
    const contentHtml = stringField(item.content_html);
    const summary = stringField(item.summary);
    // Plain-text fields are escaped so that leadFrom reads them as text, not markup.
    const html = summary
      ? escapeHtml(summary)
      : firstNonEmpty(contentHtml, escapeHtml(stringField(item.content_text)));
    const authors = [...asArray(item.authors as unknown[]), item.author].filter(isNode);
    const imageFromContent = contentHtml ? firstImage(contentHtml, link ?? feedUrl) : null;
    return {
      title: cleanLine(stringField(item.title)),
      link,
      rawLink,
      guid: emptyToNull(cleanLine(stringField(item.id))),
      date: stringField(item.date_published) || stringField(item.date_modified) || null,
      html,
      extraImage:
        absoluteHttpUrl(stringField(item.image), link ?? feedUrl) ??
        absoluteHttpUrl(stringField(item.banner_image), link ?? feedUrl) ??
        imageFromContent,
      author: emptyToNull(cleanLine(stringField(authors[0]?.name))),
    };
  });
  return { title: cleanLine(stringField(doc.title)), ...finishItems(raws, "item") };
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
