/**
 * Leadership among the bantin processes on one database: for each job that must run once at a
 * time (polling a platform, sending its messages, the digest tick), one process leads; when it
 * ends, another takes over at its next try. The lock is the database's own machinery: an OS
 * file lock beside a SQLite file, an advisory lock on PostgreSQL (see session-locks.ts), so a
 * leader that dies, however it dies, leaves the job to the others.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { isPostgres } from "./dialect";
import { type FileLock, takeFileLock } from "./file-lock";
import type { Db } from "./schema";
import { type SessionLocks, sessionLocksOf } from "./session-locks";

export interface Leadership {
  /** Leads `job` when nobody else does; true while this process leads it (asks again freely). */
  tryLead(job: string): Promise<boolean>;
  /** The jobs this process leads now. */
  leading(): string[];
  /** Leaves `job` to the others. */
  stepDown(job: string): Promise<void>;
  /** Leaves every job. */
  close(): Promise<void>;
  /** Calls `listener` the moment every job led may have been lost (a lock connection broke). */
  onLost?(listener: () => void): void;
}

/** A job name as a file name: "send:telegram" -> "send-telegram". */
const fileName = (job: string) => `leader.${job.replace(/[^a-z0-9-]/gi, "-")}.lock`;

/** One process on an in-memory database: it leads everything. */
function soleLeadership(): Leadership {
  const jobs = new Set<string>();
  return {
    async tryLead(job) {
      jobs.add(job);
      return true;
    },
    leading: () => [...jobs],
    async stepDown(job) {
      jobs.delete(job);
    },
    async close() {
      jobs.clear();
    },
  };
}

/** Leadership by lock files in `dir`, beside a SQLite database file. */
export function fileLeadership(dir: string): Leadership {
  const held = new Map<string, FileLock>();
  return {
    async tryLead(job) {
      if (held.has(job)) return true;
      mkdirSync(dir, { recursive: true });
      const lock = takeFileLock(join(dir, fileName(job)));
      if (lock) held.set(job, lock);
      return lock !== null;
    },
    leading: () => [...held.keys()],
    async stepDown(job) {
      held.get(job)?.release();
      held.delete(job);
    },
    async close() {
      for (const lock of held.values()) lock.release();
      held.clear();
    },
  };
}

/** Leadership by advisory locks of this process's lock session (PostgreSQL). */
function sessionLeadership(session: SessionLocks): Leadership {
  const name = (job: string) => `leader:${job}`;
  /** The jobs led, each with the lock session's generation it was taken in. */
  const held = new Map<string, number>();
  return {
    async tryLead(job) {
      // A lock taken on a connection that broke since is gone: whatever this process led then,
      // it leads no more (its job stops, and starts afresh if it leads again at the next try).
      const takenIn = held.get(job);
      if (takenIn !== undefined && takenIn !== session.generation()) {
        held.delete(job);
        return false;
      }
      const generation = session.generation();
      const leads = await session.take(name(job));
      if (leads && generation === session.generation()) held.set(job, generation);
      else held.delete(job);
      return held.has(job);
    },
    // Not those taken on a lock connection that broke since (they are dropped at the next try).
    leading: () =>
      [...held].filter(([, takenIn]) => takenIn === session.generation()).map(([job]) => job),
    async stepDown(job) {
      held.delete(job);
      await session.give(name(job));
    },
    onLost: (listener) => session.onLost(listener),
    async close() {
      for (const job of held.keys()) await session.give(name(job));
      held.clear();
    },
  };
}

/** The leadership that fits the database `db` is (see the module's comment). */
export async function leadershipFor(db: Db): Promise<Leadership> {
  if (isPostgres(db)) return sessionLeadership(await sessionLocksOf(db));
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const file = rows.find((r) => r.name === "main")?.file;
  return file ? fileLeadership(`${file}-owners`) : soleLeadership();
}
