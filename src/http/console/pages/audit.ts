/**
 * The audit log: every admin action, newest first, fifty a page, filtered by who (everyone seen
 * in the log), by action (exact or its start: "broadcast" finds "broadcast.confirm") and by day
 * (from 00:00 of that day in the newsroom's zone). The filter form is a GET: a filtered page can
 * be bookmarked and shared.
 */
import type { FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import { type AuditEntry, countAudit, listAudit, listAuditActors } from "../../../editors/audit";
import { describeAudit } from "../../../editors/audit-actions";
import { editorNames } from "../../../editors/editor-names";
import { localParts } from "../../../text/time";
import type { ConsoleDeps, PageContext } from "../context";
import { pageContext } from "../context";
import { explainFeedError } from "../feed-errors";
import { type Html, html } from "../html";
import { actorName, pager, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const PAGE_SIZE = 50;
const MAX_FILTER_CHARS = 100;
/** The details column is cut after this many characters. */
const MAX_DETAIL_CHARS = 400;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const querySchema = {
  type: "object",
  properties: {
    actor: { type: "string", maxLength: MAX_FILTER_CHARS },
    action: { type: "string", maxLength: MAX_FILTER_CHARS },
    since: { type: "string", pattern: "^(\\d{4}-\\d{2}-\\d{2})?$" },
    page: { type: "integer", minimum: 1, maximum: 1_000_000 },
  },
} as const;

/** The filters as typed (shown back in the form), each "" when not set. */
interface Typed {
  actor: string;
  action: string;
  since: string;
}

/**
 * The instant a calendar day ("2026-01-27") starts in a zone, as ISO; null when there is no such
 * day ("2026-02-30"). Two rounds find the zone's offset at that moment, daylight saving included.
 */
export function startOfDay(day: string, timeZone: string): string | null {
  if (!DAY.test(day)) return null;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, date);
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 10) !== day) return null;
  let at = wall;
  for (let round = 0; round < 2; round++) {
    const local = localParts(new Date(at), timeZone);
    const offset = Date.parse(`${local.date}T${local.time}:00.000Z`) - at;
    at = wall - offset;
  }
  return new Date(at).toISOString();
}

/** The details in plain words, in the admin's language, long ones cut. */
function details(ctx: PageContext, entry: AuditEntry): string {
  const words = describeAudit(entry, ctx.t.audit.say, {
    explainError: (error) => explainFeedError(error, ctx.locale, ctx.t.feeds.errorGist),
  });
  return words.length > MAX_DETAIL_CHARS ? `${words.slice(0, MAX_DETAIL_CHARS - 1)}…` : words;
}

type Names = ReadonlyMap<string, string>;

function entryRow(ctx: PageContext, deps: ConsoleDeps, names: Names, entry: AuditEntry): Html {
  const c = ctx.t.audit.column;
  return html`<tr id="audit-${entry.id}">
    <td data-label="${c.time}">${when(entry.at, deps.timeZone)}</td>
    <td data-label="${c.actor}">${actorName(ctx, entry.actor, names)}</td>
    <td data-label="${c.action}">${entry.action}</td>
    <td data-label="${c.details}" class="small">${details(ctx, entry)}</td>
  </tr>`;
}

function filterForm(
  ctx: PageContext,
  deps: ConsoleDeps,
  names: Names,
  actors: string[],
  typed: Typed,
): Html {
  const a = ctx.t.audit;
  const choices = typed.actor && !actors.includes(typed.actor) ? [typed.actor, ...actors] : actors;
  return html`<form method="get" action="/admin/audit" class="card stack" id="audit-filter">
    <label for="audit-actor">${a.actorLabel}</label>
    <select id="audit-actor" name="actor">
      <option value="">${a.allActors}</option>
      ${choices.map((actor) => html`<option value="${actor}"${actor === typed.actor ? html` selected` : ""}>${actorName(ctx, actor, names)}</option>`)}
    </select>
    <label for="audit-action">${a.actionLabel}</label>
    <input id="audit-action" name="action" type="text" maxlength="${MAX_FILTER_CHARS}" value="${typed.action}" aria-describedby="audit-action-hint" autocapitalize="off" spellcheck="false">
    <span id="audit-action-hint" class="muted small">${a.actionHint}</span>
    <label for="audit-since">${a.sinceLabel}</label>
    <input id="audit-since" name="since" type="date" value="${typed.since}" aria-describedby="audit-since-hint">
    <span id="audit-since-hint" class="muted small">${a.sinceHint(deps.timeZone)}</span>
    <div class="row"><button type="submit">${a.filter}</button> <a href="/admin/audit">${a.clear}</a></div>
  </form>`;
}

/** The page's address with the same filters, on page `page`. */
function pageHref(typed: Typed, page: number): string {
  const query = new URLSearchParams();
  for (const key of ["actor", "action", "since"] as const) {
    if (typed[key]) query.set(key, typed[key]);
  }
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/admin/audit?${text}` : "/admin/audit";
}

export const auditPage: ConsoleRoutes = (app, deps) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: { typed: Typed; page: number; since?: string; error?: string; status?: number },
  ) {
    const ctx = pageContext(deps, request, reply);
    const a = ctx.t.audit;
    const { typed, page } = view;
    const filter = view.error
      ? undefined
      : {
          ...(typed.actor ? { actor: typed.actor } : {}),
          ...(typed.action ? { action: typed.action } : {}),
          ...(view.since ? { since: view.since } : {}),
        };
    const [names, actors, total, entries] = await Promise.all([
      editorNames(deps.db),
      listAuditActors(deps.db),
      filter ? countAudit(deps.db, filter) : 0,
      filter
        ? listAudit(deps.db, { ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
        : [],
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const filtered = Boolean(typed.actor || typed.action || typed.since);
    const c = a.column;
    let list: Html;
    if (!filter) list = html``;
    else if (total === 0) list = html`<p class="card">${filtered ? a.noMatch : a.empty}</p>`;
    else {
      const first = (page - 1) * PAGE_SIZE;
      list = html`<p class="muted">${entries.length > 0 ? a.shown(ctx.number(first + 1), ctx.number(first + entries.length), ctx.number(total)) : a.pageOf(ctx.number(page), ctx.number(pages))}</p>
        ${
          entries.length === 0
            ? ""
            : html`<div class="table-wrap"><table id="audit-table" class="phone-cards">
          <thead><tr><th>${c.time}</th><th>${c.actor}</th><th>${c.action}</th><th>${c.details}</th></tr></thead>
          <tbody>${entries.map((entry) => entryRow(ctx, deps, names, entry))}</tbody></table></div>`
        }
        ${pager(ctx, a, { page, pages, href: (n) => pageHref(typed, n) })}`;
    }
    return reply
      .code(view.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.audit,
          active: "audit",
          error: view.error,
          body: html`<p class="muted">${a.intro} ${ctx.t.common.zoneNote(deps.timeZone)}</p>
          ${filterForm(ctx, deps, names, actors, typed)}
          ${list}`,
        }),
      );
  }

  app.get(
    "/admin/audit",
    { schema: { querystring: querySchema }, attachValidation: true },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      // What was typed, read from the address itself: shown back in the form, even when bad.
      const raw = new URLSearchParams(request.url.split("?")[1] ?? "");
      const typed: Typed = {
        actor: (raw.get("actor") ?? "").slice(0, MAX_FILTER_CHARS),
        action: (raw.get("action") ?? "").trim().slice(0, MAX_FILTER_CHARS),
        since: (raw.get("since") ?? "").slice(0, 10),
      };
      const invalid: FastifySchemaValidationError[] = request.validationError?.validation ?? [];
      if (request.validationError) {
        const badSince = invalid.some((v) => v.instancePath === "/since");
        const error = badSince ? ctx.t.audit.badSince : ctx.t.audit.badFilter;
        return render(request, reply, { typed, page: 1, error, status: 400 });
      }
      const since = typed.since ? startOfDay(typed.since, deps.timeZone) : undefined;
      if (since === null) {
        return render(request, reply, { typed, page: 1, error: ctx.t.audit.badSince, status: 400 });
      }
      const { page } = request.query as { page?: number };
      return render(request, reply, { typed, page: page ?? 1, ...(since ? { since } : {}) });
    },
  );
};
