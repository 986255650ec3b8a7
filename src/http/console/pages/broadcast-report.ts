/**
 * One broadcast's reach report: per platform, readers sent, blocked and failed, the time until
 * 50 %, 90 % and 100 % were sent, and the opens of its story within 24 hours (counted, no reader
 * kept). The same service as `bantin broadcast report` reads it; linked from the broadcast's page.
 */
import {
  type BroadcastReport,
  BroadcastReportError,
  broadcastReport,
  type PlatformReport,
} from "../../../services/broadcast-report";
import { type PageContext, pageContext } from "../context";
import { type Html, html } from "../html";
import { platformName, renderPage, when } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

type Row = Omit<PlatformReport, "secondsTo50" | "secondsTo90" | "secondsTo100"> &
  Partial<Pick<PlatformReport, "secondsTo50" | "secondsTo90" | "secondsTo100">>;

function reportRow(ctx: PageContext, report: BroadcastReport, row: Row, name: string): Html {
  const r = ctx.t.broadcastReport;
  const c = r.column;
  const hours = ctx.number(report.opensWindowHours);
  const time = (s: number | null | undefined) => (s === undefined ? "" : r.seconds(s));
  return html`<tr id="report-${row.platform}">
    <td data-label="${c.platform}">${name}</td>
    <td class="num" data-label="${c.readers}">${ctx.number(row.readers)}</td>
    <td class="num" data-label="${c.sent}">${ctx.number(row.sent)}</td>
    <td class="num" data-label="${c.blocked}">${ctx.number(row.blocked)}</td>
    <td class="num" data-label="${c.failed}">${ctx.number(row.failed)}</td>
    <td class="num" data-label="${c.waiting}">${ctx.number(row.waiting)}</td>
    <td class="num" data-label="${c.to50}">${time(row.secondsTo50)}</td>
    <td class="num" data-label="${c.to90}">${time(row.secondsTo90)}</td>
    <td class="num" data-label="${c.to100}">${time(row.secondsTo100)}</td>
    ${row.opens === null ? "" : html`<td class="num" data-label="${c.opens(hours)}">${ctx.number(row.opens)}</td>`}
  </tr>`;
}

function reportTable(ctx: PageContext, report: BroadcastReport): Html {
  const r = ctx.t.broadcastReport;
  const c = r.column;
  const withOpens = report.total.opens !== null;
  const hours = ctx.number(report.opensWindowHours);
  return html`<div class="table-wrap"><table id="report-table" class="phone-cards">
    <thead><tr><th>${c.platform}</th><th class="num">${c.readers}</th><th class="num">${c.sent}</th><th class="num">${c.blocked}</th><th class="num">${c.failed}</th><th class="num">${c.waiting}</th><th class="num">${c.to50}</th><th class="num">${c.to90}</th><th class="num">${c.to100}</th>${withOpens ? html`<th class="num">${c.opens(hours)}</th>` : ""}</tr></thead>
    <tbody>${report.platforms.map((row) => reportRow(ctx, report, row, platformName(ctx, row.platform)))}
    ${report.platforms.length > 1 ? reportRow(ctx, report, { ...report.total, platform: "all" }, r.allPlatforms) : ""}</tbody></table></div>`;
}

export const broadcastReportPage: ConsoleRoutes = (app, deps) => {
  app.get(
    "/admin/broadcasts/:id/report",
    { schema: { params: idParams } },
    async (request, reply) => {
      const ctx = pageContext(deps, request, reply);
      const r = ctx.t.broadcastReport;
      const { id } = request.params as { id: number };
      let report: BroadcastReport;
      try {
        report = await broadcastReport(deps.db, id, ctx.now());
      } catch (error) {
        if (!(error instanceof BroadcastReportError)) throw error;
        return reply
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
      }
      const b = ctx.t.broadcasts;
      const at = (iso: string | null) => when(iso, deps.timeZone, ctx.now());
      const body = !report.startedAt
        ? html`<p class="notice" id="report-empty">${r.notStarted}</p>`
        : report.platforms.length === 0
          ? html`<p class="notice" id="report-empty">${r.nobody}</p>`
          : html`${reportTable(ctx, report)}
            <p class="muted small" id="report-opens-note">${report.total.opens === null ? r.noStory : r.opensNote}</p>`;
      return reply.type("text/html; charset=utf-8").send(
        renderPage(ctx, {
          title: r.title(report.id),
          active: "broadcasts",
          body: html`<p class="muted">${r.intro(ctx.number(report.opensWindowHours))}</p>
            <dl class="facts">
              <div><dt>${b.column.author}</dt><dd>${b.createdBy(report.author, at(report.createdAt))}</dd></div>
              ${report.startedAt ? html`<div><dt>${b.column.state}</dt><dd>${b.startedAt(at(report.startedAt))}${report.finishedAt ? html`<br>${b.finishedAt(at(report.finishedAt))}` : ""}</dd></div>` : ""}
            </dl>
            ${body}
            <p><a href="/admin/broadcasts/${report.id}">${r.back}</a></p>`,
        }),
      );
    },
  );
};
