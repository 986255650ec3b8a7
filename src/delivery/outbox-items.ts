/**
 * Outbox rows as the sender and the services read them: their kinds, states and priorities, and
 * a stored row with its payload, and the values of a new one. Every write is in outbox.ts.
 */
import type { SelectQueryBuilder } from "kysely";
import type { Database, Db } from "../db/schema";
import type { OutboxRow } from "../db/tables/outbox";
import type { ReaderRow } from "../db/tables/readers";
import type { RenderedPayload } from "../message/parts";
import { readPayload } from "../message/payload";

/**
 * notice: one short message to readers about the service (a topic removed, a story retracted).
 * withdraw and edit act on messages already sent (a retraction, a correction): they carry the
 * platform's ids of those messages (`messageIds`) and, for an edit, the new rendering.
 */
export type OutboxKind =
  | "digest"
  | "broadcast"
  | "reply"
  | "instant"
  | "alert"
  | "notice"
  | "withdraw"
  | "edit";
export type OutboxState = "pending" | "sent" | "blocked" | "dead" | "cancelled";

/** Lower numbers go first: a reader's own replies (and alerts to admins) ahead of bulk sends. */
export const PRIORITY = {
  reply: 0,
  alert: 0,
  broadcast: 1,
  instant: 1,
  notice: 1,
  withdraw: 1,
  edit: 1,
  digest: 2,
} as const;

export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  readerId: number;
  platform: string;
  kind: OutboxKind;
  payload: RenderedPayload;
  broadcastId: number | null;
  state: OutboxState;
  attempts: number;
  /** Messages of the payload already delivered (a crash resumes after them). */
  partsSent: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  /** The platform's ids of the messages sent, per part (Telegram); of the ones acted on (withdraw, edit). */
  messageIds: number[][] | null;
}

export function toItem(row: OutboxRow, payload: RenderedPayload): OutboxItem {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    readerId: row.reader_id,
    platform: row.platform,
    kind: row.kind as OutboxKind,
    payload,
    broadcastId: row.broadcast_id,
    state: row.state as OutboxState,
    attempts: row.attempts,
    partsSent: row.parts_sent,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
    messageIds: parseMessageIds(row.message_ids),
  };
}

/** Stored message ids (JSON [[id, ...] per part]) as read back; anything else reads as none. */
export function parseMessageIds(stored: string | null): number[][] | null {
  if (!stored) return null;
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return null;
    return value.map((part) =>
      Array.isArray(part) ? part.filter((id): id is number => Number.isInteger(id)) : [],
    );
  } catch {
    return null;
  }
}

const READ_CHUNK = 500; // well under SQLite's bound-parameter limit

/** Rows with their payloads, each payload read once. */
export async function withPayloads(db: Db, rows: OutboxRow[]): Promise<OutboxItem[]> {
  const ids = [...new Set(rows.map((r) => r.payload_id))];
  const bodies = new Map<number, unknown>(); // parsed JSON, read per row's platform below
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const found = await db
      .selectFrom("outbox_payloads")
      .select(["id", "body"])
      .where("id", "in", ids.slice(i, i + READ_CHUNK))
      .execute();
    for (const p of found) bodies.set(p.id, JSON.parse(p.body));
  }
  return rows.map((row) => toItem(row, readPayload(bodies.get(row.payload_id), row.platform)));
}

/** A reader's row by its key (keys are unique per reader). */
export async function findOutboxItem(
  db: Db,
  readerId: number,
  key: string,
): Promise<OutboxItem | undefined> {
  const row = await db
    .selectFrom("outbox")
    .selectAll()
    .where("reader_id", "=", readerId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row && (await withPayloads(db, [row]))[0];
}

/** Owners other than `except` holding unexpired leases on pending rows of one platform. */
export async function leaseOwners(
  db: Db,
  filter: { platform: string; now: string; except: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom("outbox")
    .select("lease_owner")
    .distinct()
    .where("state", "=", "pending")
    .where("platform", "=", filter.platform)
    .where("lease_until", ">=", filter.now)
    .where("lease_owner", "is not", null)
    .where("lease_owner", "!=", filter.except)
    .execute();
  return rows.map((r) => r.lease_owner as string);
}

export interface NewOutboxItem {
  idempotencyKey: string;
  readerId: number;
  platform: string;
  kind: OutboxKind;
  payload: RenderedPayload;
  broadcastId?: number | null;
  nextAttemptAt: string;
  /** The stories the payload carries (outbox_payload_stories), to withdraw or correct later. */
  stories?: readonly number[];
}

/** The columns an enqueued row is given (created_at, one for a whole statement, apart). */
export const NEW_ROW_COLUMNS = [
  "idempotency_key",
  "reader_id",
  "platform",
  "kind",
  "priority",
  "payload_id",
  "broadcast_id",
  "next_attempt_at",
] as const;
export type NewRowColumn = (typeof NEW_ROW_COLUMNS)[number];
/** Integer columns of an enqueued row (the others are text), for PostgreSQL's unnest. */
export const INTEGER_COLUMNS = new Set<NewRowColumn>([
  "reader_id",
  "priority",
  "payload_id",
  "broadcast_id",
]);

/**
 * New rows' values a column at a time, in NEW_ROW_COLUMNS' order: what both stores' bulk inserts
 * send, without an object per row on the way (a digest slot enqueues a million).
 */
export function newRowColumns(
  items: readonly NewOutboxItem[],
  payloadIds: Map<RenderedPayload, number>,
): unknown[][] {
  const columns: unknown[][] = NEW_ROW_COLUMNS.map(() => []);
  const [keys, readers, platforms, kinds, priorities, payloads, broadcasts, times] = columns;
  for (const item of items) {
    keys?.push(item.idempotencyKey);
    readers?.push(item.readerId);
    platforms?.push(item.platform);
    kinds?.push(item.kind);
    priorities?.push(PRIORITY[item.kind]);
    payloads?.push(payloadIds.get(item.payload) as number);
    broadcasts?.push(item.broadcastId ?? null);
    times?.push(item.nextAttemptAt);
  }
  return columns;
}

/** The rendering a platform's readers get: for readers of `locale`, or of any other when null. */
export interface AudienceRendering {
  platform: string;
  locale: string | null;
  payload: RenderedPayload;
}
/** The readers an INSERT ... SELECT writes rows for. */
export type ReaderQuery = SelectQueryBuilder<
  Database,
  "readers",
  Pick<ReaderRow, "id" | "platform" | "locale">
>;
