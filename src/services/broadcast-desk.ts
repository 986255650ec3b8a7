/**
 * Breaking news beyond "send now": one that waits for its time (changed or cancelled until it
 * goes, then sent once by whichever process's scheduler claims it first, never early), and a
 * test that sends exactly what readers would get to the editors' own chats only.
 */
import {
  type Broadcast,
  changeScheduled,
  claimScheduled,
  dueScheduled,
  getBroadcast,
  listScheduled,
  reclaimStalled,
  stalledScheduled,
} from "../broadcasts/broadcasts";
import { parseSendAt } from "../broadcasts/send-at";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import { enqueueSelected } from "../delivery/outbox";
import { recordAudit } from "../editors/audit";
import { editorChats } from "../editors/editors";
import { readersOfChats } from "../readers/audience";
import { cleanParagraphs } from "../text/normalize";
import {
  BroadcastError,
  broadcastRenderings,
  enqueueClaimed,
  MAX_BROADCAST_TEXT,
  storyOf,
} from "./broadcasts";

/**
 * How long a scheduled broadcast may stay "sending" with its rows not all written before
 * another try takes it up (its sender died part way): far longer than writing a million rows.
 */
export const STALLED_MS = 10 * 60_000;

/** Broadcasts waiting for their time, soonest first. */
export function scheduledBroadcasts(db: Db): Promise<Broadcast[]> {
  return listScheduled(db);
}

/**
 * Changes a scheduled broadcast's time (as `prepareBroadcast` reads one) and/or text while it
 * still waits; refused once it has gone or been cancelled, or for a time that has passed.
 */
export async function changeScheduledBroadcast(
  db: Db,
  id: number,
  actor: string,
  change: { at?: string | null; text?: string | null; timeZone?: string },
  now: string,
): Promise<Broadcast> {
  const broadcast = await getBroadcast(db, id);
  if (broadcast.state !== "scheduled") {
    throw new BroadcastError({ code: "notScheduled", id, state: broadcast.state });
  }
  let sendAt: string | undefined;
  if (change.at?.trim()) {
    const verdict = parseSendAt(change.at, change.timeZone ?? "Asia/Ho_Chi_Minh", new Date(now));
    if (verdict.kind === "bad") throw new BroadcastError({ code: "badTime", text: change.at });
    if (verdict.kind === "past") throw new BroadcastError({ code: "pastTime", at: verdict.iso });
    sendAt = verdict.iso;
  }
  let text: string | undefined;
  if (change.text != null) {
    text = cleanParagraphs(change.text);
    if (!text && broadcast.articleId === null) throw new BroadcastError({ code: "empty" });
    if ([...text].length > MAX_BROADCAST_TEXT) {
      throw new BroadcastError({ code: "tooLong", max: MAX_BROADCAST_TEXT });
    }
    if (text === broadcast.text) text = undefined;
  }
  if (sendAt === broadcast.sendAt) sendAt = undefined;
  if (sendAt === undefined && text === undefined) return broadcast;
  if (
    !(await changeScheduled(db, id, {
      ...(sendAt ? { sendAt } : {}),
      ...(text !== undefined ? { text } : {}),
    }))
  ) {
    const state = (await getBroadcast(db, id)).state;
    throw new BroadcastError({ code: "notScheduled", id, state });
  }
  await recordAudit(db, {
    actor,
    action: "broadcast.change",
    detail: {
      broadcastId: id,
      ...(sendAt ? { sendAt } : {}),
      ...(text !== undefined ? { text: true as const } : {}),
    },
    at: now,
  });
  return getBroadcast(db, id);
}

/**
 * The scheduler's part: sends every scheduled broadcast whose time has come. Each is claimed by
 * one statement that only one process (and one tick) can win, and only once its time is past,
 * so it goes once and never early however many processes run this. Returns the ids sent.
 */
export async function sendDueBroadcasts(db: Db, now: string, newsroom?: string): Promise<number[]> {
  const sent: number[] = [];
  const send = async (id: number, how: true | "resumed") => {
    // Read once claimed: a change that came just before the claim is what goes.
    const broadcast = await getBroadcast(db, id);
    let article: Awaited<ReturnType<typeof storyOf>>;
    try {
      article = await storyOf(db, broadcast);
    } catch {
      article = null; // the story went since: the text goes on its own
    }
    const renderings = broadcastRenderings(broadcast, article, newsroom);
    await enqueueClaimed(db, broadcast, renderings, broadcast.author, now, how);
    sent.push(id);
  };
  for (const id of await dueScheduled(db, now)) {
    if (await claimScheduled(db, id, now)) await send(id, true); // else another process took it
  }
  // One whose sender died while writing its rows: the rest are written (the same keys, so
  // nobody gets it twice) once it has been still for STALLED_MS.
  const stalledBefore = new Date(Date.parse(now) - STALLED_MS).toISOString();
  for (const { id, startedAt } of await stalledScheduled(db, stalledBefore)) {
    if (await reclaimStalled(db, id, startedAt, now)) await send(id, "resumed");
  }
  return sent;
}

export interface TestSend {
  /** The editor chats it went to ("telegram:42"). */
  chats: string[];
  /** The test's outbox rows (reader and key), to follow them. */
  messages: { readerId: number; key: string }[];
}

/**
 * Sends a broadcast, exactly as its readers would get it, to the editors' own chats only (the
 * editors who have a chat with the bot): it stays what it was (a draft, scheduled) and counts
 * for nothing of its own. Each test is a send of its own.
 */
export async function testBroadcast(
  db: Db,
  id: number,
  actor: string,
  deps: { editors: readonly AdminId[]; newsroom?: string },
  now: string,
): Promise<TestSend> {
  const broadcast = await getBroadcast(db, id);
  const article = await storyOf(db, broadcast);
  const chats = editorChats(deps.editors);
  const readers =
    chats.length > 0 ? await readersOfChats(db, chats).select("readers.chat_id").execute() : [];
  if (readers.length === 0) throw new BroadcastError({ code: "noEditorChat" });
  // Every platform's rendering: an editor on Zalo sees the Zalo version whatever the audience.
  const renderings = broadcastRenderings(
    { ...broadcast, audiencePlatform: null },
    article,
    deps.newsroom,
    { countOpens: false },
  );
  const keyPrefix = `broadcast-test:${id}:${Date.parse(now)}:`;
  await enqueueSelected(
    db,
    readersOfChats(db, chats),
    { keyPrefix, kind: "broadcast", broadcastId: null, nextAttemptAt: now },
    renderings,
  );
  await recordAudit(db, {
    actor,
    action: "broadcast.test",
    detail: { broadcastId: id, chats: readers.length },
    at: now,
  });
  return {
    chats: readers.map((r) => `${r.platform}:${r.chat_id}`),
    messages: readers.map((r) => ({ readerId: r.id, key: `${keyPrefix}${r.id}` })),
  };
}
