// Longer than 400 lines because every write of the outbox and its payloads lives here (the
// owner rule of test/unit/architecture.test.ts), PostgreSQL's bulk insert included.
import { type InsertQueryBuilder, type InsertResult, sql } from "kysely";
import { isPostgres } from "../db/dialect";
import type { Database, Db } from "../db/schema";
import { insertNewFirst } from "../db/transaction";
import type { RenderedPayload } from "../message/parts";
import { type Carrying, carryingRows, type FollowUpPlan } from "./carrying";
import {
  type AudienceRendering,
  NEW_ROW_COLUMNS,
  type NewOutboxItem,
  newRowColumns,
  type OutboxItem,
  type OutboxKind,
  PRIORITY,
  type ReaderQuery,
  withPayloads,
} from "./outbox-items";
import { jsonRows, unnestRows } from "./outbox-rows";

export {
  type AudienceRendering,
  findOutboxItem,
  leaseOwners,
  type NewOutboxItem,
  type OutboxItem,
  type OutboxKind,
  type OutboxState,
  PRIORITY,
  parseMessageIds,
} from "./outbox-items";

const INSERT_CHUNK = 500; // well under SQLite's bound-parameter limit
/** Rows enqueued by one statement: they go in as one parameter or one per column. */
const ENQUEUE_CHUNK = 5_000;
/** Renderings stored by one statement (each is a few kilobytes of JSON). */
const PAYLOAD_CHUNK = 100;
/** A key is unique per reader (migration 0019): enqueuing a key again for a reader is a no-op. */
const OUTBOX_KEY = ["reader_id", "idempotency_key"] as const;

/**
 * Payloads already stored, by object: rows given the same payload object share one stored copy
 * (one rendering of a digest for thousands of readers). Pass one across calls to share further.
 */
export type PayloadIds = Map<RenderedPayload, number>;

/** Stores the payloads of `items` not stored yet, a statement per PAYLOAD_CHUNK of them. */
export async function storePayloads(
  db: Db,
  items: { payload: RenderedPayload; stories?: readonly number[] | undefined }[],
  payloadIds: PayloadIds,
): Promise<void> {
  const fresh = new Map<string, RenderedPayload[]>(); // by body: equal bodies share one row
  const seen = new Set<RenderedPayload>();
  const carried = new Map<RenderedPayload, readonly number[]>();
  for (const { payload, stories } of items) {
    if (payloadIds.has(payload) || seen.has(payload)) continue;
    seen.add(payload);
    if (stories?.length) carried.set(payload, stories);
    const body = JSON.stringify(payload);
    const same = fresh.get(body);
    if (same) same.push(payload);
    else fresh.set(body, [payload]);
  }
  const bodies = [...fresh.keys()];
  for (let i = 0; i < bodies.length; i += PAYLOAD_CHUNK) {
    // Matched back by body: the order of RETURNING rows is not promised.
    const rows = await db
      .insertInto("outbox_payloads")
      .values(bodies.slice(i, i + PAYLOAD_CHUNK).map((body) => ({ body })))
      .returning(["id", "body"])
      .execute();
    const links: { payload_id: number; article_id: number }[] = [];
    for (const row of rows) {
      const stories = new Set<number>();
      for (const payload of fresh.get(row.body) ?? []) {
        payloadIds.set(payload, row.id);
        for (const id of carried.get(payload) ?? []) stories.add(id);
      }
      for (const id of stories) links.push({ payload_id: row.id, article_id: id });
    }
    for (let j = 0; j < links.length; j += INSERT_CHUNK) {
      await db
        .insertInto("outbox_payload_stories")
        .values(links.slice(j, j + INSERT_CHUNK))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

/** Runs an insert of outbox rows, skipping a key already there for its reader (insertNewFirst). */
function insertSkippingKnown(db: Db, insert: InsertQueryBuilder<Database, "outbox", InsertResult>) {
  return insertNewFirst(
    db,
    () => insert.executeTakeFirstOrThrow(),
    () => insert.onConflict((oc) => oc.columns(OUTBOX_KEY).doNothing()).executeTakeFirstOrThrow(),
  );
}

/** One statement of new rows, shipped as each store reads them fastest (outbox-rows.ts). */
function insertRows(db: Db, columns: unknown[][], createdAt: string) {
  const rows = isPostgres(db) ? unnestRows(columns, createdAt) : jsonRows(columns, createdAt);
  return insertSkippingKnown(
    db,
    db
      .insertInto("outbox")
      .columns([...NEW_ROW_COLUMNS, "created_at"])
      .expression(rows),
  );
}

/**
 * Enqueues messages; a key already present is skipped, so enqueuing twice sends once.
 * Returns how many rows were new. Run it inside the caller's transaction for bulk work.
 */
export async function enqueue(
  db: Db,
  items: NewOutboxItem[],
  payloadIds: PayloadIds = new Map(),
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) {
    const chunk = items.slice(i, i + ENQUEUE_CHUNK);
    await storePayloads(db, chunk, payloadIds);
    const result = await insertRows(db, newRowColumns(chunk, payloadIds), new Date().toISOString());
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

const SELECTED_COLUMNS = ["idempotency_key", "reader_id", "platform", "kind", "priority"] as const;

/**
 * Enqueues one row per reader that `readers` selects, keyed `<keyPrefix><reader id>`, in one
 * INSERT ... SELECT: the rows never pass through this process, so a page of a broadcast to a
 * million costs the database's time only. Keys already present are skipped; returns rows new.
 */
export async function enqueueSelected(
  db: Db,
  readers: ReaderQuery,
  rows: { keyPrefix: string; kind: OutboxKind; broadcastId: number | null; nextAttemptAt: string },
  renderings: AudienceRendering[],
  payloadIds: PayloadIds = new Map(),
): Promise<number> {
  await storePayloads(db, renderings, payloadIds);
  // A platform's own locale first, then its rendering for any other.
  const cases = [...renderings]
    .sort((a, b) => Number(a.locale === null) - Number(b.locale === null))
    .map((r) => {
      const locale = r.locale === null ? sql`` : sql` and r.locale = ${r.locale}`;
      return sql`when r.platform = ${r.platform}${locale} then cast(${payloadIds.get(r.payload)} as integer)`;
    });
  const insert = db
    .insertInto("outbox")
    .columns([...SELECTED_COLUMNS, "payload_id", "broadcast_id", "next_attempt_at", "created_at"])
    .expression(
      // Typed: PostgreSQL reads an untyped parameter in a SELECT list as text. "where true"
      // keeps SQLite from reading ON CONFLICT as a join's ON.
      sql`select cast(${rows.keyPrefix} as text) || cast(r.id as text), r.id, r.platform,
        cast(${rows.kind} as text), cast(${PRIORITY[rows.kind]} as integer),
        case ${sql.join(cases, sql` `)} end, cast(${rows.broadcastId} as integer),
        cast(${rows.nextAttemptAt} as text), cast(${new Date().toISOString()} as text)
        from (${readers}) as r where true`,
    );
  const result = await insertSkippingKnown(db, insert);
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * Claims up to `limit` due rows of one platform for `owner` until `leaseUntil`: pending rows
 * whose time has come and whose lease is free or expired (the owner crashed). One statement,
 * so two senders never claim the same row.
 */
export async function claimDue(
  db: Db,
  claim: { platform: string; owner: string; now: string; leaseUntil: string; limit: number },
): Promise<OutboxItem[]> {
  const rows = await db
    .updateTable("outbox")
    .set({ lease_owner: claim.owner, lease_until: claim.leaseUntil })
    // Checked again on the row itself: on PostgreSQL a claim that waited for another one's row
    // re-reads that row (READ COMMITTED) and leaves it when it was taken meanwhile.
    .where("state", "=", "pending")
    .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", claim.now)]))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("outbox")
        .select("id")
        .where("state", "=", "pending")
        .where("platform", "=", claim.platform)
        .where("next_attempt_at", "<=", claim.now)
        .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", claim.now)]))
        // In outbox_due's own order, so that the claim reads `limit` entries of it and stops.
        // Ordering by id too made PostgreSQL read and sort every row that shares a time (a
        // broadcast's or a digest slot's): 238 ms a claim with a million pending, 2 ms without.
        // Ties go in the order the rows were written (rowid; on PostgreSQL, their place).
        .orderBy("priority")
        .orderBy("next_attempt_at")
        .limit(claim.limit),
    )
    .returningAll()
    .execute();
  return (await withPayloads(db, rows)).sort(
    (a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.id - b.id,
  );
}

export function markSent(db: Db, id: number, at: string): Promise<void> {
  return markSentMany(db, [id], at);
}

/**
 * Records many rows as sent in one statement (the sender batches them), with the platform's
 * message ids of each row that has them (`messageIds`: JSON by row id) in the same UPDATE.
 */
export async function markSentMany(
  db: Db,
  ids: number[],
  at: string,
  messageIds: ReadonlyMap<number, string> = new Map(),
): Promise<void> {
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const chunk = ids.slice(i, i + INSERT_CHUNK);
    const known = chunk.filter((id) => messageIds.has(id));
    await db
      .updateTable("outbox")
      .set((eb) => ({
        state: "sent",
        sent_at: at,
        attempts: eb("attempts", "+", 1),
        lease_owner: null,
        lease_until: null,
        ...(known.length > 0
          ? {
              message_ids: sql<string>`case id ${sql.join(
                known.map((id) => sql`when ${id} then cast(${messageIds.get(id)} as text)`),
                sql` `,
              )} else message_ids end`,
            }
          : {}),
      }))
      .where("id", "in", chunk)
      .execute();
  }
}

/** One more message of a row's payload went out (with the ids of those sent so far). */
export async function markPartSent(
  db: Db,
  id: number,
  partsSent: number,
  messageIds?: string,
): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ parts_sent: partsSent, ...(messageIds ? { message_ids: messageIds } : {}) })
    .where("id", "=", id)
    .execute();
}

/**
 * Keeps a claim alive while its rows are still being worked on. Returns the ids still held:
 * one missing was taken by another sender after the lease ran out (this one stalled too long).
 */
export async function extendLease(
  db: Db,
  ids: number[],
  owner: string,
  leaseUntil: string,
): Promise<Set<number>> {
  const held = new Set<number>();
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const rows = await db
      .updateTable("outbox")
      .set({ lease_until: leaseUntil })
      .where("id", "in", ids.slice(i, i + INSERT_CHUNK))
      .where("lease_owner", "=", owner)
      .returning("id")
      .execute();
    for (const row of rows) held.add(row.id);
  }
  return held;
}

/**
 * Takes back every pending row leased by an owner proved gone (see db/owner-locks.ts): they
 * are due again at once. Returns how many rows were freed.
 */
export async function releaseOwner(db: Db, owner: string): Promise<number> {
  const result = await db
    .updateTable("outbox")
    .set({ lease_owner: null, lease_until: null })
    .where("lease_owner", "=", owner)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives back claimed rows not started (a graceful stop): they are due again at once. */
export async function releaseLeases(db: Db, ids: number[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox")
    .set({ lease_owner: null, lease_until: null })
    .where("id", "in", ids)
    .where("lease_owner", "=", owner)
    .where("state", "=", "pending")
    .execute();
}

/** A failure worth another try later. */
export async function markRetry(
  db: Db,
  id: number,
  retry: { error: string; nextAttemptAt: string; countAttempt: boolean },
): Promise<void> {
  await db
    .updateTable("outbox")
    .set((eb) => ({
      last_error: retry.error,
      next_attempt_at: retry.nextAttemptAt,
      attempts: retry.countAttempt ? eb("attempts", "+", 1) : eb.ref("attempts"),
      lease_owner: null,
      lease_until: null,
    }))
    .where("id", "=", id)
    .execute();
}

/** A final outcome other than sent: dead (gave up), blocked (reader unreachable), cancelled. */
export async function markFinal(
  db: Db,
  id: number,
  state: "dead" | "blocked" | "cancelled",
  error: string | null,
): Promise<void> {
  await db
    .updateTable("outbox")
    .set((eb) => ({
      state,
      last_error: error,
      attempts: state === "cancelled" ? eb.ref("attempts") : eb("attempts", "+", 1),
      lease_owner: null,
      lease_until: null,
    }))
    .where("id", "=", id)
    .execute();
}

/** Stops what a broadcast has not sent yet; returns how many rows were held back. */
export async function cancelPendingForBroadcast(db: Db, broadcastId: number): Promise<number> {
  const result = await db
    .updateTable("outbox")
    .set({ state: "cancelled", last_error: "broadcast cancelled" })
    .where("broadcast_id", "=", broadcastId)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Once a reader is unreachable, what is still waiting for them will not go either. */
export async function blockPendingForReader(db: Db, readerId: number, reason: string) {
  await db
    .updateTable("outbox")
    .set({ state: "blocked", last_error: reason, lease_owner: null, lease_until: null })
    .where("reader_id", "=", readerId)
    .where("state", "=", "pending")
    .execute();
}

/** Drops finished rows older than a cut-off, and payloads no row uses; returns rows dropped. */
export async function purgeFinished(db: Db, olderThan: string): Promise<number> {
  const result = await db
    .deleteFrom("outbox")
    .where("state", "in", ["sent", "blocked", "cancelled"])
    .where("created_at", "<", olderThan)
    .executeTakeFirst();
  // One pass over the outbox rather than one lookup per payload.
  await db
    .deleteFrom("outbox_payloads")
    .where("created_at", "<", olderThan)
    .where("id", "not in", (eb) => eb.selectFrom("outbox").select("payload_id").distinct())
    .execute();
  return Number(result.numDeletedRows);
}

/** A reader's rows, whatever their state, and the payloads only they used (erasure). */
export async function deleteOutboxOfReader(db: Db, readerId: number): Promise<number> {
  const rows = await db
    .deleteFrom("outbox")
    .where("reader_id", "=", readerId)
    .returning("payload_id")
    .execute();
  const payloads = [...new Set(rows.map((r) => r.payload_id))];
  for (let i = 0; i < payloads.length; i += 500) {
    await db
      .deleteFrom("outbox_payloads")
      .where("id", "in", payloads.slice(i, i + 500))
      .where("id", "not in", (eb) => eb.selectFrom("outbox").select("payload_id"))
      .execute();
  }
  return rows.length;
}

/**
 * Gives dead rows (the ones named, or all of them) a fresh start: pending, due `now`, no tries
 * counted, no lease, no error. Only dead rows: a blocked one stays blocked (the reader blocked
 * the bot and is never written to again), sent and cancelled ones stay as they are. Messages of
 * a payload already delivered are not sent again. Returns how many rows are pending again.
 */
export async function retryDeadLetters(
  db: Db,
  which: { ids?: number[] },
  now: string,
): Promise<number> {
  const retry = (ids: number[] | undefined) => {
    let query = db
      .updateTable("outbox")
      .set({
        state: "pending",
        attempts: 0,
        next_attempt_at: now,
        lease_owner: null,
        lease_until: null,
        last_error: null,
      })
      .where("state", "=", "dead");
    if (ids) query = query.where("id", "in", ids);
    return query.executeTakeFirst();
  };
  if (which.ids === undefined) return Number((await retry(undefined)).numUpdatedRows);
  let retried = 0;
  for (let i = 0; i < which.ids.length; i += INSERT_CHUNK) {
    const ids = which.ids.slice(i, i + INSERT_CHUNK);
    if (ids.length > 0) retried += Number((await retry(ids)).numUpdatedRows);
  }
  return retried;
}

const FOLLOW_UP_COLUMNS = ["payload_id", "broadcast_id", "next_attempt_at", "message_ids"] as const;

/**
 * Puts one withdrawal or edit in the outbox for each sent row that carried the story, as
 * `plans` says for that row's payload (payloads not planned are left): keyed
 * `<keyPrefix><row id>`, with the ids of the messages it acts on, in one INSERT ... SELECT per
 * kind. Only rows whose message ids are known. Returns rows new, by kind.
 */
export async function enqueueFollowUps(
  db: Db,
  c: Carrying,
  options: {
    keyPrefix: string;
    nextAttemptAt: string;
    plans: FollowUpPlan[];
  },
): Promise<{ withdraw: number; edit: number }> {
  const counts = { withdraw: 0, edit: 0 };
  const payloadIds: PayloadIds = new Map();
  await storePayloads(db, options.plans, payloadIds);
  for (const kind of ["withdraw", "edit"] as const) {
    const plans = options.plans.filter((p) => p.kind === kind);
    for (let i = 0; i < plans.length; i += INSERT_CHUNK) {
      const chunk = plans.slice(i, i + INSERT_CHUNK);
      const sources = chunk.map((p) => p.payloadId);
      const cases = chunk.map(
        (p) => sql`when ${p.payloadId} then cast(${payloadIds.get(p.payload)} as integer)`,
      );
      const result = await db
        .insertInto("outbox")
        .columns([...SELECTED_COLUMNS, ...FOLLOW_UP_COLUMNS])
        .expression(
          carryingRows(db, c)
            .where("o.payload_id", "in", sources)
            .where("o.message_ids", "is not", null)
            .select([
              sql<string>`cast(${options.keyPrefix} as text) || cast(o.id as text)`.as("k"),
              "o.reader_id",
              "o.platform",
              sql<string>`cast(${kind} as text)`.as("kind"),
              sql<number>`cast(${PRIORITY[kind]} as integer)`.as("priority"),
              sql<number>`case o.payload_id ${sql.join(cases, sql` `)} end`.as("payload"),
              sql<null>`cast(null as integer)`.as("b"),
              sql<string>`cast(${options.nextAttemptAt} as text)`.as("at"),
              "o.message_ids",
            ]),
        )
        .onConflict((oc) => oc.columns(OUTBOX_KEY).doNothing())
        .executeTakeFirst();
      counts[kind] += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
  }
  return counts;
}

/**
 * One notice to each reader who got the story in a sent row (in the bounds given), keyed
 * `<keyPrefix><reader id>` so a reader is told once, the rendering of their language (or the
 * platform's other one). Returns rows new.
 */
export async function enqueueNoticesToCarriers(
  db: Db,
  c: Carrying,
  options: { keyPrefix: string; nextAttemptAt: string; renderings: AudienceRendering[] },
): Promise<number> {
  const readers = db
    .selectFrom("readers")
    .select(["id", "platform", "locale"])
    .where("status", "=", "active")
    .where("id", "in", carryingRows(db, c).select("o.reader_id"));
  return enqueueSelected(
    db,
    readers,
    {
      keyPrefix: options.keyPrefix,
      kind: "notice",
      broadcastId: null,
      nextAttemptAt: options.nextAttemptAt,
    },
    options.renderings,
  );
}

/**
 * Rows carrying a story that have not started to go (`c.pending`): those planned "withdraw" are
 * cancelled, those planned "edit" get the revised payload instead. Returns rows changed.
 */
export async function revisePending(
  db: Db,
  c: Carrying,
  plans: FollowUpPlan[],
): Promise<{ cancelled: number; revised: number }> {
  const pending: Carrying = { ...c, pending: true };
  const ids = (kind: "withdraw" | "edit") =>
    carryingRows(db, pending)
      .select("o.id")
      .where(
        "o.payload_id",
        "in",
        plans.filter((p) => p.kind === kind).map((p) => p.payloadId),
      );
  const out = { cancelled: 0, revised: 0 };
  if (plans.some((p) => p.kind === "withdraw")) {
    const result = await db
      .updateTable("outbox")
      .set({ state: "cancelled", last_error: "story retracted" })
      .where("id", "in", ids("withdraw"))
      .executeTakeFirst();
    out.cancelled = Number(result.numUpdatedRows);
  }
  const edits = plans.filter((p) => p.kind === "edit");
  if (edits.length > 0) {
    const payloadIds: PayloadIds = new Map();
    await storePayloads(db, edits, payloadIds);
    const cases = edits.map(
      (p) => sql`when ${p.payloadId} then cast(${payloadIds.get(p.payload)} as integer)`,
    );
    const result = await db
      .updateTable("outbox")
      .set({ payload_id: sql<number>`case payload_id ${sql.join(cases, sql` `)} end` })
      .where("id", "in", ids("edit"))
      .executeTakeFirst();
    out.revised = Number(result.numUpdatedRows);
  }
  return out;
}
