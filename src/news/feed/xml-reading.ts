/**
 * Reading feed XML: element names under the prefixes this reader expects whatever the document
 * binds, an element's text, and Atom's text constructs (RFC 4287 §3.1) with xhtml in document
 * order.
 */
import { decodeXML } from "entities";
import { XMLParser } from "fast-xml-parser";
import { escapeHtml } from "../../text/html";
import { asArray, htmlToText, isRecord } from "./items";

export type XmlNode = Record<string, unknown>;

/**
 * The prefixes this reader expects, by namespace: a feed may bind Dublin Core to `dc` or to
 * anything else, and Atom or RSS 1.0 to a prefix or to none. Names are read as if each document
 * used these (an empty prefix: no prefix).
 */
const CANONICAL_PREFIX: Record<string, string> = {
  "http://www.w3.org/2005/Atom": "",
  "http://purl.org/atom/ns#": "", // Atom 0.3
  "http://purl.org/rss/1.0/": "",
  "http://my.netscape.com/rdf/simple/0.9/": "", // RSS 0.90
  "http://backend.userland.com/rss2": "",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
  "http://purl.org/dc/elements/1.1/": "dc",
  "http://purl.org/dc/terms/": "dcterms",
  "http://purl.org/rss/1.0/modules/content/": "content",
  "http://search.yahoo.com/mrss/": "media",
  "http://search.yahoo.com/mrss": "media",
  "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
};

/** Each prefix the document declares (anywhere: scoped redefinitions are rare) to ours. */
export function prefixRenames(text: string): Map<string, string> {
  const renames = new Map<string, string>();
  const declaration = /\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*["']([^"']*)["']/g;
  for (const [, prefix = "", uri = ""] of text.slice(0, 200_000).matchAll(declaration)) {
    const canonical = CANONICAL_PREFIX[uri.trim()];
    if (canonical !== undefined && !renames.has(prefix)) renames.set(prefix, canonical);
  }
  return renames;
}

/** A tag name with the document's prefix replaced by ours. */
function renamer(renames: Map<string, string>): (tagName: string) => string {
  return (tagName) => {
    const colon = tagName.indexOf(":");
    const prefix = colon === -1 ? "" : tagName.slice(0, colon);
    const local = colon === -1 ? tagName : tagName.slice(colon + 1);
    const canonical = renames.get(prefix);
    if (canonical === undefined) return tagName;
    return canonical === "" ? local : `${canonical}:${local}`;
  };
}

export function parserFor(renames: Map<string, string>): XMLParser {
  const rename = renamer(renames);
  return new XMLParser({
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
    ...(renames.size > 0 ? { transformTagName: rename } : {}),
  });
}

/**
 * The character content of an element as HTML-or-text: text nodes XML-decoded, CDATA as is,
 * child elements (Atom xhtml) flattened. Attributes are ignored.
 */
export function rawText(value: unknown): string {
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

export function attr(node: unknown, name: string): string | null {
  if (!isRecord(node)) return null;
  const value = node[`@_${name}`];
  return typeof value === "string" ? decodeXML(value) : null;
}

export function plainText(value: unknown): string {
  return htmlToText(rawText(value));
}

/**
 * An Atom text construct as HTML (RFC 4287 §3.1): type "html" is escaped HTML, "xhtml" a div of
 * markup, "text" (the default) plain text, where a "<" is a character, not a tag. Atom 0.3's
 * mode="escaped" is html.
 */
export function atomText(node: unknown): string {
  if (node === undefined || node === null) return "";
  const type = (attr(node, "type") ?? "text").toLowerCase();
  const mode = (attr(node, "mode") ?? "").toLowerCase();
  if (type === "xhtml" || type.endsWith("xml")) return rawText(node);
  if (type === "html" || type === "text/html" || mode === "escaped") return rawText(node);
  if (mode === "xml") return rawText(node);
  return escapeHtml(rawText(node));
}

type OrderedNode = Record<string, unknown>;

/** Markup read in document order (preserveOrder) back to HTML: tags, text, a few attributes. */
function orderedHtml(nodes: unknown): string {
  let html = "";
  for (const node of asArray(nodes as OrderedNode[])) {
    if (!isRecord(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === ":@") continue;
      if (key === "#text")
        html += String(value); // still escaped as in the source
      else if (key === "#cdata") html += escapeHtml(rawText(asArray(value as unknown[])[0] ?? ""));
      else {
        const name = key.includes(":") ? key.slice(key.indexOf(":") + 1) : key;
        const attrs = isRecord(node[":@"]) ? (node[":@"] as Record<string, unknown>) : {};
        const kept = ["href", "src", "alt"]
          .filter((a) => typeof attrs[`@_${a}`] === "string")
          .map((a) => ` ${a}="${String(attrs[`@_${a}`]).replace(/"/g, "&quot;")}"`)
          .join("");
        html += `<${name}${kept}>${orderedHtml(value)}</${name}>`;
      }
    }
  }
  return html;
}

/**
 * The xhtml text constructs of each Atom entry, in document order (the default reading groups
 * children by name, which puts paragraphs out of order): one record per entry, by index.
 */
export function xhtmlByEntry(xml: string, renames: Map<string, string>): Record<string, string>[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    trimValues: false,
    cdataPropName: "#cdata",
    textNodeName: "#text",
    ignoreDeclaration: true,
    ignorePiTags: true,
    transformTagName: renamer(renames),
  });
  const doc = asArray(parser.parse(xml) as OrderedNode[]);
  const feed = doc.find((node) => isRecord(node) && "feed" in node);
  const entries = asArray((feed?.feed ?? []) as OrderedNode[]).filter(
    (node) => isRecord(node) && "entry" in node,
  );
  return entries.map((entry) => {
    const found: Record<string, string> = {};
    for (const field of asArray(entry.entry as OrderedNode[])) {
      if (!isRecord(field)) continue;
      const name = Object.keys(field).find((k) => k !== ":@");
      const attrs = field[":@"];
      const type = isRecord(attrs) ? String(attrs["@_type"] ?? "") : "";
      if (name && type.toLowerCase() === "xhtml" && !(name in found)) {
        found[name] = orderedHtml(field[name]);
      }
    }
    return found;
  });
}
