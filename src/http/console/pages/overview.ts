/**
 * The overview: readers by platform and status, readers per topic, messages by state, today's
 * figures, the feeds' health in a line, the last 30 days as charts, and how many readers erased
 * their data each month (the only thing kept of them).
 */

import type { OutboxState } from "../../../delivery/outbox";
import { feedHealth, listFeeds } from "../../../news/feeds";
import { listTopics } from "../../../news/topics";
import { dailyActivity } from "../../../services/activity";
import { erasuresPerMonth } from "../../../services/reader-data";
import { collectStats } from "../../../services/stats";
import { barChart } from "../charts";
import { pageContext } from "../context";
import { html } from "../html";
import { renderPage } from "../layout";
import type { ConsoleRoutes } from "../plugin";

const CHART_DAYS = 30;
const ERASURE_MONTHS = 6;
const READER_STATUSES = ["active", "stopped", "blocked"] as const;
const PLATFORMS = ["telegram", "zalo", "terminal"] as const;
const OUTBOX_STATES: readonly OutboxState[] = ["pending", "sent", "blocked", "dead", "cancelled"];

export const overviewPage: ConsoleRoutes = (app, deps) => {
  app.get("/admin", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { t, number } = ctx;
    const o = t.overview;
    const now = deps.clock();
    const [stats, activity, topics, feeds, erasures] = await Promise.all([
      collectStats(deps.db),
      dailyActivity(deps.db, { now, timeZone: deps.timeZone, days: CHART_DAYS }),
      listTopics(deps.db),
      listFeeds(deps.db),
      erasuresPerMonth(deps.db, { now, timeZone: deps.timeZone, months: ERASURE_MONTHS }),
    ]);

    const health = feeds.map(feedHealth);
    const feedCounts = {
      total: number(feeds.length),
      ok: number(health.filter((h) => h === "ok" || h === "page problems" || h === "new").length),
      failing: number(health.filter((h) => h === "failing").length),
      paused: number(health.filter((h) => h === "paused").length),
    };
    const activeReaders = Object.values(stats.readers.byPlatform).reduce(
      (sum, byStatus) => sum + (byStatus.active ?? 0),
      0,
    );
    const cards = [
      { id: "active-readers", label: o.activeReaders, value: activeReaders },
      { id: "stories-today", label: o.storiesToday, value: activity.storiesStored.at(-1) ?? 0 },
      { id: "sent-today", label: o.sentToday, value: activity.messagesSent.at(-1) ?? 0 },
      { id: "dead-letters", label: o.deadLetters, value: stats.deliveries.dead },
    ];

    const platforms = PLATFORMS.filter((p) => stats.readers.byPlatform[p]);
    const readersTable =
      platforms.length === 0
        ? html`<p class="muted">${o.noReaders}</p>`
        : html`<div class="table-wrap"><table id="readers-table" class="phone-cards">
        <thead><tr><th>${o.platformColumn}</th>${READER_STATUSES.map((s) => html`<th class="num">${o.readerStatus[s]}</th>`)}<th class="num">${o.total}</th></tr></thead>
        <tbody>${platforms.map((p) => {
          const byStatus = stats.readers.byPlatform[p] ?? {};
          const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
          return html`<tr><th scope="row">${t.common.platform[p]}</th>${READER_STATUSES.map((s) => html`<td class="num" data-label="${o.readerStatus[s]}">${number(byStatus[s] ?? 0)}</td>`)}<td class="num" data-label="${o.total}">${number(total)}</td></tr>`;
        })}</tbody></table></div>`;

    const names = new Map(topics.map((c) => [c.slug, c.name[ctx.locale]]));
    const topicsTable =
      stats.topics.length === 0
        ? html`<p class="muted">${o.noTopics}</p>`
        : html`<div class="table-wrap"><table id="topics-table">
        <thead><tr><th>${o.topicColumn}</th><th class="num">${o.readersColumn}</th><th class="num">${o.storiesColumn}</th></tr></thead>
        <tbody>${stats.topics.map(
          (topic) =>
            html`<tr><td>${names.get(topic.slug) ?? topic.name}</td><td class="num">${number(topic.readers)}</td><td class="num">${number(topic.articles)}</td></tr>`,
        )}</tbody></table></div>`;

    const deliveriesTable = html`<div class="table-wrap"><table id="deliveries-table">
      <tbody>${OUTBOX_STATES.map(
        (state) =>
          html`<tr><th scope="row">${o.outboxState[state]}</th><td class="num">${number(stats.deliveries[state] ?? 0)}</td></tr>`,
      )}</tbody></table></div>`;

    const erasuresTable = html`<div class="table-wrap"><table id="erasures-table">
      <thead><tr><th>${o.monthColumn}</th><th class="num">${o.erasuresColumn}</th></tr></thead>
      <tbody>${erasures.map(
        (row) =>
          html`<tr><th scope="row">${o.month(row.month)}</th><td class="num">${number(row.erasures)}</td></tr>`,
      )}</tbody></table></div>
      <p class="muted small">${o.erasuresNote(ERASURE_MONTHS)}</p>`;

    const chart = (id: string, title: string, values: number[]) =>
      barChart({
        id,
        title,
        days: activity.days,
        values,
        summary: o.chartSummary(number(values.reduce((a, b) => a + b, 0)), CHART_DAYS),
        formatNumber: number,
      });

    return reply.type("text/html; charset=utf-8").send(
      renderPage(ctx, {
        title: t.common.nav.overview,
        active: "overview",
        body: html`<div class="cards">${cards.map(
          (card) =>
            html`<div class="card" id="${card.id}"><span class="figure">${number(card.value)}</span><span class="label">${card.label}</span></div>`,
        )}</div>
        <p class="card" id="feeds-line">${o.feedsLine(feedCounts)} <a href="/admin/feeds">${o.feedsLink}</a></p>
        <div class="grid2">
          <section><h2>${o.readersTitle}</h2>${readersTable}</section>
          <section><h2>${o.deliveriesTitle}</h2>${deliveriesTable}</section>
        </div>
        <div class="grid2">
          <section><h2>${o.topicsTitle}</h2>${topicsTable}</section>
          <section id="erasures"><h2>${o.erasuresTitle}</h2>${erasuresTable}</section>
        </div>
        <section><h2>${o.chartsTitle(CHART_DAYS)}</h2>
          <div class="grid2">
            ${chart("chart-stories", o.charts.storiesStored, activity.storiesStored)}
            ${chart("chart-sent", o.charts.messagesSent, activity.messagesSent)}
            ${chart("chart-readers", o.charts.newReaders, activity.newReaders)}
            ${chart("chart-opened", o.charts.storiesOpened, activity.storiesOpened)}
          </div>
          <p class="muted small">${t.common.zoneNote(deps.timeZone)}</p>
        </section>`,
      }),
    );
  });
};
