import { describe, expect, it } from "vitest";
import { ConfigError, createConfig } from "../../src/config";

function errorOf(env: Record<string, string>): string {
  try {
    createConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("the news settings", () => {
  it("default to a strict fetch guard, 8 feeds at once and a 60 s deadline per feed check", () => {
    const config = createConfig({});
    expect(config.fetch).toEqual({ allowPrivate: [] });
    expect(config.ingest).toMatchObject({ concurrency: 8, deadlineSeconds: 60 });
  });

  it("read FETCH_ALLOW_PRIVATE as hosts and host:port, in one spelling, or *", () => {
    expect(
      createConfig({
        FETCH_ALLOW_PRIVATE:
          " Intranet.Example , 127.0.0.1:8080,[0:0::1]:9000, 10.1 ,feeds.local:80",
      }).fetch.allowPrivate,
    ).toEqual(["intranet.example", "127.0.0.1:8080", "[::1]:9000", "10.0.0.1", "feeds.local:80"]);
    expect(createConfig({ FETCH_ALLOW_PRIVATE: "*" }).fetch.allowPrivate).toEqual(["*"]);
    expect(createConfig({ FETCH_ALLOW_PRIVATE: "" }).fetch.allowPrivate).toEqual([]);
  });

  it.each([
    "http://intranet.example",
    "intranet.example/feeds",
    "host:0",
    "host:99999",
    "::1",
    "user@host",
    "a b",
  ])("stops start-up on FETCH_ALLOW_PRIVATE=%s with one line naming it", (value) => {
    const message = errorOf({ FETCH_ALLOW_PRIVATE: value });
    expect(message).toMatch(/^FETCH_ALLOW_PRIVATE: ".*" is not a host or host:port/);
    expect(message).not.toContain("\n");
  });

  it("reads FEED_CONCURRENCY and FEED_DEADLINE_SECONDS, refusing nonsense", () => {
    expect(
      createConfig({ FEED_CONCURRENCY: "3", FEED_DEADLINE_SECONDS: "20" }).ingest,
    ).toMatchObject({ concurrency: 3, deadlineSeconds: 20 });
    expect(errorOf({ FEED_CONCURRENCY: "0" })).toBe("FEED_CONCURRENCY: must be 1-100");
    expect(errorOf({ FEED_CONCURRENCY: "2.5" })).toMatch(/^FEED_CONCURRENCY: /);
    expect(errorOf({ FEED_CONCURRENCY: "many" })).toBe("FEED_CONCURRENCY: must be a number");
    expect(errorOf({ FEED_DEADLINE_SECONDS: "0" })).toBe("FEED_DEADLINE_SECONDS: must be 1-3600");
  });
});
