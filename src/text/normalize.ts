/**
 * Canonical text for storage: Unicode NFC (a site may send "ế" as e + two combining marks),
 * no control characters, no zero-width junk, collapsed runs of spaces.
 */
export function toNfc(text: string): string {
  return text.normalize("NFC");
}

// C0/C1 controls except tab and newline; zero-width spaces/joiners and the BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2060\uFEFF]/g;

/** NFC, unwanted characters removed, whitespace in a line collapsed, ends trimmed. */
export function cleanLine(text: string): string {
  return toNfc(text)
    .replace(UNWANTED, "")
    .replace(/[\s\u00A0]+/g, " ")
    .trim();
}

/** Like cleanLine, but keeps paragraph breaks (blank lines) between paragraphs. */
export function cleanParagraphs(text: string): string {
  return toNfc(text)
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map(cleanLine)
    .filter(Boolean)
    .join("\n\n");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops unpaired surrogates (broken UTF-16 from a bad decode), which NFC leaves alone. */
export function dropLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, "");
}
