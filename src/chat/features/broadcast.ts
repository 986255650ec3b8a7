/** Breaking news from editors in chat: /tinnong (/broadcast), preview, send, progress, stop. */

import { getBroadcast } from "../../broadcasts/broadcasts";
import { broadcastMessage } from "../../broadcasts/message";
import { NotFoundError } from "../../db/errors";
import type { Catalogue } from "../../message/i18n";
import { bold, italic, type OutMessage } from "../../message/model";
import { findTopicById } from "../../news/topics";
import { testBroadcast } from "../../services/broadcast-desk";
import {
  BroadcastError,
  type BroadcastProblem,
  type BroadcastStatus,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../services/broadcasts";
import { formatReaderTime } from "../../text/time";
import type { Reply } from "../context";
import { type Feature, type FeatureContext, notice, say } from "../feature";

/**
 * "/tinnong lúc 14:00 #thoi-su @telegram 123 Mưa lớn..." -> send time, topic, platform, story
 * id, text.
 */
export function parseBroadcastArgs(args: string): {
  topicSlug: string | null;
  platform: string | null;
  articleId: number | null;
  at: string | null;
  text: string;
} {
  let topicSlug: string | null = null;
  let platform: string | null = null;
  let articleId: number | null = null;
  let at: string | null = null;
  const words = args.trim().split(/[ \t]+/);
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] ?? "";
    const next = words[i + 1] ?? "";
    if (/^(lúc|luc|at)$/i.test(word) && /^\d{1,2}:\d{2}$/.test(next) && !at) {
      at = next;
      i++;
    } else if (/^#[a-z0-9-]+$/.test(word) && !topicSlug) topicSlug = word.slice(1);
    else if (/^@(telegram|zalo)$/i.test(word) && !platform) platform = word.slice(1).toLowerCase();
    else if (/^\d{1,10}$/.test(word) && articleId === null && i === words.length - 1)
      articleId = Number(word);
    else if (/^(?:bai|bài|story):\d{1,10}$/i.test(word) && articleId === null)
      articleId = Number(word.split(":")[1]);
    else break;
  }
  const text = words.slice(i).join(" ");
  return {
    topicSlug,
    platform,
    articleId,
    at,
    text: articleId !== null && i === words.length ? "" : text,
  };
}

function problemText(t: Catalogue, problem: BroadcastProblem): string {
  switch (problem.code) {
    case "empty":
    case "badPlatform":
    case "badLocale":
    case "badMode":
    case "badTime":
    case "badPhoto":
    case "noEditorChat":
      return t.broadcastUsage;
    case "tooLong":
      return t.broadcastTooLong(problem.max);
    case "noStory":
      return t.storyNotFound(String(problem.id));
    case "noTopic":
      return t.unknownTopic(problem.slug, []);
    case "pastTime":
      return t.broadcastPastTime;
    case "notDraft":
    case "notScheduled":
      return t.broadcastNotDraft(problem.id);
  }
}

/** A text progress bar: [███████░░░] 70% */
export function progressBar(done: number, total: number, width = 10): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(share * 100)}%`;
}

/** The admin's view of a broadcast under way (with a stop button) or finished. */
export function broadcastStatusMessage(status: BroadcastStatus, t: Catalogue): OutMessage {
  const done = status.sent + status.blocked + status.failed + status.cancelled;
  const id = status.broadcast.id;
  if (status.finished) {
    const title =
      status.broadcast.state === "cancelled"
        ? t.broadcastCancelledTitle(id)
        : t.broadcastDoneTitle(id);
    const left = status.left + status.cancelled;
    return {
      lines: [[bold(title)], [t.broadcastCounts(status.sent, status.blocked, status.failed, left)]],
    };
  }
  return {
    lines: [
      [bold(t.broadcastSendingTitle(id))],
      [progressBar(done, status.total)],
      [t.broadcastCounts(status.sent, status.blocked, status.failed, status.left)],
    ],
    buttons: [[{ label: t.broadcastStop, action: { kind: "broadcast", id, confirm: false } }]],
  };
}

async function preview(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t, reader } = ctx;
  if (!ctx.fromEditor) return [say(t.broadcastNotAdmin)];
  const request = parseBroadcastArgs(args);
  if (!request.text && request.articleId === null) return [say(t.broadcastUsage)];
  try {
    const { broadcast, article, audience } = await prepareBroadcast(
      ctx.deps.db,
      { author: ctx.editorName, ...request, timeZone: ctx.deps.defaults.timeZone },
      ctx.now(),
    );
    const body = broadcastMessage(broadcast, article, reader.locale, ctx.deps.newsroom);
    const topic = broadcast.audienceTopicId
      ? await findTopicById(ctx.deps.db, broadcast.audienceTopicId)
      : undefined;
    const who = t.broadcastAudience(topic?.name[reader.locale] ?? null, broadcast.audiencePlatform);
    const id = broadcast.id;
    const message: OutMessage = {
      lines: [
        [bold(t.broadcastPreviewTitle(id))],
        [],
        ...body.lines,
        [],
        [italic(`${t.broadcastRecipients(audience)} — ${who}`)],
        ...(broadcast.sendAt ? [[italic(t.broadcastAt(localTime(ctx, broadcast.sendAt)))]] : []),
      ],
      buttons: [
        [
          {
            label: broadcast.sendAt ? t.broadcastSchedule(audience) : t.broadcastSend(audience),
            action: { kind: "broadcast", id, confirm: true },
          },
          { label: t.broadcastCancel, action: { kind: "broadcast", id, confirm: false } },
        ],
        [{ label: t.broadcastTestButton, action: { kind: "broadcastTest", id } }],
      ],
    };
    return [{ type: "send", message }];
  } catch (error) {
    if (error instanceof BroadcastError) return [say(problemText(t, error.problem))];
    throw error;
  }
}

async function decide(ctx: FeatureContext, id: number, confirm: boolean): Promise<Reply[]> {
  const { t } = ctx;
  const { db } = ctx.deps;
  if (!ctx.fromEditor) return [notice(t.broadcastNotAdmin)];
  const broadcast = await getBroadcast(db, id).catch(() => null);
  if (!broadcast) return [notice(t.expired)];
  try {
    if (confirm) {
      await confirmBroadcast(db, id, ctx.editorName, ctx.now(), ctx.deps.newsroom);
      if (broadcast.sendAt) {
        // It waits for its time: the scheduler sends it then.
        const time = localTime(ctx, broadcast.sendAt);
        return [{ type: "edit", message: { lines: [[t.broadcastScheduled(id, time)]] } }];
      }
    } else {
      await cancelBroadcast(db, id, ctx.editorName, ctx.now());
      if (broadcast.state === "draft") {
        return [{ type: "edit", message: { lines: [[t.broadcastDiscarded(id)]] } }];
      }
    }
  } catch (error) {
    if (error instanceof BroadcastError) return [notice(problemText(t, error.problem))];
    throw error;
  }
  const status = await broadcastStatus(db, id, ctx.now());
  return [
    {
      type: "edit",
      message: broadcastStatusMessage(status, t),
      ...(status.finished ? {} : { follow: { broadcastId: id } }),
    },
  ];
}

/** A time as the newsroom reads it: "14:00 27/01". */
function localTime(ctx: FeatureContext, iso: string): string {
  return formatReaderTime(iso, ctx.deps.defaults.timeZone, new Date(ctx.now()));
}

/** The editors' test: the message as readers would get it, in their own chats only. */
async function test(ctx: FeatureContext, id: number): Promise<Reply[]> {
  const { t } = ctx;
  if (!ctx.fromEditor) return [notice(t.broadcastNotAdmin)];
  try {
    const sent = await testBroadcast(
      ctx.deps.db,
      id,
      ctx.editorName,
      { editors: ctx.deps.editors ?? [], newsroom: ctx.deps.newsroom },
      ctx.now(),
    );
    return [notice(t.broadcastTested(sent.chats.join(", ")))];
  } catch (error) {
    if (error instanceof BroadcastError) return [notice(problemText(t, error.problem))];
    if (error instanceof NotFoundError) return [notice(t.expired)];
    throw error;
  }
}

export const broadcastFeature: Feature = {
  commands: [{ name: "broadcast", slash: ["broadcast", "tinnong"], run: preview }],
  actions: {
    broadcast: { run: (ctx, action) => decide(ctx, action.id, action.confirm) },
    broadcastTest: { run: (ctx, action) => test(ctx, action.id) },
  },
};
