/**
 * Opens of a broadcast's story: how many times readers opened the story a broadcast carried
 * through its button (on Telegram) or its numbered choice (on Zalo) within 24 hours of the
 * broadcast's start, per broadcast and platform. A counter only, no reader kept beside it; a
 * reader who opens it twice counts twice.
 */
import { sql } from "kysely";
import type { Db } from "../db/schema";

/** Opens are counted for this long after a broadcast started sending. */
export const OPENS_WINDOW_HOURS = 24;
const OPENS_WINDOW_MS = OPENS_WINDOW_HOURS * 3_600_000;

/**
 * Counts one open of broadcast `broadcastId`'s story on `platform` at `at` (ISO), in one
 * statement safe under many processes: nothing when there is no such broadcast, when it has not
 * started, or when `at` is more than 24 hours after its start. True when it was counted.
 */
export async function countBroadcastOpen(
  db: Db,
  open: { broadcastId: number; platform: string; at: string },
): Promise<boolean> {
  const at = Date.parse(open.at);
  if (Number.isNaN(at)) throw new RangeError(`Invalid time: ${open.at}`);
  // Started no earlier than 24 hours before the open (ISO UTC text compares as time).
  const since = new Date(at - OPENS_WINDOW_MS).toISOString();
  const result = await db
    .insertInto("broadcast_opens")
    .columns(["broadcast_id", "platform", "count"])
    .expression((eb) =>
      eb
        .selectFrom("broadcasts")
        .select([
          "id",
          sql<string>`cast(${open.platform} as text)`.as("platform"),
          sql<number>`1`.as("count"),
        ])
        .where("id", "=", open.broadcastId)
        .where("started_at", "is not", null)
        .where("started_at", ">=", since),
    )
    .onConflict((oc) =>
      oc
        .columns(["broadcast_id", "platform"])
        .doUpdateSet({ count: sql<number>`${sql.ref("broadcast_opens.count")} + 1` }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A broadcast's opens by platform (platforms with none are absent). */
export async function broadcastOpens(db: Db, broadcastId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("broadcast_opens")
    .select(["platform", "count"])
    .where("broadcast_id", "=", broadcastId)
    .orderBy("platform")
    .execute();
  return new Map(rows.map((row) => [row.platform, Number(row.count)]));
}
