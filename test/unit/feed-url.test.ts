import { describe, expect, it } from "vitest";
import { checkFeedUrl, describeFeedUrlProblem, MAX_FEED_URL_LENGTH } from "../../src/news/feed-url";

describe("the one check of a feed's address", () => {
  it("takes an http(s) URL, trimmed and written as the URL parser writes it", () => {
    expect(checkFeedUrl("  HTTPS://BaoLaoCai.VN/rss/thoi-su.rss \n")).toEqual({
      ok: true,
      url: "https://baolaocai.vn/rss/thoi-su.rss",
    });
    expect(checkFeedUrl("http://127.0.0.1:8080/feed?a=1&b=2")).toEqual({
      ok: true,
      url: "http://127.0.0.1:8080/feed?a=1&b=2",
    });
    // Vietnamese in the path is kept, percent-encoded: the same feed typed two ways is one.
    const typed = checkFeedUrl("https://baolaocai.vn/rss/thời-sự.rss");
    expect(typed).toEqual(checkFeedUrl("https://baolaocai.vn/rss/th%E1%BB%9Di-s%E1%BB%B1.rss"));
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["ftp://example.vn/feed", "notHttp"],
    ["javascript:alert(1)", "notHttp"],
    ["file:///etc/passwd", "notHttp"],
    ["example.vn/rss", "notHttp"],
    ["http://", "notHttp"],
    [`https://example.vn/${"a".repeat(MAX_FEED_URL_LENGTH)}`, "tooLong"],
  ])("refuses %j: %s", (text, problem) => {
    expect(checkFeedUrl(text)).toEqual({ ok: false, problem });
  });

  it("says each problem in one line, the typed text cut short", () => {
    const long = `ftp://${"x".repeat(200)}`;
    const line = describeFeedUrlProblem("notHttp", long);
    expect(line).toMatch(/^"ftp:\/\/x+…" is not an http\(s\) feed URL$/);
    expect(line.length).toBeLessThan(120);
    expect(describeFeedUrlProblem("tooLong", "")).toBe(
      "a feed's address is at most 2000 characters",
    );
  });
});
