/**
 * An OS file lock a process holds while it lives: an exclusive SQLite transaction on a small
 * file of its own, the same mechanism that keeps two processes from corrupting a database. The
 * operating system drops it the moment the process ends, however it ends.
 */
import { unlinkSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";

export interface FileLock {
  release(): void;
}

/** Opens a lock file and takes its lock; throws (SQLITE_BUSY) while someone else holds it. */
function lock(path: string, create: boolean): SqliteDatabase.Database {
  const handle = new SqliteDatabase(path, { fileMustExist: !create, timeout: 0 });
  try {
    handle.pragma("journal_mode = MEMORY"); // no journal file beside it
    handle.exec("BEGIN EXCLUSIVE");
    return handle;
  } catch (error) {
    handle.close();
    throw error;
  }
}

/** Removes a lock file (and a journal it may have left). */
export function removeLockFile(path: string): void {
  for (const p of [path, `${path}-journal`]) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
}

/** Takes the lock on `path` (made when missing); null while another process holds it. */
export function takeFileLock(
  path: string,
  options: { removeOnRelease?: boolean } = {},
): FileLock | null {
  let handle: SqliteDatabase.Database;
  try {
    handle = lock(path, true);
  } catch {
    return null;
  }
  return {
    release() {
      // Removed first, then unlocked: whoever opens it meanwhile sees it free and gone.
      if (options.removeOnRelease) removeLockFile(path);
      try {
        handle.exec("ROLLBACK");
      } finally {
        handle.close();
      }
    },
  };
}

/** True when the lock file exists and nobody holds it (its holder has ended). */
export function isFileLockAbandoned(path: string): boolean {
  let handle: SqliteDatabase.Database;
  try {
    handle = lock(path, false);
  } catch {
    return false; // held (SQLITE_BUSY), or missing or unreadable: not proved
  }
  handle.exec("ROLLBACK");
  handle.close();
  return true;
}
