/**
 * How fast a broadcast reached its readers: per platform, the seconds from its start until half,
 * nine tenths and all of the readers it could reach were sent it (read from the outbox's
 * sent times; readers who blocked the bot and cancelled rows are not counted).
 */
import type { Db } from "../db/schema";

/** How fast a broadcast reached its readers on one platform: seconds from its start. */
export interface BroadcastReach {
  platform: string;
  /** Its readers on this platform that can be reached (not blocked, not cancelled); those sent. */
  total: number;
  sent: number;
  /** Seconds from `startedAt` until half, nine tenths and all of `total` were sent; null until then. */
  half: number | null;
  ninetyPercent: number | null;
  all: number | null;
}

/** Per platform, the time until 50 %, 90 % and 100 % of a broadcast's readers were sent it. */
export async function broadcastReach(
  db: Db,
  broadcastId: number,
  startedAt: string,
): Promise<BroadcastReach[]> {
  const start = Date.parse(startedAt);
  const counts = await db
    .selectFrom("outbox")
    .select([
      "platform",
      (eb) => eb.fn.countAll<number>().as("total"),
      (eb) =>
        eb.fn.sum<number>(eb.case().when("state", "=", "sent").then(1).else(0).end()).as("sent"),
      (eb) =>
        eb.fn
          .sum<number>(
            eb.case().when("state", "in", ["blocked", "cancelled"]).then(1).else(0).end(),
          )
          .as("unreachable"),
    ])
    .where("broadcast_id", "=", broadcastId)
    .groupBy("platform")
    .orderBy("platform")
    .execute();
  const reach: BroadcastReach[] = [];
  for (const row of counts) {
    // Readers who blocked the bot, or rows cancelled, are never reached: not counted.
    const total = Number(row.total) - Number(row.unreachable ?? 0);
    const sent = Number(row.sent ?? 0);
    /** Seconds until the k-th send (by time), when there were k. */
    const until = async (share: number): Promise<number | null> => {
      const k = Math.max(1, Math.ceil(share * total));
      if (total === 0 || sent < k) return null;
      const at = await db
        .selectFrom("outbox")
        .select("sent_at")
        .where("broadcast_id", "=", broadcastId)
        .where("platform", "=", row.platform)
        .where("state", "=", "sent")
        .orderBy("sent_at")
        .limit(1)
        .offset(k - 1)
        .executeTakeFirst();
      const ms = at?.sent_at ? Date.parse(at.sent_at) - start : Number.NaN;
      return Number.isFinite(ms) ? Math.max(0, Number((ms / 1000).toFixed(1))) : null;
    };
    reach.push({
      platform: row.platform,
      total,
      sent,
      half: await until(0.5),
      ninetyPercent: await until(0.9),
      all: await until(1),
    });
  }
  return reach;
}
