import { createHash } from "node:crypto";
import { cleanLine } from "../text/normalize";

/** Query parameters that only say where a click came from; dropped whatever their value. */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "gclsrc",
  "dclid",
  "msclkid",
  "yclid",
  "twclid",
  "igshid",
  "zarsrc",
  "_ga",
  "_gl",
  "_hsenc",
  "_hsmi",
  "mc_cid",
  "mc_eid",
  "ref",
  "ref_src",
  "ref_url",
  "gad_source",
  "cmpid",
]);

/** Parameter name prefixes that are tracking whatever follows (utm_source, zalo_id, ...). */
const TRACKING_PREFIXES = ["utm_", "zalo_", "at_", "pk_", "mtm_", "hsa_", "vero_"];

/** Parameters dropped only when their value names a feed or a social site (`source=rss`). */
const TRACKING_WHEN_VALUE = new Set(["source", "src", "from", "via", "rss"]);
const TRACKING_VALUES = new Set([
  "rss",
  "feed",
  "atom",
  "home",
  "homepage",
  "zalo",
  "facebook",
  "fb",
  "twitter",
  "x",
  "newsletter",
  "email",
  "telegram",
]);

function isTracking(name: string, value: string): boolean {
  const key = name.toLowerCase();
  if (TRACKING_PARAMS.has(key)) return true;
  if (TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix))) return true;
  return TRACKING_WHEN_VALUE.has(key) && TRACKING_VALUES.has(value.toLowerCase());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * One spelling per story URL, so the same story reached from two feeds (or with a tracking
 * parameter) is stored once: lower-case scheme and host, no default port, no fragment, no
 * tracking parameters, remaining parameters sorted, no bare trailing `?`. The path and the
 * encoding of the kept parameters are left as the site wrote them. Text that is not an
 * absolute URL is returned trimmed and otherwise unchanged.
 */
export function canonicalUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed;
  }
  parsed.hash = "";
  const query = parsed.search.startsWith("?") ? parsed.search.slice(1) : parsed.search;
  const kept = query
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
      const value = safeDecode(eq === -1 ? "" : pair.slice(eq + 1));
      return { pair, name, value };
    })
    .filter((p) => !isTracking(p.name, p.value))
    .sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0,
    )
    .map((p) => p.pair);
  parsed.search = kept.length > 0 ? `?${kept.join("&")}` : "";
  // URL keeps "?" out of href when search is empty, and drops default ports by itself.
  return parsed.href;
}

/**
 * A fingerprint of a story's text, to tell a real edit from a re-fetch: sha256 (hex) over the
 * NFC, whitespace-collapsed title, lead and paragraphs. Empty paragraphs do not count.
 */
export function contentHash(parts: { title: string; lead: string; body: string[] }): string {
  const hash = createHash("sha256");
  hash.update(cleanLine(parts.title));
  hash.update("\u0000");
  hash.update(cleanLine(parts.lead));
  for (const paragraph of parts.body) {
    const line = cleanLine(paragraph);
    if (line === "") continue;
    hash.update("\u0000");
    hash.update(line);
  }
  return hash.digest("hex");
}
