/**
 * Signing in to the console: a one-time link from the bot's /admin (shown as a page with a
 * button, so a link preview that fetches it cannot use it up), or ADMIN_WEB_TOKEN in a form.
 * Either opens a session kept in a signed, HttpOnly, SameSite=Strict cookie. Sign-in attempts
 * are rate-limited per address. A session ends at sign-out, after SESSION_HOURS, or when its
 * admin leaves ADMINS.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SESSION_HOURS, TOKEN_ADMIN } from "../../editors/console-sessions";
import { sameSecret } from "../webhook";
import { type ConsoleDeps, LANGUAGE_COOKIE, pageContext } from "./context";
import { html } from "./html";
import { csrfField, renderPage } from "./layout";

export const SESSION_COOKIE = "bantin_session";

/** Sign-in attempts allowed per address and minute. */
const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;
const signInLimit = { rateLimit: { max: SIGN_IN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } };

function sessionToken(request: FastifyRequest): string | null {
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const unsigned = request.unsignCookie(cookie);
  return unsigned.valid ? unsigned.value : null;
}

/** The signed-in admin of this request, or null. */
export async function currentAdmin(
  deps: ConsoleDeps,
  request: FastifyRequest,
): Promise<string | null> {
  const token = sessionToken(request);
  return token ? deps.services.access.editorOf(token) : null;
}

async function openSession(
  deps: ConsoleDeps & { secureCookies: boolean },
  reply: FastifyReply,
  admin: string,
  how: "link" | "token",
): Promise<FastifyReply> {
  const token = await deps.services.access.openSession(admin, how);
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/admin",
    httpOnly: true,
    sameSite: "strict",
    secure: deps.secureCookies,
    signed: true,
    maxAge: SESSION_HOURS * 3600,
  });
  return reply.redirect("/admin", 303);
}

export function authRoutes(app: FastifyInstance, deps: ConsoleDeps & { secureCookies: boolean }) {
  function signInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; error?: string } = {},
  ): string {
    const ctx = pageContext(deps, request, reply);
    const { t } = ctx;
    const tokenForm = deps.adminWebToken
      ? html`<form method="post" action="/admin/login" class="card stack">
          ${csrfField(ctx)}
          <label for="token">${t.signIn.tokenLabel}</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required>
          <button type="submit">${t.signIn.tokenButton}</button>
        </form>`
      : "";
    return renderPage(ctx, {
      title: t.signIn.title,
      ...extra,
      body: html`<p>${t.signIn.howTo}</p>${tokenForm}
        <p><a href="/admin">${t.signIn.alreadyIn}</a></p>`,
    });
  }

  app.get("/admin/login", async (request, reply) => {
    const query = request.query as { out?: string };
    const ctx = pageContext(deps, request, reply);
    return reply
      .type("text/html; charset=utf-8")
      .send(signInPage(request, reply, query.out ? { notice: ctx.t.signIn.signedOut } : {}));
  });

  app.post(
    "/admin/login",
    {
      config: signInLimit,
      schema: {
        body: {
          type: "object",
          properties: { token: { type: "string", maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const given = (request.body as { token?: string }).token;
      if (deps.adminWebToken && sameSecret(given, deps.adminWebToken)) {
        return openSession(deps, reply, TOKEN_ADMIN, "token");
      }
      const ctx = pageContext(deps, request, reply);
      return reply
        .code(401)
        .type("text/html; charset=utf-8")
        .send(signInPage(request, reply, { error: ctx.t.signIn.tokenWrong }));
    },
  );

  const linkParams = {
    type: "object",
    properties: { token: { type: "string", pattern: "^[A-Za-z0-9_-]{20,100}$" } },
    required: ["token"],
  } as const;

  // The link itself only shows a button: opening it (or a preview fetching it) uses nothing.
  app.get("/admin/login/:token", { schema: { params: linkParams } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const ctx = pageContext(deps, request, reply);
    const { t } = ctx;
    if (!(await deps.services.access.linkIsValid(token))) {
      return reply
        .code(410)
        .type("text/html; charset=utf-8")
        .send(
          renderPage(ctx, {
            title: t.signIn.title,
            error: t.signIn.linkExpired,
            body: html`<p>${t.signIn.howTo}</p>`,
          }),
        );
    }
    return reply.type("text/html; charset=utf-8").send(
      renderPage(ctx, {
        title: t.signIn.linkTitle,
        body: html`<form method="post" action="/admin/login/${token}" class="card stack">
          ${csrfField(ctx)}
          <p>${t.signIn.linkIntro}</p>
          <button type="submit" id="sign-in">${t.signIn.linkButton}</button>
        </form>`,
      }),
    );
  });

  app.post(
    "/admin/login/:token",
    { config: signInLimit, schema: { params: linkParams } },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(deps, request, reply);
      const admin = await deps.services.access.redeemLink(token);
      if (!admin) {
        return reply
          .code(410)
          .type("text/html; charset=utf-8")
          .send(
            renderPage(ctx, {
              title: ctx.t.signIn.title,
              error: ctx.t.signIn.linkExpired,
              body: html`<p>${ctx.t.signIn.howTo}</p>`,
            }),
          );
      }
      return openSession(deps, reply, admin, "link");
    },
  );

  app.post("/admin/logout", async (request, reply) => {
    const token = sessionToken(request);
    if (token) await deps.services.access.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: "/admin" });
    return reply.redirect("/admin/login?out=1", 303);
  });

  // The language switch: a cookie for a year, then back to the page it was pressed on.
  app.get("/admin/lang", async (request, reply) => {
    const query = request.query as { to?: string; back?: string };
    const locale = query.to === "en" ? "en" : "vi";
    reply.setCookie(LANGUAGE_COOKIE, locale, {
      path: "/admin",
      sameSite: "strict",
      httpOnly: true,
      maxAge: 365 * 24 * 3600,
    });
    const back = query.back ?? "";
    return reply.redirect(/^\/admin(\/[A-Za-z0-9/_-]*)?$/.test(back) ? back : "/admin", 303);
  });
}
