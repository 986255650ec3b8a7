/**
 * The sent rows that carried a story, for a retraction or a correction to act on. Read only:
 * the withdrawals and edits are written in outbox.ts.
 */
import type { Db } from "../db/schema";
import type { RenderedPayload } from "../message/parts";
import { readPayload } from "../message/payload";

const READ_CHUNK = 500;

/**
 * Sent rows that carried a story: a digest or news as it happens whose payload is linked to it
 * (outbox_payload_stories), or breaking news about it (`broadcastIds`).
 */
export interface Carrying {
  articleId: number;
  broadcastIds: number[];
  platform: string;
  /** Sent at or after this; `before`: sent before it. */
  since?: string;
  before?: string;
  /** Rows still waiting to go (not yet started) instead of sent ones; no time bounds. */
  pending?: boolean;
}

/** What to do with the rows of one payload; `stories`: what a revised payload still carries. */
export interface FollowUpPlan {
  payloadId: number;
  kind: "withdraw" | "edit";
  payload: RenderedPayload;
  stories?: readonly number[];
}

const SOURCE_KINDS = ["digest", "instant", "broadcast"];

export function carryingRows(db: Db, c: Carrying) {
  let query = db
    .selectFrom("outbox as o")
    .where("o.state", "=", c.pending ? "pending" : "sent")
    .where("o.platform", "=", c.platform)
    .where("o.kind", "in", SOURCE_KINDS)
    .where((eb) =>
      eb.or([
        eb(
          "o.payload_id",
          "in",
          eb
            .selectFrom("outbox_payload_stories")
            .select("payload_id")
            .where("article_id", "=", c.articleId),
        ),
        ...(c.broadcastIds.length > 0 ? [eb("o.broadcast_id", "in", c.broadcastIds)] : []),
      ]),
    );
  if (c.pending) return query.where("o.parts_sent", "=", 0);
  // sent_at is indexed for sent rows only (0012): both bounds read that index.
  query = query.where("o.sent_at", ">=", c.since ?? "");
  if (c.before !== undefined) query = query.where("o.sent_at", "<", c.before);
  return query;
}

/** How many sent rows carried the story (in the bounds given). */
export async function countCarrying(db: Db, c: Carrying): Promise<number> {
  const row = await carryingRows(db, c)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The distinct payloads of the sent rows that carried the story, with a reader's language. */
export async function payloadsCarrying(
  db: Db,
  c: Carrying,
): Promise<{ payloadId: number; locale: string; payload: RenderedPayload; stories: number[] }[]> {
  const rows = await carryingRows(db, c)
    .innerJoin("readers as r", "r.id", "o.reader_id")
    .select(["o.payload_id", (eb) => eb.fn.min("r.locale").as("locale")])
    .groupBy("o.payload_id")
    .execute();
  const out: { payloadId: number; locale: string; payload: RenderedPayload; stories: number[] }[] =
    [];
  for (let i = 0; i < rows.length; i += READ_CHUNK) {
    const ids = rows.slice(i, i + READ_CHUNK).map((r) => r.payload_id);
    const bodies = await db
      .selectFrom("outbox_payloads")
      .select(["id", "body"])
      .where("id", "in", ids)
      .execute();
    const links = await db
      .selectFrom("outbox_payload_stories")
      .select(["payload_id", "article_id"])
      .where("payload_id", "in", ids)
      .execute();
    const body = new Map(bodies.map((b) => [b.id, b.body]));
    for (const r of rows.slice(i, i + READ_CHUNK)) {
      out.push({
        payloadId: r.payload_id,
        locale: String(r.locale ?? "vi"),
        payload: readPayload(JSON.parse(body.get(r.payload_id) ?? "{}"), c.platform),
        stories: links.filter((l) => l.payload_id === r.payload_id).map((l) => l.article_id),
      });
    }
  }
  return out;
}
