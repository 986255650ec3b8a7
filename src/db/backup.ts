/**
 * A consistent copy of a SQLite database that bantin may be writing to, with SQLite's online
 * backup API: the copy is one moment's database, whatever the writers do meanwhile. It is written beside the target and renamed
 * into place only once whole and checked, so a crash leaves no half file under the name.
 */
import { renameSync, rmSync, statSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";

/** SQLite's largest step: every page that is left. */
const ALL_PAGES = 0x7fffffff;

export async function backupSqlite(source: string, target: string): Promise<{ bytes: number }> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step: copied page by page between the writes of a busy bantin, the
    // backup would start over at every write and might never finish. One step reads one
    // snapshot (WAL lets the writers go on meanwhile).
    await db.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new SqliteDatabase(partial, { fileMustExist: true });
  try {
    const [check] = copy.pragma("integrity_check") as { integrity_check: string }[];
    if (check?.integrity_check !== "ok") {
      throw new Error(`the copy failed its integrity check (${check?.integrity_check ?? "?"})`);
    }
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error;
  }
  copy.close();
  renameSync(partial, target);
  return { bytes: statSync(target).size };
}
