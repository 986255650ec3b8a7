import type { Command } from "commander";
import { migrateToLatest, openDatabase } from "../../db";
import { type Cli, creatingIfMissing } from "../context";

export function registerMigrate(program: Command, cli: Cli): void {
  program
    .command("migrate")
    .description("apply pending database migrations and print which")
    .option("--json", "print { applied: [...] } as JSON")
    .action(async (options: { json?: boolean }) => {
      const config = cli.config();
      // The one command that makes a new SQLite file anywhere: setting up is what it is for.
      const { db, location } = openDatabase(creatingIfMissing(config.database));
      try {
        const applied = await migrateToLatest(db);
        if (options.json) return cli.json({ database: location, applied });
        if (applied.length === 0) {
          cli.line(`Database ${location} is up to date: no migration to apply.`);
        } else {
          for (const name of applied) cli.line(`applied ${name}`);
          cli.line(`Database ${location}: ${applied.length} migration(s) applied.`);
        }
      } finally {
        await db.destroy();
      }
    });
}
