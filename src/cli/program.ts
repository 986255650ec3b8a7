import { Command } from "commander";
import { registerAudit } from "./commands/audit";
import { registerBroadcast } from "./commands/broadcast";
import { registerBroadcastReport } from "./commands/broadcast-report";
import { registerCategory } from "./commands/category";
import { registerChannel } from "./commands/channel";
import { registerDb } from "./commands/db";
import { registerDelivery } from "./commands/delivery";
import { registerDigest } from "./commands/digest";
import { registerIngest } from "./commands/ingest";
import { registerMigrate } from "./commands/migrate";
import { registerSearch } from "./commands/search";
import { registerSource } from "./commands/source";
import { registerStart } from "./commands/start";
import { registerStats } from "./commands/stats";
import { registerStory } from "./commands/story";
import type { Cli } from "./context";

/** A terminal's width for help text; 80 elsewhere. */
function widthOf(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

export function buildProgram(cli: Cli): Command {
  const program = new Command("bantin")
    .description("bantin: a newsroom's stories to readers on Telegram and Zalo")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    // Options after a command's name are that command's (`broadcast list --json`).
    .enablePositionalOptions()
    .configureHelp({ showGlobalOptions: true })
    // Both set before the commands are added, so that every subcommand inherits them: an error
    // or --help ends the run with a status instead of ending the process.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.stdout.write(text),
      writeErr: (text) => cli.io.stderr.write(text),
      getOutHelpWidth: () => widthOf(cli.io.stdout),
      getErrHelpWidth: () => widthOf(cli.io.stderr),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  for (const register of [
    registerStart,
    registerMigrate,
    registerCategory,
    registerSource,
    registerIngest,
    registerSearch,
    registerStory,
    registerDigest,
    registerBroadcast,
    registerBroadcastReport,
    registerChannel,
    registerStats,
    registerDelivery,
    registerAudit,
    registerDb,
  ]) {
    register(program, cli);
  }
  return program;
}
