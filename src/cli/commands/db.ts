import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type DatabaseConfig, parseDatabaseUrl } from "../../config";
import { migrateToLatest, openDatabase } from "../../db";
import { backupSqlite } from "../../db/backup";
import { CopyRefused, copyDatabase, sameDatabase } from "../../db/copy";
import { holdLogsDuring } from "../../logging";
import { formatBytes } from "../../news/fetch/fetch-error";
import { type Cli, creatingIfMissing, databaseIn, UsageError } from "../context";

function configOf(cli: Cli, url: string, flag: string): DatabaseConfig {
  try {
    return databaseIn(cli.io, parseDatabaseUrl(url));
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** `--force` once empties a target holding rows; twice also lets an empty source do it. */
const countForce = (_value: string, previous: number) => previous + 1;

export function registerDb(program: Command, cli: Cli): void {
  const db = program.command("db").description("whole databases");
  db.command("copy")
    .description(
      "copy every row of one database into another (SQLite into PostgreSQL, and back); both are migrated first",
    )
    .requiredOption("--from <url>", "the database to copy, e.g. sqlite:./data/bantin.db")
    .requiredOption("--to <url>", "where to, e.g. postgres://bantin@127.0.0.1:5432/bantin")
    .option(
      "--force",
      "empty the target first when it already holds rows (twice: even when the source holds none)",
      countForce,
      0,
    )
    .option("--json", "print the tables and their row counts as JSON")
    .action(async (options: { from: string; to: string; force: number; json?: boolean }) => {
      const from = configOf(cli, options.from, "--from");
      const to = creatingIfMissing(configOf(cli, options.to, "--to"));
      const same = () => new UsageError("--from and --to are the same database");
      if (options.from === options.to) throw same();
      if (from.kind === "sqlite" && to.kind === "sqlite" && from.path === to.path) throw same();
      // A mistyped source must not become a new, empty database copied over the target.
      if (from.kind === "sqlite" && from.path !== ":memory:" && !existsSync(from.path)) {
        throw new UsageError(
          `--from: there is no database at ${from.path}; nothing was copied or emptied`,
        );
      }
      const { SingleBar } = await import("cli-progress");
      const source = openDatabase(from);
      const target = openDatabase(to);
      if (await sameDatabase(source, target)) {
        await source.db.destroy();
        await target.db.destroy();
        throw same();
      }
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
          force: options.force > 0,
          replaceWithNothing: options.force > 1,
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

  db.command("backup")
    .description(
      "copy the running SQLite database to a file, consistently, while bantin works (PostgreSQL: pg_dump)",
    )
    .argument("<file>", "where to write the copy, e.g. backups/bantin-2026-12-04.db")
    .option("--force", "replace the file if it exists")
    .option("--json", "print { file, bytes, seconds } as JSON")
    .action(async (file: string, options: { force?: boolean; json?: boolean }) => {
      const { database } = cli.config();
      if (database.kind !== "sqlite") {
        throw new UsageError(
          'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=bantin.dump "$DATABASE_URL" (see docs/OPERATIONS.md)',
        );
      }
      if (database.path === ":memory:" || !existsSync(database.path)) {
        throw new UsageError(`there is no SQLite database at ${database.path} to back up`);
      }
      const target = cli.path(file);
      if (target === database.path)
        throw new UsageError("the backup would overwrite the database itself");
      if (existsSync(target) && !options.force) {
        throw new UsageError(`${target} exists; choose another file, or add --force to replace it`);
      }
      const started = performance.now();
      const result = await backupSqlite(database.path, target);
      const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
      if (options.json) return cli.json({ file: target, bytes: result.bytes, seconds });
      cli.line(
        `Backed up ${database.path} to ${target}: ${formatBytes(result.bytes)}, integrity checked, in ${seconds} s.`,
      );
    });
}
