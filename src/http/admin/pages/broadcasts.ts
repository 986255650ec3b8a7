/**
 * Breaking news from the console: compose (topic and platform audience, its size counted live),
 * preview the draft exactly as Telegram and Zalo will show it (the payload the outbox will store),
 * send, then watch it go over server-sent events and stop it if need be. The same service as the
 * chat's /breaking does the work, so both keep one audit trail and one set of rules.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { broadcastMessage } from "../../../admin/broadcast-message";
import {
  BroadcastError,
  type BroadcastStatus,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  MAX_BROADCAST_TEXT,
  prepareBroadcast,
} from "../../../admin/broadcast-service";
import {
  type Broadcast,
  countBroadcasts,
  getBroadcast,
  listBroadcasts,
} from "../../../admin/broadcasts";
import { NotFoundError } from "../../../db/errors";
import { type Locale, toLocale } from "../../../message/i18n";
import { renderPayload } from "../../../message/payload";
import { type Article, findArticle, latestArticles } from "../../../news/articles";
import { type Category, listCategories } from "../../../news/categories";
import { BROADCAST_PLATFORMS, countAudience } from "../../../readers/audience";
import type { ConsoleDeps, PageContext } from "../context";
import { pageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";
import { payloadPreview } from "../preview";

const PAGE_SIZE = 20;
/** Stories offered to attach: the newest ones. */
const STORY_CHOICES = 30;
/** How often a progress stream looks at the outbox, and how often it says it is still there. */
const PROGRESS_POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
const LIST_TEXT_CHARS = 120;

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

const listQuery = {
  type: "object",
  properties: {
    page: { type: "integer", minimum: 1, maximum: 1_000_000 },
    done: { type: "string", enum: ["discarded"] },
    id: { type: "integer", minimum: 1 },
    topic: { type: "string", maxLength: 100 },
    platform: { type: "string", maxLength: 20 },
    story: { type: "integer", minimum: 1 },
  },
} as const;

const audienceQuery = {
  type: "object",
  properties: {
    topic: { type: "string", maxLength: 100 },
    platform: { type: "string", maxLength: 20 },
  },
} as const;

const composeBody = {
  type: "object",
  properties: {
    topic: { type: "string", maxLength: 100 },
    platform: { type: "string", maxLength: 20 },
    text: { type: "string", maxLength: MAX_BROADCAST_TEXT * 4 },
    story: { type: "string", pattern: "^[0-9]{0,12}$" },
  },
} as const;

const showQuery = {
  type: "object",
  properties: {
    lang: { type: "string", enum: ["vi", "en"] },
    done: { type: "string", enum: ["stopped"] },
    held: { type: "integer", minimum: 0 },
  },
} as const;

interface Compose {
  topic: string;
  platform: string;
  text: string;
  story: string;
}

function platformName(ctx: PageContext, platform: string | null): string | null {
  if (!platform) return null;
  const names: Record<string, string> = ctx.t.common.platform;
  return names[platform] ?? platform;
}

function topicName(ctx: PageContext, topic: Category | undefined | null): string | null {
  return topic ? topic.name[ctx.locale] || topic.name.vi : null;
}

function audienceWords(ctx: PageContext, broadcast: Broadcast, topics: Category[]): string {
  const topic = topics.find((c) => c.id === broadcast.audienceCategoryId);
  return ctx.t.broadcasts.audience(
    topicName(ctx, topic),
    platformName(ctx, broadcast.audiencePlatform),
  );
}

function shorten(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

function titleOf(ctx: PageContext, broadcast: Broadcast): string {
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
function progressOf(ctx: PageContext, status: BroadcastStatus) {
  const done = status.sent + status.blocked + status.failed + status.cancelled;
  // Floor, so that 100% means every message has been dealt with.
  const percent = status.total > 0 ? Math.floor((done * 100) / status.total) : 100;
  return {
    total: status.total,
    done,
    percent: status.finished && status.left === 0 ? 100 : Math.min(percent, 99),
    summary: ctx.t.broadcasts.counts({
      sent: ctx.number(status.sent),
      blocked: ctx.number(status.blocked),
      failed: ctx.number(status.failed),
      left: ctx.number(status.left),
    }),
    stateText: ctx.t.broadcasts.state[status.broadcast.state],
    finished: status.finished,
  };
}

async function audienceFigures(
  deps: ConsoleDeps,
  topicSlug: string,
  platform: string,
  topics: Category[],
): Promise<{ total: number; byPlatform: [string, number][] } | null> {
  const topic = topicSlug ? topics.find((c) => c.slug === topicSlug) : undefined;
  if (topicSlug && !topic) return null;
  if (platform && !BROADCAST_PLATFORMS.includes(platform as (typeof BROADCAST_PLATFORMS)[number]))
    return null;
  const categoryId = topic?.id ?? null;
  const platforms = platform ? [platform] : [...BROADCAST_PLATFORMS];
  const byPlatform = await Promise.all(
    platforms.map(
      async (p): Promise<[string, number]> => [
        p,
        await countAudience(deps.db, { categoryId, platform: p }),
      ],
    ),
  );
  return { total: byPlatform.reduce((sum, [, n]) => sum + n, 0), byPlatform };
}

function audienceText(
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

function problemText(ctx: PageContext, error: BroadcastError): string {
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

function composeForm(
  ctx: PageContext,
  topics: Category[],
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
        <select id="platform" name="platform">${option("", ctx.t.common.allPlatforms, typed.platform)}${BROADCAST_PLATFORMS.map((p) => option(p, platformName(ctx, p) ?? p, typed.platform))}</select></div>
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

function broadcastRow(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  topics: Category[],
): Html {
  const b = ctx.t.broadcasts;
  const stateClass =
    broadcast.state === "done" ? "ok" : broadcast.state === "sending" ? "warn" : "";
  return html`<tr id="broadcast-${broadcast.id}">
    <td class="num"><a href="/admin/broadcasts/${broadcast.id}">#${broadcast.id}</a></td>
    <td>${when(broadcast.createdAt, deps.timeZone, ctx.now())}</td>
    <td>${broadcast.author}</td>
    <td>${audienceWords(ctx, broadcast, topics)}</td>
    <td>${shorten(broadcast.text, LIST_TEXT_CHARS)}${broadcast.articleId !== null ? html` <span class="muted">(${b.story} #${broadcast.articleId})</span>` : ""}</td>
    <td><span class="badge ${stateClass}" data-state="${broadcast.state}">${b.state[broadcast.state]}</span></td>
    <td class="num">${broadcast.state === "draft" ? "" : ctx.number(broadcast.total)}</td>
  </tr>`;
}

function pager(ctx: PageContext, page: number, pages: number): Html {
  const b = ctx.t.broadcasts;
  if (pages <= 1 && page === 1) return html``;
  return html`<nav class="row" aria-label="${b.pageOf(ctx.number(page), ctx.number(pages))}">
    ${page > 1 ? html`<a href="/admin/broadcasts?page=${Math.min(page - 1, pages)}" rel="prev">${b.previous}</a>` : ""}
    <span class="muted">${b.pageOf(ctx.number(page), ctx.number(pages))}</span>
    ${page < pages ? html`<a href="/admin/broadcasts?page=${page + 1}" rel="next">${b.next}</a>` : ""}
  </nav>`;
}

function previews(
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
      ? html`<strong>${label}</strong>`
      : html`<a href="/admin/broadcasts/${broadcast.id}?lang=${to}">${label}</a>`;
  return html`<p class="muted">${b.previewLanguage} ${langLink("vi", "Tiếng Việt")} · ${langLink("en", "English")}</p>
    <div class="grid2">
      <section aria-labelledby="preview-telegram-title"><h2 id="preview-telegram-title">${b.previewTelegram}</h2>
        <div class="card preview telegram" lang="${locale}">${shown("telegram")}</div></section>
      <section aria-labelledby="preview-zalo-title"><h2 id="preview-zalo-title">${b.previewZalo}</h2>
        <div class="card preview zalo" lang="${locale}">${shown("zalo")}</div></section>
    </div>`;
}

function progressSection(ctx: PageContext, broadcast: Broadcast, status: BroadcastStatus): Html {
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

export const broadcastsPage: ConsoleRoutes = (app, deps) => {
  /** Open progress streams, ended when the server closes so that it need not wait for them. */
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of [...streams]) end();
  });

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { page?: number; typed?: Compose; notice?: string; error?: string; status?: number },
  ) {
    const ctx = pageContext(deps, request, reply);
    const b = ctx.t.broadcasts;
    const page = extra.page ?? 1;
    const typed = extra.typed ?? { topic: "", platform: "", text: "", story: "" };
    const [topics, stories, total, broadcasts] = await Promise.all([
      listCategories(deps.db),
      latestArticles(deps.db, { limit: STORY_CHOICES }),
      countBroadcasts(deps.db),
      listBroadcasts(deps.db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const figures = await audienceFigures(deps, typed.topic, typed.platform, topics);
    const audience = figures ? audienceText(ctx, figures) : b.audienceHint;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const c = b.column;
    const list =
      broadcasts.length === 0
        ? html`<p class="card">${b.noBroadcasts}</p>`
        : html`<div class="table-wrap"><table id="broadcasts-table">
          <thead><tr><th class="num">${c.id}</th><th>${c.created}</th><th>${c.author}</th><th>${c.audience}</th><th>${c.message}</th><th>${c.state}</th><th class="num">${c.sent}</th></tr></thead>
          <tbody>${broadcasts.map((row) => broadcastRow(ctx, deps, row, topics))}</tbody></table></div>
          ${pager(ctx, page, pages)}`;
    return reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.broadcasts,
          active: "broadcasts",
          notice: extra.notice,
          error: extra.error,
          body: html`<p class="muted">${b.intro}</p>
            <h2>${b.composeTitle}</h2>
            ${composeForm(ctx, topics, stories, typed, audience)}
            <h2>${b.recentTitle}</h2>
            ${list}`,
        }),
      );
  }

  /** The broadcast asked for, or a 404 page saying there is none. */
  async function broadcastOr404(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Broadcast | undefined> {
    const { id } = request.params as { id: number };
    try {
      return await getBroadcast(deps.db, id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const ctx = pageContext(deps, request, reply);
      await reply
        .code(404)
        .type("text/html; charset=utf-8")
        .send(
          renderPage(ctx, {
            title: ctx.t.common.nav.broadcasts,
            active: "broadcasts",
            error: ctx.t.broadcasts.noSuchBroadcast(id),
            body: html`<p><a href="/admin/broadcasts">${ctx.t.common.back}</a></p>`,
          }),
        );
      return undefined;
    }
  }

  app.get("/admin/broadcasts", { schema: { querystring: listQuery } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const query = request.query as {
      page?: number;
      done?: "discarded";
      id?: number;
      topic?: string;
      platform?: string;
      story?: number;
    };
    return renderList(request, reply, {
      page: query.page ?? 1,
      typed: {
        topic: query.topic ?? "",
        platform: query.platform ?? "",
        text: "",
        story: query.story ? String(query.story) : "",
      },
      notice:
        query.done === "discarded" && query.id ? ctx.t.broadcasts.discarded(query.id) : undefined,
    });
  });

  app.get(
    "/admin/broadcasts/audience",
    { schema: { querystring: audienceQuery } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const query = request.query as { topic?: string; platform?: string };
      const topics = await listCategories(deps.db);
      const figures = await audienceFigures(deps, query.topic ?? "", query.platform ?? "", topics);
      if (!figures) {
        return reply.code(400).send({ error: "unknown topic or platform" });
      }
      return {
        count: figures.total,
        byPlatform: Object.fromEntries(figures.byPlatform),
        text: audienceText(ctx, figures),
      };
    },
  );

  app.post("/admin/broadcasts", { schema: { body: composeBody } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const body = (request.body ?? {}) as Partial<Compose>;
    const typed: Compose = {
      topic: body.topic ?? "",
      platform: body.platform ?? "",
      text: body.text ?? "",
      story: body.story ?? "",
    };
    try {
      const prepared = await prepareBroadcast(
        deps.db,
        {
          author: ctx.admin,
          text: typed.text,
          articleId: typed.story ? Number(typed.story) : null,
          topicSlug: typed.topic || null,
          platform: typed.platform || null,
        },
        ctx.now(),
      );
      return reply.redirect(`/admin/broadcasts/${prepared.broadcast.id}`, 303);
    } catch (error) {
      if (!(error instanceof BroadcastError)) throw error;
      return renderList(request, reply, { typed, error: problemText(ctx, error), status: 400 });
    }
  });

  app.get(
    "/admin/broadcasts/:id",
    { schema: { params: idParams, querystring: showQuery } },
    async (request, reply) => {
      const broadcast = await broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      const b = ctx.t.broadcasts;
      const query = request.query as { lang?: Locale; done?: "stopped"; held?: number };
      const [topics, article] = await Promise.all([
        listCategories(deps.db),
        broadcast.articleId !== null ? findArticle(deps.db, broadcast.articleId) : undefined,
      ]);
      const locale = toLocale(query.lang ?? ctx.locale);
      const facts = html`<dl class="facts">
        <div><dt>${b.column.audience}</dt><dd id="audience">${audienceWords(ctx, broadcast, topics)}</dd></div>
        <div><dt>${b.column.author}</dt><dd>${b.createdBy(broadcast.author, when(broadcast.createdAt, deps.timeZone, ctx.now()))}</dd></div>
        ${broadcast.startedAt ? html`<div><dt>${b.column.state}</dt><dd>${b.startedAt(when(broadcast.startedAt, deps.timeZone, ctx.now()))}${broadcast.finishedAt ? html`<br>${b.finishedAt(when(broadcast.finishedAt, deps.timeZone, ctx.now()))}` : ""}</dd></div>` : ""}
        ${article ? html`<div><dt>${b.story}</dt><dd><a href="${article.url}" rel="noopener noreferrer" target="_blank">${article.title}</a></dd></div>` : ""}
      </dl>`;

      let action: Html;
      if (broadcast.state === "draft") {
        const topic = topics.find((c) => c.id === broadcast.audienceCategoryId);
        const figures = await audienceFigures(
          deps,
          topic?.slug ?? "",
          broadcast.audiencePlatform ?? "",
          topics,
        );
        const count = figures?.total ?? 0;
        action = html`<p class="notice" id="audience-count">${figures ? audienceText(ctx, figures) : ""}</p>
          ${count === 0 ? html`<p class="error" role="alert">${b.nobody}</p>` : ""}
          <div class="actions">
            <form method="post" action="/admin/broadcasts/${broadcast.id}/send" id="send-form" data-confirm="${b.sendConfirm(ctx.number(count))}">${csrfField(ctx)}<button type="submit">${b.send(ctx.number(count))}</button></form>
            <form method="post" action="/admin/broadcasts/${broadcast.id}/discard" id="discard-form">${csrfField(ctx)}<button type="submit" class="secondary">${b.discard}</button></form>
          </div>`;
      } else {
        action = progressSection(
          ctx,
          broadcast,
          await broadcastStatus(deps.db, broadcast.id, ctx.now()),
        );
      }
      const notice = query.done === "stopped" ? b.stopped(ctx.number(query.held ?? 0)) : undefined;
      return reply.type("text/html; charset=utf-8").send(
        renderPage(ctx, {
          title: titleOf(ctx, broadcast),
          active: "broadcasts",
          notice,
          body: html`${broadcast.state === "draft" ? html`<p class="muted">${b.previewIntro}</p>` : ""}
              ${facts}
              ${action}
              ${previews(ctx, deps, broadcast, article ?? null, locale)}
              <p><a href="/admin/broadcasts">${ctx.t.common.back}</a></p>`,
        }),
      );
    },
  );

  app.post(
    "/admin/broadcasts/:id/send",
    { schema: { params: idParams } },
    async (request, reply) => {
      const broadcast = await broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      // A second press (or a second editor) finds it already going: show where it stands.
      if (broadcast.state === "draft") {
        try {
          await confirmBroadcast(deps.db, broadcast.id, ctx.admin, ctx.now(), deps.newsroom);
        } catch (error) {
          if (!(error instanceof BroadcastError) || error.problem.code !== "notDraft") throw error;
        }
      }
      return reply.redirect(`/admin/broadcasts/${broadcast.id}`, 303);
    },
  );

  app.post(
    "/admin/broadcasts/:id/discard",
    { schema: { params: idParams } },
    async (request, reply) => {
      const broadcast = await broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      if (broadcast.state !== "draft") {
        return reply.redirect(`/admin/broadcasts/${broadcast.id}`, 303);
      }
      await cancelBroadcast(deps.db, broadcast.id, ctx.admin, ctx.now());
      return reply.redirect(`/admin/broadcasts?done=discarded&id=${broadcast.id}`, 303);
    },
  );

  app.post(
    "/admin/broadcasts/:id/stop",
    { schema: { params: idParams } },
    async (request, reply) => {
      const broadcast = await broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      if (broadcast.state === "done" || broadcast.state === "cancelled") {
        return renderList(request, reply, {
          error: ctx.t.broadcasts.alreadyFinished(broadcast.id),
          status: 409,
        });
      }
      const held = await cancelBroadcast(deps.db, broadcast.id, ctx.admin, ctx.now());
      return reply.redirect(`/admin/broadcasts/${broadcast.id}?done=stopped&held=${held}`, 303);
    },
  );

  app.get(
    "/admin/broadcasts/:id/events",
    { schema: { params: idParams } },
    async (request, reply) => {
      const broadcast = await broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      const first = await broadcastStatus(deps.db, broadcast.id, ctx.now());

      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-content-type-options": "nosniff",
        "x-accel-buffering": "no",
      });
      let last = "";
      let lastWrite = Date.now();
      let timer: NodeJS.Timeout | undefined;
      let open = true;
      const end = () => {
        if (!open) return;
        open = false;
        if (timer) clearTimeout(timer);
        streams.delete(end);
        out.end();
      };
      streams.add(end);
      out.on("close", end);

      const tell = (status: BroadcastStatus) => {
        const data = JSON.stringify(progressOf(ctx, status));
        if (data !== last) {
          out.write(`data: ${data}\n\n`);
          last = data;
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
          out.write(": still here\n\n");
          lastWrite = Date.now();
        }
        if (status.finished) end();
      };
      const poll = async () => {
        if (!open) return;
        try {
          tell(await broadcastStatus(deps.db, broadcast.id, deps.clock().toISOString()));
        } catch (error) {
          deps.logger.warn(
            { subsystem: "console", broadcastId: broadcast.id, error: (error as Error).message },
            "broadcast progress stream stopped",
          );
          end();
        }
        if (open) timer = setTimeout(poll, PROGRESS_POLL_MS);
      };
      out.write("retry: 2000\n\n");
      tell(first);
      if (open) timer = setTimeout(poll, PROGRESS_POLL_MS);
      return reply;
    },
  );
};
