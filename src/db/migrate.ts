import { type MigrationProvider, Migrator, sql } from "kysely";
import { migrations } from "../../migrations";
import { DatabaseOpenError } from "./database";
import { isPostgres } from "./dialect";
import type { DbHandle } from "./schema";

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** The project's migrations (migrations/index.ts). */
export function bundledMigrations(): MigrationProvider {
  return { getMigrations: async () => migrations };
}

/**
 * Applies pending migrations in one transaction and returns their names ([] when up to date).
 * Throws on failure: nothing of a failed run stays applied.
 */
export async function migrateToLatest(
  db: DbHandle,
  provider: MigrationProvider = bundledMigrations(),
): Promise<string[]> {
  // A PostgreSQL pool connects at its first query: say plainly when that is what fails.
  if (isPostgres(db)) {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      throw new DatabaseOpenError(`DATABASE_URL: cannot connect to PostgreSQL: ${reasonOf(error)}`);
    }
  }
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `migration ${failed ?? "(unknown)"} failed, nothing was applied: ${reason}`,
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** One line of why: a failed connection to "localhost" is an AggregateError with no message. */
function reasonOf(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: unknown[] };
  if (e?.message) return e.message.split("\n")[0] as string;
  if (e?.errors?.length) return reasonOf(e.errors[0]);
  return e?.code ?? String(error);
}
