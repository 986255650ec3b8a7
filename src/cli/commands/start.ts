import type { Command } from "commander";
import { loadConfig } from "../../config";
import { createLogger } from "../../logging";
import { startBantin } from "../../main";
import { printLine } from "../context";

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("what `npm start` does: migrate, then run the configured channels")
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const running = await startBantin(config, logger);
      printLine(running.summary);
      await running.stop();
    });
}
