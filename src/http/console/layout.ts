/** The console's page frame: head, navigation, language switch, sign-out, notices. */

import { showEditor } from "../../editors/editor-names";
import type { NavKey } from "../../message/i18n/console";
import { formatEditorDue, formatEditorTime } from "../../text/time";
import type { PageContext } from "./context";
import { type Html, html } from "./html";

const NAV: readonly NavKey[] = ["overview", "feeds", "topics", "broadcasts", "deliveries", "audit"];
const NAV_PATH: Record<NavKey, string> = {
  overview: "/admin",
  feeds: "/admin/feeds",
  topics: "/admin/topics",
  broadcasts: "/admin/broadcasts",
  deliveries: "/admin/deliveries",
  audit: "/admin/audit",
};

/** The hidden field every form carries; a form posted without it is refused (403). */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

/**
 * A time as editors read it, the same on the CLI: "2026-12-05 08:00 (GMT+7)" in the newsroom's
 * zone; "" for none. (`now` is kept for the pages that pass it.)
 */
export function when(iso: string | null | undefined, timeZone: string, _now?: string): string {
  return iso ? formatEditorTime(iso, timeZone) : "";
}

/** A time something is due (a feed's next check): "now" in the editor's words once it is due. */
export function whenDue(
  ctx: PageContext,
  iso: string | null | undefined,
  timeZone: string,
): string {
  return iso ? formatEditorDue(iso, timeZone, ctx.now(), ctx.t.common.now) : "";
}

/**
 * Who did something, as the console shows it: "Lan Nguyễn (telegram:5000)" when their name is
 * kept, the command line and the sign-in token in words, anyone else by their id.
 */
export function actorName(
  ctx: PageContext,
  actor: string,
  names: ReadonlyMap<string, string>,
): string {
  const words = ctx.t.common.actor;
  if (actor === "cli") return `${words.cli} (cli)`;
  if (actor === "token") return words.token;
  if (actor === "reader") return words.reader; // a reader's own erasure: nothing of them kept
  return showEditor(actor, names.get(actor));
}

/** A platform's name as the console shows it ("Telegram", "Zalo", "Thử nghiệm"). */
export function platformName(ctx: PageContext, platform: string): string {
  const names: Record<string, string> = ctx.t.common.platform;
  return names[platform] ?? platform;
}

/** What a list's pager says, in the page's own catalogue part. */
export interface PagerText {
  pageOf(page: string, pages: string): string;
  previous: string;
  next: string;
}

/** "← Newer · Page 2 of 5 · Older →" under a list; nothing when it fits on one page. */
export function pager(
  ctx: PageContext,
  text: PagerText,
  at: { page: number; pages: number; href(page: number): string },
): Html {
  const { page, pages } = at;
  if (pages <= 1 && page === 1) return html``;
  const label = text.pageOf(ctx.number(page), ctx.number(pages));
  return html`<nav class="row" aria-label="${label}">
    ${page > 1 ? html`<a href="${at.href(Math.min(page - 1, pages))}" rel="prev">${text.previous}</a>` : ""}
    <span class="muted">${label}</span>
    ${page < pages ? html`<a href="${at.href(page + 1)}" rel="next">${text.next}</a>` : ""}
  </nav>`;
}

export interface PageParts {
  title: string;
  /** The navigation entry shown as current (none on the sign-in pages). */
  active?: NavKey;
  body: Html;
  /** A line of good news at the top ("Feed added"). */
  notice?: string | undefined;
  /** A line of bad news at the top, shown as an alert. */
  error?: string | undefined;
}

export function renderPage(ctx: PageContext, parts: PageParts): string {
  const { t } = ctx;
  const other = ctx.locale === "vi" ? "en" : "vi";
  const nav = ctx.admin
    ? html`<nav class="nav" aria-label="${t.common.title}">
        ${NAV.map(
          (key) =>
            html`<a href="${NAV_PATH[key]}"${parts.active === key ? html` aria-current="page"` : ""}>${t.common.nav[key]}</a>`,
        )}
      </nav>`
    : "";
  const account = ctx.admin
    ? html`<form method="post" action="/admin/logout" class="inline">${csrfField(ctx)}
        <span class="who">${t.common.signedInAs(actorName(ctx, ctx.admin, new Map(ctx.adminName ? [[ctx.admin, ctx.adminName]] : [])))}</span>
        <button type="submit" class="link">${t.common.signOut}</button></form>`
    : "";
  return `<!doctype html>${html`<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · ${ctx.newsroom} · ${t.common.title}</title>
<link rel="stylesheet" href="/admin/assets/console.css">
<script src="/admin/assets/console.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/admin">${ctx.newsroom} · ${t.common.title}</a>
  <div class="account">${account}
    <a class="lang" href="/admin/lang?to=${other}&amp;back=${encodeURIComponent(ctx.path)}" lang="${other}">${t.common.otherLanguage}</a>
  </div>
  ${nav}
</header>
<main>
  <h1>${parts.title}</h1>
  ${parts.notice ? html`<p class="notice" role="status">${parts.notice}</p>` : ""}
  ${parts.error ? html`<p class="error" role="alert">${parts.error}</p>` : ""}
  ${parts.body}
</main>
</body>
</html>`}`;
}
