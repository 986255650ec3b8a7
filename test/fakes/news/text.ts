/**
 * Escaping, accent folding and dates for the fake news site. They are written here, not taken
 * from the product, so that the pages the product reads do not depend on its own helpers.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Text content of an HTML element: & < >. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A double-quoted HTML attribute value: & < > ". */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** XML text or attribute: & < > " '. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

/** "Đối ngoại" -> "Doi ngoai": tones and vowel marks dropped, đ mapped by hand. */
export function foldAccents(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}

/** The URL slug of a headline, as the CMS makes it. */
export function slugify(title: string): string {
  return foldAccents(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 90)
    .replace(/-+$/, "");
}

const HOUR_MS = 3_600_000;

const parsedTimes = new Map<string, number>();

/** "26/01/2026 08:27" (Vietnamese local time, UTC+7) -> epoch ms. Remembered: feeds sort by it. */
export function localToMs(local: string): number {
  const known = parsedTimes.get(local);
  if (known !== undefined) return known;
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`fake news site: bad date ${local}, want "26/01/2026 08:27"`);
  const ms =
    Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])) -
    7 * HOUR_MS;
  parsedTimes.set(local, ms);
  return ms;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon, 26 Jan 2026 08:27:00 +0700", as Vietnamese CMSes write pubDate. */
export function rfc822Local(local: string): string {
  const t = new Date(localToMs(local) + 7 * HOUR_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00 +0700`;
}

/** "2026-01-26T08:27:00+07:00". */
export function isoLocal(local: string): string {
  return `${new Date(localToMs(local) + 7 * HOUR_MS).toISOString().slice(0, 19)}+07:00`;
}
