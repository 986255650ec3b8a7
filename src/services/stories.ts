/**
 * Stories as editors act on them, from any front end. Hide one (it stays stored, but is not
 * listed, found, put in a digest nor pushed, and no reader is told) or show it again; retract one
 * (hidden for good, and the messages that carried it withdrawn where the platform allows);
 * refresh the messages that carried one whose headline changed at its source; pin one atop every
 * digest until a time. Each change is in the audit log with the story's id and headline.
 *
 * Withdrawals (see docs/CLI.md, `bantin story retract`): on Telegram, within its 48-hour window,
 * a message that carried only the retracted story (a push, a channel post, breaking news about
 * it) is deleted, and a list that carried it among others (a digest, news as it happens) is
 * edited: the story struck through with "(đã gỡ)" and its read button removed. Older messages
 * are counted, not touched. Zalo has no edit or delete: readers who got the story within a day
 * get one short notice. All of it goes through the outbox and the rate limiter.
 * It is longer than 400 lines because a retraction's checks, withdrawals and report are one
 * transaction here.
 */
import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { type Carrying, countCarrying, payloadsCarrying } from "../delivery/carrying";
import { enqueueFollowUps, enqueueNoticesToCarriers, revisePending } from "../delivery/outbox";
import { recordAudit } from "../editors/audit";
import { catalogue, toLocale } from "../message/i18n";
import type { RenderedPayload } from "../message/parts";
import { renderPayload } from "../message/payload";
import { isStoryList, type RevisedStory, revisePayload } from "../message/revise";
import {
  type Article,
  findArticle,
  recentStories,
  setArticleHidden,
  setArticlePinned,
  setArticleRetracted,
} from "../news/articles";
import { oneLine } from "../text/normalize";
import { localParts, parseClockTime } from "../text/time";

/** Telegram lets a bot delete its messages for this long (PLATFORMS.md); edits keep to it too. */
export const TELEGRAM_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Zalo readers who got a retracted story this recently are told once. */
export const ZALO_NOTICE_MS = 24 * 60 * 60 * 1000;

/** A retraction's reason goes into the audit log and each front end's report: a line, not a page. */
export const MAX_REASON = 500;

export type StoryProblem =
  | { code: "notFound"; id: number }
  | { code: "noReason" }
  | { code: "reasonTooLong"; max: number }
  | { code: "retracted"; id: number }
  | { code: "hidden"; id: number }
  | { code: "badTime"; text: string }
  | { code: "past"; text: string };

/** A change to a story that cannot be made; `problem` lets each front end say it its own way. */
export class StoryError extends Error {
  override name = "StoryError";
  constructor(readonly problem: StoryProblem) {
    super(describe(problem));
  }
}

function describe(p: StoryProblem): string {
  switch (p.code) {
    case "notFound":
      return `no story with id ${p.id}; see \`bantin search\``;
    case "noReason":
      return "a retraction needs a reason (--reason <text>); it is kept in the audit log";
    case "reasonTooLong":
      return `a retraction's reason is at most ${p.max} characters`;
    case "retracted":
      return `story ${p.id} was retracted; it cannot be shown, pinned or refreshed again`;
    case "hidden":
      return `story ${p.id} is hidden; show it first (bantin story unhide ${p.id})`;
    case "badTime":
      return `"${p.text}" is not a time: give HH:MM (local) or an ISO date-time`;
    case "past":
      return `${p.text} has passed already; give a later time`;
  }
}

/** What a retraction did to the messages that had carried the story. */
export interface RetractReport {
  /** Telegram messages put in the outbox to be deleted (a push, a post, breaking news). */
  deleted: number;
  /** Telegram lists put in the outbox to be edited (the story struck from a digest). */
  edited: number;
  /** Telegram messages older than 48 hours: left as they are. */
  tooOld: number;
  /** Zalo readers told once (they got it within a day). */
  zaloNotices: number;
  /** Zalo messages older than a day: no notice. */
  zaloOlder: number;
  /** Messages still waiting to go: held back (the story alone) or sent without the story. */
  queued: number;
}

export interface RefreshReport {
  /** Telegram lists put in the outbox to be edited with the new headline. */
  edited: number;
  /** Telegram posts of the story alone (a channel post, breaking news): not edited. */
  posts: number;
  /** Telegram messages older than 48 hours: left as they are. */
  tooOld: number;
}

export interface StoryService {
  /** The newest stories for editors (hidden and retracted too), or those a search finds. */
  recent(query: string, limit: number): Promise<Article[]>;
  /** Hides a story; `changed` false when it was hidden already (no audit entry). */
  hide(actor: string, id: number): Promise<{ story: Article; changed: boolean }>;
  /** Shows a hidden story again; `changed` false when it was not hidden. */
  unhide(actor: string, id: number): Promise<{ story: Article; changed: boolean }>;
  /** Retracts a story and withdraws what carried it; `changed` false when it was already. */
  retract(
    actor: string,
    id: number,
    reason: string,
  ): Promise<{ story: Article; changed: boolean; report: RetractReport }>;
  /** Edits the Telegram lists that carried the story to show its headline as it is now. */
  refresh(actor: string, id: number): Promise<{ story: Article; report: RefreshReport }>;
  /** Pins a story atop every digest until `until`. */
  pin(actor: string, id: number, until: Date): Promise<{ story: Article }>;
  /** Unpins a story; `changed` false when it was not pinned. */
  unpin(actor: string, id: number): Promise<{ story: Article; changed: boolean }>;
}

/**
 * A time an editor gives: "HH:MM" (the next such time in `timeZone`, today or tomorrow) or an
 * ISO date-time (with its offset; without one, in `timeZone`). Null when it is neither.
 */
export function parseStoryTime(text: string, now: Date, timeZone: string): Date | null {
  const raw = text.trim();
  const clock = parseClockTime(raw);
  if (clock !== null) {
    const today = localParts(now, timeZone).date;
    for (const offsetDays of [0, 1]) {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * 86_400_000);
      const at = zonedInstant(day.toISOString().slice(0, 10), clock, timeZone);
      if (at.getTime() > now.getTime()) return at;
    }
    return null;
  }
  const iso =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw);
  if (!iso) return null;
  if (iso[4]) {
    const at = new Date(raw.replace(" ", "T"));
    return Number.isNaN(at.getTime()) ? null : at;
  }
  const minutes = Number(iso[2]) * 60 + Number(iso[3]);
  if (Number(iso[2]) > 23 || Number(iso[3]) > 59) return null;
  const at = zonedInstant(iso[1] as string, minutes, timeZone);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The instant a local date and time (minutes after midnight) names in a zone. */
function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localParts(new Date(guess), timeZone);
    const shown = Date.parse(`${local.date}T${local.time}:00Z`);
    guess += wanted - shown;
  }
  return new Date(guess);
}

export function storyService(deps: { db: Db; clock: Clock }): StoryService {
  const { db } = deps;

  async function existing(id: number): Promise<Article> {
    const story = await findArticle(db, id);
    if (!story) throw new StoryError({ code: "notFound", id });
    return story;
  }

  async function set(actor: string, id: number, hide: boolean) {
    const before = await existing(id);
    if (!hide && before.retractedAt !== null) throw new StoryError({ code: "retracted", id });
    if ((before.hiddenAt !== null) === hide) return { story: before, changed: false };
    const at = deps.clock().toISOString();
    const story = await setArticleHidden(db, id, hide ? at : null);
    await recordAudit(db, {
      actor,
      action: hide ? "story.hide" : "story.unhide",
      detail: { articleId: id, title: story.title },
      at,
    });
    return { story, changed: true };
  }

  /** Breaking news sent about the story (its rows are found by broadcast, not by payload). */
  async function broadcastsOf(trx: Db, id: number): Promise<number[]> {
    const rows = await trx
      .selectFrom("broadcasts")
      .select("id")
      .where("article_id", "=", id)
      .execute();
    return rows.map((r) => r.id);
  }

  /** The stories each payload carries, as they are now, for revising it. */
  async function storiesNow(trx: Db, ids: number[]): Promise<Map<number, RevisedStory>> {
    const unique = [...new Set(ids)];
    const found = new Map<number, RevisedStory>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await trx
        .selectFrom("articles")
        .select(["id", "url", "title", "retracted_at"])
        .where("id", "in", unique.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        found.set(r.id, {
          id: r.id,
          url: r.url,
          title: r.title,
          retracted: r.retracted_at !== null,
        });
      }
    }
    return found;
  }

  /**
   * What to do with each payload that carried a retracted story: withdraw it when it carried
   * nothing else still standing (or is one story's post), else strike the story from the list.
   */
  async function retractPlans(
    trx: Db,
    id: number,
    payloads: Awaited<ReturnType<typeof payloadsCarrying>>,
  ) {
    const current = await storiesNow(
      trx,
      payloads.flatMap((p) => p.stories),
    );
    return payloads.map((p) => {
      const others = p.stories.filter((s) => s !== id && !current.get(s)?.retracted);
      if (others.length === 0 || !isStoryList(p.payload)) {
        return { payloadId: p.payloadId, kind: "withdraw" as const, payload: { parts: [] } };
      }
      const stories = p.stories.flatMap((s) => current.get(s) ?? []);
      const revised = revisePayload(p.payload, stories, toLocale(p.locale));
      return { payloadId: p.payloadId, kind: "edit" as const, payload: revised, stories: others };
    });
  }

  function noticeRenderings(title: string) {
    return (["vi", "en"] as const).map((locale) => ({
      platform: "zalo",
      locale: locale === "vi" ? null : locale,
      payload: renderPayload(
        "zalo",
        { lines: [[catalogue(locale).storyRetractedNotice(oneLine(title))]] },
        locale,
      ) as RenderedPayload,
    }));
  }

  return {
    recent: (query, limit) => recentStories(db, { query, limit }),
    hide: (actor, id) => set(actor, id, true),
    unhide: (actor, id) => set(actor, id, false),

    async retract(actor, id, reason) {
      const why = oneLine(reason ?? "");
      if (!why) throw new StoryError({ code: "noReason" });
      if ([...why].length > MAX_REASON) {
        throw new StoryError({ code: "reasonTooLong", max: MAX_REASON });
      }
      const before = await existing(id);
      const none = { deleted: 0, edited: 0, tooOld: 0, zaloNotices: 0, zaloOlder: 0, queued: 0 };
      if (before.retractedAt !== null) return { story: before, changed: false, report: none };
      const now = deps.clock();
      const at = now.toISOString();
      const window = new Date(now.getTime() - TELEGRAM_WINDOW_MS).toISOString();
      const day = new Date(now.getTime() - ZALO_NOTICE_MS).toISOString();
      return inTransaction(db, async (trx) => {
        const story = await setArticleRetracted(trx, id, at);
        const broadcastIds = await broadcastsOf(trx, id);
        const telegram: Carrying = {
          articleId: id,
          broadcastIds,
          platform: "telegram",
          since: window,
        };
        // What waits to go (Telegram's and Zalo's) is held back or goes without the story.
        let queued = 0;
        for (const platform of ["telegram", "zalo"]) {
          const waiting: Carrying = { articleId: id, broadcastIds, platform, pending: true };
          const pendingPlans = await retractPlans(trx, id, await payloadsCarrying(trx, waiting));
          const held = await revisePending(trx, waiting, pendingPlans);
          queued += held.cancelled + held.revised;
        }
        const plans = await retractPlans(trx, id, await payloadsCarrying(trx, telegram));
        const sent = await enqueueFollowUps(trx, telegram, {
          keyPrefix: `retract:${id}:`,
          nextAttemptAt: at,
          plans,
        });
        const zalo: Carrying = { articleId: id, broadcastIds, platform: "zalo", since: day };
        const report: RetractReport = {
          deleted: sent.withdraw,
          edited: sent.edit,
          tooOld: await countCarrying(trx, { ...telegram, since: "", before: window }),
          zaloNotices: await enqueueNoticesToCarriers(trx, zalo, {
            keyPrefix: `retract-notice:${id}:`,
            nextAttemptAt: at,
            renderings: noticeRenderings(story.title),
          }),
          zaloOlder: await countCarrying(trx, { ...zalo, since: "", before: day }),
          queued,
        };
        await recordAudit(trx, {
          actor,
          action: "story.retract",
          detail: { articleId: id, title: story.title, reason: why, ...report },
          at,
        });
        return { story, changed: true, report };
      });
    },

    async refresh(actor, id) {
      const story = await existing(id);
      if (story.retractedAt !== null) throw new StoryError({ code: "retracted", id });
      const now = deps.clock();
      const at = now.toISOString();
      const window = new Date(now.getTime() - TELEGRAM_WINDOW_MS).toISOString();
      return inTransaction(db, async (trx) => {
        const broadcastIds = await broadcastsOf(trx, id);
        const telegram: Carrying = {
          articleId: id,
          broadcastIds,
          platform: "telegram",
          since: window,
        };
        const payloads = await payloadsCarrying(trx, telegram);
        const current = await storiesNow(
          trx,
          payloads.flatMap((p) => p.stories),
        );
        let posts = 0;
        const plans = payloads.flatMap((p) => {
          if (!isStoryList(p.payload)) {
            posts++;
            return [];
          }
          const stories = p.stories.flatMap((s) => current.get(s) ?? []);
          const revised = revisePayload(p.payload, stories, toLocale(p.locale));
          const same = JSON.stringify(revised.parts) === JSON.stringify(p.payload.parts);
          return same ? [] : [{ payloadId: p.payloadId, kind: "edit" as const, payload: revised }];
        });
        const sent = await enqueueFollowUps(trx, telegram, {
          keyPrefix: `refresh:${id}:${now.getTime()}:`,
          nextAttemptAt: at,
          plans,
        });
        const report: RefreshReport = {
          edited: sent.edit,
          posts,
          tooOld: await countCarrying(trx, { ...telegram, since: "", before: window }),
        };
        await recordAudit(trx, {
          actor,
          action: "story.refresh",
          detail: { articleId: id, title: story.title, ...report },
          at,
        });
        return { story, report };
      });
    },

    async pin(actor, id, until) {
      const before = await existing(id);
      if (before.retractedAt !== null) throw new StoryError({ code: "retracted", id });
      if (before.hiddenAt !== null) throw new StoryError({ code: "hidden", id });
      const now = deps.clock();
      if (Number.isNaN(until.getTime())) throw new StoryError({ code: "badTime", text: "" });
      if (until.getTime() <= now.getTime()) {
        throw new StoryError({ code: "past", text: until.toISOString() });
      }
      const story = await setArticlePinned(db, id, until.toISOString());
      await recordAudit(db, {
        actor,
        action: "story.pin",
        detail: { articleId: id, title: story.title, until: until.toISOString() },
        at: now.toISOString(),
      });
      return { story };
    },

    async unpin(actor, id) {
      const before = await existing(id);
      const now = deps.clock();
      const pinned = before.pinnedUntil !== null && before.pinnedUntil > now.toISOString();
      if (!pinned) return { story: before, changed: false };
      const story = await setArticlePinned(db, id, null);
      await recordAudit(db, {
        actor,
        action: "story.unpin",
        detail: { articleId: id, title: story.title },
        at: now.toISOString(),
      });
      return { story, changed: true };
    },
  };
}
