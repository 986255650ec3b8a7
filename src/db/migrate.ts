import { type MigrationProvider, Migrator } from "kysely";
import { migrations } from "../../migrations";
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
