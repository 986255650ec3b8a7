import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SqliteAdapter, sql } from "kysely";
import { isPostgres } from "./dialect";
import { isFileLockAbandoned, removeLockFile, takeFileLock } from "./file-lock";
import type { Db } from "./schema";
import { type SessionLocks, sessionLocksOf } from "./session-locks";

/**
 * Proof that the owner of a lease is gone, so that its rows can be taken back at once instead of
 * after the lease runs out.
 *
 * Each lease owner (one sender of one process) holds a lock for as long as it lives. The
 * operating system drops that lock the moment the process ends, however it ends (SIGKILL, a
 * crash, a power cut), and never while it lives, however busy or stalled its event loop is.
 * Whoever can take an owner's lock has proved that owner gone. An owner without a lock (an older
 * version, a folder that cannot be written) is never proved gone: its rows wait for the lease.
 *
 * SQLite: one lock file per owner in a folder beside the database (`<db>-owners/`), held with an
 * exclusive SQLite transaction, which is an OS file lock: the same mechanism that keeps two
 * processes from corrupting the database itself, so it holds wherever the database works.
 * PostgreSQL: a session-level advisory lock per owner, on the process's own lock connection
 * (session-locks.ts); the server drops it when that connection closes.
 */
export interface OwnerLocks {
  /** Holds `owner`'s lock until `release()` or the end of the process; null when it cannot. */
  hold(owner: string): OwnerLock | null | Promise<OwnerLock | null>;
  /** True only when `owner` held a lock that nobody holds now. */
  isGone(owner: string): boolean | Promise<boolean>;
  /** Removes a gone owner's lock file, once its rows are taken back. */
  forget(owner: string): void;
  /** Removes lock files older than a minute that nobody holds (owners that died long ago). */
  sweep(): number;
}

export interface OwnerLock {
  release(): void | Promise<void>;
}

/** Owners are `<platform>:<uuid>`; anything else cannot be proved gone. */
const OWNER = /^([a-z]+):([0-9a-f-]{8,64})$/;
const SWEEP_AFTER_MS = 60_000;

const NO_LOCKS: OwnerLocks = {
  hold: () => ({ release() {} }),
  isGone: () => false,
  forget() {},
  sweep: () => 0,
};

/**
 * After its lock connection came back, a process proves no owner gone for this long: every
 * process lost its locks with the server (a restart), and each takes its owner lock again as it
 * reconnects, which may be a few seconds after this one did.
 */
export const OWNER_RECONNECT_GRACE_MS = 15_000;

/** Owner locks as advisory locks of this process's lock session (PostgreSQL). */
function postgresOwnerLocks(session: SessionLocks): OwnerLocks {
  const name = (owner: string) => `owner:${owner}`;
  return {
    async hold(owner) {
      // Kept: taken again after the connection breaks, for as long as the owner lives.
      if (!OWNER.test(owner) || !(await session.keep(name(owner)))) return null;
      return { release: () => session.give(name(owner)) };
    },
    // On PostgreSQL every owner holds its lock from its first claim on: free means gone (once
    // the owners had time to take their locks again after a restart).
    async isGone(owner) {
      if (!OWNER.test(owner)) return false;
      const free = await session.isFree(name(owner)); // connects again first, if need be
      const since = session.sinceReconnect();
      return free && (since === null || since >= OWNER_RECONNECT_GRACE_MS);
    },
    forget() {},
    sweep: () => 0,
  };
}

/** The owner locks that fit the database `db` is (see OwnerLocks); none when it cannot tell. */
export async function ownerLocks(db: Db): Promise<OwnerLocks> {
  if (isPostgres(db)) {
    const session = await sessionLocksOf(db).catch(() => null);
    return session ? postgresOwnerLocks(session) : NO_LOCKS;
  }
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return NO_LOCKS;
  try {
    const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
    const file = rows.find((r) => r.name === "main")?.file;
    // An in-memory database lives in one process only: no other process can have leased its rows.
    return file ? sqliteOwnerLocks(`${file}-owners`) : NO_LOCKS;
  } catch {
    return NO_LOCKS;
  }
}

/** Owner locks as files: taken and looked at at once. */
export interface FileOwnerLocks extends OwnerLocks {
  hold(owner: string): OwnerLock | null;
  isGone(owner: string): boolean;
}

/** Owner locks as files in `dir` (created when missing; its parent must exist). */
export function sqliteOwnerLocks(dir: string): FileOwnerLocks {
  const pathOf = (owner: string): string | null => {
    const match = OWNER.exec(owner);
    return match ? join(dir, `${match[1]}.${match[2]}.lock`) : null;
  };
  return {
    hold(owner) {
      const path = pathOf(owner);
      if (!path) return null;
      try {
        mkdirSync(dir, { recursive: false });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") return null;
      }
      // Released: removed first, then unlocked, so a prober that opened it meanwhile proves a
      // gone owner whose rows are already given back.
      return takeFileLock(path, { removeOnRelease: true });
    },
    isGone(owner) {
      const path = pathOf(owner);
      return path !== null && isFileLockAbandoned(path);
    },
    forget(owner) {
      const path = pathOf(owner);
      if (path) removeLockFile(path);
    },
    sweep() {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith(".lock"));
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        const path = join(dir, name);
        try {
          // A file just made is locked an instant later; leave young ones alone.
          if (Date.now() - statSync(path).mtimeMs < SWEEP_AFTER_MS) continue;
        } catch {
          continue;
        }
        if (isFileLockAbandoned(path)) {
          removeLockFile(path);
          removed++;
        }
      }
      return removed;
    },
  };
}
