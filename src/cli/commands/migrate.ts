import type { Command } from "commander";
import { loadConfig } from "../../config";
import { migrateToLatest, openDatabase } from "../../db";
import { printJson, printLine } from "../context";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations and print which")
    .option("--json", "print { applied: [...] } as JSON")
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const { db, location } = openDatabase(config.database);
      try {
        const applied = await migrateToLatest(db);
        if (options.json) return printJson({ database: location, applied });
        if (applied.length === 0) {
          printLine(`Database ${location} is up to date: no migration to apply.`);
        } else {
          for (const name of applied) printLine(`applied ${name}`);
          printLine(`Database ${location}: ${applied.length} migration(s) applied.`);
        }
      } finally {
        await db.destroy();
      }
    });
}
