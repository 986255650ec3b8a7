/**
 * A feed's stored error ("HTTP 503 Service Unavailable", "timed out after 20 s", …) is written
 * for operators, in English, by the fetcher. The console puts what it means first, in the
 * admin's language, and keeps the technical words after it for whoever fixes it.
 */

import type { FeedErrorGist } from "../../message/i18n/console";

const PATTERNS: readonly [RegExp, FeedErrorGist][] = [
  [/^HTTP (404|410)\b/, "notFound"],
  [/^HTTP (401|403)\b/, "denied"],
  [/^HTTP 429\b/, "busy"],
  [/^HTTP 5\d\d\b/, "server"],
  [/^HTTP \d{3}\b|unsupported content encoding/, "http"],
  [/^timed out\b/, "timeout"],
  [/^could not fetch from\b/, "network"],
  [/larger than/, "tooLarge"],
  [/redirect/, "redirect"],
  [/^refused:/, "refused"],
  [/^stopped\b/, "stopped"],
  [/^not a valid web address|^only http and https/, "badUrl"],
  // bantin's own side (db/errors.ts describeError), not the newsroom's.
  [/^the disk is full\b/, "diskFull"],
  [/^the database is read-only\b|^permission denied\b/, "storage"],
];

/** What a stored error means, or null when it is not one the fetcher writes (a feed's own). */
export function feedErrorGist(error: string): FeedErrorGist | null {
  for (const [pattern, gist] of PATTERNS) if (pattern.test(error)) return gist;
  return null;
}
