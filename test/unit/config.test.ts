import { describe, expect, it } from "vitest";
import { ConfigError, createConfig, parseDatabaseUrl } from "../../src/config";

function errorOf(env: Record<string, string>): string {
  try {
    createConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("createConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const config = createConfig({});
    expect(config.database).toEqual({
      kind: "sqlite",
      path: "./data/bantin.db",
      createFolder: true,
    });
    expect(config.telegram).toMatchObject({
      apiRoot: "https://api.telegram.org",
      mode: "polling",
      rate: 30,
      paidBroadcast: false,
    });
    expect(config.telegram.token).toBeUndefined();
    expect(config.zalo).toMatchObject({
      apiRoot: "https://bot-api.zaloplatforms.com",
      mode: "polling",
      rate: 5,
    });
    expect(config.http).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(config.admins).toEqual([]);
    expect(config.defaults).toEqual({
      locale: "vi",
      timeZone: "Asia/Ho_Chi_Minh",
      digestTime: "07:00",
    });
    expect(config.logLevel).toBe("info");
  });

  it("names the newsroom: NEWSROOM_NAME cleaned to one NFC line, bantin when unset or blank", () => {
    const base = { DATABASE_URL: "sqlite::memory:" };
    expect(createConfig(base).newsroomName).toBe("bantin");
    expect(createConfig({ ...base, NEWSROOM_NAME: "   " }).newsroomName).toBe("bantin");
    const name = createConfig({ ...base, NEWSROOM_NAME: "  Báo\n Lào Cai ".normalize("NFD") });
    expect(name.newsroomName).toBe("Báo Lào Cai");
    expect(name.newsroomName).toBe(name.newsroomName.normalize("NFC"));
  });

  it("reads every variable", () => {
    const config = createConfig({
      DATABASE_URL: "sqlite::memory:",
      TELEGRAM_BOT_TOKEN: "123:abc",
      TELEGRAM_API_ROOT: "http://127.0.0.1:9000/",
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_SECRET: "s3cret_-",
      ZALO_BOT_TOKEN: "1:zz",
      ZALO_API_ROOT: "http://127.0.0.1:9001",
      ZALO_MODE: "webhook",
      ZALO_WEBHOOK_SECRET: "12345678",
      PUBLIC_URL: "https://news.example.vn/",
      HTTP_HOST: "0.0.0.0",
      HTTP_PORT: "3000",
      ADMINS: "telegram:42, zalo:abc_9",
      SOURCES_FILE: "./sources.json",
      DEFAULT_LOCALE: "en",
      DEFAULT_TIMEZONE: "Europe/Berlin",
      DEFAULT_DIGEST_TIME: "6:30",
      TELEGRAM_RATE: "500",
      TELEGRAM_PAID_BROADCAST: "true",
      ZALO_RATE: "2.5",
      LOG_LEVEL: "debug",
    });
    expect(config.database).toEqual({ kind: "sqlite", path: ":memory:" });
    expect(config.telegram).toEqual({
      token: "123:abc",
      apiRoot: "http://127.0.0.1:9000",
      mode: "webhook",
      webhookSecret: "s3cret_-",
      rate: 500,
      paidBroadcast: true,
    });
    expect(config.zalo.webhookSecret).toBe("12345678");
    expect(config.zalo.rate).toBe(2.5);
    expect(config.publicUrl).toBe("https://news.example.vn");
    expect(config.http).toEqual({ host: "0.0.0.0", port: 3000 });
    expect(config.admins).toEqual([
      { platform: "telegram", userId: "42" },
      { platform: "zalo", userId: "abc_9" },
    ]);
    expect(config.sourcesFile).toBe("./sources.json");
    expect(config.defaults).toEqual({
      locale: "en",
      timeZone: "Europe/Berlin",
      digestTime: "06:30",
    });
  });

  it("treats empty values as unset", () => {
    const config = createConfig({ TELEGRAM_BOT_TOKEN: "", DATABASE_URL: "", TELEGRAM_MODE: "" });
    expect(config.telegram.token).toBeUndefined();
    expect(config.telegram.mode).toBe("polling");
    expect(config.database.kind).toBe("sqlite");
  });

  it.each([
    [{ TELEGRAM_MODE: "push" }, /^TELEGRAM_MODE: .*polling.*webhook/],
    [{ ZALO_MODE: "x" }, /^ZALO_MODE: /],
    [{ TELEGRAM_API_ROOT: "not a url" }, /^TELEGRAM_API_ROOT: /],
    [{ PUBLIC_URL: "ftp://x" }, /^PUBLIC_URL: /],
    [{ TELEGRAM_MODE: "webhook" }, /^TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook/],
    [{ ZALO_MODE: "webhook" }, /^ZALO_WEBHOOK_SECRET: required/],
    [{ ZALO_WEBHOOK_SECRET: "short" }, /^ZALO_WEBHOOK_SECRET: must be 8-256/],
    [{ TELEGRAM_WEBHOOK_SECRET: "has space" }, /^TELEGRAM_WEBHOOK_SECRET: /],
    [{ ADMINS: "telegram:1,bob" }, /^ADMINS: "bob" is not platform:id/],
    [{ ADMINS: "whatsapp:1" }, /^ADMINS: /],
    [{ DATABASE_URL: "mysql://localhost/x" }, /^DATABASE_URL: unknown scheme "mysql:"/],
    [{ DATABASE_URL: "sqlite:" }, /^DATABASE_URL: /],
    [{ HTTP_PORT: "70000" }, /^HTTP_PORT: /],
    [{ HTTP_PORT: "eighty" }, /^HTTP_PORT: /],
    [{ DEFAULT_LOCALE: "fr" }, /^DEFAULT_LOCALE: /],
    [{ NEWSROOM_NAME: "x".repeat(65) }, /^NEWSROOM_NAME: must be at most 64 characters/],
    [{ DEFAULT_TIMEZONE: "Mars/Olympus" }, /^DEFAULT_TIMEZONE: /],
    [{ DEFAULT_DIGEST_TIME: "25:00" }, /^DEFAULT_DIGEST_TIME: /],
    [{ TELEGRAM_RATE: "0" }, /^TELEGRAM_RATE: /],
    [{ TELEGRAM_RATE: "100" }, /^TELEGRAM_RATE: above 30\/s needs TELEGRAM_PAID_BROADCAST=true/],
    [{ TELEGRAM_RATE: "2000", TELEGRAM_PAID_BROADCAST: "true" }, /^TELEGRAM_RATE: at most 1000/],
    [{ TELEGRAM_PAID_BROADCAST: "maybe" }, /^TELEGRAM_PAID_BROADCAST: /],
    [{ ZALO_RATE: "-1" }, /^ZALO_RATE: /],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL: /],
    [{ BANTIN_TICK_SECONDS: "0" }, /^BANTIN_TICK_SECONDS: must be 1-10/],
    [{ BANTIN_TICK_SECONDS: "11" }, /^BANTIN_TICK_SECONDS: must be 1-10/],
    [{ BANTIN_TICK_SECONDS: "2.5" }, /^BANTIN_TICK_SECONDS: /],
  ])("rejects %o with one line naming the variable", (env, pattern) => {
    const message = errorOf(env as Record<string, string>);
    expect(message).toMatch(pattern);
    expect(message).not.toContain("\n");
  });
});

describe("parseDatabaseUrl", () => {
  it("understands sqlite paths and postgres URLs", () => {
    expect(parseDatabaseUrl("sqlite:/tmp/x.db")).toEqual({ kind: "sqlite", path: "/tmp/x.db" });
    expect(parseDatabaseUrl("sqlite:///tmp/x.db")).toEqual({ kind: "sqlite", path: "/tmp/x.db" });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ kind: "sqlite", path: ":memory:" });
    // Only the default file's folder is made on first run, however it is spelled.
    for (const url of [
      "sqlite:./data/bantin.db",
      "sqlite:data/bantin.db",
      "sqlite://./data/bantin.db",
    ])
      expect(parseDatabaseUrl(url)).toMatchObject({ createFolder: true });
    expect(parseDatabaseUrl("sqlite:./data/other.db")).not.toHaveProperty("createFolder");
    // sslmode as libpq means it (no driver warning), an unknown one refused in one line.
    const ssl = parseDatabaseUrl("postgres://u@db.example:5432/bantin?sslmode=require");
    expect(ssl).toEqual({
      kind: "postgres",
      url: "postgres://u@db.example:5432/bantin?sslmode=require&uselibpqcompat=true",
    });
    expect(parseDatabaseUrl("postgres://u@h/db?sslmode=verify-full&uselibpqcompat=false")).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db?sslmode=verify-full&uselibpqcompat=false",
    });
    expect(() => parseDatabaseUrl("postgres://u@h/db?sslmode=secure")).toThrow(
      /^sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, not "secure"$/,
    );
    expect(parseDatabaseUrl("postgres://u@127.0.0.1:5432/test")).toEqual({
      kind: "postgres",
      url: "postgres://u@127.0.0.1:5432/test",
    });
    expect(parseDatabaseUrl("postgresql://127.0.0.1/test").kind).toBe("postgres");
    expect(() => parseDatabaseUrl("./data.db")).toThrow(/not a database URL/);
  });
});
