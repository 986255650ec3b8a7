import {
  type Broadcast,
  broadcastProgress,
  claimDraft,
  createBroadcast,
  getBroadcast,
  moveBroadcastState,
  updateBroadcast,
} from "../broadcasts/broadcasts";
import { broadcastMessage } from "../broadcasts/message";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import {
  type AudienceRendering,
  cancelPendingForBroadcast,
  enqueueSelected,
  type PayloadIds,
} from "../delivery/outbox";
import { recordAudit } from "../editors/audit";
import { toLocale } from "../message/i18n/index";
import { renderPayload } from "../message/payload";
import { type Article, findArticle } from "../news/articles";
import { findTopicBySlug, type Topic } from "../news/topics";
import {
  type AudienceFilter,
  audienceBetween,
  BROADCAST_PLATFORMS,
  type BroadcastPlatform,
  countAudience,
  lastReaderId,
} from "../readers/audience";
import { cleanParagraphs } from "../text/normalize";

export const MAX_BROADCAST_TEXT = 3000;
/** Reader ids (a range of them) whose outbox rows one statement writes, one transaction commits. */
const ENQUEUE_PAGE = 10_000;
const PAGES_AT_ONCE = 2;

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
  topic: Topic | null;
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
  let topic: Topic | null = null;
  if (request.topicSlug) {
    topic = (await findTopicBySlug(db, request.topicSlug)) ?? null;
    if (!topic) throw new BroadcastError({ code: "noTopic", slug: request.topicSlug });
  }
  const platform = request.platform ?? null;
  if (platform && !BROADCAST_PLATFORMS.includes(platform as BroadcastPlatform)) {
    throw new BroadcastError({ code: "badPlatform", platform });
  }
  const audience = await countAudience(db, { topicId: topic?.id ?? null, platform });
  const broadcast = await createBroadcast(db, {
    author: request.author,
    text,
    articleId: article?.id ?? null,
    audienceTopicId: topic?.id ?? null,
    audiencePlatform: platform,
    createdAt: now,
  });
  await recordAudit(db, {
    actor: request.author,
    action: "broadcast.prepare",
    detail: {
      broadcastId: broadcast.id,
      audience,
      // Left out when they do not narrow the audience: everyone, both platforms, no story.
      topic: topic?.slug,
      platform: (platform ?? undefined) as BroadcastPlatform | undefined,
      articleId: article?.id,
    },
    at: now,
  });
  return { broadcast, audience, article, topic };
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
  newsroom?: string,
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
  const filter: AudienceFilter = {
    topicId: broadcast.audienceTopicId,
    platform: broadcast.audiencePlatform,
  };
  // Rendered once per platform and language, for readers of English and of any other (Vietnamese).
  const renderings: AudienceRendering[] = BROADCAST_PLATFORMS.filter(
    (platform) => !filter.platform || filter.platform === platform,
  ).flatMap((platform) =>
    (["en", null] as const).map((locale) => ({
      platform,
      locale,
      payload: renderPayload(
        platform,
        broadcastMessage(broadcast, article, toLocale(locale), newsroom),
        toLocale(locale),
      ),
    })),
  );

  const payloadIds: PayloadIds = new Map(); // each rendering stored once for all pages
  if (!(await claimDraft(db, id, now))) {
    const state = (await getBroadcast(db, id)).state;
    throw new BroadcastError({ code: "notDraft", id, state });
  }
  // While the rows are being written the broadcast is "sending" with total 0: not done, however
  // few rows are pending yet. A stop meanwhile ends the loop and holds back what was written.
  // Each page is written by the database from the readers table: no reader passes through here.
  let total = 0;
  let stopped = false;
  const lastId = await lastReaderId(db); // readers who join from now on are not in it
  const writePage = (afterId: number) =>
    inTransaction(db, (trx) =>
      enqueueSelected(
        trx,
        audienceBetween(trx, filter, afterId, Math.min(afterId + ENQUEUE_PAGE, lastId)),
        { keyPrefix: `broadcast:${id}:`, kind: "broadcast", broadcastId: id, nextAttemptAt: now },
        renderings,
        payloadIds,
      ),
    );
  // The first page alone, which stores the renderings; then PAGES_AT_ONCE at a time, each in a
  // transaction of its own (on PostgreSQL on a connection of its own, so the server writes one
  // page while it commits another; SQLite's one connection takes them in turn).
  for (let afterId = 0, width = 1; afterId < lastId && !stopped; width = PAGES_AT_ONCE) {
    const pages: number[] = [];
    for (; pages.length < width && afterId < lastId; afterId += ENQUEUE_PAGE) pages.push(afterId);
    for (const written of await Promise.all(pages.map(writePage))) total += written;
    stopped = (await getBroadcast(db, id)).state !== "sending";
  }
  if (stopped) {
    await cancelPendingForBroadcast(db, id);
    await updateBroadcast(db, id, { total });
  } else {
    const moved = await moveBroadcastState(db, id, "sending", {
      state: total === 0 ? "done" : "sending",
      total,
      ...(total === 0 ? { finishedAt: now } : {}),
    });
    if (!moved) {
      // Stopped between the last chunk and now: hold back what the stop could not yet see.
      await cancelPendingForBroadcast(db, id);
      await updateBroadcast(db, id, { total });
    }
  }
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
  // The state first: a confirmation still writing rows sees it and holds back the rest.
  await updateBroadcast(db, id, { state: "cancelled", finishedAt: now });
  const held = await cancelPendingForBroadcast(db, id);
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
  // total is written once every row is (before that it is 0): only then can it be done.
  if (broadcast.state === "sending" && progress.total > 0 && progress.pending === 0) {
    await moveBroadcastState(db, id, "sending", { state: "done", finishedAt: now });
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
