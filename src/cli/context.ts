import { systemClock } from "../clock";
import { type Config, type DatabaseConfig, DEFAULT_SQLITE_FILE, loadConfig } from "../config";
import { migrateToLatest, type OpenedDatabase, openDatabase } from "../db";
import { createLogger, type Logger } from "../logging";
import { type EditorServices, editorServices } from "../services";
import { type CliIo, pathIn } from "./io";

export interface CommandContext {
  config: Config;
  database: OpenedDatabase;
  logger: Logger;
  /** What editors change goes through these; the command line acts as `cli`. */
  services: EditorServices;
}

/** A SQLite file named relative to the run's folder, as the user meant it. */
export function databaseIn(io: CliIo, database: DatabaseConfig): DatabaseConfig {
  if (database.kind !== "sqlite" || database.path === ":memory:") return database;
  const path = pathIn(io, database.path);
  // The default file, however it is spelled (sqlite:///app/data/bantin.db run in /app too).
  const isDefault = database.createFolder === true || path === pathIn(io, DEFAULT_SQLITE_FILE);
  return isDefault
    ? { ...database, path, createFolder: true }
    : { ...database, path, mustExist: true };
}

/** The same database, made if its SQLite file is missing (for commands that set one up). */
export function creatingIfMissing(database: DatabaseConfig): DatabaseConfig {
  return database.kind === "sqlite" ? { ...database, mustExist: false } : database;
}

/**
 * One run of the CLI: its streams and environment, and what every command needs from them
 * (printing, the configuration, a logger, the database). Commands only translate arguments into
 * calls and results into lines; this is where they meet the outside.
 */
export class Cli {
  constructor(
    readonly io: CliIo,
    /** The run's arguments (whether it prints JSON decides how logs look on a terminal). */
    readonly args: readonly string[] = [],
  ) {}

  /** The configuration from the run's environment and its folder's `.env`. */
  config(): Config {
    const config = loadConfig(this.io.env, pathIn(this.io, ".env"));
    const sourcesFile = config.sourcesFile ? pathIn(this.io, config.sourcesFile) : undefined;
    return {
      ...config,
      database: databaseIn(this.io, config.database),
      ...(sourcesFile ? { sourcesFile } : {}),
    };
  }

  /** Logs to `io.logTo`, else to stderr: pretty on a terminal unless the run prints JSON. */
  logger(level: string): Logger {
    if (this.io.logTo) return createLogger(level, this.io.logTo);
    return createLogger(level, undefined, {
      pretty: this.io.stderr.isTTY === true && !this.args.includes("--json"),
    });
  }

  /** A path given on the command line, relative to the run's folder. */
  path(path: string): string {
    return pathIn(this.io, path);
  }

  /**
   * Loads the configuration, opens the database, applies pending migrations (quietly: every
   * command works on a fresh database), runs the command and closes the database.
   */
  async withContext<T>(
    run: (ctx: CommandContext) => Promise<T>,
    options: { migrate?: boolean } = {},
  ): Promise<T> {
    const config = this.config();
    const logger = this.logger(config.logLevel);
    const database = openDatabase(config.database);
    try {
      if (options.migrate !== false) await migrateToLatest(database.db);
      const services = editorServices({
        db: database.db,
        clock: systemClock,
        editors: config.admins,
        // `source add` reads the address once, through the fetch guard, before adding it.
        async probeFeed(url) {
          const [{ createFetcher }, { probeFeed }] = await Promise.all([
            import("../news/fetch/http-fetch"),
            import("../news/probe-feed"),
          ]);
          const fetcher = createFetcher({ allowPrivate: config.fetch.allowPrivate });
          try {
            return await probeFeed(fetcher, url);
          } finally {
            await fetcher.close();
          }
        },
      });
      return await run({ config, database, logger, services });
    } finally {
      await database.db.destroy();
    }
  }

  /** One JSON document on stdout, nothing else there. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(line = ""): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** A plain aligned table for humans. */
  table(headers: string[], rows: (string | number)[][]): void {
    const cells = [headers, ...rows.map((r) => r.map(String))];
    const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? "")].length)));
    for (const row of cells) {
      this.line(
        row
          .map((c, i) => c + " ".repeat((widths[i] ?? 0) - [...c].length))
          .join("  ")
          .trimEnd(),
      );
    }
  }

  /** Whether a progress bar may show: stderr is a terminal and no JSON was asked for. */
  showsProgress(json: boolean | undefined): boolean {
    return this.io.stderr.isTTY === true && !json;
  }
}

export function parseId(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a number, got "${text}"`);
  return Number(text);
}

export class UsageError extends Error {
  override name = "UsageError";
}
