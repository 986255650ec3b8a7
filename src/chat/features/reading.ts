/**
 * Which story "/doc …" means, and counting a reading. "/doc N" (and "/read N", "đọc N", a bare
 * number) is item N of the last list shown in this chat, kept in the database; a story's own id
 * comes as "#1234" (from "/doc_1234", "/read_1234" or the deep link "/start doc_1234", see
 * commands.ts). Every story opened is counted for the newsroom's day, with no reader kept; one
 * opened through a broadcast's button (or its numbered choice on Zalo) within 24 hours of the
 * broadcast's start also counts for that broadcast and platform (broadcasts/opens.ts).
 */

import { countBroadcastOpen } from "../../broadcasts/opens";
import { countRead, readDay } from "../../news/reads";
import { lastList } from "../../readers/chat-memory";
import { numberRange } from "../choices";
import type { FeatureContext } from "../feature";

const OWN_ID = /^#(\d{1,10})$/;
const LIST_NUMBER = /^\d{1,10}$/;
const MAX_ID = 2 ** 31;

/** The story to open, or what to answer instead. */
export type ReadTarget = { articleId: number } | { answer: string };

export async function readTarget(ctx: FeatureContext, args: string): Promise<ReadTarget> {
  const { t } = ctx;
  const text = args.normalize("NFC").trim();
  const own = OWN_ID.exec(text)?.[1];
  if (own) {
    const id = Number(own);
    return id > 0 && id < MAX_ID ? { articleId: id } : { answer: t.storyNotFound(own) };
  }
  if (!LIST_NUMBER.test(text)) return { answer: t.readUsage };
  const n = Number(text);
  const list = await lastList(ctx.deps.db, ctx.chat);
  if (!list?.length) return { answer: t.readNoList };
  const item = list.find((i) => i.number === n);
  if (item) return { articleId: item.articleId };
  const { first, last } = numberRange(list.map((i) => i.number));
  return { answer: t.readNotInList(n, list.length, first, last) };
}

/** Counts one reading of a story (a missing story counts nothing); never fails the reading. */
export async function countReading(ctx: FeatureContext, articleId: number): Promise<void> {
  try {
    const day = readDay(new Date(ctx.now()), ctx.deps.defaults.timeZone);
    await countRead(ctx.deps.db, articleId, day);
  } catch (error) {
    ctx.deps.logger.warn({ error: (error as Error).message, articleId }, "read not counted");
  }
}

/** Counts one open of a broadcast's story (none after 24 h); never fails the reading. */
export async function countBroadcastReading(
  ctx: FeatureContext,
  broadcastId: number,
): Promise<void> {
  try {
    const open = { broadcastId, platform: ctx.chat.platform, at: ctx.now() };
    await countBroadcastOpen(ctx.deps.db, open);
  } catch (error) {
    ctx.deps.logger.warn({ error: (error as Error).message, broadcastId }, "open not counted");
  }
}
