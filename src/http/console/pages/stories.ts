/**
 * The stories (Tin bài): the newest, hidden and retracted ones too, searched by headline or
 * number, and what an editor does with one: hide or show it again, pin it atop the digests until
 * a time, update the Telegram messages that carried it, retract it with a reason. One table
 * (cards on a phone); the pin and retract forms fold away under their buttons. Everything goes
 * through services/stories.ts, as `bantin story …` does.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Article } from "../../../news/articles";
import { MAX_REASON, parseStoryTime, StoryError } from "../../../services/stories";
import type { PageContext } from "../context";
import { pageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const LIMIT = 50;

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

const DONE = ["hidden", "unhidden", "pinned", "unpinned"] as const;
type Done = (typeof DONE)[number];

const querySchema = {
  type: "object",
  properties: {
    q: { type: "string", maxLength: 200 },
    done: { type: "string", enum: [...DONE] },
  },
} as const;

const pinBody = {
  type: "object",
  properties: { until: { type: "string", maxLength: 40 } },
} as const;

const retractBody = {
  type: "object",
  // A loose bound on what is read at all; the service says the reason's own limit.
  properties: { reason: { type: "string", maxLength: MAX_REASON * 4 } },
} as const;

/** A refused change in the editor's language; undefined: not a refusal (or the 404 page). */
function refusal(ctx: PageContext, error: unknown): string | undefined {
  if (!(error instanceof StoryError)) return undefined;
  const p = ctx.t.stories.problem;
  switch (error.problem.code) {
    case "notFound":
      throw Object.assign(error, { statusCode: 404 });
    case "noReason":
      return p.noReason;
    case "reasonTooLong":
      return p.reasonTooLong(error.problem.max);
    case "badTime":
      return p.badTime;
    case "past":
      return p.past;
    case "retracted":
      return p.retracted;
    case "hidden":
      return p.hidden;
  }
}

function stateOf(ctx: PageContext, story: Article, zone: string): Html {
  const t = ctx.t.stories;
  const at = (iso: string) => when(iso, zone, ctx.now());
  if (story.retractedAt)
    return html`<span class="error-text">${t.retracted(at(story.retractedAt))}</span>`;
  const pinned =
    story.pinnedUntil && story.pinnedUntil > ctx.now()
      ? html`<br><span>${t.pinnedUntil(at(story.pinnedUntil))}</span>`
      : "";
  return html`${story.hiddenAt ? t.hidden : t.shown}${pinned}`;
}

function post(ctx: PageContext, id: number, action: string, label: string): Html {
  return html`<form method="post" action="/admin/stories/${id}/${action}" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${label}</button></form>`;
}

function actions(ctx: PageContext, story: Article): Html {
  const t = ctx.t.stories;
  if (story.retractedAt) return html``;
  const pinned = story.pinnedUntil !== null && story.pinnedUntil > ctx.now();
  return html`<div class="actions">
      ${story.hiddenAt ? post(ctx, story.id, "unhide", t.unhide) : post(ctx, story.id, "hide", t.hide)}
      ${pinned ? post(ctx, story.id, "unpin", t.unpin) : ""}
      ${post(ctx, story.id, "refresh", t.refresh)}
    </div>
    ${
      story.hiddenAt
        ? ""
        : html`<details><summary>${t.pin}</summary>
      <form method="post" action="/admin/stories/${story.id}/pin" class="stack">${csrfField(ctx)}
        <label for="until-${story.id}">${t.pinUntilLabel}</label>
        <input id="until-${story.id}" name="until" type="text" required inputmode="numeric" placeholder="18:00" autocomplete="off">
        <span class="muted small">${t.pinHint}</span>
        <div><button type="submit">${t.pin}</button></div>
      </form>
    </details>`
    }
    <details><summary>${t.retract}</summary>
      <form method="post" action="/admin/stories/${story.id}/retract" class="stack">${csrfField(ctx)}
        <p class="muted small">${t.retractHint}</p>
        <label for="reason-${story.id}">${t.reasonLabel}</label>
        <input id="reason-${story.id}" name="reason" type="text" required maxlength="${MAX_REASON}" autocomplete="off">
        <div><button type="submit">${t.retractButton}</button></div>
      </form>
    </details>`;
}

function table(ctx: PageContext, stories: Article[], zone: string): Html {
  const t = ctx.t.stories;
  if (stories.length === 0) return html`<p class="card">${t.empty}</p>`;
  const c = t.column;
  return html`<div class="table-wrap"><table id="stories-table" class="phone-cards">
  <thead><tr><th class="num">${c.id}</th><th>${c.title}</th><th>${c.published}</th><th>${c.state}</th><th>${c.actions}</th></tr></thead>
  <tbody>${stories.map(
    (s) => html`<tr id="story-${s.id}">
    <td data-label="${c.id}" class="num">${s.id}</td>
    <td data-label="${c.title}"><a href="${s.url}" rel="noopener noreferrer" target="_blank">${s.title}</a></td>
    <td data-label="${c.published}">${when(s.publishedAt, zone, ctx.now())}</td>
    <td data-label="${c.state}">${stateOf(ctx, s, zone)}</td>
    <td data-label="${c.actions}">${actions(ctx, s)}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

export const storiesPage: ConsoleRoutes = (app, deps) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; error?: string; status?: number; query?: string } = {},
  ) {
    const ctx = pageContext(deps, request, reply);
    const t = ctx.t.stories;
    const query = extra.query ?? "";
    const stories = await deps.services.stories.recent(query, LIMIT);
    return reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.stories,
          active: "stories",
          notice: extra.notice,
          error: extra.error,
          body: html`<p class="muted">${t.intro} ${ctx.t.common.zoneNote(deps.timeZone)}</p>
          <form method="get" action="/admin/stories" class="row" role="search">
            <label for="story-q">${t.searchLabel}</label>
            <input id="story-q" name="q" type="search" value="${query}" maxlength="200">
            <button type="submit" class="secondary">${t.searchButton}</button>
          </form>
          ${table(ctx, stories, deps.timeZone)}`,
        }),
      );
  }

  app.get("/admin/stories", { schema: { querystring: querySchema } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { q, done } = request.query as { q?: string; done?: Done };
    return render(request, reply, {
      ...(done ? { notice: ctx.t.stories.done[done] } : {}),
      query: q ?? "",
    });
  });

  /** Runs one change; a refusal is the page again with the reason, status 400. */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    run: (
      ctx: PageContext,
      id: number,
      body: Record<string, string | undefined>,
    ) => Promise<string>,
  ) {
    const ctx = pageContext(deps, request, reply);
    const { id } = request.params as { id: number };
    let outcome: string;
    try {
      outcome = await run(ctx, id, (request.body ?? {}) as Record<string, string | undefined>);
    } catch (error) {
      const message = refusal(ctx, error);
      if (message === undefined) throw error;
      return render(request, reply, { status: 400, error: message });
    }
    if ((DONE as readonly string[]).includes(outcome)) {
      return reply.redirect(`/admin/stories?done=${outcome}#story-${id}`, 303);
    }
    return render(request, reply, { notice: outcome });
  }

  const route = (action: string, body: object | undefined, run: Parameters<typeof change>[2]) =>
    app.post(
      `/admin/stories/:id/${action}`,
      { schema: { params: idParams, ...(body ? { body } : {}) } },
      (request, reply) => change(request, reply, run),
    );

  route("hide", undefined, async (ctx, id) => {
    await deps.services.stories.hide(ctx.admin, id);
    return "hidden";
  });
  route("unhide", undefined, async (ctx, id) => {
    await deps.services.stories.unhide(ctx.admin, id);
    return "unhidden";
  });
  route("unpin", undefined, async (ctx, id) => {
    await deps.services.stories.unpin(ctx.admin, id);
    return "unpinned";
  });
  route("pin", pinBody, async (ctx, id, body) => {
    const typed = body.until ?? "";
    const until = parseStoryTime(typed, new Date(ctx.now()), deps.timeZone);
    if (!until) throw new StoryError({ code: "badTime", text: typed });
    await deps.services.stories.pin(ctx.admin, id, until);
    return "pinned";
  });
  route("refresh", undefined, async (ctx, id) => {
    const { report } = await deps.services.stories.refresh(ctx.admin, id);
    return ctx.t.stories.done.refreshed(report.edited, report.tooOld);
  });
  route("retract", retractBody, async (ctx, id, body) => {
    const reason = body.reason ?? "";
    const { report } = await deps.services.stories.retract(ctx.admin, id, reason);
    return ctx.t.stories.done.retracted(
      report.deleted,
      report.edited,
      report.tooOld,
      report.zaloNotices,
    );
  });
};
