// Longer than 400 lines because every environment variable is read and checked here, in one
// zod schema (docs/ARCHITECTURE.md: "every environment variable in one zod schema").
import { existsSync, readFileSync } from "node:fs";
import { normalize } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { oneLine } from "./text/normalize";
import { parseQuietHours } from "./text/quiet-hours";
import { formatClockTime, isValidTimeZone, parseClockTime } from "./text/time";

/** Where the data lives: parsed from DATABASE_URL. */
export type DatabaseConfig =
  | {
      kind: "sqlite";
      /** ":memory:" for an in-memory database. */
      path: string;
      /** The default ./data/bantin.db: its folder is made on first run (any other must exist). */
      createFolder?: boolean;
      /**
       * Refuse a file that is not there yet rather than start an empty database (the CLI sets it
       * for any file but the default, except for `migrate` and `db copy --to`, which create).
       */
      mustExist?: boolean;
    }
  | {
      kind: "postgres";
      url: string;
      /** Connections per process (DATABASE_POOL_SIZE); createConfig always sets it. */
      poolSize?: number;
    };

export type Platform = "telegram" | "zalo";
export type Locale = "vi" | "en";

export interface AdminId {
  platform: Platform;
  userId: string;
}

export interface Config {
  database: DatabaseConfig;
  telegram: {
    token?: string;
    apiRoot: string;
    mode: "polling" | "webhook";
    webhookSecret?: string;
    rate: number;
    paidBroadcast: boolean;
  };
  zalo: {
    token?: string;
    apiRoot: string;
    mode: "polling" | "webhook";
    webhookSecret?: string;
    rate: number;
  };
  publicUrl?: string;
  http: { host: string; port: number };
  admins: AdminId[];
  /** ADMIN_WEB_TOKEN: also signs in to /admin with a form (one-time links from the bot else). */
  adminWebToken?: string;
  sourcesFile?: string;
  ingest: {
    intervalMinutes: number;
    maxBackoffMinutes: number;
    /** Feeds checked at once (FEED_CONCURRENCY). */
    concurrency: number;
    /** One deadline per feed check, story pages included (FEED_DEADLINE_SECONDS). */
    deadlineSeconds: number;
  };
  /** FETCH_ALLOW_PRIVATE: "host" / "host:port" entries that may be private, or "*". */
  fetch: { allowPrivate: string[] };
  /** mostRead: the digest's "Most read" line (DIGEST_MOST_READ). */
  digest: { storiesPerTopic: number; mostRead: boolean };
  delivery: {
    /** Sends in flight at once per platform; by default sized from the rate. */
    concurrency: { telegram: number; zalo: number };
    /** How long a claimed outbox row is held before another sender may take it. */
    leaseSeconds: number;
  };
  defaults: { locale: Locale; timeZone: string; digestTime: string };
  /**
   * News as it happens: at most one message per reader per batchMinutes (0: each at once);
   * the quiet hours new readers get (QUIET_HOURS; equal ends: none).
   */
  instant?: { batchMinutes: number; quietHours: { from: string; until: string } };
  /** The newsroom's name, in greetings and in digest and breaking-news headers. */
  newsroomName: string;
  /**
   * Alerts to the editors (src/alerts/run.ts): a feed failing this many checks in a row, this many
   * dead letters of one platform within an hour, a platform's outbox this many minutes behind.
   */
  alerts: { feedFailures: number; deadLetters: number; outboxLagMinutes: number };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /**
   * BANTIN_TICK_SECONDS, for tests of real processes: the clock's jobs (digests, news as it
   * happens, feed checks, alerts, scheduled breaking news) ask every this many seconds instead of
   * at each whole minute (or 20 s, 10 s). Unset in production.
   */
  tickSeconds?: number;
}

/** Raised for any bad setting; the message is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** What a process may do; `bantin start --roles` picks some, all by default. */
export const ROLES = ["web", "chat", "ingest", "digest", "send"] as const;
export type Role = (typeof ROLES)[number];

export const DEFAULT_DATABASE_URL = "sqlite:./data/bantin.db";
/** The default database file, relative to the folder bantin runs in. */
export const DEFAULT_SQLITE_FILE = normalize("./data/bantin.db");
/** PostgreSQL connections per process when DATABASE_POOL_SIZE is unset. */
export const DEFAULT_DATABASE_POOL_SIZE = 10;
/** Zalo publishes no rate limit; a few messages a second is a safe start. */
export const DEFAULT_ZALO_RATE = 5;
/** NEWSROOM_NAME when unset: greetings and headers name the bot itself. */
export const DEFAULT_NEWSROOM_NAME = "bantin";
/** Minutes between two messages of news as it happens to one reader. */
export const DEFAULT_INSTANT_BATCH_MINUTES = 10;
/** Quiet hours of new readers, local time. */
export const DEFAULT_QUIET_HOURS = "22:00-06:00";
const FREE_TELEGRAM_RATE_LIMIT = 30;
const PAID_TELEGRAM_RATE_LIMIT = 1000;

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/**
 * `sslmode` as libpq (and so every PostgreSQL guide) means it. The pg driver reads require,
 * prefer and verify-ca as verify-full unless told otherwise, and says so in ten lines of warning
 * on every start; a URL with `sslmode` gets libpq's meaning, and an unknown mode is refused.
 */
function withLibpqSslModes(parsed: URL, url: string): string {
  const mode = parsed.searchParams.get("sslmode");
  if (mode === null) return url;
  if (!SSL_MODES.includes(mode)) {
    throw new Error(`sslmode must be one of ${SSL_MODES.join(", ")}, not "${mode.slice(0, 40)}"`);
  }
  if (parsed.searchParams.has("uselibpqcompat")) return url;
  parsed.searchParams.set("uselibpqcompat", "true");
  return parsed.toString();
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith("sqlite:")) {
    let path = url.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2); // sqlite:///abs/path or sqlite://./rel
    if (path === "") throw new Error("sqlite: needs a path, e.g. sqlite:./data/bantin.db");
    return normalize(path) === DEFAULT_SQLITE_FILE
      ? { kind: "sqlite", path, createFolder: true }
      : { kind: "sqlite", path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`not a valid PostgreSQL URL`);
    }
    return { kind: "postgres", url: withLibpqSslModes(parsed, url) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `${scheme ? `unknown scheme "${scheme}:"` : "not a database URL"}; use sqlite:<path>, sqlite::memory: or postgres://…`,
  );
}

// Empty values (`TELEGRAM_BOT_TOKEN=` in .env) mean "unset".
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const withDefault = (value: string) =>
  z.preprocess((v) => (v === "" || v === undefined ? value : v), z.string());

const httpUrl = (name: string) =>
  z.string().refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, `${name} must be an http(s) URL`);

const mode = z.enum(["polling", "webhook"], { error: 'must be "polling" or "webhook"' });
const booleanText = z.enum(["true", "false", "1", "0", "yes", "no"], {
  error: 'must be "true" or "false"',
});
const numberText = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { error: "must be a number" })
  .transform(Number);
const positiveNumber = numberText.pipe(z.number().positive({ error: "must be a positive number" }));

const envSchema = z.object({
  DATABASE_URL: withDefault(DEFAULT_DATABASE_URL).transform((v, ctx) => {
    try {
      return parseDatabaseUrl(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  DATABASE_POOL_SIZE: withDefault(String(DEFAULT_DATABASE_POOL_SIZE)).pipe(
    numberText.pipe(
      z.number().int().min(1, { error: "must be 1-1000" }).max(1000, { error: "must be 1-1000" }),
    ),
  ),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: withDefault("https://api.telegram.org").pipe(httpUrl("TELEGRAM_API_ROOT")),
  TELEGRAM_MODE: withDefault("polling").pipe(mode),
  TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, {
        error: "must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
      })
      .optional(),
  ),
  ZALO_BOT_TOKEN: optionalText,
  ZALO_API_ROOT: withDefault("https://bot-api.zaloplatforms.com").pipe(httpUrl("ZALO_API_ROOT")),
  ZALO_MODE: withDefault("polling").pipe(mode),
  ZALO_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(8, { error: "must be 8-256 characters" }).max(256).optional(),
  ),
  PUBLIC_URL: optionalText.pipe(httpUrl("PUBLIC_URL").optional()),
  HTTP_HOST: withDefault("127.0.0.1"),
  HTTP_PORT: withDefault("8080").pipe(
    z
      .string()
      .regex(/^\d+$/, { error: "must be a port number (0-65535)" })
      .transform(Number)
      .pipe(z.number().max(65535, { error: "must be a port number (0-65535)" })),
  ),
  ADMINS: withDefault("").transform((v, ctx) => {
    const admins: AdminId[] = [];
    for (const entry of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const match = /^(telegram|zalo):([A-Za-z0-9_-]+)$/.exec(entry);
      if (!match) {
        ctx.addIssue({
          code: "custom",
          message: `"${entry}" is not platform:id (e.g. telegram:12345 or zalo:abc123)`,
        });
        return z.NEVER;
      }
      admins.push({ platform: match[1] as Platform, userId: match[2] as string });
    }
    return admins;
  }),
  SOURCES_FILE: optionalText,
  FEED_CHECK_MINUTES: withDefault("15").pipe(positiveNumber),
  DIGEST_STORIES_PER_TOPIC: withDefault("5").pipe(
    numberText.pipe(
      z.number().int().min(1, { error: "must be 1-20" }).max(20, { error: "must be 1-20" }),
    ),
  ),
  DIGEST_MOST_READ: withDefault("true").pipe(booleanText),
  DELIVERY_CONCURRENCY: optionalText.pipe(
    numberText
      .pipe(
        z.number().int().min(1, { error: "must be 1-500" }).max(500, { error: "must be 1-500" }),
      )
      .optional(),
  ),
  BANTIN_TICK_SECONDS: optionalText.pipe(
    numberText
      .pipe(z.number().int().min(1, { error: "must be 1-10" }).max(10, { error: "must be 1-10" }))
      .optional(),
  ),
  DELIVERY_LEASE_SECONDS: withDefault("60").pipe(
    numberText.pipe(
      z
        .number()
        .min(1, { error: "must be at least 1" })
        .max(3600, { error: "must be at most 3600" }),
    ),
  ),
  FEED_MAX_BACKOFF_MINUTES: withDefault("360").pipe(positiveNumber),
  FEED_CONCURRENCY: withDefault("8").pipe(
    numberText.pipe(
      z.number().int().min(1, { error: "must be 1-100" }).max(100, { error: "must be 1-100" }),
    ),
  ),
  FEED_DEADLINE_SECONDS: withDefault("60").pipe(
    numberText.pipe(
      z.number().min(1, { error: "must be 1-3600" }).max(3600, { error: "must be 1-3600" }),
    ),
  ),
  FETCH_ALLOW_PRIVATE: withDefault("").transform((v, ctx) => {
    const entries: string[] = [];
    for (const entry of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const normal = allowEntry(entry);
      if (normal === null) {
        ctx.addIssue({
          code: "custom",
          message: `"${entry}" is not a host or host:port (e.g. intranet.example, 127.0.0.1:8080), nor *`,
        });
        return z.NEVER;
      }
      entries.push(normal);
    }
    return entries;
  }),
  NEWSROOM_NAME: withDefault(DEFAULT_NEWSROOM_NAME)
    .transform((v) => oneLine(v) || DEFAULT_NEWSROOM_NAME)
    .pipe(z.string().max(64, { error: "must be at most 64 characters" })),
  DEFAULT_LOCALE: withDefault("vi").pipe(z.enum(["vi", "en"], { error: 'must be "vi" or "en"' })),
  DEFAULT_TIMEZONE: withDefault("Asia/Ho_Chi_Minh").refine(isValidTimeZone, {
    error: "must be an IANA time zone such as Asia/Ho_Chi_Minh",
  }),
  DEFAULT_DIGEST_TIME: withDefault("07:00").transform((v, ctx) => {
    const minutes = parseClockTime(v);
    if (minutes === null) {
      ctx.addIssue({ code: "custom", message: "must be a time HH:MM between 00:00 and 23:59" });
      return z.NEVER;
    }
    return formatClockTime(minutes);
  }),
  INSTANT_BATCH_MINUTES: withDefault(String(DEFAULT_INSTANT_BATCH_MINUTES)).pipe(
    numberText.pipe(
      z.number().int().min(0, { error: "must be 0-1440" }).max(1440, { error: "must be 0-1440" }),
    ),
  ),
  QUIET_HOURS: withDefault(DEFAULT_QUIET_HOURS).transform((v, ctx) => {
    if (["off", "none", "tat"].includes(v.trim().toLowerCase())) {
      return { from: "00:00", until: "00:00" };
    }
    const quiet = parseQuietHours(v);
    if (!quiet) {
      ctx.addIssue({ code: "custom", message: 'must be HH:MM-HH:MM (e.g. "22:00-06:00") or off' });
      return z.NEVER;
    }
    return quiet;
  }),
  ADMIN_WEB_TOKEN: optionalText.pipe(
    z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  ),
  ADMIN_ALERT_FEED_FAILURES: withDefault("4").pipe(
    numberText.pipe(
      z.number().int().min(1, { error: "must be 1-1000" }).max(1000, { error: "must be 1-1000" }),
    ),
  ),
  ADMIN_ALERT_DEAD_LETTERS: withDefault("20").pipe(
    numberText.pipe(
      z
        .number()
        .int()
        .min(1, { error: "must be 1-1000000" })
        .max(1_000_000, { error: "must be 1-1000000" }),
    ),
  ),
  ADMIN_ALERT_OUTBOX_LAG_MINUTES: withDefault("15").pipe(
    numberText.pipe(
      z.number().int().min(1, { error: "must be 1-1440" }).max(1440, { error: "must be 1-1440" }),
    ),
  ),
  TELEGRAM_RATE: withDefault(String(FREE_TELEGRAM_RATE_LIMIT)).pipe(positiveNumber),
  TELEGRAM_PAID_BROADCAST: withDefault("false").pipe(booleanText),
  ZALO_RATE: withDefault(String(DEFAULT_ZALO_RATE)).pipe(positiveNumber),
  LOG_LEVEL: withDefault("info").pipe(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    }),
  ),
});

/**
 * Enough sends in flight to keep the allowed rate busy when a call takes about 300 ms (grammY's
 * advice: concurrency about rate x latency), never fewer than 4 nor more than 100.
 */
export function concurrencyFor(ratePerSecond: number): number {
  // More than about 100 sends in flight costs more in bookkeeping than it gains (npm run bench).
  return Math.min(100, Math.max(4, Math.ceil(ratePerSecond * 0.3)));
}

/** A FETCH_ALLOW_PRIVATE entry in one spelling ("Intranet.Example:80" -> "intranet.example:80"). */
function allowEntry(entry: string): string | null {
  if (entry === "*") return "*";
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!m?.[1] || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) return null;
  try {
    const host = new URL(`http://${m[1]}/`).hostname;
    return m[2] === undefined ? host : `${host}:${Number(m[2])}`;
  } catch {
    return null;
  }
}

function fail(variable: string, message: string): never {
  throw new ConfigError(`${variable}: ${message}`);
}

/** Pure: environment variables in, typed configuration out (or a ConfigError). */
export function createConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "configuration");
    fail(variable, issue?.message ?? "invalid value");
  }
  const e = parsed.data;
  const paidBroadcast = ["true", "1", "yes"].includes(e.TELEGRAM_PAID_BROADCAST);

  const telegramLimit = paidBroadcast ? PAID_TELEGRAM_RATE_LIMIT : FREE_TELEGRAM_RATE_LIMIT;
  if (e.TELEGRAM_RATE > telegramLimit) {
    fail(
      "TELEGRAM_RATE",
      paidBroadcast
        ? `at most ${PAID_TELEGRAM_RATE_LIMIT} messages a second`
        : `above ${FREE_TELEGRAM_RATE_LIMIT}/s needs TELEGRAM_PAID_BROADCAST=true (up to ${PAID_TELEGRAM_RATE_LIMIT}/s)`,
    );
  }
  if (e.TELEGRAM_MODE === "webhook" && !e.TELEGRAM_WEBHOOK_SECRET) {
    fail("TELEGRAM_WEBHOOK_SECRET", "required when TELEGRAM_MODE=webhook");
  }
  if (e.ZALO_MODE === "webhook" && !e.ZALO_WEBHOOK_SECRET) {
    fail("ZALO_WEBHOOK_SECRET", "required when ZALO_MODE=webhook");
  }

  return {
    database:
      e.DATABASE_URL.kind === "postgres"
        ? { ...e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
        : e.DATABASE_URL,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      mode: e.TELEGRAM_MODE,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      rate: e.TELEGRAM_RATE,
      paidBroadcast,
    },
    zalo: {
      token: e.ZALO_BOT_TOKEN,
      apiRoot: e.ZALO_API_ROOT.replace(/\/+$/, ""),
      mode: e.ZALO_MODE,
      webhookSecret: e.ZALO_WEBHOOK_SECRET,
      rate: e.ZALO_RATE,
    },
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    admins: e.ADMINS,
    adminWebToken: e.ADMIN_WEB_TOKEN,
    sourcesFile: e.SOURCES_FILE,
    ingest: {
      intervalMinutes: e.FEED_CHECK_MINUTES,
      maxBackoffMinutes: Math.max(e.FEED_MAX_BACKOFF_MINUTES, e.FEED_CHECK_MINUTES),
      concurrency: e.FEED_CONCURRENCY,
      deadlineSeconds: e.FEED_DEADLINE_SECONDS,
    },
    fetch: { allowPrivate: e.FETCH_ALLOW_PRIVATE },
    digest: {
      storiesPerTopic: e.DIGEST_STORIES_PER_TOPIC,
      mostRead: ["true", "1", "yes"].includes(e.DIGEST_MOST_READ),
    },
    delivery: {
      concurrency: {
        telegram: e.DELIVERY_CONCURRENCY ?? concurrencyFor(e.TELEGRAM_RATE),
        zalo: e.DELIVERY_CONCURRENCY ?? concurrencyFor(e.ZALO_RATE),
      },
      leaseSeconds: e.DELIVERY_LEASE_SECONDS,
    },
    defaults: {
      locale: e.DEFAULT_LOCALE,
      timeZone: e.DEFAULT_TIMEZONE,
      digestTime: e.DEFAULT_DIGEST_TIME,
    },
    instant: { batchMinutes: e.INSTANT_BATCH_MINUTES, quietHours: e.QUIET_HOURS },
    newsroomName: e.NEWSROOM_NAME,
    alerts: {
      feedFailures: e.ADMIN_ALERT_FEED_FAILURES,
      deadLetters: e.ADMIN_ALERT_DEAD_LETTERS,
      outboxLagMinutes: e.ADMIN_ALERT_OUTBOX_LAG_MINUTES,
    },
    logLevel: e.LOG_LEVEL,
    ...(e.BANTIN_TICK_SECONDS ? { tickSeconds: e.BANTIN_TICK_SECONDS } : {}),
  };
}

/** The platforms this configuration has a token for. */
export function configuredPlatforms(config: Config): Platform[] {
  return [
    ...(config.telegram.token ? ["telegram" as const] : []),
    ...(config.zalo.token ? ["zalo" as const] : []),
  ];
}

/**
 * Reads `.env` from the working directory when present (real environment variables win),
 * then builds the configuration. Only main and the CLI call this.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  dotenvPath = ".env",
): Config {
  let fromFile: Record<string, string> = {};
  if (existsSync(dotenvPath)) {
    fromFile = parseDotenv(readFileSync(dotenvPath));
  }
  return createConfig({ ...fromFile, ...env });
}
