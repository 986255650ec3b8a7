import { NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { BroadcastRow } from "../db/tables/broadcasts";
import type { OutboxState } from "../delivery/outbox";
import { countOutboxByState } from "../delivery/outbox-counts";

/** A draft waits for its editor; a scheduled one for its time (then it is sending). */
export type BroadcastState = "draft" | "scheduled" | "sending" | "done" | "cancelled";

export interface Broadcast {
  id: number;
  author: string;
  text: string;
  articleId: number | null;
  /** The first of its topics (what older code and the audit name). */
  audienceTopicId: number | null;
  /** Every topic it goes to (empty: every reader, whatever they follow). */
  audienceTopicIds: number[];
  audiencePlatform: string | null;
  audienceLocale: string | null;
  audienceMode: string | null;
  /** When it goes, if it was scheduled. */
  sendAt: string | null;
  photoUrl: string | null;
  state: BroadcastState;
  total: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function topicIdsOf(row: BroadcastRow): number[] {
  if (row.audience_topics) return JSON.parse(row.audience_topics) as number[];
  return row.audience_category_id !== null ? [row.audience_category_id] : [];
}

function toBroadcast(row: BroadcastRow): Broadcast {
  return {
    id: row.id,
    author: row.author,
    text: row.text,
    articleId: row.article_id,
    audienceTopicId: row.audience_category_id,
    audienceTopicIds: topicIdsOf(row),
    audiencePlatform: row.audience_platform,
    audienceLocale: row.audience_locale,
    audienceMode: row.audience_mode,
    sendAt: row.send_at,
    photoUrl: row.photo_url,
    state: row.state as BroadcastState,
    total: row.total,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function createBroadcast(
  db: Db,
  input: {
    author: string;
    text: string;
    articleId?: number | null;
    audienceTopicId?: number | null;
    audienceTopicIds?: readonly number[];
    audiencePlatform?: string | null;
    audienceLocale?: string | null;
    audienceMode?: string | null;
    sendAt?: string | null;
    photoUrl?: string | null;
    createdAt: string;
  },
): Promise<Broadcast> {
  const topics = input.audienceTopicIds ?? [];
  const row = await db
    .insertInto("broadcasts")
    .values({
      author: input.author,
      text: input.text,
      article_id: input.articleId ?? null,
      audience_category_id: input.audienceTopicId ?? topics[0] ?? null,
      // Several topics are kept as a list; one stays in audience_category_id alone.
      audience_topics: topics.length > 1 ? JSON.stringify(topics) : null,
      audience_platform: input.audiencePlatform ?? null,
      audience_locale: input.audienceLocale ?? null,
      audience_mode: input.audienceMode ?? null,
      send_at: input.sendAt ?? null,
      photo_url: input.photoUrl ?? null,
      created_at: input.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBroadcast(row);
}

export async function getBroadcast(db: Db, id: number): Promise<Broadcast> {
  const row = await db.selectFrom("broadcasts").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`no broadcast with id ${id}`);
  return toBroadcast(row);
}

export async function updateBroadcast(
  db: Db,
  id: number,
  change: { state?: BroadcastState; total?: number; startedAt?: string; finishedAt?: string },
): Promise<void> {
  await db
    .updateTable("broadcasts")
    .set({
      ...(change.state ? { state: change.state } : {}),
      ...(change.total !== undefined ? { total: change.total } : {}),
      ...(change.startedAt ? { started_at: change.startedAt } : {}),
      ...(change.finishedAt ? { finished_at: change.finishedAt } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/**
 * Moves a draft to "sending" in one statement, so that of two confirmations (two presses, two
 * editors, two processes) exactly one goes on. False when it was no longer a draft.
 */
export function claimDraft(db: Db, id: number, startedAt: string): Promise<boolean> {
  return moveBroadcastState(db, id, "draft", { state: "sending", startedAt });
}

/** A draft waits for `sendAt` (one statement: false when it was no longer a draft). */
export function scheduleDraft(db: Db, id: number, sendAt: string): Promise<boolean> {
  return moveBroadcastState(db, id, "draft", { state: "scheduled", sendAt });
}

/**
 * Changes the time or the text of a broadcast while it still waits; false when it has gone
 * (or been cancelled) meanwhile: the scheduler's claim and this never both win.
 */
export async function changeScheduled(
  db: Db,
  id: number,
  change: { sendAt?: string; text?: string },
): Promise<boolean> {
  const result = await db
    .updateTable("broadcasts")
    .set({
      ...(change.sendAt ? { send_at: change.sendAt } : {}),
      ...(change.text !== undefined ? { text: change.text } : {}),
    })
    .where("id", "=", id)
    .where("state", "=", "scheduled")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Scheduled broadcasts whose time has come, oldest time first. */
export async function dueScheduled(db: Db, now: string): Promise<number[]> {
  const rows = await db
    .selectFrom("broadcasts")
    .select("id")
    .where("state", "=", "scheduled")
    .where("send_at", "<=", now)
    .orderBy("send_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes a scheduled broadcast whose time has come to send it: one statement, so that of every
 * process and tick that tries, exactly one does; never before its time (checked on the row).
 */
export async function claimScheduled(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable("broadcasts")
    .set({ state: "sending", started_at: now })
    .where("id", "=", id)
    .where("state", "=", "scheduled")
    .where("send_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Scheduled broadcasts taken to send before `startedBefore` whose rows were never all written
 * (still "sending" with no total): their sender died part way.
 */
export async function stalledScheduled(
  db: Db,
  startedBefore: string,
): Promise<{ id: number; startedAt: string }[]> {
  const rows = await db
    .selectFrom("broadcasts")
    .select(["id", "started_at"])
    .where("state", "=", "sending")
    .where("total", "=", 0)
    .where("send_at", "is not", null)
    .where("started_at", "<=", startedBefore)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, startedAt: r.started_at ?? "" }));
}

/** Takes a stalled one up again: one statement, so one process does (its start moves to now). */
export async function reclaimStalled(
  db: Db,
  id: number,
  startedAt: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("broadcasts")
    .set({ started_at: now })
    .where("id", "=", id)
    .where("state", "=", "sending")
    .where("total", "=", 0)
    .where("started_at", "=", startedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Broadcasts waiting for their time, soonest first. */
export async function listScheduled(db: Db): Promise<Broadcast[]> {
  const rows = await db
    .selectFrom("broadcasts")
    .selectAll()
    .where("state", "=", "scheduled")
    .orderBy("send_at")
    .orderBy("id")
    .execute();
  return rows.map(toBroadcast);
}

/** Moves a broadcast from one state to another only if it is still in the first. */
export async function moveBroadcastState(
  db: Db,
  id: number,
  from: BroadcastState,
  change: {
    state: BroadcastState;
    total?: number;
    startedAt?: string;
    finishedAt?: string;
    sendAt?: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("broadcasts")
    .set({
      state: change.state,
      ...(change.total !== undefined ? { total: change.total } : {}),
      ...(change.startedAt ? { started_at: change.startedAt } : {}),
      ...(change.finishedAt ? { finished_at: change.finishedAt } : {}),
      ...(change.sendAt ? { send_at: change.sendAt } : {}),
    })
    .where("id", "=", id)
    .where("state", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The broadcasts being sent now, each with its delivery counts (read by /metrics). */
export async function sendingBroadcasts(
  db: Db,
): Promise<{ id: number; total: number; counts: Record<OutboxState, number> }[]> {
  const rows = await db
    .selectFrom("broadcasts")
    .select(["id", "total"])
    .where("state", "=", "sending")
    .execute();
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      total: row.total,
      counts: await countOutboxByState(db, { broadcastId: row.id }),
    })),
  );
}

/** Delivery counts of a broadcast, from its outbox rows. */
export async function broadcastProgress(
  db: Db,
  id: number,
): Promise<Record<OutboxState, number> & { total: number }> {
  const broadcast = await getBroadcast(db, id);
  return { ...(await countOutboxByState(db, { broadcastId: id })), total: broadcast.total };
}

/** Broadcasts newest first, a page at a time (the console's list). */
export async function listBroadcasts(
  db: Db,
  options: { limit: number; offset?: number },
): Promise<Broadcast[]> {
  const rows = await db
    .selectFrom("broadcasts")
    .selectAll()
    .orderBy("id", "desc")
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toBroadcast);
}

export async function countBroadcasts(db: Db): Promise<number> {
  const row = await db
    .selectFrom("broadcasts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
