/** RSS (0.9x, 1.0, 2.0) and Atom documents to raw items; fast-xml-parser does the reading. */
import { XMLValidator } from "fast-xml-parser";
import { escapeHtml } from "../../text/html";
import { cleanLine } from "../../text/normalize";
import {
  absoluteHttpUrl,
  asArray,
  emptyToNull,
  type FeedMedia,
  FeedParseError,
  finishItems,
  firstNonEmpty,
  htmlToText,
  isRecord,
  mediaOf,
  type ParsedFeed,
  type RawItem,
} from "./items";
import {
  atomText,
  attr,
  parserFor,
  plainText,
  prefixRenames,
  rawText,
  type XmlNode,
  xhtmlByEntry,
} from "./xml-reading";

function isImageType(type: string | null, url: string | null): boolean {
  if (type) return type.toLowerCase().startsWith("image/");
  return url !== null && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(url);
}

/** Audio and video: RSS enclosures, Media RSS contents (also in a group), Atom enclosure links. */
function itemMedia(item: XmlNode, base: string): FeedMedia[] {
  const found: FeedMedia[] = [];
  const add = (node: unknown, urlAttr: "url" | "href", lengthAttr: "length" | "fileSize") => {
    const media = mediaOf(
      absoluteHttpUrl(attr(node, urlAttr), base),
      attr(node, "type"),
      attr(node, "medium"),
      attr(node, lengthAttr),
    );
    if (media) found.push(media);
  };
  for (const enc of asArray(item.enclosure)) add(enc, "url", "length");
  for (const media of [
    ...asArray(item["media:group"]).flatMap((g) =>
      asArray(isRecord(g) ? g["media:content"] : undefined),
    ),
    ...asArray(item["media:content"]),
  ]) {
    add(media, "url", "fileSize");
  }
  for (const link of asArray(item.link)) {
    if (attr(link, "rel") === "enclosure") add(link, "href", "length");
  }
  return found;
}

/** enclosure, media:content, media:thumbnail, a bare <image>: whichever names a picture. */
function mediaImage(item: XmlNode, base: string): string | null {
  for (const enc of asArray(item.enclosure)) {
    const url = attr(enc, "url");
    if (isImageType(attr(enc, "type"), url)) return absoluteHttpUrl(url, base);
  }
  for (const media of [
    ...asArray(item["media:group"]).flatMap((g) =>
      asArray(isRecord(g) ? g["media:content"] : undefined),
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
    const abs = absoluteHttpUrl(isRecord(image) ? rawText(image.url) : rawText(image), base);
    if (abs) return abs;
  }
  return null;
}

/** The first of these fields (of `node`) that has text, as HTML-or-text. */
function firstField(node: XmlNode, names: string[]): string {
  return firstNonEmpty(...names.map((name) => rawText(asArray(node[name])[0])));
}

/** The first of these fields that has a date. */
function firstDate(node: XmlNode, names: string[]): string | null {
  for (const name of names) {
    const value = cleanLine(rawText(asArray(node[name])[0]));
    if (value) return value;
  }
  return null;
}

/** media:title / media:description, also inside a media:group or a media:content. */
function mediaField(item: XmlNode, name: "media:title" | "media:description"): string {
  const holders = [
    item,
    ...asArray(item["media:group"]).filter(isRecord),
    ...asArray(item["media:content"]).filter(isRecord),
  ];
  return firstNonEmpty(...holders.map((holder) => rawText(asArray(holder[name])[0])));
}

function rssItem(item: XmlNode, feedUrl: string): RawItem {
  const title =
    plainText(asArray(item.title)[0]) ||
    plainText(asArray(item["dc:title"])[0]) ||
    htmlToText(mediaField(item, "media:title"));
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
    firstField(item, ["description", "content:encoded", "dc:description", "itunes:summary"]),
    mediaField(item, "media:description"),
    escapeHtml(firstField(item, ["itunes:subtitle"])),
  );
  const author = emptyToNull(
    plainText(asArray(item["dc:creator"])[0]) ||
      plainText(asArray(item.author)[0]) ||
      plainText(asArray(item["itunes:author"])[0]),
  );
  const date = firstDate(item, [
    "pubDate",
    "dc:date",
    "dcterms:issued",
    "dcterms:created",
    "dcterms:modified",
    "published",
    "updated",
  ]);
  return {
    title,
    link,
    rawLink,
    guid,
    date,
    html,
    extraImage: mediaImage(item, link ?? feedUrl),
    author,
    media: itemMedia(item, link ?? feedUrl),
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

function atomEntry(entry: XmlNode, feedUrl: string, xhtml: Record<string, string> = {}): RawItem {
  const text = (name: string) => xhtml[name] ?? atomText(asArray(entry[name])[0]);
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
    title: htmlToText(text("title")) || plainText(asArray(entry["dc:title"])[0]),
    link,
    rawLink: raw,
    guid: emptyToNull(cleanLine(rawText(asArray(entry.id)[0]))),
    // Atom 1.0, then Atom 0.3's issued, modified and created, then Dublin Core.
    date: firstDate(entry, [
      "published",
      "updated",
      "issued",
      "modified",
      "created",
      "dc:date",
      "dcterms:issued",
    ]),
    html: firstNonEmpty(
      text("summary"),
      text("content"),
      firstField(entry, ["dc:description"]),
      mediaField(entry, "media:description"),
    ),
    extraImage: extraImage ?? mediaImage(entry, link ?? feedUrl),
    media: itemMedia(entry, link ?? feedUrl),
    author: emptyToNull(isRecord(author) ? plainText(author.name) : plainText(author)),
  };
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

export function parseXmlFeed(text: string, feedUrl: string): ParsedFeed {
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
  let renames = new Map<string, string>();
  try {
    renames = prefixRenames(xml);
    doc = parserFor(renames).parse(xml) as XmlNode;
  } catch (err) {
    throw new FeedParseError(
      `not well-formed XML: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("#"));
  const root = rootName ? doc[rootName] : undefined;
  const rootNode = isRecord(root) ? root : {};

  if (rootName === "rss" || rootName === "rdf:RDF") {
    const channel = asArray(rootNode.channel).find(isRecord) ?? {};
    // RSS 1.0 keeps items beside the channel; 0.9x/2.0 inside it.
    const items = [...asArray(channel.item), ...asArray(rootNode.item)].filter(isRecord);
    return {
      title: plainText(asArray(channel.title)[0]) || plainText(asArray(channel["dc:title"])[0]),
      ...finishItems(
        items.map((item) => rssItem(item, feedUrl)),
        "item",
      ),
    };
  }
  if (rootName === "feed") {
    const entries = asArray(rootNode.entry).filter(isRecord);
    const xhtml = /type\s*=\s*["']xhtml["']/i.test(xml) ? xhtmlByEntry(xml, renames) : [];
    return {
      title: htmlToText(atomText(asArray(rootNode.title)[0])),
      ...finishItems(
        entries.map((entry, index) => atomEntry(entry, feedUrl, xhtml[index])),
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
