/**
 * How the broadcasts pages look: the compose form, the list, the previews as Telegram and Zalo
 * show a message, and the progress of one being sent (which the progress stream repeats).
 */

import type { Broadcast } from "../../../broadcasts/broadcasts";
import { broadcastMessage } from "../../../broadcasts/message";
import type { Locale } from "../../../message/i18n/index";
import { renderPayload } from "../../../message/payload";
import type { Article } from "../../../news/articles";
import type { Topic } from "../../../news/topics";
import {
  AUDIENCE_LOCALES,
  AUDIENCE_MODES,
  type AudienceFilter,
  BROADCAST_PLATFORMS,
  countAudience,
} from "../../../readers/audience";
import {
  type BroadcastError,
  type BroadcastStatus,
  MAX_BROADCAST_TEXT,
} from "../../../services/broadcasts";
import { localParts } from "../../../text/time";
import type { ConsoleDeps, PageContext } from "../context";
import { type Html, html } from "../html";
import { actorName, csrfField, platformName, when } from "../layout";
import { payloadPreview } from "../preview";

const LIST_TEXT_CHARS = 120;

/** What the compose form holds (as typed, shown again when refused). */
export interface Compose {
  topics: string[];
  platform: string;
  language: string;
  mode: string;
  text: string;
  story: string;
  photo: string;
  /** A local "YYYY-MM-DDTHH:MM" in the newsroom's zone (datetime-local), or "". */
  at: string;
}

export const EMPTY_COMPOSE: Compose = {
  topics: [],
  platform: "",
  language: "",
  mode: "",
  text: "",
  story: "",
  photo: "",
  at: "",
};

/** The audience a form or query names: topics (one or several), platform, language, mode. */
export interface AudienceAsked {
  topics: string[];
  platform: string;
  language: string;
  mode: string;
}

/** A form field given once (a string) or several times (an array), as a list. */
export function listOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.map(String).filter((v) => v !== "");
}

/** "2026-01-27T05:00:00.000Z" in Asia/Ho_Chi_Minh -> "2026-01-27T12:00" (datetime-local). */
export function localInput(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  const { date, time } = localParts(new Date(iso), timeZone);
  return `${date}T${time}`;
}

export interface AudienceFigures {
  total: number;
  byPlatform: [string, number][];
}

export function topicName(ctx: PageContext, topic: Topic | undefined | null): string | null {
  return topic ? topic.name[ctx.locale] || topic.name.vi : null;
}

export function audienceWords(ctx: PageContext, broadcast: Broadcast, topics: Topic[]): string {
  const names = broadcast.audienceTopicIds
    .map((id) =>
      topicName(
        ctx,
        topics.find((c) => c.id === id),
      ),
    )
    .filter((n): n is string => n !== null);
  const d = ctx.t.broadcasts.desk;
  const language = broadcast.audienceLocale as keyof typeof d.language | null;
  const mode = broadcast.audienceMode as keyof typeof d.mode | null;
  return (
    ctx.t.broadcasts.audience(
      names.length ? names.join(", ") : null,
      broadcast.audiencePlatform ? platformName(ctx, broadcast.audiencePlatform) : null,
    ) + d.audienceMore(language ? d.language[language] : null, mode ? d.mode[mode] : null)
  );
}

export function shorten(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

export function titleOf(ctx: PageContext, broadcast: Broadcast): string {
  const b = ctx.t.broadcasts;
  switch (broadcast.state) {
    case "draft":
      return b.draftTitle(broadcast.id);
    case "scheduled":
      return b.desk.scheduledTitle(broadcast.id);
    case "sending":
      return b.sendingTitle(broadcast.id);
    case "done":
      return b.doneTitle(broadcast.id);
    case "cancelled":
      return b.cancelledTitle(broadcast.id);
  }
}

/** What the progress bar and the stream show: counts, percent and words. */
export function progressOf(ctx: PageContext, status: BroadcastStatus, timeZone: string) {
  const done = status.sent + status.blocked + status.failed + status.cancelled;
  // Floor, so that 100% means every message has been dealt with.
  const percent = status.total > 0 ? Math.floor((done * 100) / status.total) : 0;
  return {
    total: status.total,
    done,
    percent: status.finished && status.left === 0 ? 100 : Math.min(percent, 99),
    summary: ctx.t.broadcasts.counts({
      sent: ctx.number(status.sent),
      blocked: ctx.number(status.blocked),
      failed: ctx.number(status.failed),
      ...(status.cancelled > 0 ? { held: ctx.number(status.cancelled) } : {}),
      left: ctx.number(status.left),
    }),
    stateText: ctx.t.broadcasts.state[status.broadcast.state],
    /** The page's heading, which changes when the broadcast finishes or stops. */
    title: titleOf(ctx, status.broadcast),
    /** Under the bar: "updates by itself" while it goes, when it ended once it has. */
    hint:
      status.finished && status.broadcast.finishedAt
        ? ctx.t.broadcasts.desk.endedAt(
            status.broadcast.state === "done",
            when(status.broadcast.finishedAt, timeZone, ctx.now()),
          )
        : ctx.t.broadcasts.liveHint,
    finished: status.finished,
  };
}

export function audienceText(
  ctx: PageContext,
  figures: { total: number; byPlatform: [string, number][] },
): string {
  const b = ctx.t.broadcasts;
  const total = b.audienceCount(ctx.number(figures.total));
  if (figures.byPlatform.length < 2) return total;
  const parts = figures.byPlatform
    .map(([p, n]) => `${platformName(ctx, p)} ${ctx.number(n)}`)
    .join(" · ");
  return `${total}. ${b.audienceByPlatform(parts)}`;
}

export function problemText(ctx: PageContext, error: BroadcastError): string {
  const p = ctx.t.broadcasts.problem;
  const problem = error.problem;
  switch (problem.code) {
    case "empty":
      return p.empty;
    case "tooLong":
      return p.tooLong(ctx.number(problem.max));
    case "noStory":
      return p.noStory(problem.id);
    case "noTopic":
      return p.noTopic(problem.slug);
    case "badPlatform":
      return p.badPlatform(problem.platform);
    case "notDraft":
      return p.notDraft(problem.id);
    case "badLocale":
      return p.badLocale(problem.locale);
    case "badMode":
      return p.badMode(problem.mode);
    case "badTime":
      return p.badTime(problem.text);
    case "pastTime":
      return p.pastTime(problem.at);
    case "badPhoto":
      return p.badPhoto(problem.why, problem.reason);
    case "notScheduled":
      return p.notScheduled(problem.id);
    case "noEditorChat":
      return p.noEditorChat;
  }
}

export function composeForm(
  ctx: PageContext,
  deps: ConsoleDeps,
  topics: Topic[],
  stories: Article[],
  typed: Compose,
  audience: string,
): Html {
  const b = ctx.t.broadcasts;
  const d = b.desk;
  const option = (value: string, label: string, chosen: string | string[]) =>
    html`<option value="${value}"${(Array.isArray(chosen) ? chosen.includes(value) : value === chosen) ? html` selected` : ""}>${label}</option>`;
  // Only the platforms this bantin has a token for (all of them where it is not told).
  const platforms = deps.platforms ?? BROADCAST_PLATFORMS;
  const nowLocal = localInput(ctx.now(), deps.timeZone);
  return html`<form method="post" action="/admin/broadcasts" id="compose" class="card stack" data-audience-url="/admin/broadcasts/audience">
    ${csrfField(ctx)}
    <div class="grid2">
      <div class="stack"><label for="topic">${b.topicLabel}</label>
        <select id="topic" name="topic" multiple size="${Math.min(6, topics.length + 1)}" aria-describedby="topic-hint">${topics.map((c) => option(c.slug, topicName(ctx, c) ?? c.slug, typed.topics))}</select>
        <span id="topic-hint" class="muted small">${d.topicsHint}</span></div>
      <div class="stack"><label for="platform">${b.platformLabel}</label>
        <select id="platform" name="platform">${option("", ctx.t.common.allPlatforms, typed.platform)}${platforms.map((p) => option(p, platformName(ctx, p), typed.platform))}</select>
        <label for="language">${d.languageLabel}</label>
        <select id="language" name="language">${option("", d.allLanguages, typed.language)}${AUDIENCE_LOCALES.map((l) => option(l, d.language[l], typed.language))}</select>
        <label for="mode">${d.modeLabel}</label>
        <select id="mode" name="mode">${option("", d.allModes, typed.mode)}${AUDIENCE_MODES.map((m) => option(m, d.mode[m], typed.mode))}</select></div>
    </div>
    <p id="audience-count" class="muted" aria-live="polite">${audience}</p>
    <label for="text">${b.textLabel}</label>
    <textarea id="text" name="text" maxlength="${MAX_BROADCAST_TEXT}" aria-describedby="text-hint">${typed.text}</textarea>
    <span id="text-hint" class="muted small">${b.textHint(ctx.number(MAX_BROADCAST_TEXT))}</span>
    <label for="story">${b.storyLabel}</label>
    <select id="story" name="story">${option("", b.noStory, typed.story)}${stories.map((s) => option(String(s.id), `#${s.id} · ${shorten(s.title, 90)}`, typed.story))}</select>
    <label for="photo">${d.photoLabel}</label>
    <input id="photo" name="photo" type="url" maxlength="2000" value="${typed.photo}" placeholder="https://" aria-describedby="photo-hint">
    <span id="photo-hint" class="muted small">${d.photoHint}</span>
    <label for="at">${d.atLabel}</label>
    <input id="at" name="at" type="datetime-local" value="${typed.at}" min="${nowLocal}" aria-describedby="at-hint">
    <span id="at-hint" class="muted small">${d.atHint(deps.timeZone)}</span>
    <div><button type="submit">${b.previewButton}</button></div>
  </form>`;
}

export function broadcastRow(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  topics: Topic[],
  names: ReadonlyMap<string, string>,
): Html {
  const b = ctx.t.broadcasts;
  const stateClass =
    broadcast.state === "done" ? "ok" : broadcast.state === "sending" ? "warn" : "";
  const c = b.column;
  return html`<tr id="broadcast-${broadcast.id}">
    <td data-label="${c.id}" class="num"><a href="/admin/broadcasts/${broadcast.id}">#${broadcast.id}</a></td>
    <td data-label="${c.created}">${when(broadcast.createdAt, deps.timeZone, ctx.now())}</td>
    <td data-label="${c.author}">${actorName(ctx, broadcast.author, names)}</td>
    <td data-label="${c.audience}">${audienceWords(ctx, broadcast, topics)}</td>
    <td data-label="${c.message}">${shorten(broadcast.text, LIST_TEXT_CHARS)}${broadcast.articleId !== null ? html` <span class="muted">(${b.story} #${broadcast.articleId})</span>` : ""}</td>
    <td data-label="${c.state}"><span class="badge ${stateClass}" data-state="${broadcast.state}">${b.state[broadcast.state]}</span>${broadcast.state === "scheduled" && broadcast.sendAt ? html` <span class="muted small">${when(broadcast.sendAt, deps.timeZone, ctx.now())}</span>` : ""}</td>
    <td data-label="${c.sent}" class="num">${broadcast.state === "draft" || broadcast.state === "scheduled" ? "" : ctx.number(broadcast.total)}</td>
  </tr>`;
}

/**
 * The message as each platform shows it, for the platforms `shown` (those the audience has
 * readers on: no Zalo version for an audience with no Zalo reader).
 */
export function previews(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  article: Article | null,
  locale: Locale,
  shown: readonly string[] = BROADCAST_PLATFORMS,
): Html {
  const b = ctx.t.broadcasts;
  const message = broadcastMessage(broadcast, article, locale, deps.newsroom);
  const preview = (platform: "telegram" | "zalo") =>
    payloadPreview(renderPayload(platform, message, locale), b.photo);
  const langLink = (to: Locale, label: string) =>
    to === locale
      ? html`<strong class="tap" aria-current="true">${label}</strong>`
      : html`<a class="tap" href="/admin/broadcasts/${broadcast.id}?lang=${to}" hreflang="${to}">${label}</a>`;
  return html`<p class="muted">${b.previewLanguage} ${langLink("vi", "Tiếng Việt")} · ${langLink("en", "English")}</p>
    <div class="grid2">
      ${
        shown.includes("telegram")
          ? html`<section aria-labelledby="preview-telegram-title"><h2 id="preview-telegram-title">${b.previewTelegram}</h2>
        <div class="card preview telegram" lang="${locale}">${preview("telegram")}</div></section>`
          : ""
      }
      ${
        shown.includes("zalo")
          ? html`<section aria-labelledby="preview-zalo-title"><h2 id="preview-zalo-title">${b.previewZalo}</h2>
        <div class="card preview zalo" lang="${locale}">${preview("zalo")}</div></section>`
          : ""
      }
    </div>`;
}

export function progressSection(
  ctx: PageContext,
  broadcast: Broadcast,
  status: BroadcastStatus,
  timeZone: string,
): Html {
  const b = ctx.t.broadcasts;
  const p = progressOf(ctx, status, timeZone);
  const live = !status.finished;
  return html`<section class="card stack" id="progress"${live ? html` data-events="/admin/broadcasts/${broadcast.id}/events"` : html` data-finished="true"`}>
    <div class="row"><span class="badge" id="progress-state">${p.stateText}</span>
      <strong id="progress-percent" aria-live="polite">${p.percent}%</strong></div>
    <progress id="progress-bar" max="${p.total > 0 ? p.total : 1}" value="${p.total > 0 ? p.done : 1}" aria-label="${b.progressLabel}"></progress>
    <p id="progress-summary">${p.summary}</p>
    <p class="muted small" id="progress-hint">${p.hint}</p>
    ${
      live
        ? html`<form method="post" action="/admin/broadcasts/${broadcast.id}/stop" id="stop-form" data-confirm="${b.stopConfirm}">${csrfField(ctx)}<button type="submit">${b.stop}</button></form>`
        : ""
    }
  </section>`;
}

/** The audience's size, by platform; null for an unknown topic, platform, language or mode. */
export async function audienceFigures(
  deps: ConsoleDeps,
  asked: AudienceAsked,
  topics: Topic[],
): Promise<AudienceFigures | null> {
  const topicIds: number[] = [];
  for (const slug of asked.topics) {
    const topic = topics.find((c) => c.slug === slug);
    if (!topic) return null;
    topicIds.push(topic.id);
  }
  const known = (list: readonly string[], value: string) => !value || list.includes(value);
  if (
    !known(BROADCAST_PLATFORMS, asked.platform) ||
    !known(AUDIENCE_LOCALES, asked.language) ||
    !known(AUDIENCE_MODES, asked.mode)
  ) {
    return null;
  }
  const filter = (platform: string): AudienceFilter => ({
    topicIds,
    platform,
    locale: asked.language || null,
    mode: asked.mode || null,
  });
  const platforms = asked.platform ? [asked.platform] : [...BROADCAST_PLATFORMS];
  const byPlatform = await Promise.all(
    platforms.map(
      async (p): Promise<[string, number]> => [p, await countAudience(deps.db, filter(p))],
    ),
  );
  return { total: byPlatform.reduce((sum, [, n]) => sum + n, 0), byPlatform };
}

/** What a stored broadcast's audience is, as the figures ask it. */
export function askedOf(broadcast: Broadcast, topics: Topic[]): AudienceAsked {
  return {
    topics: broadcast.audienceTopicIds
      .map((id) => topics.find((t) => t.id === id)?.slug)
      .filter((slug): slug is string => slug !== undefined),
    platform: broadcast.audiencePlatform ?? "",
    language: broadcast.audienceLocale ?? "",
    mode: broadcast.audienceMode ?? "",
  };
}
