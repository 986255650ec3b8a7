import { type SelectQueryBuilder, sql } from "kysely";
import type { Database, Db } from "../db/schema";
import { type AuditRecord, compactDetail } from "./audit-actions";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * Every change an editor makes leaves a line: who, what, when, with what (and so does a reader's
 * erasure of their data, with nothing of the reader). Only the services call this (a check in
 * test/unit/architecture.test.ts), from the one typed list of actions.
 */
export async function recordAudit(db: Db, entry: AuditRecord): Promise<void> {
  await db
    .insertInto("admin_audit")
    .values({
      actor: entry.actor,
      action: entry.action,
      detail: JSON.stringify(compactDetail(entry.detail)),
      at: entry.at,
    })
    .execute();
}

/** What the audit log can be filtered by. */
export interface AuditFilter {
  /** Entries at or after this instant (ISO). */
  since?: string;
  actor?: string;
  /** The action, or the start of it: "broadcast" finds "broadcast.confirm" too. */
  action?: string;
}

function filtered<Q extends SelectQueryBuilder<Database, "admin_audit", object>>(
  query: Q,
  filter: AuditFilter,
): Q {
  let q = query;
  if (filter.since !== undefined) q = q.where("at", ">=", filter.since) as Q;
  if (filter.actor !== undefined) q = q.where("actor", "=", filter.actor) as Q;
  if (filter.action !== undefined && filter.action !== "") {
    // substr() rather than LIKE: exact and case-sensitive on both stores, with nothing to escape.
    const length = [...filter.action].length; // characters, as both stores count them
    q = q.where(sql<string>`substr(action, 1, ${length})`, "=", filter.action) as Q;
  }
  return q;
}

/**
 * Audit entries, newest first: at most `limit` (50 unless told) after skipping `offset`, of those
 * matching the filter.
 */
export async function listAudit(
  db: Db,
  filter: AuditFilter & { limit?: number; offset?: number } = {},
): Promise<AuditEntry[]> {
  let query = filtered(db.selectFrom("admin_audit").selectAll(), filter)
    .orderBy("id", "desc")
    .limit(filter.limit ?? 50);
  if (filter.offset) query = query.offset(filter.offset);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** How many entries match (to say when a listing was cut). */
export async function countAudit(db: Db, filter: AuditFilter = {}): Promise<number> {
  const query = filtered(
    db.selectFrom("admin_audit").select((eb) => eb.fn.countAll<number>().as("n")),
    filter,
  );
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

/** Everyone who has an entry, in order. */
export async function listAuditActors(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("admin_audit")
    .select("actor")
    .distinct()
    .orderBy("actor")
    .execute();
  return rows.map((r) => r.actor);
}

/** When each entry of one action at or after `since` was written (the overview's counts). */
export async function auditTimes(db: Db, action: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom("admin_audit")
    .select("at")
    .where("action", "=", action)
    .where("at", ">=", since)
    .execute();
  return rows.map((r) => r.at);
}
