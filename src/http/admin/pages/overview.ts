import { pageContext } from "../context";
import { html } from "../html";
import { renderPage } from "../layout";
import type { ConsoleRoutes } from "../plugin";

export const overviewPage: ConsoleRoutes = (app, deps) => {
  app.get("/admin", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    return reply.type("text/html; charset=utf-8").send(
      renderPage(ctx, {
        title: ctx.t.common.nav.overview,
        active: "overview",
        body: html`<p>…</p>`,
      }),
    );
  });
};
