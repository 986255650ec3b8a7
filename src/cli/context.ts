import { type Config, loadConfig } from "../config";
import { migrateToLatest, type OpenedDatabase, openDatabase } from "../db";
import { createLogger, type Logger } from "../logging";

export interface CommandContext {
  config: Config;
  database: OpenedDatabase;
  logger: Logger;
}

/**
 * Loads the configuration, opens the database, applies pending migrations (quietly: every
 * command works on a fresh database), runs the command and closes the database.
 */
export async function withContext<T>(
  run: (ctx: CommandContext) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = openDatabase(config.database);
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
    return await run({ config, database, logger });
  } finally {
    await database.db.destroy();
  }
}

/** One JSON document on stdout, nothing else there. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** A plain aligned table for humans. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? "")].length)));
  for (const row of cells) {
    printLine(
      row
        .map((c, i) => c + " ".repeat((widths[i] ?? 0) - [...c].length))
        .join("  ")
        .trimEnd(),
    );
  }
}

export function parseId(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a number, got "${text}"`);
  return Number(text);
}

export class UsageError extends Error {
  override name = "UsageError";
}
