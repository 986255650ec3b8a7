/**
 * The one check of a feed's address, whoever typed it: the console's form, `bantin source add`
 * or a SOURCES_FILE. An http(s) URL with a host, at most 2,000 characters; answered as the URL
 * parser writes it (so that the same feed typed two ways is stored once).
 */

export const MAX_FEED_URL_LENGTH = 2000;

/** Why an address is not a feed's: nothing typed, too long, or not an http(s) URL. */
export type FeedUrlProblem = "empty" | "tooLong" | "notHttp";

export type FeedUrlCheck = { ok: true; url: string } | { ok: false; problem: FeedUrlProblem };

export function checkFeedUrl(text: string): FeedUrlCheck {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problem: "empty" };
  if (trimmed.length > MAX_FEED_URL_LENGTH) return { ok: false, problem: "tooLong" };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, problem: "notHttp" };
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    return { ok: false, problem: "notHttp" };
  }
  return { ok: true, url: url.toString() };
}

/** The problem in a line, for the command line and SOURCES_FILE errors. */
export function describeFeedUrlProblem(problem: FeedUrlProblem, typed: string): string {
  const shown = typed.length > 80 ? `${typed.slice(0, 79)}…` : typed;
  switch (problem) {
    case "empty":
      return "a feed needs its address (an http(s) URL)";
    case "tooLong":
      return `a feed's address is at most ${MAX_FEED_URL_LENGTH} characters`;
    case "notHttp":
      return `"${shown}" is not an http(s) feed URL`;
  }
}
