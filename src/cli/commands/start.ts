import type { Command } from "commander";
import { configuredPlatforms, ROLES, type Role } from "../../config";
import { type Cli, UsageError } from "../context";

// The server and the demo are imported when their command runs: together they load nearly every
// package bantin has, which the other commands (and --help) need not wait for.

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

export function registerStart(program: Command, cli: Cli): void {
  program
    .command("start")
    .description(
      "what `npm start` does: with a platform token, serve it; without one, the demo in the terminal",
    )
    .option(
      "--roles <roles>",
      `what this process does, a comma list of ${ROLES.join(",")}; processes on one database share the work`,
      ROLES.join(","),
    )
    .action(async (options: { roles: string }) => {
      const roles = parseRoles(options.roles);
      const config = cli.config();
      const logger = cli.logger(config.logLevel);
      if (configuredPlatforms(config).length === 0) {
        cli.line(
          "bantin: no platform token set, so this is the demo. Set TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN in .env (see .env.example) to serve readers.",
        );
        const { runDemo } = await import("../../demo/demo");
        await runDemo({ config, logger, input: cli.io.stdin, output: cli.io.stdout });
        return;
      }
      // A stop is heard from the first moment: one that comes while bantin starts waits for the
      // start (the database opened, HTTP listening; platforms connect in the background), then
      // stops it at once.
      let stopAsked: (signal: string) => void = () => {};
      const stopSignal = new Promise<string>((resolve) => {
        stopAsked = resolve;
      });
      cli.io.onInterrupt((signal) => stopAsked(signal));
      const { startBantin } = await import("../../main");
      const running = await startBantin(config, logger, undefined, { roles });
      cli.line(running.summary);
      const signal = await stopSignal;
      logger.info({ signal }, "shutting down: no new sends; waiting for those in flight");
      await running.stop().catch((error: unknown) => {
        logger.error({ error: (error as Error).message }, "stopping failed");
      });
      logger.info("stopped");
      // Whatever a library still holds open must not keep a stopped server alive.
      cli.io.exit?.(0);
    });

  program
    .command("demo")
    .description("a chat in the terminal over bundled sample news (no network, no token)")
    .action(async () => {
      const config = cli.config();
      const { runDemo } = await import("../../demo/demo");
      await runDemo({
        config,
        logger: cli.logger(config.logLevel === "info" ? "warn" : config.logLevel),
        input: cli.io.stdin,
        output: cli.io.stdout,
      });
    });
}
