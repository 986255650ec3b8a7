import { describe, expect, it } from "vitest";
import { explainFeedError, feedErrorGist } from "../../src/http/console/feed-errors";
import { catalogue } from "../../src/message/i18n";

describe("feedErrorGist", () => {
  it("names what each error the fetcher writes means", () => {
    expect(feedErrorGist("HTTP 404 Not Found")).toBe("notFound");
    expect(feedErrorGist("HTTP 410")).toBe("notFound");
    expect(feedErrorGist("HTTP 403 Forbidden")).toBe("denied");
    expect(feedErrorGist("HTTP 429 Too Many Requests")).toBe("busy");
    expect(feedErrorGist("HTTP 503 Service Unavailable")).toBe("server");
    expect(feedErrorGist("HTTP 418")).toBe("http");
    expect(feedErrorGist("timed out after 20 s")).toBe("timeout");
    expect(feedErrorGist("could not fetch from baolaocai.vn: connection refused")).toBe("network");
    expect(feedErrorGist("response larger than 5 MiB")).toBe("tooLarge");
    expect(feedErrorGist("redirect loop at https://x.vn/a")).toBe("redirect");
    expect(feedErrorGist("refused: 127.0.0.1 is a private address (loopback)")).toBe("refused");
    expect(feedErrorGist("stopped at the feed check's 60 s deadline")).toBe("stopped");
    expect(feedErrorGist("only http and https addresses can be fetched, not ftp://x")).toBe(
      "badUrl",
    );
  });

  it("tells bantin's own trouble (a full disk, a database it cannot write) from the site's", () => {
    expect(feedErrorGist("the disk is full (database or disk is full)")).toBe("diskFull");
    expect(feedErrorGist("the database is read-only (attempt to write a readonly database)")).toBe(
      "storage",
    );
    expect(feedErrorGist("permission denied (EACCES: permission denied)")).toBe("storage");
  });

  it("names what the feed parser's refusals mean", () => {
    expect(feedErrorGist("this is an HTML page, not a feed")).toBe("htmlPage");
    expect(feedErrorGist("the document is empty, not a feed")).toBe("empty");
    expect(feedErrorGist("not a feed: the document is <svg>, not RSS, Atom or JSON Feed")).toBe(
      "notAFeed",
    );
    expect(feedErrorGist("this JSON document is not a JSON Feed (no jsonfeed.org version)")).toBe(
      "notAFeed",
    );
    expect(feedErrorGist("not well-formed XML: Unclosed tag (line 3, column 5)")).toBe("badFeed");
    expect(feedErrorGist("not valid JSON: Unexpected token")).toBe("badFeed");
    expect(feedErrorGist("feed declares entities; refused")).toBe("badFeed");
  });

  it("leaves an error it does not know to its own words", () => {
    expect(feedErrorGist("something else went wrong")).toBeNull();
    expect(feedErrorGist("")).toBeNull();
  });
});

describe("explainFeedError", () => {
  const vi = catalogue("vi").console.feeds.errorGist;
  const en = catalogue("en").console.feeds.errorGist;

  it("says an error wholly in Vietnamese on the Vietnamese console", () => {
    expect(explainFeedError("this is an HTML page, not a feed", "vi", vi)).toBe(
      "Đây là một trang web (HTML), không phải nguồn tin",
    );
    expect(explainFeedError("HTTP 503 Service Unavailable", "vi", vi)).toBe(
      "Máy chủ của trang báo đang lỗi",
    );
    expect(explainFeedError("something else went wrong", "vi", vi)).toBe("Lỗi khác");
  });

  it("keeps the technical words after the meaning on the English console", () => {
    expect(explainFeedError("this is an HTML page, not a feed", "en", en)).toBe(
      "This is a web page (HTML), not a feed — this is an HTML page, not a feed",
    );
    expect(explainFeedError("something else went wrong", "en", en)).toBe(
      "something else went wrong",
    );
  });
});
