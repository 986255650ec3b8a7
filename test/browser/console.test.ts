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
import { findTopicBySlug } from "../../src/news/topics";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader } from "../../src/readers/readers";
import { eraseReader } from "../../src/services/reader-data";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { type ConsoleHarness, startConsoleHarness } from "../helpers/console-harness";
import { NOW, textOf } from "../helpers/telegram-harness";
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
  let site: FakeNewsSite;

  async function shoot(name: string) {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    site = await startFakeNewsSite();
    h = await startConsoleHarness({ env: { FETCH_ALLOW_PRIVATE: new URL(site.url).host } });
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
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
    await site?.close();
  }, 30_000);

  /** The page fits the phone's width: wide tables scroll inside their box, not the page. */
  async function expectNoSidewaysScroll() {
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
  }

  async function openFromMenu(name: string, heading: string) {
    await page.locator("nav.nav").getByRole("link", { name, exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe(heading);
    await expectNoSidewaysScroll();
  }

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

  it("shows readers' erasures per month on the overview, within the phone's width", async () => {
    const { reader } = await registerReader(
      h.db,
      { platform: "zalo", chatId: "erased-1", chatType: "private" },
      DEFAULTS,
      NOW.toISOString(),
    );
    await eraseReader(h.db, reader, NOW.toISOString());
    await page.goto(`${h.running.http.url}/admin`);
    const thisMonth = page.locator("#erasures-table tr").filter({ hasText: "01/2026" });
    await expect.poll(() => thisMonth.locator("td").textContent()).toBe("1");
    const box = await page.locator("#erasures-table").boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await expectNoSidewaysScroll();
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

  it("adds a feed and checks it now, from the phone", async () => {
    page.on("dialog", (dialog) => void dialog.accept());
    await openFromMenu("Nguồn tin", "Nguồn tin");
    await page.locator("#feed-url").fill(site.feedUrl("thoi-su"));
    await page.locator("#feed-topic").selectOption({ label: "Thời sự" });
    await page.locator("#add-feed button[type=submit]").click();
    await expect.poll(() => page.locator("p.notice").count()).toBe(1);
    const feed = page.locator("article.feed").filter({ hasText: site.feedUrl("thoi-su") });
    await feed.getByRole("button", { name: "Đọc thử ngay" }).click();
    await expect.poll(() => feed.locator("[data-health]").getAttribute("data-health")).toBe("ok");
    await expectNoSidewaysScroll();
    await shoot("feeds");
  });

  it("shows topics, deliveries and the audit log", async () => {
    await openFromMenu("Chủ đề", "Chủ đề");
    expect(await page.locator("table").first().textContent()).toContain("Thời sự");
    await shoot("topics");
    await openFromMenu("Gửi tin", "Gửi tin");
    await shoot("deliveries");
    await openFromMenu("Nhật ký", "Nhật ký");
    expect(await page.locator("main").textContent()).toContain("feed.add");
    await shoot("audit");
  });

  it("pins a story from the stories page, shown as cards on the phone", async () => {
    await openFromMenu("Tin bài", "Tin bài");
    const row = page.locator(`#story-${h.trickyId}`);
    // A card: its cells stack, within the phone's width.
    const box = await row.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await row.getByText("Ghim lên bản tin", { exact: true }).first().click();
    await row.getByLabel("Ghim đến (HH:MM hoặc ngày giờ)").fill("18:00");
    await row.getByRole("button", { name: "Ghim lên bản tin" }).click();
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain("Đã ghim bài lên đầu bản tin.");
    expect(await page.locator(`#story-${h.trickyId}`).textContent()).toContain(
      "📌 Ghim đến 2026-01-27 18:00 (GMT+7)",
    );
    await expectNoSidewaysScroll();
    await shoot("stories");
  });

  it("composes breaking news, previews it, sends it and watches progress reach 100%", async () => {
    await openFromMenu("Tin nóng", "Tin nóng");
    const count = page.locator("#audience-count");
    await page.locator("#topic").selectOption("thoi-su");
    // The count follows the chosen audience without a reload (20 of the readers follow thời sự).
    await expect
      .poll(() => count.textContent())
      .toBe("Sẽ gửi cho 20 bạn đọc. Theo nền tảng: Telegram 20 · Zalo 0");
    await page.locator("#platform").selectOption("telegram");
    await expect.poll(() => count.textContent()).toBe("Sẽ gửi cho 20 bạn đọc");
    await page
      .locator("#text")
      .fill(
        "Mưa lớn gây ngập nhiều tuyến phố ở trung tâm thành phố Lào Cai.\n\nBạn đọc hạn chế ra đường.",
      );
    await page.locator("#story").selectOption({ index: 1 });
    await shoot("broadcast-compose");
    await page.getByRole("button", { name: "Xem trước" }).click();
    await page.waitForURL(/\/admin\/broadcasts\/\d+$/);
    expect(await page.locator(".preview.telegram b").first().textContent()).toMatch(/TIN NÓNG/);
    expect(await page.locator(".preview.telegram").textContent()).toContain(
      "Bạn đọc hạn chế ra đường.",
    );
    // Only Telegram readers in the audience: no Zalo version to look at.
    expect(await page.locator(".preview.zalo").count()).toBe(0);
    await expectNoSidewaysScroll();
    await shoot("broadcast-preview");

    await page.getByRole("button", { name: "Gửi cho 20 bạn đọc" }).click();
    await page.locator("#progress-bar").waitFor();
    await expect
      .poll(() => page.locator("#progress-percent").textContent(), { timeout: 20_000 })
      .toBe("100%");
    await expect.poll(() => page.locator("#progress-state").textContent()).toBe("Đã gửi xong");
    // The heading follows: no longer "Đang gửi" once it is done.
    expect(await page.locator("h1").textContent()).toMatch(/^Đã gửi xong tin nóng #\d+$/);
    expect(await page.locator("#progress-summary").textContent()).toBe(
      "Đã gửi 20 · đã chặn bot 0 · lỗi 0 · còn lại 0",
    );
    expect(await page.locator("#stop-form").isVisible()).toBe(false);
    // Done, it says when: no longer "reload if progress stalls".
    await expect
      .poll(() => page.locator("#progress-hint").textContent())
      .toMatch(/^Đã gửi xong lúc \d{4}-\d\d-\d\d \d\d:\d\d \(GMT\+7\)\.$/);
    await shoot("broadcast-sending");
    // Sent as a photo with caption when the story has one.
    const delivered = [...h.fake.callsTo("sendMessage"), ...h.fake.callsTo("sendPhoto")].filter(
      (c) => /TIN NÓNG/.test(textOf(c)) && /Mưa lớn gây ngập/.test(textOf(c)),
    );
    expect(delivered).toHaveLength(20);
    // Its reach report, one link away: cards that fit the phone, the opens column with the story.
    await page.getByRole("link", { name: "Báo cáo lan tỏa" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/^Mức lan tỏa của tin nóng/);
    expect(await page.locator('#report-telegram td[data-label="Đã gửi"]').textContent()).toBe("20");
    expect(await page.locator("#report-telegram td").last().textContent()).toBe("0");
    await expectNoSidewaysScroll();
    await shoot("broadcast-report");
    await openFromMenu("Tin nóng", "Tin nóng");
    await shoot("broadcasts");
    await page.locator("nav.nav").getByRole("link", { name: "Tổng quan", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Tổng quan");
    await expectNoSidewaysScroll();
    await shoot("overview");
  });

  /**
   * Every cell of a table is on the phone's screen: inside the viewport's width and not hidden
   * by its box scrolling sideways. Answers each cell's column name and text.
   */
  async function expectCardsOnScreen(table: string): Promise<string[]> {
    const wrap = page.locator(`${table}`).locator("xpath=..");
    const inner = await wrap.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(inner, `${table} scrolls sideways`).toBeLessThanOrEqual(0);
    const seen: string[] = [];
    for (const cell of await page.locator(`${table} tbody td, ${table} tbody th`).all()) {
      const box = await cell.boundingBox();
      expect(box, `${table}: a cell is not shown`).not.toBeNull();
      expect(box?.x).toBeGreaterThanOrEqual(0);
      expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(await cell.isVisible()).toBe(true);
      seen.push(
        `${(await cell.getAttribute("data-label")) ?? ""}|${(await cell.textContent())?.trim()}`,
      );
    }
    return seen;
  }

  it("shows deliveries by state and readers by platform as cards on a phone, every column on screen", async () => {
    await openFromMenu("Gửi tin", "Gửi tin");
    const counts = await expectCardsOnScreen("#counts-table");
    // The columns that were off-screen: failed, cancelled and the total, each named.
    expect(counts).toEqual(
      expect.arrayContaining(["|Telegram", "Gửi hỏng|0", "Đã hủy|0", "Tổng|20"]),
    );
    await shoot("deliveries");
    await page.locator("nav.nav").getByRole("link", { name: "Tổng quan", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Tổng quan");
    const readers = await expectCardsOnScreen("#readers-table");
    expect(readers).toEqual(expect.arrayContaining(["|Telegram", `Tổng|${READERS + 1}`]));
    await expectNoSidewaysScroll();
  });

  it("schedules with the time picker and sends a test to the editor first", async () => {
    await openFromMenu("Tin nóng", "Tin nóng");
    await page.locator("#topic").selectOption(["thoi-su"]);
    await page.locator("#text").fill("Họp báo khẩn lúc trưa nay.");
    // The harness's clock says 10:00 on 27/01 in Hà Nội: the picker offers no earlier time.
    expect(await page.locator("#at").getAttribute("min")).toBe("2026-01-27T10:00");
    await page.locator("#at").fill("2026-01-27T12:00");
    await page.getByRole("button", { name: "Xem trước" }).click();
    await page.waitForURL(/\/admin\/broadcasts\/\d+$/);
    expect(await page.locator("#send-at").textContent()).toBe("2026-01-27 12:00 (GMT+7)");

    // A test first: only the editor's own chat gets it, and the page says so.
    const before = h.fake.callsTo("sendMessage").length;
    await page.getByRole("button", { name: "Gửi thử cho biên tập viên" }).click();
    await page.waitForURL(/done=tested/);
    expect(await page.locator(".notice").first().textContent()).toContain(
      "Đã gửi thử tới telegram:42. Bạn đọc chưa nhận được gì.",
    );
    await expect
      .poll(() =>
        h.fake
          .callsTo("sendMessage")
          .slice(before)
          .filter((c) => textOf(c).includes("Họp báo khẩn"))
          .map((c) => Number(c.params.chat_id)),
      )
      .toEqual([42]);

    await page
      .getByRole("button", { name: /^Hẹn gửi lúc 2026-01-27 12:00 \(GMT\+7\) cho \d+ bạn đọc$/ })
      .click();
    await page.locator("#scheduled-notice").waitFor();
    expect(await page.locator("h1").textContent()).toMatch(/^Tin nóng #\d+ đang chờ đến giờ gửi$/);
    expect(await page.locator("#scheduled-notice").textContent()).toBe(
      "Tin nóng này sẽ được gửi lúc 2026-01-27 12:00 (GMT+7). Trước giờ đó bạn vẫn có thể sửa hoặc hủy.",
    );
    await page.locator("#change-at").fill("2026-01-27T13:30");
    await page.getByRole("button", { name: "Lưu thay đổi" }).click();
    await page.waitForURL(/done=changed/);
    expect(await page.locator("#scheduled-notice").textContent()).toContain(
      "2026-01-27 13:30 (GMT+7)",
    );
    await expectNoSidewaysScroll();
    await shoot("broadcast-scheduled");
    await page.getByRole("button", { name: "Hủy, không gửi" }).click();
    await page.waitForURL(/done=discarded/);
    // Nobody but the editor got anything of it.
    expect(
      h.fake.callsTo("sendMessage").filter((c) => textOf(c).includes("Họp báo khẩn")),
    ).toHaveLength(1);
  });
});
