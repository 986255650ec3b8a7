/**
 * Platforms deliver updates at least once: each handled update is marked by its platform's own
 * key, so one delivered twice is handled once. The marks are kept a week.
 */
import type { Db } from "../db/schema";

/** Marks an update handled; true the first time, false when it was seen before. */
export async function markUpdateHandled(
  db: Db,
  update: { platform: string; key: string; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto("processed_updates")
    .values({ platform: update.platform, update_key: update.key, at: update.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Forgets marks older than a cut-off (the daily clean-up). */
export async function forgetHandledBefore(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom("processed_updates")
    .where("at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
