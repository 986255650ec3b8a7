/**
 * The newsroom's console under /admin, as one Fastify plugin: signed cookies, form bodies,
 * security headers with a CSP that allows no inline script, a CSRF token checked on every POST
 * (403 without it), sign-in attempts rate-limited, and a session required for everything but the
 * sign-in pages, the language switch and the static assets. Each page registers its own routes.
 */
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormBody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyError, FastifyInstance } from "fastify";
import { cookieKey } from "../../editors/console-sessions";
import { editorNameOf } from "../../editors/editor-names";
import type { HttpPlugin } from "../server";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets";
import { authRoutes, currentAdmin } from "./auth";
import { type ConsoleDeps, pageContext } from "./context";
import { html } from "./html";
import { renderPage } from "./layout";

/** A page's routes, registered on the console's context (paths start with /admin). */
export type ConsoleRoutes = (app: FastifyInstance, deps: ConsoleDeps) => void;

/** Forms are small; a broadcast's text is at most a few thousand characters. */
const FORM_BODY_LIMIT = 64 * 1024;

/** Paths open without a session: signing in, the language switch, the stylesheet and script. */
function isPublic(path: string): boolean {
  return (
    path === "/admin/login" ||
    path.startsWith("/admin/login/") ||
    path === "/admin/lang" ||
    path.startsWith("/admin/assets/")
  );
}

export function adminConsole(
  deps: ConsoleDeps & {
    /** Cookies only over HTTPS (PUBLIC_URL is https). */
    secureCookies: boolean;
  },
  pages: readonly ConsoleRoutes[],
): HttpPlugin {
  return async (root) => {
    const secret = await cookieKey(deps.db);
    await root.register(async (app) => {
      await app.register(fastifyCookie, { secret });
      await app.register(fastifyFormBody, { bodyLimit: FORM_BODY_LIMIT });
      await app.register(fastifyHelmet, {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", "data:"],
            connectSrc: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            baseUri: ["'none'"],
            objectSrc: ["'none'"],
          },
        },
        // Plain http on 127.0.0.1 is allowed for operators; HSTS only where cookies are secure.
        strictTransportSecurity: deps.secureCookies,
        referrerPolicy: { policy: "no-referrer" },
      });
      await app.register(fastifyCsrf, {
        sessionPlugin: "@fastify/cookie",
        cookieKey: "bantin_csrf",
        cookieOpts: {
          path: "/admin",
          httpOnly: true,
          sameSite: "strict",
          signed: true,
          secure: deps.secureCookies,
        },
      });
      await app.register(fastifyRateLimit, { global: false });

      // Who asks: a session, unless the path is public; a page without one goes to sign-in.
      app.addHook("onRequest", async (request, reply) => {
        const path = request.url.split("?")[0] ?? "";
        if (isPublic(path)) return;
        const admin = await currentAdmin(deps, request);
        if (admin) {
          request.consoleAdmin = admin;
          request.consoleAdminName = await editorNameOf(deps.db, admin);
          return;
        }
        const accept = request.headers.accept ?? "";
        if (request.method === "GET" && !accept.includes("text/event-stream")) {
          return reply.redirect("/admin/login", 303);
        }
        // A form sent after the session ended: say so in the admin's language, change nothing.
        if (request.method === "POST" && accept.includes("text/html")) {
          const ctx = pageContext(deps, request, reply);
          return reply
            .code(401)
            .type("text/html; charset=utf-8")
            .send(
              renderPage(ctx, {
                title: ctx.t.signIn.title,
                error: ctx.t.common.sessionEnded,
                body: html`<p><a class="button" href="/admin/login">${ctx.t.common.signInAgain}</a></p>`,
              }),
            );
        }
        return reply.code(401).type("text/plain; charset=utf-8").send("sign in first\n");
      });
      // Every form carries its CSRF token; a POST without a good one is refused (403).
      app.addHook("preValidation", (request, reply, done) => {
        if (request.method !== "POST") return done();
        app.csrfProtection(request, reply, done);
      });
      // No page is cached: each shows live data, and none should outlive a sign-out.
      app.addHook("onSend", async (request, reply) => {
        if (!request.url.startsWith("/admin/assets/")) reply.header("cache-control", "no-store");
      });

      app.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error.statusCode ?? 500;
        const ctx = pageContext(deps, request, reply);
        let message: string;
        if (status === 403) message = ctx.t.common.csrfRefused;
        else if (status === 429) message = ctx.t.common.tooManyAttempts;
        else if (status === 404) message = ctx.t.common.notFound;
        // Schema and body errors are written for developers; the page says it plainly.
        else if (status < 500) message = ctx.t.common.badRequest;
        else {
          deps.logger.error(
            { subsystem: "console", path: ctx.path, error: error.message },
            "console request failed",
          );
          message = ctx.t.common.serverError;
        }
        const title = status >= 500 ? ctx.t.common.serverError : String(status);
        return reply
          .code(status)
          .type("text/html; charset=utf-8")
          .send(
            renderPage(ctx, {
              title,
              error: message,
              body: html`<p><a href="/admin">${ctx.t.common.back}</a></p>`,
            }),
          );
      });

      app.get("/admin/assets/console.css", async (_request, reply) =>
        reply
          .type("text/css; charset=utf-8")
          .header("cache-control", "max-age=3600")
          .send(CONSOLE_CSS),
      );
      app.get("/admin/assets/console.js", async (_request, reply) =>
        reply
          .type("text/javascript; charset=utf-8")
          .header("cache-control", "max-age=3600")
          .send(CONSOLE_JS),
      );

      authRoutes(app, deps);
      for (const page of pages) page(app, deps);
    });
  };
}
