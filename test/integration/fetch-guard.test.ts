/**
 * The fetch guard against the hostile address corpus (fixtures/hostile/addresses.json), over real
 * HTTP on 127.0.0.1: an "internal service" on a loopback port stands for what must never be
 * reached, the fake news site for a feed host that redirects, and a resolver of our own for
 * names that answer with private addresses.
 */
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publicOnlyLookup } from "../../src/news/fetch/guard";
import {
  createFetcher,
  FetchError,
  type Fetcher,
  type FetchResult,
} from "../../src/news/fetch/http-fetch";
import { LocalHttpServer } from "../fakes/base/http";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import hostile from "../fixtures/hostile/addresses.json" with { type: "json" };

let site: FakeNewsSite;
let internal: LocalHttpServer;
let internalPort: number;
let internalHits: string[];
let sitePort: number;

/** Our resolver: the corpus's names answer what it says; every other name is loopback. */
const lookup = ((
  hostname: string,
  options: { all?: boolean },
  callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
) => {
  const entry = hostile.dns.find((d) => d.host === hostname);
  const answers = (entry?.answers ?? ["127.0.0.1"]).map((address) => ({
    address,
    family: address.includes(":") ? 6 : 4,
  }));
  setImmediate(() => {
    if (options.all) callback(null, answers);
    else callback(null, answers[0]?.address ?? "", answers[0]?.family);
  });
}) as unknown as LookupFunction;

let strict: Fetcher;
let siteOnly: Fetcher;

beforeAll(async () => {
  site = await startFakeNewsSite();
  sitePort = Number(new URL(site.url).port);
  internalHits = [];
  internal = new LocalHttpServer((req, res) => {
    internalHits.push(req.url ?? "/");
    res.end("secret: the internal admin token is 12345");
  });
  internalPort = Number(new URL(await internal.listen()).port);
  strict = createFetcher({ lookup });
  // Like FETCH_ALLOW_PRIVATE=127.0.0.1:<site port>: the feed host, and nothing else private.
  siteOnly = createFetcher({ lookup, allowPrivate: [`127.0.0.1:${sitePort}`] });
});
afterAll(async () => {
  await strict.close();
  await siteOnly.close();
  await internal.close();
  await site.close();
});
beforeEach(() => {
  internalHits.length = 0;
  site.clearFailures();
  site.requests.length = 0;
});

async function fetchError(promise: Promise<FetchResult>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error("expected a FetchError");
}

const withPort = (url: string) => url.replaceAll("{port}", String(internalPort));

describe("the fetch guard", () => {
  it.each(hostile.refused)("refuses $url ($why) without connecting", async (entry) => {
    const started = Date.now();
    const err = await fetchError(strict.fetchText(withPort(entry.url)));
    expect(err.kind).toBe("refused");
    const address = entry.address;
    expect(err.message).toMatch(
      "host" in entry ? `refused: ${entry.host} resolves to ${address}` : `refused: ${address} `,
    );
    expect(err.message).toMatch(/private address \(.+\)$/);
    expect(err.message).not.toContain("\n");
    expect(internalHits).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each(hostile.badUrl)("refuses $url ($why) as not a web address", async (entry) => {
    const err = await fetchError(strict.fetchText(withPort(entry.url)));
    expect(err.kind).toBe("bad-url");
    expect(internalHits).toEqual([]);
  });

  it.each(hostile.dns)("refuses $host, which resolves to $answers ($why)", async (entry) => {
    const err = await fetchError(strict.fetchText(`http://${entry.host}:${internalPort}/feed`));
    expect(err.kind).toBe("refused");
    expect(err.message).toMatch(`refused: ${entry.host} resolves to ${entry.address}`);
    expect(err.message).toMatch(/a private address \(.+\)$/);
    expect(internalHits).toEqual([]);
  });

  it.each([
    [`http://127.0.0.1:{port}/admin`, "refused: 127.0.0.1 is a private address (loopback)"],
    ["http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a private address"],
    ["http://[::ffff:127.0.0.1]:{port}/", "refused: ::ffff:7f00:1 (IPv4 127.0.0.1)"],
    ["http://2130706433:{port}/", "refused: 127.0.0.1 is a private address"],
    ["http://localtest.example:{port}/", "refused: localtest.example resolves to 127.0.0.1"],
    ["http://metadata.example/latest/", "refused: metadata.example resolves to 169.254.169.254"],
  ])("checks every redirect hop: a 302 to %s is refused", async (target, words) => {
    site.fail("/rss/home.rss", { kind: "redirect", to: withPort(target), status: 302 });
    const err = await fetchError(siteOnly.fetchText(site.feedUrl("home")));
    expect(err.kind).toBe("refused");
    expect(err.message).toContain(words);
    expect(site.requests.map((r) => r.path)).toEqual(["/rss/home.rss"]);
    expect(internalHits).toEqual([]);
  });

  it("refuses a redirect to another scheme", async () => {
    site.fail("/rss/home.rss", { kind: "redirect", to: "file:///etc/passwd" });
    expect((await fetchError(siteOnly.fetchText(site.feedUrl("home")))).kind).toBe("bad-url");
  });

  it("lets FETCH_ALLOW_PRIVATE hosts through: host:port only on that port", async () => {
    const feed = await siteOnly.fetchText(site.feedUrl("thoi-su"));
    expect(feed.status).toBe("ok");
    const other = await fetchError(siteOnly.fetchText(`http://127.0.0.1:${internalPort}/`));
    expect(other.message).toBe("refused: 127.0.0.1 is a private address (loopback)");
    expect(internalHits).toEqual([]);

    const byHost = createFetcher({ lookup, allowPrivate: ["127.0.0.1"] });
    const byName = createFetcher({ lookup, allowPrivate: ["localtest.example"] });
    const everything = createFetcher({ lookup, allowPrivate: ["*"] });
    try {
      expect((await byHost.fetchText(`http://127.0.0.1:${internalPort}/a`)).status).toBe("ok");
      expect((await byName.fetchText(`http://localtest.example:${internalPort}/b`)).status).toBe(
        "ok",
      );
      // Allowing a name does not allow the address it resolves to under another spelling.
      expect((await fetchError(byName.fetchText(`http://127.0.0.1:${internalPort}/`))).kind).toBe(
        "refused",
      );
      expect(
        (await everything.fetchText(`http://[::ffff:127.0.0.1]:${internalPort}/c`)).status,
      ).toBe("ok");
      expect(internalHits).toEqual(["/a", "/b", "/c"]);
    } finally {
      await Promise.all([byHost.close(), byName.close(), everything.close()]);
    }
  });
});

describe("the guard's resolver", () => {
  const base = ((
    hostname: string,
    _options: unknown,
    callback: (err: Error | null, addresses: LookupAddress[]) => void,
  ) =>
    callback(
      null,
      hostname === "mixed.example"
        ? [
            { address: "10.0.0.7", family: 4 },
            { address: "93.184.216.34", family: 4 },
            { address: "fd00::7", family: 6 },
            { address: "2606:2800:220:1::1", family: 6 },
          ]
        : [{ address: "192.168.0.9", family: 4 }],
    )) as unknown as LookupFunction;
  const guarded = publicOnlyLookup(base);
  const resolve = (host: string, all: boolean) =>
    new Promise<{ err: Error | null; result: unknown }>((done) =>
      guarded(host, { all }, (err, address, family) =>
        done({ err, result: all ? address : { address, family } }),
      ),
    );

  it("hands the connection only the public answers of a name", async () => {
    expect(await resolve("mixed.example", true)).toEqual({
      err: null,
      result: [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1::1", family: 6 },
      ],
    });
    expect(await resolve("mixed.example", false)).toEqual({
      err: null,
      result: { address: "93.184.216.34", family: 4 },
    });
  });

  it("refuses a name with only private answers, in plain words", async () => {
    const { err } = await resolve("printer.example", true);
    expect(err).toBeInstanceOf(FetchError);
    expect(err?.message).toBe(
      "refused: printer.example resolves to 192.168.0.9, a private address (RFC 1918 private network)",
    );
  });
});
