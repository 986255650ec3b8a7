import type { Command } from "commander";
import { configuredPlatforms } from "../../channels";
import { loadConfig } from "../../config";
import { runDemo } from "../../demo/demo";
import { createLogger } from "../../logging";
import { ROLES, type Role, startBantin } from "../../main";
import { printLine, UsageError } from "../context";

/** "web,chat" -> ["web", "chat"]; anything unknown is a usage error naming it. */
function parseRoles(text: string): Role[] {
  const roles = text
    .split(",")
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0 || roles.length === 0) {
    throw new UsageError(
      `--roles: ${unknown.length ? `unknown role ${unknown.join(", ")}` : "no role given"}; choose from ${ROLES.join(",")}`,
    );
  }
  return [...new Set(roles)] as Role[];
}

export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "what `npm start` does: with a platform token, serve it; without one, the console demo",
    )
    .option(
      "--roles <roles>",
      `what this process does, a comma list of ${ROLES.join(",")}; processes on one database share the work`,
      ROLES.join(","),
    )
    .action(async (options: { roles: string }) => {
      const roles = parseRoles(options.roles);
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      if (configuredPlatforms(config).length === 0) {
        printLine(
          "bantin: no chat channel configured, so this is the demo. Set TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN in .env (see .env.example) to serve readers.",
        );
        await runDemo({ config, logger, input: process.stdin, output: process.stdout });
        return;
      }
      const running = await startBantin(config, logger, undefined, { roles });
      printLine(running.summary);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          logger.info({ signal }, "shutting down: no new sends; waiting for those in flight");
          running.stop().then(resolve, resolve);
        };
        process.once("SIGTERM", () => shutdown("SIGTERM"));
        process.once("SIGINT", () => shutdown("SIGINT"));
      });
      logger.info("stopped");
      process.exit(0);
    });

  program
    .command("demo")
    .description("a chat in the terminal over bundled sample news (no network, no token)")
    .action(async () => {
      const config = loadConfig();
      await runDemo({
        config,
        logger: createLogger(config.logLevel === "info" ? "warn" : config.logLevel),
        input: process.stdin,
        output: process.stdout,
      });
    });
}
