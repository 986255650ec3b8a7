/**
 * What the outbox holds, counted and listed: by state and platform, what waits, the dead
 * letters. Reads only; the outbox's writes stay in outbox.ts.
 */
import type { Db } from "../db/schema";
import type { OutboxKind, OutboxState } from "./outbox";

export async function countOutboxByState(
  db: Db,
  filter: { broadcastId?: number; platform?: string } = {},
): Promise<Record<OutboxState, number>> {
  let query = db
    .selectFrom("outbox")
    .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("state");
  if (filter.broadcastId !== undefined)
    query = query.where("broadcast_id", "=", filter.broadcastId);
  if (filter.platform !== undefined) query = query.where("platform", "=", filter.platform);
  const counts: Record<OutboxState, number> = {
    pending: 0,
    sent: 0,
    blocked: 0,
    dead: 0,
    cancelled: 0,
  };
  for (const row of await query.execute()) counts[row.state as OutboxState] = Number(row.n);
  return counts;
}

/** Rows waiting to be sent, by platform. */
export async function countPendingByPlatform(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("outbox")
    .select(["platform", (eb) => eb.fn.countAll<number>().as("n")])
    .where("state", "=", "pending")
    .groupBy("platform")
    .execute();
  return new Map(rows.map((row) => [row.platform, Number(row.n)]));
}

/** Counts of every state for each platform that has rows (the deliveries page's table). */
export async function countOutboxByPlatformAndState(
  db: Db,
): Promise<Map<string, Record<OutboxState, number>>> {
  const rows = await db
    .selectFrom("outbox")
    .select(["platform", "state", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["platform", "state"])
    .orderBy("platform")
    .execute();
  const counts = new Map<string, Record<OutboxState, number>>();
  for (const row of rows) {
    let byState = counts.get(row.platform);
    if (!byState) {
      byState = { pending: 0, sent: 0, blocked: 0, dead: 0, cancelled: 0 };
      counts.set(row.platform, byState);
    }
    byState[row.state as OutboxState] = Number(row.n);
  }
  return counts;
}

/** A message the sender gave up on, with the reader it was for. */
export interface DeadLetter {
  id: number;
  platform: string;
  kind: OutboxKind;
  readerId: number;
  /** The reader's chat on the platform; null when the reader row is gone. */
  chatId: string | null;
  readerName: string | null;
  broadcastId: number | null;
  attempts: number;
  lastError: string | null;
  /**
   * When the last try was due: the outbox keeps no time of death, and the last try is made as
   * soon as it is due unless the queue is long.
   */
  lastTryAt: string;
  createdAt: string;
}

/** Dead rows, the latest tried first, a page at a time. */
export async function listDeadLetters(
  db: Db,
  page: { limit: number; offset: number },
): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom("outbox")
    .leftJoin("readers", "readers.id", "outbox.reader_id")
    .select([
      "outbox.id as id",
      "outbox.platform as platform",
      "outbox.kind as kind",
      "outbox.reader_id as readerId",
      "readers.chat_id as chatId",
      "readers.display_name as readerName",
      "outbox.broadcast_id as broadcastId",
      "outbox.attempts as attempts",
      "outbox.last_error as lastError",
      "outbox.next_attempt_at as lastTryAt",
      "outbox.created_at as createdAt",
    ])
    .where("outbox.state", "=", "dead")
    .orderBy("outbox.next_attempt_at", "desc")
    .orderBy("outbox.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, kind: row.kind as OutboxKind }));
}

export async function countDeadLetters(db: Db): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("state", "=", "dead")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The state of one row, or undefined when there is no such row. */
export async function outboxStateOf(db: Db, id: number): Promise<OutboxState | undefined> {
  const row = await db.selectFrom("outbox").select("state").where("id", "=", id).executeTakeFirst();
  return row?.state as OutboxState | undefined;
}
