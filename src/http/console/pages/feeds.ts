/**
 * The feeds: each one's health (last success, last error, page problems, next check) and what an
 * editor does with them: add, check now, pause and resume, remove. One card per feed, so that the
 * page reads on a phone.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { MAX_FEED_URL_LENGTH } from "../../../news/feed-url";
import { type Feed, type FeedHealth, feedHealth } from "../../../news/feeds";
import { listTopics, type Topic } from "../../../news/topics";
import { FeedError, type FeedProblem } from "../../../services/feeds";
import type { ConsoleDeps, PageContext } from "../context";
import { pageContext } from "../context";
import { explainFeedError } from "../feed-errors";
import { type Html, html, outsideLink } from "../html";
import { csrfField, renderPage, when, whenDue } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const BADGE: Record<FeedHealth, string> = {
  new: "badge",
  ok: "badge ok",
  "page problems": "badge warn",
  failing: "badge bad",
  paused: "badge",
};

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

type Done = "added" | "paused" | "resumed" | "removed" | "checked" | "check-failed";

interface FeedsQuery {
  done?: Done;
  id?: number;
  new?: number;
  updated?: number;
  failed?: number;
  nm?: number;
}

const querySchema = {
  type: "object",
  properties: {
    done: {
      type: "string",
      enum: ["added", "paused", "resumed", "removed", "checked", "check-failed"],
    },
    id: { type: "integer", minimum: 1 },
    new: { type: "integer", minimum: 0 },
    updated: { type: "integer", minimum: 0 },
    failed: { type: "integer", minimum: 0 },
    nm: { type: "integer", minimum: 0, maximum: 1 },
  },
} as const;

interface AddForm {
  url?: string;
  topic?: string;
  fullText?: string;
  noCheck?: string;
}

/** A stored fetch error in one line of the admin's language (feed-errors.ts says how). */
function explainError(ctx: PageContext, error: string): string {
  return explainFeedError(error, ctx.locale, ctx.t.feeds.errorGist);
}

/**
 * A feed's last error on its card: what it means and how often it failed, then (where the
 * sentence left them out) the technical words folded away.
 */
function errorWords(ctx: PageContext, feed: Feed, error: string): Html {
  const said = explainError(ctx, error);
  const times =
    feed.failuresInRow > 0
      ? html` <span class="muted">(${ctx.t.feeds.failuresInRow(feed.failuresInRow)})</span>`
      : "";
  const technical = said.includes(error)
    ? ""
    : html` <details class="tech"><summary>${ctx.t.feeds.technical}</summary><code>${error}</code></details>`;
  return html`${said}${times}${technical}`;
}

function feedCard(ctx: PageContext, deps: ConsoleDeps, feed: Feed, topicName: string): Html {
  const f = ctx.t.feeds;
  const health = feedHealth(feed);
  const at = (iso: string | null) => when(iso, deps.timeZone, ctx.now()) || ctx.t.common.never;
  const details: Html[] = [
    html`<div><dt>${f.topic}</dt><dd>${topicName}${feed.fullText ? html` · <span class="muted">${f.fullText}</span>` : ""}</dd></div>`,
    html`<div><dt>${f.lastSuccess}</dt><dd>${at(feed.lastSuccessAt)}</dd></div>`,
  ];
  if (feed.lastError && (feed.failuresInRow > 0 || health === "paused")) {
    details.push(
      html`<div><dt>${f.lastError}</dt><dd class="error-text">${at(feed.lastErrorAt)}: ${errorWords(ctx, feed, feed.lastError)}</dd></div>`,
    );
  }
  if (feed.pageProblems > 0) {
    details.push(
      html`<div><dt>${f.pageProblems(feed.pageProblems)}</dt><dd>${feed.lastPageProblem ?? ""}</dd></div>`,
    );
  }
  details.push(
    feed.pausedAt
      ? html`<div><dt>${f.pausedSince}</dt><dd>${at(feed.pausedAt)}</dd></div>`
      : html`<div><dt>${f.nextCheck}</dt><dd>${whenDue(ctx, feed.nextCheckAt, deps.timeZone) || ctx.t.common.never}</dd></div>`,
  );
  return html`<article class="card feed" id="feed-${feed.id}">
  <div class="feed-head"><span class="${BADGE[health]}" data-health="${health}">${f.health[health]}</span>
    ${outsideLink(feed.url, feed.url, "feed-url")}</div>
  <dl class="facts">${details}</dl>
  <div class="actions">
    <form method="post" action="/admin/feeds/${feed.id}/check" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${f.checkNow}</button></form>
    <form method="post" action="/admin/feeds/${feed.id}/pause" class="inline">${csrfField(ctx)}<input type="hidden" name="paused" value="${feed.pausedAt ? "0" : "1"}"><button type="submit" class="secondary">${feed.pausedAt ? f.resume : f.pause}</button></form>
    <form method="post" action="/admin/feeds/${feed.id}/remove" class="inline" data-confirm="${f.removeConfirm(feed.url)}">${csrfField(ctx)}<button type="submit" class="secondary">${f.remove}</button></form>
  </div>
</article>`;
}

function addForm(ctx: PageContext, topics: Topic[], typed: AddForm): Html {
  const f = ctx.t.feeds;
  if (topics.length === 0) {
    return html`<p class="muted">${f.noTopicsYet} <a href="/admin/topics">${ctx.t.common.nav.topics}</a></p>`;
  }
  return html`<form method="post" action="/admin/feeds" class="card stack" id="add-feed">
    ${csrfField(ctx)}
    <label for="feed-url">${f.urlLabel}</label>
    <input id="feed-url" name="url" type="url" inputmode="url" required maxlength="${MAX_FEED_URL_LENGTH}" value="${typed.url ?? ""}" placeholder="https://" aria-describedby="feed-url-hint">
    <span id="feed-url-hint" class="muted small">${f.urlHint}</span>
    <label for="feed-topic">${f.topic}</label>
    <select id="feed-topic" name="topic">${topics.map(
      (c) =>
        html`<option value="${c.id}"${String(c.id) === typed.topic ? html` selected` : ""}>${c.name[ctx.locale]}</option>`,
    )}</select>
    <label class="check"><input type="checkbox" name="fullText" value="1"${typed.fullText ? html` checked` : ""}> ${f.fullTextLabel}</label>
    <label class="check"><input type="checkbox" name="noCheck" value="1"${typed.noCheck ? html` checked` : ""}> ${f.noCheckLabel}</label>
    <div><button type="submit">${f.addButton}</button></div>
  </form>`;
}

/** The feeds a web page names, each a button that adds it to the topic asked for. */
function feedChoices(
  ctx: PageContext,
  typed: AddForm,
  feeds: { url: string; title: string }[],
): Html {
  return html`<ul class="card stack" id="feed-choices">${feeds.map(
    (feed) => html`<li><form method="post" action="/admin/feeds">
      ${csrfField(ctx)}
      <input type="hidden" name="url" value="${feed.url}">
      <input type="hidden" name="topic" value="${typed.topic ?? ""}">
      ${typed.fullText ? html`<input type="hidden" name="fullText" value="1">` : ""}
      <span>${feed.title ? html`<strong>${feed.title}</strong> · ` : ""}<code>${feed.url}</code></span>
      <button type="submit">${ctx.t.feeds.addThisFeed}</button>
    </form></li>`,
  )}</ul>`;
}

export const feedsPage: ConsoleRoutes = (app, deps) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      notice?: string;
      error?: string;
      typed?: AddForm;
      status?: number;
      /** Feeds the typed web page names, to pick from. */
      choices?: { url: string; title: string }[];
    } = {},
  ) {
    const ctx = pageContext(deps, request, reply);
    const f = ctx.t.feeds;
    const [feeds, topics] = await Promise.all([deps.services.feeds.list(), listTopics(deps.db)]);
    return reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.feeds,
          active: "feeds",
          notice: extra.notice,
          error: extra.error,
          body: html`<p class="muted">${f.intro} ${ctx.t.common.zoneNote(deps.timeZone)}</p>
          ${
            feeds.length === 0
              ? html`<p class="card">${f.empty}</p>`
              : html`<div class="feeds">${feeds.map((s) =>
                  feedCard(ctx, deps, s, s.topic?.name[ctx.locale] ?? "?"),
                )}</div>`
          }
          <h2>${f.addTitle}</h2>
          ${extra.choices?.length ? feedChoices(ctx, extra.typed ?? {}, extra.choices) : ""}
          ${addForm(ctx, topics, extra.typed ?? {})}`,
        }),
      );
  }

  /** The notice a redirect asked for; nothing from the query is shown as typed. */
  async function noticeFor(
    ctx: PageContext,
    query: FeedsQuery,
  ): Promise<{ notice?: string; error?: string }> {
    const f = ctx.t.feeds;
    switch (query.done) {
      case "added":
      case "paused":
      case "resumed":
      case "removed":
        return { notice: f[query.done] };
      case "checked":
        return {
          notice: f.checked({
            new: query.new ?? 0,
            updated: query.updated ?? 0,
            failed: query.failed ?? 0,
            notModified: query.nm === 1,
          }),
        };
      case "check-failed": {
        const feed = query.id ? await deps.services.feeds.get(query.id).catch(() => null) : null;
        return { error: f.checkFailed(explainError(ctx, feed?.lastError ?? "?")) };
      }
      default:
        return {};
    }
  }

  app.get("/admin/feeds", { schema: { querystring: querySchema } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    return render(request, reply, await noticeFor(ctx, request.query as FeedsQuery));
  });

  app.post(
    "/admin/feeds",
    {
      schema: {
        body: {
          type: "object",
          // No length limit on the address here (the form body's is enough): one too long is
          // refused below, in the admin's language, with the form to correct it.
          properties: {
            url: { type: "string" },
            topic: { type: "string", maxLength: 20 },
            fullText: { type: "string", maxLength: 10 },
            noCheck: { type: "string", maxLength: 10 },
          },
        },
      },
    },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const typed = request.body as AddForm;
      const topicId = Number(typed.topic);
      try {
        await deps.services.feeds.add(ctx.admin, {
          url: typed.url ?? "",
          topic: { id: Number.isInteger(topicId) ? topicId : 0 },
          fullText: Boolean(typed.fullText),
          check: !typed.noCheck,
        });
      } catch (error) {
        if (!(error instanceof FeedError)) throw error;
        const problem = error.problem;
        return render(request, reply, {
          status: 400,
          error: refusal(ctx, problem),
          typed,
          ...(problem.code === "pageWithFeeds" ? { choices: problem.feeds } : {}),
        });
      }
      return reply.redirect("/admin/feeds?done=added", 303);
    },
  );

  /** The feed the path names; a 404 page when there is none. */
  async function feedOf(request: FastifyRequest): Promise<Feed> {
    const { id } = request.params as { id: number };
    try {
      return await deps.services.feeds.get(id);
    } catch (error) {
      if (error instanceof FeedError) throw Object.assign(error, { statusCode: 404 });
      throw error;
    }
  }

  app.post("/admin/feeds/:id/check", { schema: { params: idParams } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const feed = await feedOf(request);
    const { summary } = await deps.services.feeds.checkNow(ctx.admin, feed.id);
    if (summary.status === "failed" || summary.status === "interrupted") {
      return reply.redirect(`/admin/feeds?done=check-failed&id=${feed.id}`, 303);
    }
    const nm = summary.notModified ? 1 : 0;
    return reply.redirect(
      `/admin/feeds?done=checked&new=${summary.new}&updated=${summary.updated}&failed=${summary.failed}&nm=${nm}`,
      303,
    );
  });

  app.post(
    "/admin/feeds/:id/pause",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          properties: { paused: { type: "string", enum: ["0", "1"] } },
          required: ["paused"],
        },
      },
    },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const feed = await feedOf(request);
      const paused = (request.body as { paused: string }).paused === "1";
      // A form from an older page (a second tab, a second press) finds the feed already so: the
      // service leaves it as it is.
      await deps.services.feeds.setPaused(ctx.admin, feed.id, paused);
      return reply.redirect(`/admin/feeds?done=${paused ? "paused" : "resumed"}`, 303);
    },
  );

  app.post("/admin/feeds/:id/remove", { schema: { params: idParams } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const feed = await feedOf(request);
    await deps.services.feeds.remove(ctx.admin, feed.id);
    return reply.redirect("/admin/feeds?done=removed", 303);
  });
};

/** A refused feed in the admin's language (never the service's English text). */
function refusal(ctx: PageContext, problem: FeedProblem): string {
  const f = ctx.t.feeds;
  switch (problem.code) {
    case "url":
      return problem.why === "tooLong" ? f.urlTooLong(MAX_FEED_URL_LENGTH) : f.badUrl;
    case "noTopic":
      return f.noSuchTopic;
    case "duplicate":
      return f.duplicate;
    case "notFound":
    case "cannotCheck":
      return ctx.t.common.notFound;
    case "notAFeed":
      return f.notAFeed;
    case "unreachable":
      return f.unreachable(explainError(ctx, problem.reason));
    case "pageWithFeeds":
      return f.pageWithFeeds;
  }
}
