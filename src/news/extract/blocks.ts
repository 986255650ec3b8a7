/**
 * From the element that holds the story to a flat list of blocks: furniture pruned first (by
 * class, by tag, related-story boxes found by their heading), then each paragraph as a text block
 * with the hints the finishing stage needs (links, italics, alignment) and each picture as a photo.
 */
import { cleanLine } from "../../text/normalize";
import {
  attr,
  classAndId,
  type DomElement,
  hasClassWord,
  hasFurnitureClass,
  isHidden,
  resolveUrl,
  safeQuery,
  safeQueryAll,
  tagOf,
  textStats,
  visibleText,
  walk,
} from "./dom";
import { isFurnitureMarker } from "./lines";
import {
  BLOCK_TAGS,
  CAPTION_WORDS,
  GALLERY_WORDS,
  IMAGE_TABLE_WORDS,
  JUNK_TAGS,
  LAZY_IMAGE_ATTRIBUTES,
  META_WORDS,
  PLACEHOLDER_SRC,
  RIGHT_ALIGNED_WORDS,
} from "./site-rules";

export interface TextBlock {
  kind: "text";
  text: string;
  /** Share of the characters inside links. */
  linkRatio: number;
  italic: boolean;
  bold: boolean;
  right: boolean;
  captionLike: boolean;
  /** An item of a list (li) inside the body. */
  listItem: boolean;
}

export interface PhotoBlock {
  kind: "photo";
  url: string;
  caption: string;
}

export type Block = TextBlock | PhotoBlock;

/** Set on a related-stories heading that has no box of its own: the story ends there. */
const STOP_ATTRIBUTE = "data-bantin-stop";

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

/** A gallery with more slides than this is left out (its photos are not the story's). */
const GALLERY_MAX_PHOTOS = 10;

/** The figure around `img`, up to and including `within`. */
function figureOf(img: DomElement, within: DomElement): DomElement | null {
  for (let up = img.parentElement; up; up = up.parentElement) {
    if (tagOf(up) === "figure") return up;
    if (up === within) break;
  }
  return null;
}

function isGallery(el: DomElement): boolean {
  return (
    hasClassWord(el, GALLERY_WORDS) && safeQuery(el, "img, [data-original], [data-src]") !== null
  );
}

/** Marks an element whose class reads as furniture but which holds the story (pruneBody). */
const STORY_ATTRIBUTE = "data-bantin-story";

/** Letters in the paragraphs under `el`. */
function paragraphChars(el: DomElement): number {
  let chars = 0;
  for (const p of safeQueryAll(el, "p")) chars += visibleText(p).length;
  return chars;
}

/**
 * A related-stories heading followed by its list of links (the two side by side, not in a box
 * of their own): the heading (the marker, or its ancestor holding only the marker's text) and
 * the element right after it, when that element is mostly links.
 */
function linksAfterHeading(
  marker: DomElement,
  root: DomElement,
): { heading: DomElement; links: DomElement } | null {
  const markerText = cleanLine(marker.textContent ?? "");
  let heading = marker;
  while (
    !heading.nextElementSibling &&
    heading.parentElement &&
    heading.parentElement !== root &&
    cleanLine(heading.parentElement.textContent ?? "") === markerText
  ) {
    heading = heading.parentElement;
  }
  const next = heading.nextElementSibling;
  if (!next) return null;
  const stats = textStats(next);
  return stats.chars > 0 && stats.linkChars / stats.chars >= 0.5 ? { heading, links: next } : null;
}

/** Text after a marker that reads as more story: this long at least, and few of it links. */
const CONTINUATION_MIN_CHARS = 300;
const CONTINUATION_MAX_LINK_SHARE = 0.3;

/**
 * Whether the story goes on after the marker (a "Read more" that opens the rest, a "Related"
 * heading left behind by a box already gone) rather than a list of other stories. Elements in document order: linkedom's
 * compareDocumentPosition cannot be trusted.
 */
function continuesStory(marker: DomElement, root: DomElement): boolean {
  const all = safeQueryAll(root, "p, div, li, h2, h3, h4, blockquote");
  const ordered = safeQueryAll(root, "*");
  const at = ordered.indexOf(marker);
  if (at === -1) return false;
  const after = new Set(ordered.slice(at + 1).filter((el) => !marker.contains(el)));
  let chars = 0;
  let linkChars = 0;
  let linkLeaves = 0;
  let proseLeaves = 0;
  for (const el of all) {
    if (!after.has(el)) continue;
    // Leaves only, so that no text is counted twice.
    if (safeQuery(el, "p, div, li, h2, h3, h4, blockquote")) continue;
    const stats = textStats(el);
    if (stats.chars === 0) continue;
    chars += stats.chars;
    linkChars += stats.linkChars;
    if (stats.linkChars / stats.chars >= 0.5) linkLeaves++;
    else proseLeaves++;
  }
  // Teasers under a "related" heading alternate a linked headline and a summary; the rest of
  // a story is paragraphs with a link here and there.
  return (
    chars >= CONTINUATION_MIN_CHARS &&
    linkChars / chars <= CONTINUATION_MAX_LINK_SHARE &&
    linkLeaves * 4 <= proseLeaves
  );
}

/** Removes furniture inside the body: by class, by tag, and related blocks found by heading. */
export function pruneBody(root: DomElement, extraRemove: string[]): void {
  for (const selector of extraRemove) {
    for (const el of safeQueryAll(root, selector)) el.remove();
  }
  const storyChars = paragraphChars(root);
  for (const el of safeQueryAll(root, "*")) {
    if (!root.contains(el)) continue;
    if (JUNK_TAGS.has(tagOf(el))) {
      el.remove();
    } else if (hasFurnitureClass(el)) {
      // A class word says furniture, but no furniture holds most of the story's paragraphs
      // ("article-body pagination-first" wraps the whole story on some sites).
      if (storyChars === 0 || paragraphChars(el) < storyChars / 2) el.remove();
      else el.setAttribute(STORY_ATTRIBUTE, "1");
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
    const list = box ? null : linksAfterHeading(el, root);
    if (box) {
      box.remove();
    } else if (list) {
      list.heading.remove(); // a heading over a list of links inside the story: both go
      list.links.remove();
    } else if (tagOf(el) === "a" || continuesStory(el, root)) {
      el.remove(); // the story goes on after it ("Read more" opening the rest): only the marker
    } else {
      el.setAttribute(STOP_ATTRIBUTE, "1");
    }
  }
}

function imageUrl(img: DomElement, base: string): string | null {
  for (const name of LAZY_IMAGE_ATTRIBUTES) {
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

/** Icons, tracking pixels. */
function isTinyImage(img: DomElement): boolean {
  const w = Number.parseInt(attr(img, "width"), 10);
  const h = Number.parseInt(attr(img, "height"), 10);
  return (Number.isFinite(w) && w > 0 && w <= 50) || (Number.isFinite(h) && h > 0 && h <= 50);
}

/** Many CMSs lay a photo and its caption out as a small table. */
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
    RIGHT_ALIGNED_WORDS.test(attr(el, "class"))
  );
}

/** The pruned body as blocks, in document order; relative picture URLs resolved against `base`. */
export function collectBlocks(root: DomElement, base: string): Block[] {
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
        listItem: blockStack.some((el) => el !== root && tagOf(el) === "li"),
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
      if (el.hasAttribute(STOP_ATTRIBUTE)) {
        flush();
        return "stop";
      }
      if (JUNK_TAGS.has(tag) || isHidden(el)) return "skip";
      if (hasFurnitureClass(el) && !el.hasAttribute(STORY_ATTRIBUTE)) return "skip";
      if (isGallery(el)) {
        // Slides are photos with captions, not paragraphs; a long slideshow is its own
        // feature (often another story's), not this story's pictures.
        flush();
        const images = safeQueryAll(el, "img");
        if (images.length <= GALLERY_MAX_PHOTOS) {
          for (const img of images) {
            const figure = figureOf(img, el);
            const captionEl = figure ? safeQuery(figure, "figcaption") : null;
            addPhoto(img, captionEl ? visibleText(captionEl) : "");
          }
        }
        return "skip";
      }
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
