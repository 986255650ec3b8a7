/**
 * Deliveries: the outbox counted by platform and state, then the dead letters (messages the
 * sender gave up on) newest first with the reason, fifty a page, each of which an editor can send
 * again, or all at once. Only dead rows go again: a reader who blocked the bot is never written
 * to again, and sent or cancelled rows stay as they are.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { OutboxState } from "../../../delivery/outbox";
import { countOutboxByPlatformAndState, type DeadLetter } from "../../../delivery/outbox-counts";
import { DeliveryError } from "../../../services/deliveries";
import type { ConsoleDeps, PageContext } from "../context";
import { pageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, pager, platformName, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const PAGE_SIZE = 50;
/** Longer error texts are cut on the page (the row keeps all of it). */
const MAX_ERROR_CHARS = 500;
const STATES: readonly OutboxState[] = ["pending", "sent", "blocked", "dead", "cancelled"];

interface DeliveriesQuery {
  page?: number;
  done?: "retried";
  n?: number;
}

const querySchema = {
  type: "object",
  properties: {
    page: { type: "integer", minimum: 1, maximum: 1_000_000 },
    done: { type: "string", enum: ["retried"] },
    n: { type: "integer", minimum: 0 },
  },
} as const;

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

function countsTable(ctx: PageContext, counts: Map<string, Record<OutboxState, number>>): Html {
  const d = ctx.t.deliveries;
  if (counts.size === 0) return html`<p class="card">${d.noMessages}</p>`;
  // Each cell carries its column's name: on a phone the table is one card per platform.
  const cell = (label: string, n: number) =>
    html`<td class="num" data-label="${label}">${ctx.number(n)}</td>`;
  const cells = (byState: Record<OutboxState, number>) =>
    html`${STATES.map((s) => cell(d.state[s], byState[s]))}${cell(d.total, sum(byState))}`;
  const sum = (byState: Record<OutboxState, number>) => STATES.reduce((a, s) => a + byState[s], 0);
  const totals = Object.fromEntries(
    STATES.map((s) => [s, [...counts.values()].reduce((a, c) => a + c[s], 0)]),
  ) as Record<OutboxState, number>;
  const rows = [...counts].map(
    ([platform, byState]) =>
      html`<tr><th scope="row">${platformName(ctx, platform)}</th>${cells(byState)}</tr>`,
  );
  if (counts.size > 1) {
    rows.push(html`<tr><th scope="row">${d.total}</th>${cells(totals)}</tr>`);
  }
  return html`<div class="table-wrap"><table id="counts-table" class="phone-cards">
    <thead><tr><th>${d.platformColumn}</th>${STATES.map((s) => html`<th class="num">${d.state[s]}</th>`)}<th class="num">${d.total}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

function deadRow(ctx: PageContext, deps: ConsoleDeps, row: DeadLetter): Html {
  const d = ctx.t.deliveries;
  const error = row.lastError ?? "";
  const reader =
    row.chatId === null
      ? html`<span class="muted">#${row.readerId} ${d.readerGone}</span>`
      : html`${row.readerName ? html`${row.readerName}<br>` : ""}<span class="muted small">${row.chatId}</span>`;
  const c = d.column;
  return html`<tr id="dead-${row.id}">
    <td data-label="${c.id}" class="num">${row.id}</td>
    <td data-label="${c.platform}">${platformName(ctx, row.platform)}</td>
    <td data-label="${c.kind}">${d.kind[row.kind] ?? row.kind}${row.broadcastId !== null ? html` <span class="muted">#${row.broadcastId}</span>` : ""}</td>
    <td data-label="${c.reader}">${reader}</td>
    <td data-label="${c.attempts}" class="num">${row.attempts}</td>
    <td data-label="${c.error}" class="error-text">${error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error}</td>
    <td data-label="${c.lastTry}">${when(row.lastTryAt, deps.timeZone, ctx.now())}</td>
    <td data-label="${c.action}"><form method="post" action="/admin/deliveries/${row.id}/retry" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${d.retry}</button></form></td>
  </tr>`;
}

export const deliveriesPage: ConsoleRoutes = (app, deps) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { page?: number; notice?: string; error?: string; status?: number } = {},
  ) {
    const ctx = pageContext(deps, request, reply);
    const d = ctx.t.deliveries;
    const page = extra.page ?? 1;
    const [counts, dead, rows] = await Promise.all([
      countOutboxByPlatformAndState(deps.db),
      deps.services.deliveries.countDead(),
      deps.services.deliveries.deadLetters({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const pages = Math.max(1, Math.ceil(dead / PAGE_SIZE));
    const c = d.column;
    const deadList =
      dead === 0
        ? html`<p class="card">${d.noDead}</p>`
        : html`<p class="muted">${d.deadCount(ctx.number(dead))}</p>
          <form method="post" action="/admin/deliveries/retry" class="inline" data-confirm="${d.retryAllConfirm(ctx.number(dead))}">${csrfField(ctx)}<button type="submit">${d.retryAll}</button></form>
          ${
            rows.length === 0
              ? html`<p class="card">${d.emptyPage} <a href="/admin/deliveries">${d.pageOf("1", ctx.number(pages))}</a></p>`
              : html`<div class="table-wrap"><table id="dead-table" class="phone-cards">
            <thead><tr><th class="num">${c.id}</th><th>${c.platform}</th><th>${c.kind}</th><th>${c.reader}</th><th class="num">${c.attempts}</th><th>${c.error}</th><th>${c.lastTry}</th><th>${c.action}</th></tr></thead>
            <tbody>${rows.map((row) => deadRow(ctx, deps, row))}</tbody></table></div>`
          }
          ${pager(ctx, d, { page, pages, href: (n) => `/admin/deliveries?page=${n}` })}`;
    return reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(
        renderPage(ctx, {
          title: ctx.t.common.nav.deliveries,
          active: "deliveries",
          notice: extra.notice,
          error: extra.error,
          body: html`<p class="muted">${d.intro} ${ctx.t.common.zoneNote(deps.timeZone)}</p>
          <h2>${d.countsTitle}</h2>
          ${countsTable(ctx, counts)}
          <h2>${d.deadTitle}</h2>
          ${deadList}`,
        }),
      );
  }

  app.get("/admin/deliveries", { schema: { querystring: querySchema } }, async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const query = request.query as DeliveriesQuery;
    const notice = query.done === "retried" ? ctx.t.deliveries.retried(query.n ?? 0) : undefined;
    return render(request, reply, { page: query.page ?? 1, notice });
  });

  app.post(
    "/admin/deliveries/:id/retry",
    { schema: { params: idParams } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const d = ctx.t.deliveries;
      const { id } = request.params as { id: number };
      let count: number;
      try {
        count = await deps.services.deliveries.retry(ctx.admin, id);
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        const problem = error.problem;
        return problem.code === "notFound"
          ? render(request, reply, { status: 404, error: d.noSuchMessage(id) })
          : render(request, reply, { status: 400, error: d.notDead(id, d.state[problem.state]) });
      }
      return reply.redirect(`/admin/deliveries?done=retried&n=${count}`, 303);
    },
  );

  app.post("/admin/deliveries/retry", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const count = await deps.services.deliveries.retryAll(ctx.admin);
    return reply.redirect(`/admin/deliveries?done=retried&n=${count}`, 303);
  });
};
