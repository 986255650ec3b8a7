import type { DbHandle } from "../../src/db/schema";

/**
 * Puts entries straight into the audit log, in any shape: as earlier versions wrote them (before
 * the actions were typed), so that the readers of the log are tested on what they will meet.
 */
export async function seedAudit(
  db: DbHandle,
  entries: { actor: string; action: string; at: string; detail?: Record<string, unknown> }[],
): Promise<void> {
  for (const entry of entries) {
    await db
      .insertInto("admin_audit")
      .values({ ...entry, detail: JSON.stringify(entry.detail ?? {}) })
      .execute();
  }
}
