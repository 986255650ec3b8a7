/**
 * A minimal structural view of the DOM linkedom gives us (the project compiles without lib.dom),
 * and the few safe ways the extractor reads it: queries that never throw on a bad selector, and a
 * walk without recursion, because hostile pages nest tens of thousands of elements deep.
 */
import { DOMParser } from "linkedom";
import { cleanLine } from "../../text/normalize";
import { BLOCK_TAGS, FURNITURE_WORDS, JUNK_TAGS } from "./site-rules";

export interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  textContent: string | null;
  parentNode: DomNode | null;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
}

export interface DomElement extends DomNode {
  localName: string;
  parentElement: DomElement | null;
  nextElementSibling: DomElement | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  contains(other: DomNode | null): boolean;
  remove(): void;
}

export interface DomDocument {
  documentElement: DomElement | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

export type DomScope = DomDocument | DomElement;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function isElement(node: DomNode | null): node is DomElement {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

export function tagOf(el: DomElement): string {
  return (el.localName || "").toLowerCase();
}

/** A document from a whole page or a fragment (wrapped in html/body); null if it has no root. */
export function parseDocument(html: string): DomDocument | null {
  const wrapped = /<html[\s>]/i.test(html.slice(0, 4096))
    ? html
    : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const doc = new DOMParser().parseFromString(wrapped, "text/html") as unknown as DomDocument;
  return doc.documentElement ? doc : null;
}

/** querySelectorAll that gives nothing for a selector the engine refuses (sources type them). */
export function safeQueryAll(scope: DomScope, selector: string): DomElement[] {
  try {
    return Array.from(scope.querySelectorAll(selector));
  } catch {
    return [];
  }
}

export function safeQuery(scope: DomScope, selector: string): DomElement | null {
  try {
    return scope.querySelector(selector);
  } catch {
    return null;
  }
}

export function bodyOf(doc: DomDocument): DomElement | null {
  return safeQuery(doc, "body") ?? doc.documentElement;
}

export function attr(el: DomElement, name: string): string {
  return el.getAttribute(name) ?? "";
}

export function classAndId(el: DomElement): string {
  return `${attr(el, "class")} ${attr(el, "id")}`.trim();
}

/** A class name or the id of `el` that `pattern` matches (patterns name parts of a class). */
export function hasClassWord(el: DomElement, pattern: RegExp): boolean {
  const words = classAndId(el);
  return words !== "" && words.split(/\s+/).some((word) => pattern.test(word));
}

export function hasFurnitureClass(el: DomElement): boolean {
  return hasClassWord(el, FURNITURE_WORDS);
}

export function isHidden(el: DomElement): boolean {
  if (el.hasAttribute("hidden")) return true;
  const style = attr(el, "style").toLowerCase().replace(/\s+/g, "");
  return style.includes("display:none") || style.includes("visibility:hidden");
}

type Visit = "descend" | "skip" | "stop";

export interface Visitor {
  enter(el: DomElement, depth: number): Visit;
  exit(el: DomElement): void;
  text(value: string): void;
}

/** Document-order walk below `root`, without recursion. */
export function walk(root: DomElement, visitor: Visitor): void {
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

export interface TextStats {
  /** Visible non-space characters. */
  chars: number;
  /** Of those, the ones inside links. */
  linkChars: number;
  elements: number;
  maxDepth: number;
}

export function textStats(root: DomElement): TextStats {
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

/** The element's text as a reader sees it: one clean line, blocks apart, junk tags left out. */
export function visibleText(el: DomElement): string {
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

/** An absolute http(s) URL, or null (data:, javascript:, unparseable). */
export function resolveUrl(raw: string, base: string): string | null {
  const value = raw.trim();
  if (!value || /^(?:data|javascript|about|blob):/i.test(value)) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
