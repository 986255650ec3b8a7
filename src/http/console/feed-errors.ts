/**
 * A feed's stored error ("HTTP 503 Service Unavailable", "timed out after 20 s", "this is an
 * HTML page, not a feed", …) is written for operators, in English, by the fetcher and the feed
 * parser (src/news/fetch/, src/news/feed/). The console says what it means in the editor's
 * language: on the English console the technical words follow; on the Vietnamese one they stay
 * out of the sentence (a feed's card keeps them folded away for whoever fixes it).
 */

import type { FeedErrorGist } from "../../message/i18n/console";

const PATTERNS: readonly [RegExp, FeedErrorGist][] = [
  [/^HTTP (404|410)\b/, "notFound"],
  [/^HTTP (401|403)\b/, "denied"],
  [/^HTTP 429\b/, "busy"],
  [/^HTTP 5\d\d\b/, "server"],
  [/^HTTP \d{3}\b|unsupported content encoding|could not decompress/, "http"],
  [/^timed out\b/, "timeout"],
  [/^could not fetch from\b/, "network"],
  [/larger than/, "tooLarge"],
  [/redirect/, "redirect"],
  [/^refused:/, "refused"],
  [/^stopped\b/, "stopped"],
  [/^not a valid web address|^only http and https/, "badUrl"],
  // The feed parser (news/feed/): the address answered, but not with a feed.
  [/HTML page, not a feed/, "htmlPage"],
  [/^the document is empty/, "empty"],
  [/^not a feed\b|not a JSON Feed/, "notAFeed"],
  [/^not well-formed XML|^not valid JSON|declares entities/, "badFeed"],
  // bantin's own side (db/errors.ts describeError), not the newsroom's.
  [/^the disk is full\b/, "diskFull"],
  [/^the database is read-only\b|^permission denied\b/, "storage"],
];

/** What a stored error means, or null when it is not one the fetcher writes (a feed's own). */
export function feedErrorGist(error: string): FeedErrorGist | null {
  for (const [pattern, gist] of PATTERNS) if (pattern.test(error)) return gist;
  return null;
}

/**
 * A stored error in one line of the editor's language: what it means; on the English console
 * followed by the technical words ("The site answered with an error — HTTP 418"). An error no
 * pattern knows is "another error" in Vietnamese, as written in English.
 */
export function explainFeedError(
  error: string,
  locale: "vi" | "en",
  words: Record<FeedErrorGist | "other", string>,
): string {
  const gist = feedErrorGist(error);
  if (locale === "vi") return words[gist ?? "other"];
  return gist ? `${words[gist]} — ${error}` : error;
}
