/** RSS (0.9x, 1.0, 2.0) and Atom documents to raw items; fast-xml-parser does the reading. */
import { decodeXML } from "entities";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { cleanLine } from "../../text/normalize";
import {
  absoluteHttpUrl,
  asArray,
  emptyToNull,
  FeedParseError,
  finishItems,
  firstNonEmpty,
  htmlToText,
  isRecord,
  type ParsedFeed,
  type RawItem,
} from "./items";

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

/**
 * The character content of an element as HTML-or-text: text nodes XML-decoded, CDATA as is,
 * child elements (Atom xhtml) flattened. Attributes are ignored.
 */
function rawText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return decodeXML(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(rawText).join(" ");
  if (isRecord(value)) {
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
  if (!isRecord(node)) return null;
  const value = node[`@_${name}`];
  return typeof value === "string" ? decodeXML(value) : null;
}

function plainText(value: unknown): string {
  return htmlToText(rawText(value));
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
  try {
    doc = parser.parse(xml) as XmlNode;
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
      title: plainText(asArray(channel.title)[0]),
      ...finishItems(
        items.map((item) => rssItem(item, feedUrl)),
        "item",
      ),
    };
  }
  if (rootName === "feed") {
    const entries = asArray(rootNode.entry).filter(isRecord);
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
