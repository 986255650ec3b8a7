import { promises as fs } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { FileMigrationProvider, type MigrationProvider, Migrator } from "kysely";
import type { DbHandle } from "./schema";

export class MigrationError extends Error {
  override name = "MigrationError";
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

export function fileMigrations(folder = MIGRATIONS_FOLDER): MigrationProvider {
  return new FileMigrationProvider({ fs, path, migrationFolder: folder });
}

/**
 * Applies pending migrations in one transaction and returns their names ([] when up to date).
 * Throws on failure: nothing of a failed run stays applied.
 */
export async function migrateToLatest(
  db: DbHandle,
  provider: MigrationProvider = fileMigrations(),
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
