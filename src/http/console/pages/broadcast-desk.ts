/**
 * The broadcasts page's part for breaking news that has not gone yet: send it now or schedule it
 * (a draft with a send time), test it on the editors' own chats first, and change the time or
 * the text of one waiting for its time, or cancel it. The services do the work (one audit trail
 * with the CLI); these routes only translate forms and answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Broadcast } from "../../../broadcasts/broadcasts";
import { changeScheduledBroadcast, testBroadcast } from "../../../services/broadcast-desk";
import { BroadcastError, MAX_BROADCAST_TEXT } from "../../../services/broadcasts";
import { type ConsoleDeps, type PageContext, pageContext } from "../context";
import { type Html, html } from "../html";
import { csrfField, when } from "../layout";
import { localInput, problemText } from "./broadcast-views";

const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

const changeBody = {
  type: "object",
  properties: {
    at: { type: "string", maxLength: 40 },
    text: { type: "string", maxLength: MAX_BROADCAST_TEXT * 4 },
  },
} as const;

/** What the page around these routes lends them. */
export interface DeskPage {
  broadcastOr404(request: FastifyRequest, reply: FastifyReply): Promise<Broadcast | undefined>;
  renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string; status?: number },
  ): Promise<unknown>;
}

/** The buttons under a draft or one waiting for its time. */
export function deskActions(
  ctx: PageContext,
  deps: ConsoleDeps,
  broadcast: Broadcast,
  count: number,
): Html {
  const b = ctx.t.broadcasts;
  const d = b.desk;
  const n = ctx.number(count);
  const id = broadcast.id;
  const test = html`<form method="post" action="/admin/broadcasts/${id}/test" id="test-form">${csrfField(ctx)}<button type="submit" class="secondary" aria-describedby="test-hint">${d.test}</button></form>`;
  const testHint = html`<p class="muted small" id="test-hint">${d.testHint}</p>`;
  if (broadcast.state === "scheduled") {
    const time = when(broadcast.sendAt, deps.timeZone, ctx.now());
    return html`<p class="notice" id="scheduled-notice">${d.scheduledNotice(time)}</p>
      <form method="post" action="/admin/broadcasts/${id}/change" id="change-form" class="card stack">
        ${csrfField(ctx)}
        <h2>${d.changeTitle}</h2>
        <label for="change-at">${d.sendAtLabel}</label>
        <input id="change-at" name="at" type="datetime-local" required value="${localInput(broadcast.sendAt, deps.timeZone)}" min="${localInput(ctx.now(), deps.timeZone)}">
        <label for="change-text">${d.textLabel}</label>
        <textarea id="change-text" name="text" maxlength="${MAX_BROADCAST_TEXT}">${broadcast.text}</textarea>
        <div><button type="submit">${d.save}</button></div>
      </form>
      <div class="actions">
        ${test}
        <form method="post" action="/admin/broadcasts/${id}/discard" id="discard-form" data-confirm="${d.cancelConfirm}">${csrfField(ctx)}<button type="submit" class="secondary">${d.cancel}</button></form>
      </div>
      ${testHint}`;
  }
  const time = broadcast.sendAt ? when(broadcast.sendAt, deps.timeZone, ctx.now()) : null;
  const send = time
    ? html`<form method="post" action="/admin/broadcasts/${id}/send" id="send-form" data-confirm="${d.scheduleConfirm(time, n)}">${csrfField(ctx)}<button type="submit">${d.schedule(time, n)}</button></form>`
    : html`<form method="post" action="/admin/broadcasts/${id}/send" id="send-form" data-confirm="${b.sendConfirm(n)}">${csrfField(ctx)}<button type="submit">${b.send(n)}</button></form>`;
  return html`<div class="actions">
      ${send}
      ${test}
      <form method="post" action="/admin/broadcasts/${id}/discard" id="discard-form">${csrfField(ctx)}<button type="submit" class="secondary">${b.discard}</button></form>
    </div>
    ${testHint}`;
}

/** What the page says after a test or a change. */
export function deskNotice(
  ctx: PageContext,
  _deps: ConsoleDeps,
  _broadcast: Broadcast,
  query: { done?: string; chats?: string },
): string | undefined {
  const d = ctx.t.broadcasts.desk;
  if (query.done === "tested") return d.tested(query.chats ?? "");
  if (query.done === "changed") return d.changed;
  return undefined;
}

export function broadcastDeskRoutes(app: FastifyInstance, deps: ConsoleDeps, page: DeskPage): void {
  app.post(
    "/admin/broadcasts/:id/test",
    { schema: { params: idParams } },
    async (request, reply) => {
      const broadcast = await page.broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      try {
        const test = await testBroadcast(
          deps.db,
          broadcast.id,
          ctx.admin,
          { editors: deps.editors ?? [], newsroom: deps.newsroom },
          ctx.now(),
        );
        const chats = encodeURIComponent(test.chats.join(", "));
        return reply.redirect(`/admin/broadcasts/${broadcast.id}?done=tested&chats=${chats}`, 303);
      } catch (error) {
        if (!(error instanceof BroadcastError)) throw error;
        return page.renderList(request, reply, { error: problemText(ctx, error), status: 400 });
      }
    },
  );

  app.post(
    "/admin/broadcasts/:id/change",
    { schema: { params: idParams, body: changeBody } },
    async (request, reply) => {
      const broadcast = await page.broadcastOr404(request, reply);
      if (!broadcast) return reply;
      const ctx = pageContext(deps, request, reply);
      const body = (request.body ?? {}) as { at?: string; text?: string };
      try {
        await changeScheduledBroadcast(
          deps.db,
          broadcast.id,
          ctx.admin,
          { at: body.at ?? null, text: body.text ?? null, timeZone: deps.timeZone },
          ctx.now(),
        );
        return reply.redirect(`/admin/broadcasts/${broadcast.id}?done=changed`, 303);
      } catch (error) {
        if (!(error instanceof BroadcastError)) throw error;
        return page.renderList(request, reply, { error: problemText(ctx, error), status: 400 });
      }
    },
  );
}
