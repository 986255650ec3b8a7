import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONSOLE_TOKEN,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";

const CONSOLE_PATHS = [
  "/admin",
  "/admin/feeds",
  "/admin/topics",
  "/admin/broadcasts",
  "/admin/deliveries",
  "/admin/audit",
];

describe("signing in to the console", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("answers nothing with data without a session", async () => {
    const client = h.client();
    for (const path of CONSOLE_PATHS) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.location).toBe("/admin/login");
    }
    const post = await client.post("/admin/logout", {}, { csrf: false });
    expect([401, 403]).toContain(post.status);
  });

  it("signs in once through the bot's one-time link, which then no longer works", async () => {
    const link = new URL(await h.signInLink());
    expect(link.origin).toBe(h.running.http.url);
    const client = h.client();
    const page = await client.get(link.pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Đăng nhập");
    const answer = await client.post(link.pathname);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/admin");
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith("bantin_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await client.get("/admin")).status).toBe(200);

    const again = h.client();
    const used = await again.get(link.pathname);
    expect(used.status).toBe(410);
    expect(used.body).toContain("hết hạn hoặc đã được dùng");
    await again.get("/admin/login"); // a good form token, still no way in
    expect((await again.post(link.pathname)).status).toBe(410);
    expect(again.cookies.has("bantin_session")).toBe(false);
  });

  it("refuses a form posted without its CSRF token", async () => {
    const client = h.client();
    await client.get("/admin/login");
    const answer = await client.post("/admin/login", { token: CONSOLE_TOKEN }, { csrf: false });
    expect(answer.status).toBe(403);
    expect(client.cookies.has("bantin_session")).toBe(false);
  });

  it("signs in with ADMIN_WEB_TOKEN, refuses a wrong one, and signs out", async () => {
    const client = h.client();
    await client.get("/admin/login");
    expect((await client.post("/admin/login", { token: "wrong-token-xxxxxxxx" })).status).toBe(401);
    const ok = await client.post("/admin/login", { token: CONSOLE_TOKEN });
    expect(ok.status).toBe(303);
    const overview = await client.get("/admin");
    expect(overview.status).toBe(200);
    const csp = overview.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const out = await client.post("/admin/logout");
    expect(out.status).toBe(303);
    expect((await client.get("/admin")).status).toBe(303);
  });

  // Last: it uses up this address's sign-in attempts for the minute.
  it("rate-limits sign-in attempts per address", async () => {
    const client = h.client();
    await client.get("/admin/login");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await client.post("/admin/login", { token: `wrong-token-${i}-xxxxxxxx` })).status,
      );
    }
    expect(statuses).toContain(429);
    const refused = await client.post("/admin/login", { token: CONSOLE_TOKEN });
    expect(refused.status).toBe(429);
    expect(refused.body).toContain("quá nhiều lần");
    expect(client.cookies.has("bantin_session")).toBe(false);
  });
});
