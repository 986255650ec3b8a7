/**
 * Classifiers for single lines of text, shared by the HTML and plain-text extractors: page
 * furniture (related-story headings, "Đọc thêm: …", share bars), bylines and datelines.
 */
import { findDayFirstDateTime } from "../../text/date";
import { cleanLine } from "../../text/normalize";
import {
  AUTHOR_PREFIX,
  DATE_FILLER,
  FURNITURE_MARKERS,
  NAME_CONNECTORS,
  READ_MORE_PREFIX,
  SOCIAL_PHRASES,
  SOCIAL_TOKENS,
} from "./site-rules";

function markerKey(text: string): string {
  return cleanLine(text)
    .toLocaleLowerCase("vi")
    .replace(/[\s:.…>»›\-–—|]+$/u, "")
    .trim();
}

/** A heading that opens a related-stories block ("Tin cùng chuyên mục", "Related", ...). */
export function isFurnitureMarker(text: string): boolean {
  if (text.length > 80) return false;
  return FURNITURE_MARKERS.has(markerKey(text));
}

/** "Đọc thêm: <another story>" lines inside a body. */
export function isReadMoreLine(text: string): boolean {
  return text.length <= 300 && READ_MORE_PREFIX.test(cleanLine(text));
}

/** A line made only of share/social words: "fb yt zl tw", "Chia sẻ", "Facebook | Zalo". */
export function isSocialLine(text: string): boolean {
  if (text.length > 80) return false;
  let rest = cleanLine(text).toLocaleLowerCase("vi");
  if (!rest) return false;
  let phrase = false;
  for (const p of SOCIAL_PHRASES) {
    if (rest.includes(p)) {
      rest = rest.split(p).join(" ");
      phrase = true;
    }
  }
  const tokens = rest.split(/[\s|•·,:;/\\\-–—()[\]]+/u).filter(Boolean);
  if (tokens.length === 0) return phrase;
  return tokens.every((token) => SOCIAL_TOKENS.has(token));
}

/** "Bài, ảnh: Lê Nam" -> "Lê Nam"; a line without such a prefix comes back cleaned. */
export function withoutAuthorPrefix(text: string): string {
  return cleanLine(text).replace(AUTHOR_PREFIX, "").trim();
}

/**
 * A short line that is just a person's (or agency's) name: "Minh Anh", "Thu Hà (TTXVN)",
 * "Bài, ảnh: Lê Nam". Returns the name, or null. Conservative on purpose.
 */
export function nameFromLine(text: string): string | null {
  const raw = cleanLine(text);
  if (!raw || raw.length > 60) return null;
  const line = withoutAuthorPrefix(raw);
  if (!line || line.length > 50) return null;
  if (/\d/.test(line) || /[.!?;:…"“”]$/u.test(line) || /[!?;:"“”]/u.test(line)) return null;
  const words = line
    .replace(/\([^)]{1,30}\)/gu, " ")
    .split(/[\s,\-–/&]+/u)
    .filter(Boolean);
  if (words.length === 0 || words.length > 6) return null;
  const ok = words.every(
    (w) => NAME_CONNECTORS.has(w.toLocaleLowerCase("vi")) || /^\p{Lu}[\p{L}'.]*$/u.test(w),
  );
  return ok ? line : null;
}

/** A line that is only a date/time ("Thứ hai, 26/01/2026 08:27", "08:27 26/01/2026 (GMT+7)"). */
export function isDateLine(text: string): boolean {
  const line = cleanLine(text);
  if (!line || line.length > 80) return false;
  const found = findDayFirstDateTime(line);
  if (!found) return false;
  let rest = (line.slice(0, found.index) + line.slice(found.index + found.length))
    .toLocaleLowerCase("vi")
    .replace(/\d{1,2}\s*[:hg]\s*\d{2}/gu, " ")
    .replace(/thứ\s*[2-7]/gu, " ");
  for (const filler of DATE_FILLER) rest = rest.split(filler).join(" ");
  return rest.replace(/[\s,.:;|()[\]\-–—/]+/gu, "") === "";
}
