import { Command } from "commander";
import { registerCategory } from "./commands/category";
import { registerMigrate } from "./commands/migrate";
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
  registerStats(program);
  return program;
}
