/**
 * One tick of news as it happens (every ~20 s, led by one process at a time):
 *
 * 1. match: the stories stored past the cursor (job_cursors "instant") go to the readers who
 *    follow one of their topics as it happens (mode instant or both) and to those with a
 *    keyword follow they match, as instant_items (one per reader and story: a topic and a
 *    keyword matching the same story still make one item); the cursor moves in the same
 *    transaction;
 * 2. release: each reader with stories waiting, whose batch window (INSTANT_BATCH_MINUTES since
 *    their last such message) has passed and who is not in quiet hours, gets one message of
 *    them, put in the outbox with the items marked sent and the reader's last_instant_at in the
 *    same transaction; the outbox, its limiter and its worker send it. A Telegram channel gets
 *    one post per story at once: no batching, no quiet hours.
 *
 * Ids are handed out before a transaction commits, so on PostgreSQL a story may appear after a
 * higher id was read: the cursor passes a gap in the ids only GAP_GRACE_MS after a tick first
 * saw it (kept as the cursor "instant:gap", so a new leader knows too; a rolled-back insert
 * leaves a gap for good), and stories past a gap are matched again meanwhile (matching twice
 * queues nothing twice).
 */
import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { enqueue, type NewOutboxItem } from "../delivery/outbox";
import type { Logger } from "../logging";
import { channelPost } from "../message/channel-post";
import { catalogue, toLocale } from "../message/i18n";
import { renderPayload } from "../message/payload";
import {
  claimInstantItems,
  matchedKeywords,
  queueInstantItems,
  readersWithWaitingItems,
  seenByLastDigest,
  type WaitingReader,
  waitingArticleIds,
} from "../readers/instant-items";
import { activeFollows } from "../readers/keywords";
import { instantSubscribers } from "../readers/reader-topics";
import { markInstantSent } from "../readers/readers";
import { isQuietAt } from "../text/quiet-hours";
import { readCursor, writeCursor } from "./cursor";
import { matchStories } from "./match";
import { instantMessage } from "./render";
import { lastStoryId, type NewStory, storiesAfterId, storiesById } from "./stories";

export const INSTANT_JOB = "instant";
/** Platforms that get news as it happens (the terminal is a demo). */
const PLATFORMS = ["telegram", "zalo"];
const READ_BATCH = 500;
/** Readers whose waiting stories are read at a time. */
const READER_PAGE = 1_000;
/** Topic followers matched and queued at a time. */
const SUBSCRIBER_PAGE = 5_000;
const MAX_READS_PER_TICK = 20;
const GAP_GRACE_MS = 30_000;
/** A story published more than this before it was stored is old news (a new feed's backlog). */
const OLD_NEWS_MS = 24 * 60 * 60 * 1000;
/** Stories in one message; more wait for the next one. */
export const MAX_STORIES_PER_MESSAGE = 20;

export interface InstantRunDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Minutes between two messages to one reader (0: each story at once). */
  batchMinutes: number;
  /** Readers matched, and readers released, a page at a time (default 5,000 and 1,000). */
  pageSize?: number;
}

export interface InstantRunSummary {
  /** New stories read past the cursor. */
  stories: number;
  /** Reader-story pairs queued. */
  queued: number;
  /** Messages (or channel posts) put in the outbox. */
  messages: number;
  /** Readers whose stories wait (batch window or quiet hours). */
  held: number;
}

const GAP_JOB = `${INSTANT_JOB}:gap`;

/** A gap in the story ids the cursor waits at: "<last id before>:<first id after>@<seen at>". */
interface Gap {
  key: string;
  seenAt: number;
}

function readGap(text: string | undefined): Gap | undefined {
  const match = /^(\d+:\d+)@(.+)$/.exec(text ?? "");
  const seenAt = Date.parse(match?.[2] ?? "");
  return match?.[1] && !Number.isNaN(seenAt) ? { key: match[1], seenAt } : undefined;
}

/**
 * How far the cursor may move over these stories, and the gap it waits at, if any (see the
 * module's comment on gaps).
 */
function advance(
  cursor: number,
  stories: NewStory[],
  now: number,
  known: Gap | undefined,
): { position: number; gap?: Gap } {
  let position = cursor;
  for (const story of stories) {
    if (story.id !== position + 1) {
      const key = `${position}:${story.id}`;
      const seenAt = known?.key === key ? known.seenAt : now;
      if (now - seenAt < GAP_GRACE_MS) return { position, gap: { key, seenAt } };
    }
    position = story.id;
  }
  return { position };
}

function isFresh(story: NewStory): boolean {
  const published = Date.parse(story.publishedAt);
  const stored = Date.parse(story.fetchedAt);
  return Number.isNaN(published) || Number.isNaN(stored) || published >= stored - OLD_NEWS_MS;
}

/**
 * Queues stories for the readers who follow their topics as it happens and for matching keyword
 * follows, a page of readers at a time (by id), so a topic followed by a million readers is never
 * held at once. A page's keyword follows go with it, so each item says all that matched.
 */
async function queueMatches(
  db: Db,
  stories: NewStory[],
  follows: { readerId: number; folded: string }[],
  { nowIso, pageSize }: { nowIso: string; pageSize: number },
): Promise<number> {
  const topicIds = stories.flatMap((s) => s.topicIds);
  let queued = 0;
  for (let after = 0; ; ) {
    const { subscribers, nextAfter } = await instantSubscribers(db, topicIds, PLATFORMS, {
      afterReaderId: after,
      limit: pageSize,
    });
    const end = nextAfter ?? Infinity;
    const pageFollows = follows.filter((f) => f.readerId > after && f.readerId <= end);
    const items = matchStories(stories, subscribers, pageFollows);
    if (items.length > 0) {
      queued += await inTransaction(db, (trx) => queueInstantItems(trx, items, nowIso));
    }
    if (nextAfter === null) return queued;
    after = nextAfter;
  }
}

/** Step 1: new stories to the readers who want them. */
async function matchNew(
  deps: InstantRunDeps,
  now: Date,
): Promise<{ stories: number; queued: number }> {
  const { db } = deps;
  const nowIso = now.toISOString();
  const stored = await readCursor(db, INSTANT_JOB);
  if (stored === undefined) {
    // The first run starts from now: what was stored before is not news as it happens.
    await writeCursor(db, INSTANT_JOB, String(await lastStoryId(db)), nowIso);
    return { stories: 0, queued: 0 };
  }
  let cursor = Number(stored) || 0;
  let gap = readGap(await readCursor(db, GAP_JOB));
  const result = { stories: 0, queued: 0 };
  let follows: Awaited<ReturnType<typeof activeFollows>> | undefined;
  for (let read = 0; read < MAX_READS_PER_TICK; read++) {
    const stories = await storiesAfterId(db, cursor, READ_BATCH);
    if (stories.length === 0) break;
    const fresh = stories.filter((s) => !s.hidden && isFresh(s));
    follows ??= await activeFollows(db, PLATFORMS);
    const moved = advance(cursor, stories, now.getTime(), gap);
    const position = moved.position;
    result.stories += stories.length;
    result.queued += await queueMatches(db, fresh, follows, {
      nowIso,
      pageSize: deps.pageSize ?? SUBSCRIBER_PAGE,
    });
    // The cursor moves once every page of readers is queued: a crash before it queues again,
    // and queuing twice queues nothing twice.
    await inTransaction(db, async (trx) => {
      if (position !== cursor) await writeCursor(trx, INSTANT_JOB, String(position), nowIso);
      if (moved.gap && moved.gap.key !== gap?.key) {
        const seen = new Date(moved.gap.seenAt).toISOString();
        await writeCursor(trx, GAP_JOB, `${moved.gap.key}@${seen}`, nowIso);
      }
    });
    gap = moved.gap ?? gap;
    if (position === cursor || stories.length < READ_BATCH) break;
    cursor = position;
  }
  return result;
}

function mayGoNow(reader: WaitingReader, now: Date, batchMs: number): boolean {
  if (reader.chatType === "channel") return true;
  if (reader.lastInstantAt) {
    const last = Date.parse(reader.lastInstantAt);
    if (!Number.isNaN(last) && now.getTime() - last < batchMs) return false;
  }
  try {
    return !isQuietAt(now, reader.timeZone, { from: reader.quietFrom, until: reader.quietUntil });
  } catch {
    return true; // an unknown zone has no quiet hours we can read
  }
}

/** Step 2: one message per reader whose stories may go now. */
async function release(
  deps: InstantRunDeps,
  now: Date,
): Promise<{ messages: number; held: number }> {
  const { db } = deps;
  const nowIso = now.toISOString();
  const batchMs = Math.max(0, deps.batchMinutes) * 60_000;
  const result = { messages: 0, held: 0 };
  const limit = deps.pageSize ?? READER_PAGE;
  for (let after = 0; ; ) {
    const page = await readersWithWaitingItems(db, { afterReaderId: after, limit });
    for (const reader of page) result.messages += await releaseTo(reader);
    const last = page.at(-1);
    if (!last || page.length < limit) return result;
    after = last.readerId;
  }

  /** The message (or channel posts) of one reader's waiting stories, if they may go now. */
  async function releaseTo(reader: WaitingReader): Promise<number> {
    if (!PLATFORMS.includes(reader.platform)) return 0;
    if (!mayGoNow(reader, now, batchMs)) {
      result.held++;
      return 0;
    }
    const locale = toLocale(reader.locale);
    const channel = reader.chatType === "channel";
    const waiting = await waitingArticleIds(db, reader.readerId);
    const batch = channel ? waiting : waiting.slice(0, MAX_STORIES_PER_MESSAGE);
    const stories = await storiesById(db, batch);
    return inTransaction(db, async (trx) => {
      // Taken before the message is made: what the digest (or another process) took first is
      // not sent again. Stories removed meanwhile are taken too: nothing waits for nothing.
      const claimed = await claimInstantItems(trx, reader.readerId, batch, nowIso);
      const inDigest = await seenByLastDigest(trx, reader.readerId, [...claimed]);
      const present = batch.flatMap((id) =>
        claimed.has(id) && !inDigest.has(id) ? (stories.get(id) ?? []) : [],
      );
      const rows: NewOutboxItem[] = [];
      if (channel) {
        for (const story of present) {
          rows.push({
            idempotencyKey: `instant:${reader.readerId}:${story.id}`,
            readerId: reader.readerId,
            platform: reader.platform,
            kind: "instant",
            payload: renderPayload(reader.platform, channelPost(story, catalogue(locale)), locale),
            nextAttemptAt: nowIso,
          });
        }
      } else if (present.length > 0) {
        // Each story a keyword follow brought says which.
        const keywords = await matchedKeywords(
          trx,
          reader.readerId,
          present.map((s) => s.id),
        );
        const said = present.map((s) => {
          const matched = keywords.get(s.id);
          return matched ? { ...s, keywords: matched } : s;
        });
        const message = instantMessage(said, { locale, timeZone: reader.timeZone, now });
        rows.push({
          idempotencyKey: `instant:${reader.readerId}:${present[0]?.id}`,
          readerId: reader.readerId,
          platform: reader.platform,
          kind: "instant",
          payload: renderPayload(reader.platform, message, locale),
          nextAttemptAt: nowIso,
        });
      }
      const inserted = await enqueue(trx, rows);
      if (rows.length > 0 && !channel) await markInstantSent(trx, [reader.readerId], nowIso);
      return inserted;
    });
  }
}

export async function runInstantTick(deps: InstantRunDeps): Promise<InstantRunSummary> {
  const started = performance.now();
  const now = deps.clock();
  const matched = await matchNew(deps, now);
  const released = await release(deps, now);
  const summary = { ...matched, ...released };
  if (summary.stories > 0 || summary.messages > 0) {
    deps.logger
      .child({ subsystem: "instant" })
      .info({ ...summary, ms: Math.round(performance.now() - started) }, "news as it happens");
  }
  return summary;
}
