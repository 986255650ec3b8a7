export { extractArticlePage } from "./article-page";
export { isDateLine, isFurnitureMarker, isReadMoreLine, isSocialLine, nameFromLine } from "./lines";
export { parsePublishedTime } from "./page-meta";
export { extractTextPage, isImageLine } from "./text-page";
export type { ExtractedPhoto, ExtractedStory, ExtractOptions, ExtractorSelectors } from "./types";

const HTML_START =
  /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:!doctype\s+)?html)/i;
const HTML_TAG =
  /<\/?(?:html|head|body|p|div|span|br|h[1-6]|article|section|main|a|img|figure|table|ul|ol|li|meta|title|script|style)(?:\s[^<>]*)?\/?>/gi;

/**
 * Whether a fetched text is an HTML page (rather than plain text like the seed). Looks at a
 * doctype / <html> start, else counts tags in the first 64 KB.
 */
export function isProbablyHtml(text: string): boolean {
  if (typeof text !== "string") return false;
  const head = text.slice(0, 65_536).replace(/^\uFEFF/, "");
  if (HTML_START.test(head)) return true;
  const tags = head.match(HTML_TAG);
  return (tags?.length ?? 0) >= 3;
}
