/**
 * Breaking news from the console: compose (topic and platform audience, its size counted live),
 * preview the draft exactly as Telegram and Zalo will show it (the payload the outbox will store),
 * send, then watch it go over server-sent events and stop it if need be. The same service as the
 * chat's /breaking does the work, so both keep one audit trail and one set of rules.
 * This file is longer than 400 lines because compose, one broadcast's page and its progress
 * stream share their lookups; tests and changes to scheduled ones live in broadcast-desk.ts.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import {
  type Broadcast,
  countBroadcasts,
  getBroadcast,
  listBroadcasts,
} from "../../../broadcasts/broadcasts";
import { NotFoundError } from "../../../db/errors";
import { broadcastReach } from "../../../delivery/reach";
import { editorNames } from "../../../editors/editor-names";
import { type Locale, toLocale } from "../../../message/i18n/index";
import { findArticle, latestArticles } from "../../../news/articles";
import { listTopics } from "../../../news/topics";
import {
  BroadcastError,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  MAX_BROADCAST_TEXT,
  prepareBroadcast,
} from "../../../services/broadcasts";
import { pageContext } from "../context";
import { type Html, html, outsideLink } from "../html";
import { actorName, pager, platformName, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";
import { broadcastDeskRoutes, deskActions, deskNotice } from "./broadcast-desk";
import { streamProgress } from "./broadcast-events";
import {
  askedOf,
  audienceFigures,
  audienceText,
  audienceWords,
  broadcastRow,
  type Compose,
  composeForm,
  EMPTY_COMPOSE,
  listOf,
  previews,
  problemText,
  progressOf,
  progressSection,
  titleOf,
} from "./broadcast-views";

const PAGE_SIZE = 20;
/** Stories offered to attach: the newest ones. */
const STORY_CHOICES = 30;

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

/** Who a broadcast goes to, as the compose form and the live count name it (several topics). */
const audienceFields = {
  topic: {
    anyOf: [
      { type: "string", maxLength: 100 },
      { type: "array", maxItems: 100, items: { type: "string", maxLength: 100 } },
    ],
  },
  platform: { type: "string", maxLength: 20 },
  language: { type: "string", maxLength: 10 },
  mode: { type: "string", maxLength: 20 },
} as const;

const listQuery = {
  type: "object",
  properties: {
    page: { type: "integer", minimum: 1, maximum: 1_000_000 },
    done: { type: "string", enum: ["discarded"] },
    id: { type: "integer", minimum: 1 },
    ...audienceFields,
    story: { type: "integer", minimum: 1 },
  },
} as const;

const audienceQuery = { type: "object", properties: audienceFields } as const;

const composeBody = {
  type: "object",
  properties: {
    ...audienceFields,
    text: { type: "string", maxLength: MAX_BROADCAST_TEXT * 4 },
    story: { type: "string", pattern: "^[0-9]{0,12}$" },
    photo: { type: "string", maxLength: 2000 },
    at: { type: "string", maxLength: 40 },
  },
} as const;

const showQuery = {
  type: "object",
  properties: {
    lang: { type: "string", enum: ["vi", "en"] },
    done: { type: "string", enum: ["stopped", "tested", "changed"] },
    held: { type: "integer", minimum: 0 },
    chats: { type: "string", maxLength: 500 },
  },
} as const;

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
    const typed = extra.typed ?? EMPTY_COMPOSE;
    const [topics, stories, total, broadcasts, names] = await Promise.all([
      listTopics(deps.db),
      latestArticles(deps.db, { limit: STORY_CHOICES }),
      countBroadcasts(deps.db),
      listBroadcasts(deps.db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      editorNames(deps.db),
    ]);
    const figures = await audienceFigures(deps, typed, topics);
    const audience = figures ? audienceText(ctx, figures) : b.audienceHint;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const c = b.column;
    const list =
      broadcasts.length === 0
        ? html`<p class="card">${b.noBroadcasts}</p>`
        : html`<div class="table-wrap"><table id="broadcasts-table" class="phone-cards">
          <thead><tr><th class="num">${c.id}</th><th>${c.created}</th><th>${c.author}</th><th>${c.audience}</th><th>${c.message}</th><th>${c.state}</th><th class="num">${c.sent}</th></tr></thead>
          <tbody>${broadcasts.map((row) => broadcastRow(ctx, deps, row, topics, names))}</tbody></table></div>
          ${pager(ctx, b, { page, pages, href: (n) => `/admin/broadcasts?page=${n}` })}`;
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
            ${composeForm(ctx, deps, topics, stories, typed, audience)}
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
      topic?: string | string[];
      platform?: string;
      language?: string;
      mode?: string;
      story?: number;
    };
    return renderList(request, reply, {
      page: query.page ?? 1,
      typed: {
        ...EMPTY_COMPOSE,
        topics: listOf(query.topic),
        platform: query.platform ?? "",
        language: query.language ?? "",
        mode: query.mode ?? "",
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
      const query = request.query as {
        topic?: string | string[];
        platform?: string;
        language?: string;
        mode?: string;
      };
      const topics = await listTopics(deps.db);
      const figures = await audienceFigures(
        deps,
        {
          topics: listOf(query.topic),
          platform: query.platform ?? "",
          language: query.language ?? "",
          mode: query.mode ?? "",
        },
        topics,
      );
      if (!figures) {
        return reply.code(400).send({ error: "unknown topic, platform, language or mode" });
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
    const body = (request.body ?? {}) as Partial<Omit<Compose, "topics">> & { topic?: unknown };
    const typed: Compose = {
      topics: listOf(body.topic),
      platform: body.platform ?? "",
      language: body.language ?? "",
      mode: body.mode ?? "",
      text: body.text ?? "",
      story: body.story ?? "",
      photo: body.photo ?? "",
      at: body.at ?? "",
    };
    try {
      const prepared = await prepareBroadcast(
        deps.db,
        {
          author: ctx.admin,
          text: typed.text,
          articleId: typed.story ? Number(typed.story) : null,
          topicSlugs: typed.topics,
          platform: typed.platform || null,
          locale: typed.language || null,
          mode: typed.mode || null,
          photoUrl: typed.photo || null,
          at: typed.at || null,
          timeZone: deps.timeZone,
        },
        ctx.now(),
        deps.checkPhoto ? { checkPhoto: deps.checkPhoto } : {},
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
      const found = await broadcastOr404(request, reply);
      if (!found) return reply;
      const ctx = pageContext(deps, request, reply);
      const b = ctx.t.broadcasts;
      const query = request.query as {
        lang?: Locale;
        done?: "stopped" | "tested" | "changed";
        held?: number;
        chats?: string;
      };
      const waiting = found.state === "draft" || found.state === "scheduled";
      // Where it stands first: looking marks one with nothing left as done.
      const status = waiting ? null : await broadcastStatus(deps.db, found.id, ctx.now());
      const broadcast = status?.broadcast ?? found;
      const [topics, article, reach] = await Promise.all([
        listTopics(deps.db),
        broadcast.articleId !== null ? findArticle(deps.db, broadcast.articleId) : undefined,
        broadcast.startedAt ? broadcastReach(deps.db, broadcast.id, broadcast.startedAt) : [],
      ]);
      const locale = toLocale(query.lang ?? ctx.locale);
      const facts = html`<dl class="facts">
        <div><dt>${b.column.audience}</dt><dd id="audience">${audienceWords(ctx, broadcast, topics)}</dd></div>
        <div><dt>${b.column.author}</dt><dd>${b.createdBy(actorName(ctx, broadcast.author, await editorNames(deps.db)), when(broadcast.createdAt, deps.timeZone, ctx.now()))}</dd></div>
        ${broadcast.sendAt ? html`<div><dt>${b.desk.sendAtLabel}</dt><dd id="send-at">${when(broadcast.sendAt, deps.timeZone, ctx.now())}</dd></div>` : ""}
        ${broadcast.startedAt ? html`<div><dt>${b.column.state}</dt><dd>${b.startedAt(when(broadcast.startedAt, deps.timeZone, ctx.now()))}${broadcast.finishedAt ? html`<br>${b.finishedAt(when(broadcast.finishedAt, deps.timeZone, ctx.now()))}` : ""}</dd></div>` : ""}
        ${
          reach.length
            ? html`<div><dt>${b.reachLabel}</dt><dd id="reach">${reach.map(
                (r, i) =>
                  html`${i ? html`<br>` : ""}${b.reach(platformName(ctx, r.platform), b.seconds(r.half), b.seconds(r.ninetyPercent), b.seconds(r.all))}`,
              )}</dd></div>`
            : ""
        }
        ${article ? html`<div><dt>${b.story}</dt><dd>${outsideLink(article.url, article.title)}</dd></div>` : ""}
      </dl>`;

      let action: Html;
      // Counted now: who it would reach (a draft, one waiting), and whose platform it shows.
      const figures = await audienceFigures(deps, askedOf(broadcast, topics), topics);
      const shown = (figures?.byPlatform ?? []).filter(([, n]) => n > 0).map(([p]) => p);
      if (waiting) {
        const count = figures?.total ?? 0;
        action = html`<p class="notice" id="audience-count">${figures ? audienceText(ctx, figures) : ""}</p>
          ${count === 0 ? html`<p class="error" role="alert">${b.nobody}</p>` : ""}
          ${deskActions(ctx, deps, broadcast, count)}`;
      } else {
        action = status ? progressSection(ctx, broadcast, status, deps.timeZone) : html``;
      }
      const notice =
        query.done === "stopped"
          ? b.stopped(ctx.number(query.held ?? 0))
          : deskNotice(ctx, deps, broadcast, query);
      return reply.type("text/html; charset=utf-8").send(
        renderPage(ctx, {
          title: titleOf(ctx, broadcast),
          active: "broadcasts",
          notice,
          body: html`${broadcast.state === "draft" ? html`<p class="muted">${b.previewIntro}</p>` : ""}
              ${facts}
              ${waiting ? "" : action}
              ${previews(ctx, deps, broadcast, article ?? null, locale, shown.length ? shown : [broadcast.audiencePlatform ?? "telegram"])}
              ${waiting ? action : ""}
              ${broadcast.startedAt ? html`<p><a href="/admin/broadcasts/${broadcast.id}/report" id="report-link">${ctx.t.broadcastReport.link}</a></p>` : ""}
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
          // One with a send time is scheduled: it waits for its time.
          await confirmBroadcast(deps.db, broadcast.id, ctx.admin, ctx.now(), deps.newsroom);
        } catch (error) {
          if (!(error instanceof BroadcastError)) throw error;
          if (error.problem.code !== "notDraft") {
            return renderList(request, reply, { error: problemText(ctx, error), status: 400 });
          }
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
      // A draft, or one waiting for its time: nobody has got it yet.
      if (broadcast.state !== "draft" && broadcast.state !== "scheduled") {
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
      // A draft (or one waiting for its time) has no progress to follow yet.
      if (broadcast.state === "draft" || broadcast.state === "scheduled") {
        return reply.code(409).type("text/plain; charset=utf-8").send("not sent yet\n");
      }
      const first = await broadcastStatus(deps.db, broadcast.id, ctx.now());

      streamProgress(reply, {
        first,
        next: () => broadcastStatus(deps.db, broadcast.id, deps.clock().toISOString()),
        render: (status) => progressOf(ctx, status, deps.timeZone),
        streams,
        onError: (error) =>
          deps.logger.warn(
            { subsystem: "console", broadcastId: broadcast.id, error: error.message },
            "broadcast progress stream stopped",
          ),
      });
      return reply;
    },
  );

  broadcastDeskRoutes(app, deps, { broadcastOr404, renderList });
};
