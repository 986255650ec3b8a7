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

export async function listAudit(db: Db, limit = 50): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom("admin_audit")
    .selectAll()
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
