import type { Config } from "./config";
import { migrateToLatest, openDatabase } from "./db";
import type { Logger } from "./logging";

export interface Running {
  /** One line for the operator: what runs, and how to turn on what does not. */
  summary: string;
  stop(): Promise<void>;
}

/**
 * Wiring only: configuration -> database -> migrations -> channels, scheduler, HTTP.
 * Channels arrive with later work; with none configured this says how to set one up.
 */
export async function startBantin(config: Config, logger: Logger): Promise<Running> {
  const database = openDatabase(config.database);
  const applied = await migrateToLatest(database.db);
  logger
    .child({ subsystem: "db" })
    .info({ location: database.location, applied }, "database ready");

  const channels: string[] = [];
  if (config.telegram.token) channels.push("telegram");
  if (config.zalo.token) channels.push("zalo");

  const summary =
    channels.length === 0
      ? `bantin: database ready at ${database.location}; no chat channel configured — set TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN in .env (see .env.example) to serve readers.`
      : `bantin: database ready at ${database.location}; channels configured: ${channels.join(", ")} (not started: this version has no channel adapters yet).`;

  return {
    summary,
    async stop() {
      await database.db.destroy();
    },
  };
}
