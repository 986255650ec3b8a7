/**
 * The topics: in the order the bot shows them, each with its readers, stories and feeds, and what
 * an editor does with them: add one, rename one, move one up or down, remove one (its feeds moved
 * or removed with it, asked). One table (cards on a phone); each row's rename and remove forms
 * fold away under their buttons.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { type MoveDirection, TOPIC_NAME_MAX, type TopicFigures } from "../../../news/topics";
import { TopicError } from "../../../services/topics";
import type { PageContext } from "../context";
import { pageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, renderPage } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

type Done = "added" | "renamed" | "moved" | "removed";

const querySchema = {
  type: "object",
  properties: { done: { type: "string", enum: ["added", "renamed", "moved", "removed"] } },
} as const;

/** feeds: "move" (to moveTo, a topic id) or "with"; absent when the topic has none. */
const removeBody = {
  type: "object",
  properties: {
    feeds: { type: "string", enum: ["move", "with"] },
    moveTo: { type: "string", pattern: "^[0-9]{0,9}$" },
  },
} as const;

/** Names are checked by the topics module, so that the page can say what was wrong. */
const namesBody = {
  type: "object",
  properties: { vi: { type: "string" }, en: { type: "string" } },
} as const;

const addBody = {
  type: "object",
  properties: { slug: { type: "string" }, vi: { type: "string" }, en: { type: "string" } },
} as const;

const moveBody = {
  type: "object",
  properties: { direction: { type: "string", enum: ["up", "down"] } },
  required: ["direction"],
} as const;

interface AddForm {
  slug?: string;
  vi?: string;
  en?: string;
}

/** What was typed in one row's rename form, shown again when it was refused. */
interface RenameTyped {
  id: number;
  vi: string;
  en: string;
}

/** A refused input in the admin's language (never the service's English text). */
function refusal(ctx: PageContext, error: unknown): string | undefined {
  const t = ctx.t.topics;
  if (!(error instanceof TopicError)) return undefined;
  const problem = error.problem;
  switch (problem.code) {
    case "duplicate":
      return t.duplicate(problem.slug);
    case "notFound":
      return undefined; // a 404 page
    case "hasFeeds":
      return t.hasFeeds(problem.feeds.join(", "));
    case "sameTopic":
      return t.sameTopic;
    case "lastTopic":
      return t.lastTopic;
    case "invalid":
      switch (problem.reason) {
        case "slug":
        case "position": // the console never sends one
          return t.badSlug;
        case "names":
          return t.namesRequired;
        case "length":
          return t.namesTooLong(TOPIC_NAME_MAX);
      }
  }
}

function moveForm(ctx: PageContext, topic: TopicFigures, direction: MoveDirection): Html {
  const t = ctx.t.topics;
  const name = topic.name[ctx.locale];
  const [label, named] =
    direction === "up"
      ? [`↑ ${t.moveUp}`, t.moveUpNamed(name)]
      : [`↓ ${t.moveDown}`, t.moveDownNamed(name)];
  return html`<form method="post" action="/admin/topics/${topic.id}/move" class="inline">${csrfField(ctx)}<input type="hidden" name="direction" value="${direction}"><button type="submit" class="secondary" aria-label="${named}">${label}</button></form>`;
}

/** The remove form: when the topic has feeds, where they go (moved to a topic, or with it). */
function removeForm(ctx: PageContext, topic: TopicFigures, topics: TopicFigures[]): Html {
  const t = ctx.t.topics;
  const others = topics.filter((o) => o.id !== topic.id);
  const choice =
    topic.feeds === 0
      ? ""
      : html`<fieldset><legend>${t.feedsChoice(ctx.number(topic.feeds))}</legend>
        <label><input type="radio" name="feeds" value="move" required> ${t.moveFeedsTo}</label>
        <select name="moveTo" aria-label="${t.moveFeedsTo}">${others.map((o) => html`<option value="${o.id}">${o.name[ctx.locale]}</option>`)}</select>
        <label><input type="radio" name="feeds" value="with" required> ${t.withFeeds}</label>
      </fieldset>`;
  return html`<details><summary aria-label="${t.removeNamed(topic.name[ctx.locale])}">${t.remove}</summary>
      <form method="post" action="/admin/topics/${topic.id}/remove" class="stack">${csrfField(ctx)}
        <p class="muted small">${t.removeHint}</p>
        ${choice}
        <div><button type="submit" class="secondary">${t.removeButton}</button></div>
      </form>
    </details>`;
}

function topicRow(
  ctx: PageContext,
  topic: TopicFigures,
  topics: TopicFigures[],
  index: number,
  typed: RenameTyped | undefined,
): Html {
  const count = topics.length;
  const t = ctx.t.topics;
  const mine = typed?.id === topic.id ? typed : undefined;
  const vi = mine?.vi ?? topic.name.vi;
  const en = mine?.en ?? topic.name.en;
  return html`<tr id="topic-${topic.id}" data-slug="${topic.slug}">
  <td data-label="${t.slugColumn}"><code>${topic.slug}</code></td>
  <td data-label="${t.viColumn}" lang="vi">${topic.name.vi}</td>
  <td data-label="${t.enColumn}" lang="en">${topic.name.en}</td>
  <td data-label="${t.readersColumn}" class="num">${ctx.number(topic.readers)}</td>
  <td data-label="${t.storiesColumn}" class="num">${ctx.number(topic.stories)}</td>
  <td data-label="${t.feedsColumn}" class="num">${ctx.number(topic.feeds)}</td>
  <td data-label="${t.actionsColumn}">
    <div class="actions">${index > 0 ? moveForm(ctx, topic, "up") : ""}${index < count - 1 ? moveForm(ctx, topic, "down") : ""}</div>
    <details${mine ? html` open` : ""}><summary>${t.rename}</summary>
      <form method="post" action="/admin/topics/${topic.id}/rename" class="stack">${csrfField(ctx)}
        <label for="vi-${topic.id}">${t.viLabel}</label>
        <input id="vi-${topic.id}" name="vi" type="text" lang="vi" required maxlength="${TOPIC_NAME_MAX}" value="${vi}">
        <label for="en-${topic.id}">${t.enLabel}</label>
        <input id="en-${topic.id}" name="en" type="text" lang="en" required maxlength="${TOPIC_NAME_MAX}" value="${en}">
        <div><button type="submit">${ctx.t.common.save}</button></div>
      </form>
    </details>
    ${removeForm(ctx, topic, topics)}
  </td>
</tr>`;
}

function topicsTable(
  ctx: PageContext,
  topics: TopicFigures[],
  typed: RenameTyped | undefined,
): Html {
  const t = ctx.t.topics;
  if (topics.length === 0) return html`<p class="card">${t.empty}</p>`;
  return html`<div class="table-wrap"><table id="topics-table" class="phone-cards">
  <thead><tr><th>${t.slugColumn}</th><th>${t.viColumn}</th><th>${t.enColumn}</th><th class="num">${t.readersColumn}</th><th class="num">${t.storiesColumn}</th><th class="num">${t.feedsColumn}</th><th>${t.actionsColumn}</th></tr></thead>
  <tbody>${topics.map((topic, i) => topicRow(ctx, topic, topics, i, typed))}</tbody>
</table></div>`;
}

function addForm(ctx: PageContext, typed: AddForm): Html {
  const t = ctx.t.topics;
  return html`<form method="post" action="/admin/topics" class="card stack" id="add-topic">
    ${csrfField(ctx)}
    <label for="topic-slug">${t.slugLabel}</label>
    <input id="topic-slug" name="slug" type="text" required autocapitalize="none" autocomplete="off" spellcheck="false" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${typed.slug ?? ""}" placeholder="thoi-su" aria-describedby="topic-slug-hint">
    <span id="topic-slug-hint" class="muted small">${t.slugHint}</span>
    <label for="topic-vi">${t.viLabel}</label>
    <input id="topic-vi" name="vi" type="text" lang="vi" required maxlength="${TOPIC_NAME_MAX}" value="${typed.vi ?? ""}">
    <label for="topic-en">${t.enLabel}</label>
    <input id="topic-en" name="en" type="text" lang="en" required maxlength="${TOPIC_NAME_MAX}" value="${typed.en ?? ""}">
    <div><button type="submit">${t.addButton}</button></div>
  </form>`;
}

/** A refusal stays one (the page says it); a missing topic is the 404 page. */
function notFoundOrRefused(error: unknown): never {
  if (error instanceof TopicError && error.problem.code !== "notFound") throw error;
  return notFound(error);
}

/** A missing topic as the 404 page. */
function notFound(error: unknown): never {
  if (error instanceof TopicError && error.problem.code === "notFound") {
    throw Object.assign(error, { statusCode: 404 });
  }
  throw error;
}

export const topicsPage: ConsoleRoutes = (app, deps) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      notice?: string;
      error?: string;
      status?: number;
      typedAdd?: AddForm;
      typedRename?: RenameTyped;
    } = {},
  ) {
    const ctx = pageContext(deps, request, reply);
    const t = ctx.t.topics;
    const topics = await deps.services.topics.figures();
    return reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.topics,
          active: "topics",
          notice: extra.notice,
          error: extra.error,
          body: html`<p class="muted">${t.intro}</p>
          ${topicsTable(ctx, topics, extra.typedRename)}
          <h2>${t.addTitle}</h2>
          ${addForm(ctx, extra.typedAdd ?? {})}`,
        }),
      );
  }

  app.get("/admin/topics", { schema: { querystring: querySchema } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { done } = request.query as { done?: Done };
    return render(request, reply, done ? { notice: ctx.t.topics[done] } : {});
  });

  app.post("/admin/topics", { schema: { body: addBody } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const typed = request.body as AddForm;
    const slug = (typed.slug ?? "").trim().toLowerCase();
    let id: number;
    try {
      id = (
        await deps.services.topics.add(ctx.admin, { slug, vi: typed.vi ?? "", en: typed.en ?? "" })
      ).id;
    } catch (error) {
      const message = refusal(ctx, error);
      if (message === undefined) throw error;
      return render(request, reply, { status: 400, error: message, typedAdd: typed });
    }
    return reply.redirect(`/admin/topics?done=added#topic-${id}`, 303);
  });

  app.post(
    "/admin/topics/:id/rename",
    { schema: { params: idParams, body: namesBody } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const { id } = request.params as { id: number };
      const typed = request.body as { vi?: string; en?: string };
      const name = { vi: typed.vi ?? "", en: typed.en ?? "" };
      try {
        await deps.services.topics.rename(ctx.admin, { id }, name).catch(notFoundOrRefused);
      } catch (error) {
        const message = refusal(ctx, error);
        if (message === undefined) throw error;
        return render(request, reply, {
          status: 400,
          error: message,
          typedRename: { id, ...name },
        });
      }
      return reply.redirect(`/admin/topics?done=renamed#topic-${id}`, 303);
    },
  );

  app.post(
    "/admin/topics/:id/remove",
    { schema: { params: idParams, body: removeBody } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const { id } = request.params as { id: number };
      const body = request.body as { feeds?: "move" | "with"; moveTo?: string };
      const moveTo = body.feeds === "move" && body.moveTo ? Number(body.moveTo) : undefined;
      try {
        await deps.services.topics
          .remove(
            ctx.admin,
            { id },
            {
              ...(moveTo !== undefined ? { moveTo: { id: moveTo } } : {}),
              withFeeds: body.feeds === "with",
            },
          )
          .catch(notFoundOrRefused);
      } catch (error) {
        const message = refusal(ctx, error);
        if (message === undefined) throw error;
        return render(request, reply, { status: 400, error: message });
      }
      return reply.redirect("/admin/topics?done=removed", 303);
    },
  );

  app.post(
    "/admin/topics/:id/move",
    { schema: { params: idParams, body: moveBody } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const { id } = request.params as { id: number };
      const { direction } = request.body as { direction: MoveDirection };
      const { moved } = await deps.services.topics
        .move(ctx.admin, { id }, direction)
        .catch(notFound);
      // The first cannot go up nor the last down (the page offers neither): nothing to tell.
      if (!moved) return reply.redirect(`/admin/topics#topic-${id}`, 303);
      return reply.redirect(`/admin/topics?done=moved#topic-${id}`, 303);
    },
  );
};
