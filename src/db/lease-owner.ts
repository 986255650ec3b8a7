import { randomUUID } from "node:crypto";
import type { Logger } from "../logging";
import { type OwnerLock, type OwnerLocks, ownerLocks } from "./owner-locks";
import type { Db } from "./schema";

/** What a leased table tells and does for its owners (the outbox, the inbox). */
export interface LeasedTable {
  /** Owners other than `except` holding a live lease on a pending row. */
  liveOwners(now: string, except: string): Promise<string[]>;
  /** Frees every pending row of an owner proved gone; returns how many. */
  release(owner: string): Promise<number>;
}

/**
 * Who a worker is in a table's leases, and what lets it recover from crashes in seconds: it
 * holds its owner lock (owner-locks.ts) while it works, and takes back the rows of owners whose
 * lock nobody holds, that is owners proved gone. It never takes rows from an owner that lives,
 * however stalled; rows of an owner that cannot be proved gone wait for their lease to run out.
 */
export interface LeaseOwner {
  /** `<kind>:<uuid>`, written to lease_owner. */
  readonly id: string;
  /** Holds the lock (once), clears lock files of long-dead owners, takes back rows. */
  begin(now: string): Promise<void>;
  /** Takes back rows of owners proved gone since the last look (at each heartbeat). */
  takeBack(now: string): Promise<void>;
  /** Lets the lock go (after this owner gave back or finished its rows). */
  end(): void;
}

export function createLeaseOwner(
  db: Db,
  kind: string,
  table: LeasedTable,
  log: Logger,
): LeaseOwner {
  const id = `${kind}:${randomUUID()}`;
  let locks: Promise<OwnerLocks> | undefined;
  let lock: OwnerLock | null = null;
  let warned = false;

  async function takeBack(now: string): Promise<void> {
    if (!locks) return;
    const owners = await locks;
    for (const other of await table.liveOwners(now, id)) {
      if (!(await owners.isGone(other))) continue;
      const rows = await table.release(other);
      owners.forget(other);
      log.warn({ owner: other, rows }, "took back the rows of a worker that is gone");
    }
  }

  return {
    id,
    async begin(now) {
      locks ??= ownerLocks(db);
      const owners = await locks;
      lock ??= await owners.hold(id);
      if (!lock && !warned) {
        warned = true;
        log.warn(
          "cannot hold an owner lock beside the database; after a crash this worker's rows wait for their lease",
        );
      }
      owners.sweep();
      await takeBack(now);
    },
    takeBack,
    end() {
      void lock?.release();
      lock = null;
    },
  };
}
