/**
 * The reach report of one broadcast, the read side behind `bantin broadcast report` and the
 * console's report page: per platform, how many readers were sent it, blocked the bot, failed or
 * still wait; how fast half, nine tenths and all of them were reached (delivery/reach.ts); and
 * how many times its story was opened through its button within 24 hours (broadcasts/opens.ts,
 * a counter with no reader kept). Reads only.
 */
import { type Broadcast, type BroadcastState, getBroadcast } from "../broadcasts/broadcasts";
import { broadcastOpens, OPENS_WINDOW_HOURS } from "../broadcasts/opens";
import { NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import { countOutboxByState } from "../delivery/outbox-counts";
import { broadcastReach } from "../delivery/reach";
import { broadcastStatus } from "./broadcasts";

/** One platform's part of a broadcast. */
export interface PlatformReport {
  platform: string;
  /** Readers on this platform it was written for (every outbox row). */
  readers: number;
  sent: number;
  /** Readers who had blocked the bot (never reached). */
  blocked: number;
  /** Messages the sender gave up on. */
  failed: number;
  /** Held back when the broadcast was stopped. */
  cancelled: number;
  /** Still to send. */
  waiting: number;
  /** Seconds from the start until 50 %, 90 % and 100 % of the reachable readers were sent it. */
  secondsTo50: number | null;
  secondsTo90: number | null;
  secondsTo100: number | null;
  /** Opens of its story through its button within 24 h of the start (null: no story). */
  opens: number | null;
}

export interface BroadcastReport {
  id: number;
  state: BroadcastState;
  author: string;
  text: string;
  articleId: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The hours after the start within which opens are counted (24). */
  opensWindowHours: number;
  /** Every platform together. */
  total: Omit<PlatformReport, "platform" | "secondsTo50" | "secondsTo90" | "secondsTo100">;
  platforms: PlatformReport[];
}

export type BroadcastReportProblem = { code: "noBroadcast"; id: number };

/** A report that cannot be made; `problem` lets each front end say it in its words. */
export class BroadcastReportError extends Error {
  override name = "BroadcastReportError";
  constructor(readonly problem: BroadcastReportProblem) {
    super(`no broadcast with id ${problem.id}`);
  }
}

/** The broadcast; looking marks one with nothing left to send as done, as its page does. */
async function findBroadcast(db: Db, id: number, now: string): Promise<Broadcast> {
  try {
    const found = await getBroadcast(db, id);
    return found.state === "sending" ? (await broadcastStatus(db, id, now)).broadcast : found;
  } catch (error) {
    if (error instanceof NotFoundError) throw new BroadcastReportError({ code: "noBroadcast", id });
    throw error;
  }
}

/** The reach report of broadcast `id` at `now`; a BroadcastReportError when there is none. */
export async function broadcastReport(db: Db, id: number, now: string): Promise<BroadcastReport> {
  const broadcast = await findBroadcast(db, id, now);
  const [reach, opens] = await Promise.all([
    broadcast.startedAt ? broadcastReach(db, id, broadcast.startedAt) : [],
    broadcastOpens(db, id),
  ]);
  const hasStory = broadcast.articleId !== null;
  const platforms: PlatformReport[] = [];
  // Platforms in the order reach gives (by name), then any with opens but no rows left.
  const names = [...new Set([...reach.map((r) => r.platform), ...opens.keys()])].sort();
  for (const platform of names) {
    const counts = await countOutboxByState(db, { broadcastId: id, platform });
    const times = reach.find((r) => r.platform === platform);
    platforms.push({
      platform,
      readers: counts.pending + counts.sent + counts.blocked + counts.dead + counts.cancelled,
      sent: counts.sent,
      blocked: counts.blocked,
      failed: counts.dead,
      cancelled: counts.cancelled,
      waiting: counts.pending,
      secondsTo50: times?.half ?? null,
      secondsTo90: times?.ninetyPercent ?? null,
      secondsTo100: times?.all ?? null,
      opens: hasStory ? (opens.get(platform) ?? 0) : null,
    });
  }
  const sum = (key: "readers" | "sent" | "blocked" | "failed" | "cancelled" | "waiting") =>
    platforms.reduce((n, p) => n + p[key], 0);
  return {
    id: broadcast.id,
    state: broadcast.state,
    author: broadcast.author,
    text: broadcast.text,
    articleId: broadcast.articleId,
    createdAt: broadcast.createdAt,
    startedAt: broadcast.startedAt,
    finishedAt: broadcast.finishedAt,
    opensWindowHours: OPENS_WINDOW_HOURS,
    total: {
      readers: sum("readers"),
      sent: sum("sent"),
      blocked: sum("blocked"),
      failed: sum("failed"),
      cancelled: sum("cancelled"),
      waiting: sum("waiting"),
      opens: hasStory ? platforms.reduce((n, p) => n + (p.opens ?? 0), 0) : null,
    },
    platforms,
  };
}
