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
import { BROADCAST_PLATFORMS, countAudience } from "../../../readers/audience";
import {
  type BroadcastError,
  type BroadcastStatus,
  MAX_BROADCAST_TEXT,
} from "../../../services/broadcasts";
import type { ConsoleDeps, PageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, platformName, when } from "../layout";
import { payloadPreview } from "../preview";

const LIST_TEXT_CHARS = 120;

/** What the compose form holds (as typed, shown again when refused). */
export interface Compose {
  topic: string;
  platform: string;
  text: string;
  story: string;
}

export interface AudienceFigures {
  total: number;
  byPlatform: [string, number][];
}

export function topicName(ctx: PageContext, topic: Topic | undefined | null): string | null {
  return topic ? topic.name[ctx.locale] || topic.name.vi : null;
}

export function audienceWords(ctx: PageContext, broadcast: Broadcast, topics: Topic[]): string {
  const topic = topics.find((c) => c.id === broadcast.audienceTopicId);
  return ctx.t.broadcasts.audience(
    topicName(ctx, topic),
    broadcast.audiencePlatform ? platformName(ctx, broadcast.audiencePlatform) : null,
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
    case "sending":
      return b.sendingTitle(broadcast.id);
    case "done":
      return b.doneTitle(broadcast.id);
    case "cancelled":
      return b.cancelledTitle(broadcast.id);
  }
}

/** What the progress bar and the stream show: counts, percent and words. */
export function progressOf(ctx: PageContext, status: BroadcastStatus) {
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
  }
}

export function composeForm(
  ctx: PageContext,
  topics: Topic[],
  stories: Article[],
  typed: Compose,
  audience: string,
): Html {
  const b = ctx.t.broadcasts;
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}"${value === chosen ? html` selected` : ""}>${label}</option>`;
  return html`<form method="post" action="/admin/broadcasts" id="compose" class="card stack" data-audience-url="/admin/broadcasts/audience">
    ${csrfField(ctx)}
    <div class="grid2">
      <div class="stack"><label for="topic">${b.topicLabel}</label>
        <select id="topic" name="topic">${option("", ctx.t.common.allTopics, typed.topic)}${topics.map((c) => option(c.slug, topicName(ctx, c) ?? c.slug, typed.topic))}</select></div>
      <div class="stack"><label for="platform">${b.platformLabel}</label>
        <select id="platform" name="platform">${option("", ctx.t.common.allPlatforms, typed.platform)}${BROADCAST_PLATFORMS.map((p) => option(p, platformName(ctx, p), typed.platform))}</select></div>
    </div>
    <p id="audience-count" class="muted" aria-live="polite">${audience}</p>
    <label for="text">${b.textLabel}</label>
    <textarea id="text" name="text" maxlength="${MAX_BROADCAST_TEXT}" aria-describedby="text-hint">${typed.text}</textarea>
    <span id="text-hint" class="muted small">${b.textHint(ctx.number(MAX_BROADCAST_TEXT))}</span>
    <label for="story">${b.storyLabel}</label>
    <select id="story" name="story">${option("", b.noStory, typed.story)}${stories.map((s) => option(String(s.id), `#${s.id} · ${shorten(s.title, 90)}`, typed.story))}</select>
    <div><button type="submit">${b.previewButton}</button></div>
  </form>`;
}

export function broadcastRow(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  topics: Topic[],
): Html {
  const b = ctx.t.broadcasts;
  const stateClass =
    broadcast.state === "done" ? "ok" : broadcast.state === "sending" ? "warn" : "";
  const c = b.column;
  return html`<tr id="broadcast-${broadcast.id}">
    <td data-label="${c.id}" class="num"><a href="/admin/broadcasts/${broadcast.id}">#${broadcast.id}</a></td>
    <td data-label="${c.created}">${when(broadcast.createdAt, deps.timeZone, ctx.now())}</td>
    <td data-label="${c.author}">${broadcast.author}</td>
    <td data-label="${c.audience}">${audienceWords(ctx, broadcast, topics)}</td>
    <td data-label="${c.message}">${shorten(broadcast.text, LIST_TEXT_CHARS)}${broadcast.articleId !== null ? html` <span class="muted">(${b.story} #${broadcast.articleId})</span>` : ""}</td>
    <td data-label="${c.state}"><span class="badge ${stateClass}" data-state="${broadcast.state}">${b.state[broadcast.state]}</span></td>
    <td data-label="${c.sent}" class="num">${broadcast.state === "draft" ? "" : ctx.number(broadcast.total)}</td>
  </tr>`;
}

export function previews(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  article: Article | null,
  locale: Locale,
): Html {
  const b = ctx.t.broadcasts;
  const message = broadcastMessage(broadcast, article, locale, deps.newsroom);
  const shown = (platform: "telegram" | "zalo") =>
    payloadPreview(renderPayload(platform, message, locale), b.photo);
  const langLink = (to: Locale, label: string) =>
    to === locale
      ? html`<strong class="tap" aria-current="true">${label}</strong>`
      : html`<a class="tap" href="/admin/broadcasts/${broadcast.id}?lang=${to}" hreflang="${to}">${label}</a>`;
  return html`<p class="muted">${b.previewLanguage} ${langLink("vi", "Tiếng Việt")} · ${langLink("en", "English")}</p>
    <div class="grid2">
      <section aria-labelledby="preview-telegram-title"><h2 id="preview-telegram-title">${b.previewTelegram}</h2>
        <div class="card preview telegram" lang="${locale}">${shown("telegram")}</div></section>
      <section aria-labelledby="preview-zalo-title"><h2 id="preview-zalo-title">${b.previewZalo}</h2>
        <div class="card preview zalo" lang="${locale}">${shown("zalo")}</div></section>
    </div>`;
}

export function progressSection(
  ctx: PageContext,
  broadcast: Broadcast,
  status: BroadcastStatus,
): Html {
  const b = ctx.t.broadcasts;
  const p = progressOf(ctx, status);
  const live = !status.finished;
  return html`<section class="card stack" id="progress"${live ? html` data-events="/admin/broadcasts/${broadcast.id}/events"` : html` data-finished="true"`}>
    <div class="row"><span class="badge" id="progress-state">${p.stateText}</span>
      <strong id="progress-percent" aria-live="polite">${p.percent}%</strong></div>
    <progress id="progress-bar" max="${p.total > 0 ? p.total : 1}" value="${p.total > 0 ? p.done : 1}" aria-label="${b.progressLabel}"></progress>
    <p id="progress-summary">${p.summary}</p>
    ${
      live
        ? html`<p class="muted small">${b.liveHint}</p>
      <form method="post" action="/admin/broadcasts/${broadcast.id}/stop" id="stop-form" data-confirm="${b.stopConfirm}">${csrfField(ctx)}<button type="submit">${b.stop}</button></form>`
        : ""
    }
  </section>`;
}

/** The audience's size, by platform; null for an unknown topic or platform. */
export async function audienceFigures(
  deps: ConsoleDeps,
  topicSlug: string,
  platform: string,
  topics: Topic[],
): Promise<AudienceFigures | null> {
  const topic = topicSlug ? topics.find((c) => c.slug === topicSlug) : undefined;
  if (topicSlug && !topic) return null;
  if (platform && !BROADCAST_PLATFORMS.includes(platform as (typeof BROADCAST_PLATFORMS)[number]))
    return null;
  const topicId = topic?.id ?? null;
  const platforms = platform ? [platform] : [...BROADCAST_PLATFORMS];
  const byPlatform = await Promise.all(
    platforms.map(
      async (p): Promise<[string, number]> => [
        p,
        await countAudience(deps.db, { topicId: topicId, platform: p }),
      ],
    ),
  );
  return { total: byPlatform.reduce((sum, [, n]) => sum + n, 0), byPlatform };
}
