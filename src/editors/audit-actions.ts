/**
 * Every change an editor can make (and a reader's erasure of their own data), as the audit log
 * records it: one typed list of actions and the details each carries, written by the services
 * whatever the front end (chat, the console, the command line), and said in plain words for
 * people (the console, `bantin audit`).
 */

import type { ConsoleCatalogue } from "../message/i18n/console";
import { formatEditorTime } from "../text/time";

type Platform = "telegram" | "zalo";

/** The details of each action. Optional fields are left out when they do not apply. */
export interface AuditDetails {
  "feed.add": { feedId: number; url: string; topic: string; fullText: boolean };
  "feed.check": {
    feedId: number;
    url: string;
    status: "ok" | "not-modified" | "failed" | "interrupted";
    new: number;
    updated: number;
    error: string | null;
  };
  "feed.pause": { feedId: number; url: string };
  "feed.resume": { feedId: number; url: string };
  "feed.remove": { feedId: number; url: string };
  "topic.add": { topicId: number; slug: string; vi: string; en: string };
  "topic.rename": {
    topicId: number;
    slug: string;
    vi: string;
    en: string;
    before: { vi: string; en: string };
  };
  "topic.move": { topicId: number; slug: string; direction: "up" | "down"; position: number };
  "topic.remove": {
    topicId: number;
    slug: string;
    vi: string;
    en: string;
    /** Followers told in chat. */
    told: number;
    /** Where its feeds went (a slug); left out when they went with it or there were none. */
    feedsMovedTo?: string;
    feeds: number;
    /** Stories that were listed in it (they stay stored). */
    stories: number;
  };
  "story.hide": { articleId: number; title: string };
  "story.unhide": { articleId: number; title: string };
  "story.retract": {
    articleId: number;
    title: string;
    reason: string;
    /** Telegram messages to delete, lists to edit, messages too old to touch. */
    deleted: number;
    edited: number;
    tooOld: number;
    /** Zalo readers told once; those who got it more than a day ago. */
    zaloNotices: number;
    zaloOlder: number;
    /** Messages waiting to go, held back or sent without the story. */
    queued: number;
  };
  "story.refresh": {
    articleId: number;
    title: string;
    edited: number;
    posts: number;
    tooOld: number;
  };
  "story.pin": { articleId: number; title: string; until: string };
  "story.unpin": { articleId: number; title: string };
  "delivery.retry": { ids: number[] | "all"; count: number };
  "channel.add": ChannelDetails;
  "channel.update": ChannelDetails;
  "channel.remove": { chatId: string; title: string };
  "broadcast.prepare": {
    broadcastId: number;
    audience: number;
    /** Only readers of this topic; left out: every topic. */
    topic?: string;
    /** Only readers on this platform; left out: both. */
    platform?: Platform;
    articleId?: number;
    /** Several topics (topic is the first of them). */
    topics?: string[];
    language?: "vi" | "en";
    mode?: "digest" | "instant";
    photo?: string;
    /** When it is to go, if it waits. */
    sendAt?: string;
  };
  /** `scheduled`: sent by the scheduler at its time (actor: who scheduled it). */
  "broadcast.confirm": { broadcastId: number; total: number; scheduled?: true };
  "broadcast.cancel": { broadcastId: number; held: number };
  "broadcast.schedule": { broadcastId: number; sendAt: string };
  "broadcast.change": { broadcastId: number; sendAt?: string; text?: true };
  /** A test: sent to the editors' own chats only. */
  "broadcast.test": { broadcastId: number; chats: number };
  "console.sign-in": { how: "link" | "token" };
  /** A reader erased their data (/xoadulieu): the platform only, nothing of the reader. */
  "reader.erase": { platform: "telegram" | "zalo" | "terminal" };
}

interface ChannelDetails {
  chatId: string;
  title: string;
  topics: string[];
  mode: "instant" | "digest";
  digestTime: string;
}

export type AuditAction = keyof AuditDetails;

/** Every action, in the order the console's filter offers them. */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  "feed.add",
  "feed.check",
  "feed.pause",
  "feed.resume",
  "feed.remove",
  "topic.add",
  "topic.rename",
  "topic.move",
  "delivery.retry",
  "channel.add",
  "channel.update",
  "channel.remove",
  "broadcast.prepare",
  "broadcast.confirm",
  "broadcast.cancel",
  "broadcast.schedule",
  "broadcast.change",
  "broadcast.test",
  "console.sign-in",
  "reader.erase",
  "topic.remove",
  "story.hide",
  "story.unhide",
  "story.retract",
  "story.refresh",
  "story.pin",
  "story.unpin",
];

/** One entry as written: who, which action, its details, when. */
export type AuditRecord = {
  [A in AuditAction]: { actor: string; action: A; detail: AuditDetails[A]; at: string };
}[AuditAction];

/** The details with what does not apply (undefined) left out, as they are stored. */
export function compactDetail<T extends object>(detail: T): T {
  return Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as T;
}

const has = (detail: Record<string, unknown>, ...keys: string[]) =>
  keys.every((key) => detail[key] !== undefined && detail[key] !== null);

/** How a front end says what the fetcher wrote (in English) in its reader's words. */
export interface DescribeOptions {
  /** A feed check's stored error, explained ("Trang báo không còn địa chỉ này"); as is unless given. */
  explainError?: (error: string) => string;
  /** The zone times are said in (a pin's end): UTC unless given. */
  timeZone?: string;
}

/**
 * An entry's details in plain words, in the catalogue's language: "Added feed 3
 * https://… to thoi-su (full text)". Entries written before the actions were typed, or by a
 * later version, fall back to their values alone (no field names, nothing empty or unset).
 */
export function describeAudit(
  entry: { action: string; detail: Record<string, unknown> },
  t: ConsoleCatalogue["audit"]["say"],
  options: DescribeOptions = {},
): string {
  const d = entry.detail;
  const words = describeKnown(entry.action, d, t, options);
  if (words !== null) return words;
  return plainValues(d);
}

/**
 * The values of details this version does not know, without their keys: texts and numbers in
 * order, lists and nested details flattened; null, empty and yes/no values left out (without
 * their key they say nothing).
 */
export function plainValues(detail: unknown): string {
  const words: string[] = [];
  const add = (value: unknown): void => {
    if (value === null || value === undefined || typeof value === "boolean") return;
    if (typeof value === "object") {
      for (const inner of Array.isArray(value) ? value : Object.values(value)) add(inner);
      return;
    }
    const text = String(value).trim();
    if (text) words.push(text);
  };
  add(detail);
  return words.join(" · ");
}

function describeKnown(
  action: string,
  d: Record<string, unknown>,
  t: ConsoleCatalogue["audit"]["say"],
  options: DescribeOptions,
): string | null {
  const s = (key: string) => String(d[key]);
  const n = (key: string) => Number(d[key]);
  /** A stored instant as editors read times: "2026-12-05 23:59 (GMT+7)". */
  const timeOf = (iso: string) => formatEditorTime(iso, options.timeZone ?? "UTC") || iso;
  switch (action) {
    case "feed.add":
      return has(d, "feedId", "url", "topic")
        ? t.feedAdd(n("feedId"), s("url"), s("topic"), d.fullText === true)
        : null;
    case "feed.check":
      return has(d, "feedId", "status")
        ? t.feedCheck(
            n("feedId"),
            s("status"),
            Number(d.new ?? 0),
            typeof d.error === "string" && d.error
              ? (options.explainError?.(d.error) ?? d.error)
              : null,
          )
        : null;
    case "feed.pause":
    case "feed.resume":
    case "feed.remove":
      return has(d, "feedId", "url") ? t.feedChange(action, n("feedId"), s("url")) : null;
    case "topic.add":
      return has(d, "slug", "vi", "en") ? t.topicAdd(s("slug"), s("vi"), s("en")) : null;
    case "topic.rename":
      return has(d, "slug", "vi", "en") ? t.topicRename(s("slug"), s("vi"), s("en")) : null;
    case "topic.move":
      return has(d, "slug", "direction") ? t.topicMove(s("slug"), d.direction === "up") : null;
    case "delivery.retry":
      return has(d, "ids", "count")
        ? t.deliveryRetry(Array.isArray(d.ids) ? (d.ids as number[]) : "all", n("count"))
        : null;
    case "channel.add":
    case "channel.update":
      return has(d, "title", "chatId", "topics", "mode")
        ? t.channelSave(
            action === "channel.add",
            s("title"),
            s("chatId"),
            (d.topics as string[]).join(", "),
            s("mode"),
            typeof d.digestTime === "string" ? d.digestTime : null,
          )
        : null;
    case "channel.remove":
      return has(d, "title", "chatId") ? t.channelRemove(s("title"), s("chatId")) : null;
    case "broadcast.prepare":
      return has(d, "broadcastId", "audience")
        ? t.broadcastPrepare(
            n("broadcastId"),
            n("audience"),
            typeof d.topic === "string" ? d.topic : null,
            typeof d.platform === "string" ? d.platform : null,
            typeof d.articleId === "number" ? d.articleId : null,
          )
        : null;
    case "broadcast.confirm":
      return has(d, "broadcastId", "total")
        ? t.broadcastConfirm(n("broadcastId"), n("total"))
        : null;
    case "broadcast.cancel":
      return has(d, "broadcastId", "held") ? t.broadcastCancel(n("broadcastId"), n("held")) : null;
    case "broadcast.schedule":
      return has(d, "broadcastId", "sendAt")
        ? t.broadcastSchedule(n("broadcastId"), timeOf(s("sendAt")))
        : null;
    case "broadcast.change":
      return has(d, "broadcastId")
        ? t.broadcastChange(
            n("broadcastId"),
            typeof d.sendAt === "string" ? timeOf(d.sendAt) : null,
            d.text === true,
          )
        : null;
    case "broadcast.test":
      return has(d, "broadcastId", "chats") ? t.broadcastTest(n("broadcastId"), n("chats")) : null;
    case "console.sign-in":
      return has(d, "how") ? t.signIn(d.how === "token") : null;
    case "reader.erase":
      return has(d, "platform") ? t.readerErase(s("platform")) : null;
    case "topic.remove":
      return has(d, "slug", "vi", "en", "told", "feeds")
        ? t.topicRemove(s("slug"), `${s("vi")} / ${s("en")}`, n("told"), {
            movedTo: typeof d.feedsMovedTo === "string" ? d.feedsMovedTo : null,
            count: n("feeds"),
          })
        : null;
    case "story.hide":
    case "story.unhide":
      return has(d, "articleId", "title")
        ? t.storyHide(n("articleId"), s("title"), action === "story.hide")
        : null;
    case "story.retract":
      return has(d, "articleId", "title", "reason")
        ? t.storyRetract(n("articleId"), s("title"), s("reason"), {
            deleted: Number(d.deleted ?? 0),
            edited: Number(d.edited ?? 0),
            tooOld: Number(d.tooOld ?? 0),
            zaloNotices: Number(d.zaloNotices ?? 0),
          })
        : null;
    case "story.refresh":
      return has(d, "articleId", "title")
        ? t.storyRefresh(n("articleId"), s("title"), Number(d.edited ?? 0), Number(d.tooOld ?? 0))
        : null;
    case "story.pin":
      return has(d, "articleId", "title", "until")
        ? t.storyPin(n("articleId"), s("title"), timeOf(s("until")))
        : null;
    case "story.unpin":
      return has(d, "articleId", "title") ? t.storyPin(n("articleId"), s("title"), null) : null;
    default:
      return null;
  }
}
