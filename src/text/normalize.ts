/**
 * Canonical text for storage: Unicode NFC (a site may send "ế" as e + two combining marks),
 * no control characters, no zero-width junk, collapsed runs of spaces.
 */
export function toNfc(text: string): string {
  return text.normalize("NFC");
}

// C0/C1 controls except tab and newline, and every format character (Unicode Cf: zero-width
// space, joiner and non-joiner, word joiner, BOM, soft hyphen, bidi marks and embeddings), except
// where one glues an emoji together: a zero-width joiner between two pictographs (👨‍👩‍👧) and
// the tag characters of a subdivision flag (🏴 England).
const CONTROLS = "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]";
const EMOJI_JOINER =
  "(?<=\\p{Extended_Pictographic}[\\u{1F3FB}-\\u{1F3FF}\\uFE0F]?)\\u200D(?=\\p{Extended_Pictographic})";
const FLAG_TAG = "(?<=\\u{1F3F4}[\\u{E0020}-\\u{E007E}]*)[\\u{E0020}-\\u{E007F}]";
const UNWANTED = new RegExp(`${CONTROLS}|(?!${EMOJI_JOINER}|${FLAG_TAG})\\p{Cf}`, "gu");

/** Unicode format characters (Cf): invisible, and never part of a word. */
export const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** Drops format characters (zero-width space/joiner, BOM, bidi marks, soft hyphen ...). */
export function dropFormatCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTERS, "");
}

/**
 * One line of NFC text: runs of whitespace (newlines too) become one space, ends trimmed. The
 * light form of cleanLine, for text that was cleaned when it was stored.
 */
export function oneLine(text: string): string {
  return toNfc(text).replace(/\s+/g, " ").trim();
}

/**
 * Text as a person typed it, without what they cannot see: NFC, no control characters (tab and
 * newline stay) and no format characters (bidi overrides and isolates, zero-width characters),
 * emoji kept whole. Echoed back, it reads the way it was written.
 */
export function dropInvisible(text: string): string {
  return toNfc(text).replace(UNWANTED, "");
}

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
