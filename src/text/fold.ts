import { dropFormatCharacters } from "./normalize";

/**
 * Vietnamese accent folding, for search as people type on phones: "Đối ngoại" -> "doi ngoai".
 * Decomposition (NFD) splits tones and the marks of ă â ê ô ơ ư into combining marks, which are
 * dropped; đ/Đ have no decomposition and are mapped by hand.
 */
const COMBINING_MARKS = /\p{M}+/gu;

export function foldAccents(text: string): string {
  return text
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .replace(/[đĐÐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .normalize("NFC");
}

/**
 * Folded, lower-cased, whitespace collapsed, format characters (zero-width space/joiner, BOM,
 * bidi marks) dropped: the form both the index and queries use, so a zero-width character
 * inside a word never splits it on either side.
 */
export function foldForSearch(text: string): string {
  return foldAccents(dropFormatCharacters(text)).toLowerCase().replace(/\s+/g, " ").trim();
}
