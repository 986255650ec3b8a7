import { encodeAction } from "../chat/actions";
import { type Catalogue, catalogue } from "../chat/i18n";
import { bold, type Line, link, type OutMessage } from "../chat/messages";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { enqueue, type PayloadIds } from "../delivery/outbox";
import { renderPayload } from "../delivery/payload";
import type { OutboxPayload } from "../delivery/transport";
import { type Article, findArticle } from "../news/articles";
import { type Category, findCategoryById, findCategoryBySlug } from "../news/categories";
import { cleanParagraphs } from "../text/normalize";
import { recordAudit } from "./audit";
import {
  type Broadcast,
  broadcastProgress,
  createBroadcast,
  getBroadcast,
  updateBroadcast,
} from "./broadcasts";

/** Platforms a broadcast can reach (the console is a demo, not an audience). */
export const BROADCAST_PLATFORMS = ["telegram", "zalo"] as const;
export type BroadcastPlatform = (typeof BROADCAST_PLATFORMS)[number];

export const MAX_BROADCAST_TEXT = 3000;
const ENQUEUE_CHUNK = 5000;

export type BroadcastProblem =
  | { code: "empty" }
  | { code: "tooLong"; max: number }
  | { code: "noStory"; id: number }
  | { code: "noTopic"; slug: string }
  | { code: "badPlatform"; platform: string }
  | { code: "notDraft"; id: number; state: string };

/** A broadcast that cannot go as asked; `problem` lets the chat say it in the admin's language. */
export class BroadcastError extends Error {
  override name = "BroadcastError";
  constructor(readonly problem: BroadcastProblem) {
    super(describeProblem(problem));
  }
}

function describeProblem(p: BroadcastProblem): string {
  switch (p.code) {
    case "empty":
      return "a broadcast needs a text or a story id";
    case "tooLong":
      return `a broadcast text is at most ${p.max} characters`;
    case "noStory":
      return `no story with id ${p.id}`;
    case "noTopic":
      return `no topic "${p.slug}"`;
    case "badPlatform":
      return `platform must be telegram or zalo, not "${p.platform}"`;
    case "notDraft":
      return `broadcast ${p.id} is already ${p.state}`;
  }
}

export interface BroadcastRequest {
  author: string;
  text: string;
  articleId?: number | null;
  topicSlug?: string | null;
  platform?: string | null;
}

export interface BroadcastPreview {
  broadcast: Broadcast;
  audience: number;
  article: Article | null;
  topic: Category | null;
}

interface AudienceFilter {
  categoryId: number | null;
  platform: string | null;
}

function audienceQuery(db: Db, filter: AudienceFilter) {
  let query = db
    .selectFrom("readers")
    .where("readers.status", "=", "active")
    .where("readers.platform", "in", [...BROADCAST_PLATFORMS]);
  if (filter.platform) query = query.where("readers.platform", "=", filter.platform);
  if (filter.categoryId !== null) {
    const categoryId = filter.categoryId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("reader_topics")
          .select("reader_topics.reader_id")
          .whereRef("reader_topics.reader_id", "=", "readers.id")
          .where("reader_topics.category_id", "=", categoryId),
      ),
    );
  }
  return query;
}

export async function countAudience(db: Db, filter: AudienceFilter): Promise<number> {
  const row = await audienceQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Checks a breaking-news request and records it as a draft with its audience size; nothing is
 * sent until it is confirmed.
 */
export async function prepareBroadcast(
  db: Db,
  request: BroadcastRequest,
  now: string,
): Promise<BroadcastPreview> {
  const text = cleanParagraphs(request.text ?? "");
  if (!text && request.articleId == null) {
    throw new BroadcastError({ code: "empty" });
  }
  if ([...text].length > MAX_BROADCAST_TEXT) {
    throw new BroadcastError({ code: "tooLong", max: MAX_BROADCAST_TEXT });
  }
  let article: Article | null = null;
  if (request.articleId != null) {
    article = (await findArticle(db, request.articleId)) ?? null;
    if (!article) throw new BroadcastError({ code: "noStory", id: request.articleId });
  }
  let topic: Category | null = null;
  if (request.topicSlug) {
    topic = (await findCategoryBySlug(db, request.topicSlug)) ?? null;
    if (!topic) throw new BroadcastError({ code: "noTopic", slug: request.topicSlug });
  }
  const platform = request.platform ?? null;
  if (platform && !BROADCAST_PLATFORMS.includes(platform as BroadcastPlatform)) {
    throw new BroadcastError({ code: "badPlatform", platform });
  }
  const audience = await countAudience(db, { categoryId: topic?.id ?? null, platform });
  const broadcast = await createBroadcast(db, {
    author: request.author,
    text,
    articleId: article?.id ?? null,
    audienceCategoryId: topic?.id ?? null,
    audiencePlatform: platform,
    createdAt: now,
  });
  await recordAudit(db, {
    actor: request.author,
    action: "broadcast.prepare",
    detail: {
      broadcastId: broadcast.id,
      audience,
      topic: topic?.slug ?? null,
      platform,
      articleId: article?.id ?? null,
    },
    at: now,
  });
  return { broadcast, audience, article, topic };
}

/** The breaking-news message itself, in one language. */
export function broadcastMessage(
  broadcast: { text: string },
  article: Article | null,
  locale: "vi" | "en",
): OutMessage {
  const t = catalogue(locale);
  const lines: Line[] = [[bold(t.breakingTitle)]];
  if (broadcast.text)
    for (const paragraph of broadcast.text.split("\n\n")) lines.push([], [paragraph]);
  if (article) {
    lines.push([], [bold(article.title)]);
    if (article.lead) lines.push([article.lead]);
    lines.push([link(t.original, article.url)]);
  }
  return {
    lines,
    ...(article
      ? {
          buttons: [
            [
              {
                label: `📖 ${t.readButton}`,
                data: encodeAction({ kind: "read", articleId: article.id }),
              },
            ],
          ],
        }
      : {}),
  };
}

/**
 * Sends a draft: one outbox row per reader of the audience (key broadcast:<id>:<reader>),
 * enqueued in bulk transactions. Confirming twice sends once.
 */
export async function confirmBroadcast(
  db: Db,
  id: number,
  actor: string,
  now: string,
): Promise<number> {
  const broadcast = await getBroadcast(db, id);
  if (broadcast.state !== "draft") {
    throw new BroadcastError({ code: "notDraft", id, state: broadcast.state });
  }
  const article = broadcast.articleId
    ? ((await findArticle(db, broadcast.articleId)) ?? null)
    : null;
  if (broadcast.articleId && !article) {
    throw new BroadcastError({ code: "noStory", id: broadcast.articleId });
  }
  const rendered = new Map<string, OutboxPayload>();
  const payloadFor = (platform: string, locale: "vi" | "en") => {
    const key = `${platform}:${locale}`;
    let payload = rendered.get(key);
    if (!payload) {
      payload = renderPayload(
        platform,
        broadcastMessage(broadcast, article, locale),
        catalogue(locale).photo,
      );
      rendered.set(key, payload);
    }
    return payload;
  };

  const payloadIds: PayloadIds = new Map(); // each rendering stored once for all chunks
  await updateBroadcast(db, id, { state: "sending", startedAt: now });
  const filter = { categoryId: broadcast.audienceCategoryId, platform: broadcast.audiencePlatform };
  let total = 0;
  let afterId = 0;
  for (;;) {
    const readers = await audienceQuery(db, filter)
      .select(["readers.id", "readers.platform", "readers.locale"])
      .where("readers.id", ">", afterId)
      .orderBy("readers.id")
      .limit(ENQUEUE_CHUNK)
      .execute();
    if (readers.length === 0) break;
    afterId = readers.at(-1)?.id ?? afterId;
    total += await inTransaction(db, (trx) =>
      enqueue(
        trx,
        readers.map((r) => ({
          idempotencyKey: `broadcast:${id}:${r.id}`,
          readerId: r.id,
          platform: r.platform,
          kind: "broadcast" as const,
          payload: payloadFor(r.platform, r.locale === "en" ? "en" : "vi"),
          broadcastId: id,
          nextAttemptAt: now,
        })),
        payloadIds,
      ),
    );
  }
  await updateBroadcast(db, id, {
    total,
    ...(total === 0 ? { state: "done", finishedAt: now } : {}),
  });
  await recordAudit(db, {
    actor,
    action: "broadcast.confirm",
    detail: { broadcastId: id, total },
    at: now,
  });
  return total;
}

/** Stops what has not gone yet; what was sent stays sent. Returns how many were held back. */
export async function cancelBroadcast(
  db: Db,
  id: number,
  actor: string,
  now: string,
): Promise<number> {
  const broadcast = await getBroadcast(db, id);
  if (broadcast.state === "done" || broadcast.state === "cancelled") return 0;
  const result = await db
    .updateTable("outbox")
    .set({ state: "cancelled", last_error: "broadcast cancelled" })
    .where("broadcast_id", "=", id)
    .where("state", "=", "pending")
    .executeTakeFirst();
  const held = Number(result.numUpdatedRows);
  await updateBroadcast(db, id, { state: "cancelled", finishedAt: now });
  await recordAudit(db, {
    actor,
    action: "broadcast.cancel",
    detail: { broadcastId: id, held },
    at: now,
  });
  return held;
}

export interface BroadcastStatus {
  broadcast: Broadcast;
  total: number;
  sent: number;
  blocked: number;
  failed: number;
  cancelled: number;
  left: number;
  finished: boolean;
}

/** Where a broadcast stands; marks it done once nothing is left to send. */
export async function broadcastStatus(db: Db, id: number, now: string): Promise<BroadcastStatus> {
  const progress = await broadcastProgress(db, id);
  let broadcast = await getBroadcast(db, id);
  if (broadcast.state === "sending" && progress.pending === 0) {
    await updateBroadcast(db, id, { state: "done", finishedAt: now });
    broadcast = await getBroadcast(db, id);
  }
  return {
    broadcast,
    total: progress.total,
    sent: progress.sent,
    blocked: progress.blocked,
    failed: progress.dead,
    cancelled: progress.cancelled,
    left: progress.pending,
    finished: broadcast.state === "done" || broadcast.state === "cancelled",
  };
}

/** A text progress bar: [███████░░░] 70% */
export function progressBar(done: number, total: number, width = 10): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(share * 100)}%`;
}

/** The admin's view of a broadcast under way or finished. */
export function broadcastStatusMessage(status: BroadcastStatus, t: Catalogue): OutMessage {
  const done = status.sent + status.blocked + status.failed + status.cancelled;
  const id = status.broadcast.id;
  if (status.finished) {
    return {
      lines: [
        [
          bold(
            status.broadcast.state === "cancelled"
              ? t.broadcastCancelledTitle(id)
              : t.broadcastDoneTitle(id),
          ),
        ],
        [
          t.broadcastCounts(
            status.sent,
            status.blocked,
            status.failed,
            status.left + status.cancelled,
          ),
        ],
      ],
    };
  }
  return {
    lines: [
      [bold(t.broadcastSendingTitle(id))],
      [progressBar(done, status.total)],
      [t.broadcastCounts(status.sent, status.blocked, status.failed, status.left)],
    ],
    buttons: [
      [{ label: t.broadcastStop, data: encodeAction({ kind: "broadcast", id, confirm: false }) }],
    ],
  };
}

export async function describeAudience(
  db: Db,
  broadcast: Broadcast,
  t: Catalogue,
  locale: "vi" | "en",
): Promise<string> {
  const topic = broadcast.audienceCategoryId
    ? await findCategoryById(db, broadcast.audienceCategoryId)
    : undefined;
  return t.broadcastAudience(topic?.name[locale] ?? null, broadcast.audiencePlatform);
}
