/**
 * Breaking news: checking a request (its audience, story, photo, send time), sending it now or
 * scheduling it, stopping it, and where it stands. It is longer than 400 lines because preparing,
 * rendering and enqueueing one broadcast share their checks and problems here; what waits for
 * its time and tests are in broadcast-desk.ts.
 */
import {
  type Broadcast,
  broadcastProgress,
  claimDraft,
  createBroadcast,
  getBroadcast,
  moveBroadcastState,
  scheduleDraft,
  updateBroadcast,
} from "../broadcasts/broadcasts";
import { broadcastMessage } from "../broadcasts/message";
import type { PhotoCheck, PhotoProblem } from "../broadcasts/photo";
import { parseSendAt } from "../broadcasts/send-at";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import {
  type AudienceRendering,
  cancelPendingForBroadcast,
  enqueueSelected,
  type PayloadIds,
} from "../delivery/outbox";
import { countOutboxByState } from "../delivery/outbox-counts";
import { recordAudit } from "../editors/audit";
import { toLocale } from "../message/i18n/index";
import { renderPayload } from "../message/payload";
import { type Article, findArticle } from "../news/articles";
import { findTopicBySlug, type Topic } from "../news/topics";
import {
  AUDIENCE_LOCALES,
  AUDIENCE_MODES,
  type AudienceFilter,
  type AudienceLocale,
  type AudienceMode,
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
  | { code: "badLocale"; locale: string }
  | { code: "badMode"; mode: string }
  | { code: "badTime"; text: string }
  | { code: "pastTime"; at: string }
  | { code: "badPhoto"; url: string; why: PhotoProblem; reason: string }
  | { code: "notDraft"; id: number; state: string }
  | { code: "notScheduled"; id: number; state: string }
  | { code: "noEditorChat" };

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
    case "badLocale":
      return `language must be vi or en, not "${p.locale}"`;
    case "badMode":
      return `delivery mode must be digest or instant, not "${p.mode}"`;
    case "badTime":
      return `a send time is an ISO time (2026-12-05T10:00+07:00) or HH:MM, not "${p.text.slice(0, 40)}"`;
    case "pastTime":
      return `${p.at} has passed: a broadcast is scheduled for a time to come`;
    case "badPhoto":
      return `cannot use the photo ${p.url.slice(0, 100)}: ${p.reason}`;
    case "notDraft":
      return `broadcast ${p.id} is already ${p.state}`;
    case "notScheduled":
      return `broadcast ${p.id} is ${p.state}, not scheduled: it can no longer be changed`;
    case "noEditorChat":
      return "no editor (ADMINS) has a chat with the bot yet: send it /start first";
  }
}

export interface BroadcastRequest {
  author: string;
  text: string;
  articleId?: number | null;
  topicSlug?: string | null;
  /** Several topics: readers of any of them (with topicSlug, both count). */
  topicSlugs?: readonly string[] | null;
  platform?: string | null;
  /** Only readers of this language: vi or en. */
  locale?: string | null;
  /** Only readers who take (those) topics in this mode: digest or instant. */
  mode?: string | null;
  /** An image address; checked through `checkPhoto` (the fetch guard). */
  photoUrl?: string | null;
  /** Send later: an ISO time, a local "YYYY-MM-DDTHH:MM" or "HH:MM" in `timeZone`. */
  at?: string | null;
  timeZone?: string;
}

export interface PrepareOptions {
  /** Reads a photo's address once (the fetch guard); without it a photo address is refused. */
  checkPhoto?: (url: string) => Promise<PhotoCheck>;
}

export interface BroadcastPreview {
  broadcast: Broadcast;
  audience: number;
  article: Article | null;
  topic: Topic | null;
  /** Every topic it goes to (topic is the first of them). */
  topics: Topic[];
}

/** What the audience of a broadcast is, as the readers module reads it. */
export function audienceOf(broadcast: Broadcast): AudienceFilter {
  return {
    topicIds: broadcast.audienceTopicIds,
    platform: broadcast.audiencePlatform,
    locale: broadcast.audienceLocale,
    mode: broadcast.audienceMode,
  };
}

/**
 * Checks a breaking-news request and records it as a draft with its audience size; nothing is
 * sent until it is confirmed.
 */
export async function prepareBroadcast(
  db: Db,
  request: BroadcastRequest,
  now: string,
  options: PrepareOptions = {},
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
  const slugs = [
    ...new Set(
      [request.topicSlug, ...(request.topicSlugs ?? [])]
        .map((slug) => slug?.trim() ?? "")
        .filter(Boolean),
    ),
  ];
  const topics: Topic[] = [];
  for (const slug of slugs) {
    const found = await findTopicBySlug(db, slug);
    if (!found) throw new BroadcastError({ code: "noTopic", slug });
    topics.push(found);
  }
  const topic = topics[0] ?? null;
  const platform = request.platform || null;
  if (platform && !BROADCAST_PLATFORMS.includes(platform as BroadcastPlatform)) {
    throw new BroadcastError({ code: "badPlatform", platform });
  }
  const locale = request.locale || null;
  if (locale && !AUDIENCE_LOCALES.includes(locale as AudienceLocale)) {
    throw new BroadcastError({ code: "badLocale", locale });
  }
  const mode = request.mode || null;
  if (mode && !AUDIENCE_MODES.includes(mode as AudienceMode)) {
    throw new BroadcastError({ code: "badMode", mode });
  }
  let sendAt: string | null = null;
  if (request.at?.trim()) {
    const verdict = parseSendAt(request.at, request.timeZone ?? "Asia/Ho_Chi_Minh", new Date(now));
    if (verdict.kind === "bad") throw new BroadcastError({ code: "badTime", text: request.at });
    if (verdict.kind === "past") throw new BroadcastError({ code: "pastTime", at: verdict.iso });
    sendAt = verdict.iso;
  }
  let photoUrl: string | null = null;
  if (request.photoUrl?.trim()) {
    const url = request.photoUrl.trim();
    if (!options.checkPhoto) {
      throw new BroadcastError({
        code: "badPhoto",
        url,
        why: "unreachable",
        reason: "photos cannot be read here",
      });
    }
    const checked = await options.checkPhoto(url);
    if (!checked.ok) {
      throw new BroadcastError({ code: "badPhoto", url, why: checked.why, reason: checked.reason });
    }
    photoUrl = checked.url;
  } else if (article?.photos[0]) {
    // A story's own picture goes with it.
    photoUrl = article.photos[0].url;
  }
  const filter: AudienceFilter = {
    topicIds: topics.map((t) => t.id),
    platform,
    locale,
    mode,
  };
  const audience = await countAudience(db, filter);
  const broadcast = await createBroadcast(db, {
    author: request.author,
    text,
    articleId: article?.id ?? null,
    audienceTopicIds: topics.map((t) => t.id),
    audiencePlatform: platform,
    audienceLocale: locale,
    audienceMode: mode,
    sendAt,
    photoUrl,
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
      ...(topics.length > 1 ? { topics: topics.map((t) => t.slug) } : {}),
      platform: (platform ?? undefined) as BroadcastPlatform | undefined,
      language: (locale ?? undefined) as AudienceLocale | undefined,
      mode: (mode ?? undefined) as AudienceMode | undefined,
      articleId: article?.id,
      photo: photoUrl ?? undefined,
      sendAt: sendAt ?? undefined,
    },
    at: now,
  });
  return { broadcast, audience, article, topic, topics };
}

/** The broadcast rendered once per platform it may reach and language (English, any other). */
export function broadcastRenderings(
  broadcast: Broadcast,
  article: Article | null,
  newsroom?: string,
  options: { countOpens?: boolean } = {},
): AudienceRendering[] {
  // A test's read button carries no broadcast id: opening it counts for nothing.
  const { id, ...rest } = broadcast;
  const shown = options.countOpens === false ? rest : { ...rest, id };
  return BROADCAST_PLATFORMS.filter(
    (platform) => !broadcast.audiencePlatform || broadcast.audiencePlatform === platform,
  ).flatMap((platform) =>
    (["en", null] as const).map((locale) => ({
      platform,
      locale,
      payload: renderPayload(
        platform,
        broadcastMessage(shown, article, toLocale(locale), newsroom),
        toLocale(locale),
      ),
    })),
  );
}

/** The story a broadcast carries (refused when it was removed since). */
export async function storyOf(db: Db, broadcast: Broadcast): Promise<Article | null> {
  if (!broadcast.articleId) return null;
  const article = await findArticle(db, broadcast.articleId);
  if (!article) throw new BroadcastError({ code: "noStory", id: broadcast.articleId });
  return article;
}

/**
 * Confirms a draft that has a send time: it waits, "scheduled", until the scheduler sends it at
 * that time. Refused when the time has passed meanwhile.
 */
export async function scheduleBroadcast(
  db: Db,
  id: number,
  actor: string,
  now: string,
): Promise<Broadcast> {
  const broadcast = await getBroadcast(db, id);
  if (broadcast.state !== "draft") {
    throw new BroadcastError({ code: "notDraft", id, state: broadcast.state });
  }
  if (!broadcast.sendAt) return broadcast;
  if (broadcast.sendAt <= now) throw new BroadcastError({ code: "pastTime", at: broadcast.sendAt });
  if (!(await scheduleDraft(db, id, broadcast.sendAt))) {
    const state = (await getBroadcast(db, id)).state;
    throw new BroadcastError({ code: "notDraft", id, state });
  }
  await recordAudit(db, {
    actor,
    action: "broadcast.schedule",
    detail: { broadcastId: id, sendAt: broadcast.sendAt },
    at: now,
  });
  return getBroadcast(db, id);
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
  // One with a send time waits for it: confirming schedules it, whatever the front end.
  if (broadcast.sendAt) {
    await scheduleBroadcast(db, id, actor, now);
    return 0;
  }
  const article = await storyOf(db, broadcast);
  const renderings = broadcastRenderings(broadcast, article, newsroom);
  if (!(await claimDraft(db, id, now))) {
    const state = (await getBroadcast(db, id)).state;
    throw new BroadcastError({ code: "notDraft", id, state });
  }
  return enqueueClaimed(db, broadcast, renderings, actor, now);
}

/**
 * Writes the outbox rows of a broadcast this process has just claimed ("sending"): one per
 * reader of its audience, a range of reader ids per statement; then its total, or done at once
 * with nobody to send to. Returns the total.
 */
export async function enqueueClaimed(
  db: Db,
  broadcast: Broadcast,
  renderings: AudienceRendering[],
  actor: string,
  now: string,
  /** Sent by the scheduler at its time; "resumed": taken up again after its sender died. */
  scheduled: boolean | "resumed" = false,
): Promise<number> {
  const id = broadcast.id;
  const filter = audienceOf(broadcast);
  const payloadIds: PayloadIds = new Map(); // each rendering stored once for all pages
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
  if (scheduled === "resumed") {
    // Rows the first try wrote were skipped (same keys): the total is every row there is.
    const counts = await countOutboxByState(db, { broadcastId: id });
    total = Object.values(counts).reduce((sum, n) => sum + n, 0);
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
    detail: { broadcastId: id, total, ...(scheduled ? { scheduled: true as const } : {}) },
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
