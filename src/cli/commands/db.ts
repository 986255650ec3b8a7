import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { parseDatabaseUrl } from "../../config";
import { migrateToLatest, openDatabase } from "../../db";
import { CopyRefused, copyDatabase } from "../../db/copy";
import { holdLogsDuring } from "../../logging";
import { type Cli, databaseIn, UsageError } from "../context";

function open(cli: Cli, url: string, flag: string) {
  let config: ReturnType<typeof parseDatabaseUrl>;
  try {
    config = parseDatabaseUrl(url);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
  return openDatabase(databaseIn(cli.io, config));
}

export function registerDb(program: Command, cli: Cli): void {
  const db = program.command("db").description("whole databases");
  db.command("copy")
    .description(
      "copy every row of one database into another (SQLite into PostgreSQL, and back); both are migrated first",
    )
    .requiredOption("--from <url>", "the database to copy, e.g. sqlite:./data/bantin.db")
    .requiredOption("--to <url>", "where to, e.g. postgres://bantin@127.0.0.1:5432/bantin")
    .option("--force", "empty the target first when it already holds rows")
    .option("--json", "print the tables and their row counts as JSON")
    .action(async (options: { from: string; to: string; force?: boolean; json?: boolean }) => {
      if (options.from === options.to)
        throw new UsageError("--from and --to are the same database");
      const source = open(cli, options.from, "--from");
      const target = open(cli, options.to, "--to");
      const bar = new SingleBar({
        format: "copying [{bar}] {value}/{total} rows | {table}",
        stream: cli.io.stderr,
        hideCursor: true,
      });
      holdLogsDuring(bar); // log lines wait until the bar is gone
      const showBar = cli.showsProgress(options.json);
      try {
        await migrateToLatest(source.db);
        await migrateToLatest(target.db);
        let started = false;
        const result = await copyDatabase(source.db, target.db, {
          force: options.force ?? false,
          onProgress({ table, done, total }) {
            if (!showBar) return;
            if (!started) bar.start(total, done, { table });
            started = true;
            bar.update(done, { table });
          },
        });
        if (showBar && started) bar.stop();
        if (options.json) return cli.json(result);
        cli.table(
          ["table", "rows"],
          result.tables.map((t) => [t.name, t.rows]),
        );
        cli.line(
          `Copied ${result.rows} row(s) from ${source.location} to ${target.location}; every table's count checked.`,
        );
      } catch (error) {
        if (showBar) bar.stop();
        if (error instanceof CopyRefused) throw new UsageError(error.message);
        throw error;
      } finally {
        await source.db.destroy();
        await target.db.destroy();
      }
    });
}
