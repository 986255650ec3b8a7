import { describe, expect, it } from "vitest";
import { feedErrorGist } from "../../src/http/console/feed-errors";

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

  it("leaves an error it does not know to its own words", () => {
    expect(feedErrorGist("not an RSS, Atom or JSON feed")).toBeNull();
    expect(feedErrorGist("")).toBeNull();
  });
});
