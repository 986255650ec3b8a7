import { Command } from "commander";
import { registerAudit } from "./commands/audit";
import { registerBroadcast } from "./commands/broadcast";
import { registerCategory } from "./commands/category";
import { registerChannel } from "./commands/channel";
import { registerDb } from "./commands/db";
import { registerDigest } from "./commands/digest";
import { registerIngest } from "./commands/ingest";
import { registerMigrate } from "./commands/migrate";
import { registerSearch } from "./commands/search";
import { registerSource } from "./commands/source";
import { registerStart } from "./commands/start";
import { registerStats } from "./commands/stats";

export function buildProgram(): Command {
  const program = new Command("bantin")
    .description("bantin: a newsroom's stories to readers on Telegram and Zalo")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true });
  registerStart(program);
  registerMigrate(program);
  registerCategory(program);
  registerSource(program);
  registerIngest(program);
  registerSearch(program);
  registerDigest(program);
  registerBroadcast(program);
  registerChannel(program);
  registerStats(program);
  registerAudit(program);
  registerDb(program);
  return program;
}
