/**
 * The inbox of platform updates: each is stored (keyed by platform and the platform's own id,
 * so a repeat is a no-op) before it is acknowledged, claimed with a lease by a worker, and marked
 * done once handled. A crashed worker's rows are claimed again when the lease runs out.
 */
import { sql } from "kysely";
import type { Db } from "../db/schema";
import type { InboxUpdateRow } from "../db/tables/inbox";

export interface NewUpdate {
  platform: string;
  /** The platform's own id of the update. */
  key: string;
  /** Updates of one chat are handled in order. */
  chatKey: string;
  /** The update as JSON text. */
  json: string;
}

export interface ClaimedUpdate {
  id: number;
  platform: string;
  chatKey: string;
  body: unknown;
  /** Times claimed, this time included. */
  attempts: number;
  /** When it was stored (ISO). */
  receivedAt: string;
}

const CHUNK = 200;

function toClaimed(row: InboxUpdateRow): ClaimedUpdate {
  return {
    id: row.id,
    platform: row.platform,
    chatKey: row.chat_key,
    body: JSON.parse(row.body),
    attempts: row.attempts,
    receivedAt: row.received_at,
  };
}

/**
 * Stores updates not seen before; returns the ids of those that were new. (Written as SQL: this
 * and the claim by id and the finish run for every update, and kysely's builder would cost them
 * several times what SQLite does.)
 */
export async function storeUpdates(db: Db, updates: NewUpdate[], at: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < updates.length; i += CHUNK) {
    const values = updates
      .slice(i, i + CHUNK)
      .map((u) => sql`(${u.platform}, ${u.key}, ${u.chatKey}, ${u.json}, ${at})`);
    const { rows } = await sql<{ id: number }>`
      insert into inbox_updates (platform, update_key, chat_key, body, received_at)
      values ${sql.join(values)}
      on conflict (platform, update_key) do nothing
      returning id`.execute(db);
    for (const row of rows) ids.push(row.id);
  }
  return ids;
}

/**
 * Claims up to `limit` pending updates of these platforms for `owner` until `leaseUntil`, oldest
 * first: those whose lease is free or ran out, and none of a chat whose earlier update another
 * worker is still working on (a chat's updates are handled in order; the owner's own queue keeps
 * the order of what it holds).
 */
export async function claimUpdates(
  db: Db,
  claim: { platforms: string[]; owner: string; now: string; leaseUntil: string; limit: number },
): Promise<ClaimedUpdate[]> {
  if (claim.platforms.length === 0 || claim.limit <= 0) return [];
  const rows = await db
    .updateTable("inbox_updates")
    .set((eb) => ({
      lease_owner: claim.owner,
      lease_until: claim.leaseUntil,
      attempts: eb("attempts", "+", 1),
    }))
    // Checked again on the row itself: on PostgreSQL a claim that waited for another one's row
    // re-reads that row (READ COMMITTED) and leaves it when it was taken meanwhile.
    .where("state", "=", "pending")
    .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", claim.now)]))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("inbox_updates as i")
        .select("i.id")
        .where("i.state", "=", "pending")
        .where("i.platform", "in", claim.platforms)
        .where((w) => w.or([w("i.lease_until", "is", null), w("i.lease_until", "<", claim.now)]))
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom("inbox_updates as j")
                .select("j.id")
                .whereRef("j.platform", "=", "i.platform")
                .whereRef("j.chat_key", "=", "i.chat_key")
                .where("j.state", "=", "pending")
                .whereRef("j.id", "<", "i.id")
                .where("j.lease_until", ">=", claim.now)
                .where("j.lease_owner", "!=", claim.owner),
            ),
          ),
        )
        .orderBy("i.id")
        .limit(claim.limit),
    )
    .returningAll()
    .execute();
  return rows.map(toClaimed).sort((a, b) => a.id - b.id);
}

/**
 * Claims these just-stored updates, as claimUpdates would: those nobody holds and none of a chat
 * whose earlier update is waiting or held by another worker (this owner's queue keeps the order
 * of what it holds). Cheaper than a claim over the whole inbox.
 */
export async function claimUpdatesById(
  db: Db,
  claim: { ids: number[]; owner: string; now: string; leaseUntil: string },
): Promise<ClaimedUpdate[]> {
  if (claim.ids.length === 0) return [];
  const { ids, owner, now, leaseUntil } = claim;
  const { rows } = await sql<InboxUpdateRow>`
    update inbox_updates as i
    set lease_owner = ${owner}, lease_until = ${leaseUntil}, attempts = i.attempts + 1
    where i.id in (${sql.join(ids)}) and i.state = 'pending'
      and (i.lease_until is null or i.lease_until < ${now})
      and not exists (
        select 1 from inbox_updates as j
        where j.platform = i.platform and j.chat_key = i.chat_key and j.state = 'pending'
          and j.id < i.id and j.id not in (${sql.join(ids)})
          and (j.lease_owner is null or j.lease_owner != ${owner} or j.lease_until < ${now}))
    returning *`.execute(db);
  return rows.map(toClaimed).sort((a, b) => a.id - b.id);
}

/** Keeps the lease on updates still being worked on. */
export async function extendUpdateLeases(
  db: Db,
  ids: number[],
  owner: string,
  leaseUntil: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .updateTable("inbox_updates")
      .set({ lease_until: leaseUntil })
      .where("id", "in", ids.slice(i, i + CHUNK))
      .where("lease_owner", "=", owner)
      .execute();
  }
}

/** Handled: done, or failed with the reason (handled no more). */
export async function finishUpdate(
  db: Db,
  id: number,
  outcome: { state: "done" | "failed"; at: string; error?: string },
): Promise<void> {
  await sql`
    update inbox_updates
    set state = ${outcome.state}, handled_at = ${outcome.at}, last_error = ${outcome.error ?? null},
      lease_owner = null, lease_until = null
    where id = ${id}`.execute(db);
}

/** Gives back claimed updates not started (a graceful stop): claimable again at once. */
export async function releaseUpdates(db: Db, ids: number[], owner: string): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .updateTable("inbox_updates")
      .set((eb) => ({
        lease_owner: null,
        lease_until: null,
        attempts: eb("attempts", "-", 1),
      }))
      .where("id", "in", ids.slice(i, i + CHUNK))
      .where("lease_owner", "=", owner)
      .where("state", "=", "pending")
      .execute();
  }
}

/** Owners other than `except` holding a live lease on a pending update. */
export async function updateLeaseOwners(db: Db, now: string, except: string): Promise<string[]> {
  const rows = await db
    .selectFrom("inbox_updates")
    .select("lease_owner")
    .distinct()
    .where("state", "=", "pending")
    .where("lease_until", ">=", now)
    .where("lease_owner", "is not", null)
    .where("lease_owner", "!=", except)
    .execute();
  return rows.map((r) => r.lease_owner as string);
}

/** Frees every pending update an owner proved gone held: claimable again at once. */
export async function releaseUpdatesOf(db: Db, owner: string): Promise<number> {
  const result = await db
    .updateTable("inbox_updates")
    .set({ lease_owner: null, lease_until: null })
    .where("lease_owner", "=", owner)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Updates by state, for /metrics and tests. */
export async function countUpdatesByState(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("inbox_updates")
    .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("state")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Forgets handled updates older than a cut-off (the daily clean-up); pending ones stay. */
export async function purgeHandledUpdates(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom("inbox_updates")
    .where("state", "in", ["done", "failed"])
    .where("received_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Every stored update of one chat, whatever its state (erasure). `chatKeys` are the keys the
 * adapter gives that chat's updates (a Telegram private chat's inline queries come as "user:<id>").
 */
export async function deleteUpdatesOfChat(
  db: Db,
  platform: string,
  chatKeys: string[],
): Promise<number> {
  const result = await db
    .deleteFrom("inbox_updates")
    .where("platform", "=", platform)
    .where("chat_key", "in", chatKeys)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
