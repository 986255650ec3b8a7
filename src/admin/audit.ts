import type { Db } from "../db/schema";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** Every admin action leaves a line: who, what, when, with what. */
export async function recordAudit(
  db: Db,
  entry: { actor: string; action: string; detail?: Record<string, unknown>; at: string },
): Promise<void> {
  await db
    .insertInto("admin_audit")
    .values({
      actor: entry.actor,
      action: entry.action,
      detail: JSON.stringify(entry.detail ?? {}),
      at: entry.at,
    })
    .execute();
}

/**
 * Audit entries, newest first: at most `limit` (50 unless told), of those at or after `since`
 * (ISO) and by `actor` when given.
 */
export async function listAudit(
  db: Db,
  filter: { since?: string; actor?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  let query = db
    .selectFrom("admin_audit")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 50);
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** How many entries match (to say when a listing was cut). */
export async function countAudit(
  db: Db,
  filter: { since?: string; actor?: string } = {},
): Promise<number> {
  let query = db.selectFrom("admin_audit").select((eb) => eb.fn.countAll<number>().as("n"));
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}
