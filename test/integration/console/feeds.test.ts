/**
 * The feeds page: one card per feed with its health, and what an editor does with feeds (add,
 * check now, pause and resume, remove), over real HTTP against the real bot, with "check now"
 * reading the fake news site. Every change leaves an audit entry; a form without its CSRF token,
 * an unknown feed or a bad address changes nothing.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../../../src/editors/audit";
import {
  addFeed,
  findDueFeeds,
  getFeed,
  listFeeds,
  recordFetchFailure,
  recordFetchSuccess,
  setFeedPaused,
} from "../../../src/news/feeds";
import { addTopic, findTopicBySlug } from "../../../src/news/topics";
import { formatEditorTime } from "../../../src/text/time";
import { type FakeNewsSite, startFakeNewsSite } from "../../fakes/news-site";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { NOW } from "../../helpers/telegram-harness";

const ZONE = "Asia/Ho_Chi_Minh";
const MINUTE = 60_000;
/** An instant `minutes` from NOW (10:00 27/01 in Vietnam), as stored. */
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE).toISOString();
/** How the console shows an instant: "HH:MM DD/MM" in Vietnam's time. */
const shown = (iso: string) => formatEditorTime(iso, ZONE);

/** The card of feed `id`, or "" when the page has none. */
function card(body: string, id: number): string {
  return (
    new RegExp(`<article class="card feed" id="feed-${id}">[\\s\\S]*?</article>`).exec(body)?.[0] ??
    ""
  );
}

/** The ids of the feed cards, in the order shown. */
const cardIds = (body: string) =>
  [...body.matchAll(/<article class="card feed" id="feed-(\d+)">/g)].map((m) => Number(m[1]));

const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

/** A card's facts, term to description, as text. */
function facts(cardHtml: string): Record<string, string> {
  return Object.fromEntries(
    [...cardHtml.matchAll(/<dt>([\s\S]*?)<\/dt><dd[^>]*>([\s\S]*?)<\/dd>/g)].map((m) => [
      text(m[1] ?? ""),
      text(m[2] ?? ""),
    ]),
  );
}

/** The card's health badge: its data-health and its label. */
function badge(cardHtml: string): { health: string; label: string } {
  const m = /<span class="([^"]*)" data-health="([^"]*)">([^<]*)<\/span>/.exec(cardHtml);
  return { health: m?.[2] ?? "", label: `${m?.[1]}|${m?.[3]}` };
}

const notice = (body: string) => /<p class="notice" role="status">([^<]*)<\/p>/.exec(body)?.[1];
const alert = (body: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(body)?.[1];

describeStores("console: feeds", (store) => {
  let h: ConsoleHarness;
  let site: FakeNewsSite;
  let client: ConsoleClient;
  const topic: Record<string, number> = {};

  beforeAll(async () => {
    site = await startFakeNewsSite();
    h = await startConsoleHarness({
      // "Check now" reads the fake site on 127.0.0.1, which the fetch guard refuses otherwise.
      env: { FETCH_ALLOW_PRIVATE: new URL(site.url).host },
      ...(store.kind === "postgres" ? { databaseUrl: await store.newDatabaseUrl() } : {}),
    });
    for (const slug of ["thoi-su", "kinh-te", "xa-hoi", "the-thao"]) {
      topic[slug] = (await findTopicBySlug(h.db, slug))?.id as number;
    }
    client = await h.signedIn();
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
    await site?.close();
  });

  const audit = async (action: string) =>
    (await listAudit(h.db, { limit: 500 })).filter((e) => e.action === action);
  const storiesOf = async (sourceId: number) =>
    h.db.selectFrom("articles").select(["id", "url"]).where("source_id", "=", sourceId).execute();
  /** Adds a feed through the page and answers its id (the page shows it as new). */
  async function addThroughPage(url: string, slug: string): Promise<number> {
    await client.get("/admin/feeds");
    const answer = await client.post("/admin/feeds", { url, topic: String(topic[slug]) });
    expect(answer.status, answer.body).toBe(303);
    const source = (await listFeeds(h.db)).find((s) => s.url === url);
    expect(source).toBeDefined();
    return source?.id as number;
  }
  /** Keeps a seeded feed out of the scheduler's way: due only long after NOW. */
  const notDue = (id: number) =>
    h.db
      .updateTable("sources")
      .set({ next_check_at: at(30) })
      .where("id", "=", id)
      .execute();

  it("says so when there is no feed, and offers the topics to add one to", async () => {
    const page = await client.get("/admin/feeds");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Chưa có nguồn tin nào. Thêm nguồn đầu tiên ở dưới.");
    expect(cardIds(page.body)).toEqual([]);
    expect(page.body).toContain('<form method="post" action="/admin/feeds" class="card stack"');
    expect(page.body).toContain(`<option value="${topic["thoi-su"]}">Thời sự</option>`);
    expect(page.body).toContain("Giờ theo múi Asia/Ho_Chi_Minh");
    expect(page.body).not.toMatch(/style="/);
  });

  it("lists each feed with its health, topic, times, last error and page problems", async () => {
    const add = async (url: string, slug: string, fullText = false) => {
      const s = await addFeed(h.db, { url, topicId: topic[slug] as number, fullText });
      await notDue(s.id);
      return s.id;
    };
    const fresh = await add("https://baolaocai.vn/rss/the-thao.rss", "the-thao");
    const fine = await add("https://baolaocai.vn/rss/thoi-su.rss", "thoi-su", true);
    // It failed once, long ago, and recovered: the old error is not news.
    await recordFetchFailure(h.db, fine, { at: at(-120), error: "HTTP 502", nextCheckAt: at(-60) });
    await recordFetchSuccess(h.db, fine, {
      at: at(-15),
      nextCheckAt: at(15),
      pageProblems: { count: 0, last: null },
    });
    const pages = await add("https://baolaocai.vn/rss/kinh-te.rss", "kinh-te");
    await recordFetchSuccess(h.db, pages, {
      at: at(-5),
      nextCheckAt: at(10),
      pageProblems: { count: 2, last: "story page answered HTTP 404" },
    });
    const failing = await add("https://baolaocai.vn/rss/xa-hoi.rss", "xa-hoi");
    await recordFetchSuccess(h.db, failing, { at: at(-24 * 60), nextCheckAt: at(-60) });
    await recordFetchFailure(h.db, failing, {
      at: at(-60),
      error: "HTTP 503",
      nextCheckAt: at(-30),
    });
    await recordFetchFailure(h.db, failing, {
      at: at(-30),
      error: "HTTP 503 Service Unavailable",
      nextCheckAt: at(20),
    });
    const paused = await add("https://baolaocai.vn/rss/van-hoa.rss", "thoi-su");
    await recordFetchFailure(h.db, paused, { at: at(-90), error: "timeout", nextCheckAt: at(-80) });
    await recordFetchSuccess(h.db, paused, { at: at(-70), nextCheckAt: at(-50) });
    await setFeedPaused(h.db, paused, true, at(-60));

    const page = await client.get("/admin/feeds");
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("Chưa có nguồn tin nào.");
    expect(cardIds(page.body)).toEqual([fresh, fine, pages, failing, paused]);

    const freshCard = card(page.body, fresh);
    expect(badge(freshCard)).toEqual({ health: "new", label: "badge|Chưa đọc lần nào" });
    expect(freshCard).toContain(
      '<a class="feed-url" href="https://baolaocai.vn/rss/the-thao.rss" rel="noopener noreferrer" target="_blank">https://baolaocai.vn/rss/the-thao.rss</a>',
    );
    expect(facts(freshCard)).toEqual({
      "Chủ đề": "Thể thao",
      "Đọc được lần cuối": "Chưa lần nào",
      "Lần đọc tới": "2026-01-27 10:30 (GMT+7)",
    });

    const fineCard = card(page.body, fine);
    expect(badge(fineCard)).toEqual({ health: "ok", label: "badge ok|Hoạt động tốt" });
    expect(facts(fineCard)).toEqual({
      "Chủ đề": "Thời sự · lấy toàn văn",
      "Đọc được lần cuối": "2026-01-27 09:45 (GMT+7)",
      "Lần đọc tới": "2026-01-27 10:15 (GMT+7)",
    });

    const pagesCard = card(page.body, pages);
    expect(badge(pagesCard)).toEqual({ health: "page problems", label: "badge warn|Có trang lỗi" });
    expect(facts(pagesCard)).toMatchObject({
      "Đọc được lần cuối": "2026-01-27 09:55 (GMT+7)",
      "2 trang bài không đọc được": "story page answered HTTP 404",
      "Lần đọc tới": "2026-01-27 10:10 (GMT+7)",
    });

    const failingCard = card(page.body, failing);
    expect(badge(failingCard)).toEqual({ health: "failing", label: "badge bad|Đang lỗi" });
    expect(facts(failingCard)).toEqual({
      "Chủ đề": "Xã hội",
      "Đọc được lần cuối": "2026-01-26 10:00 (GMT+7)",
      "Lỗi gần nhất":
        "2026-01-27 09:30 (GMT+7): Máy chủ của trang báo đang lỗi (lỗi 2 lần liên tiếp) Chi tiết kỹ thuậtHTTP 503 Service Unavailable",
      "Lần đọc tới": "2026-01-27 10:20 (GMT+7)",
    });
    expect(failingCard).toContain('<dd class="error-text">');
    // The fetcher's English words stay folded away, out of the Vietnamese sentence.
    expect(failingCard).toContain(
      '<details class="tech"><summary>Chi tiết kỹ thuật</summary><code>HTTP 503 Service Unavailable</code></details>',
    );

    const pausedCard = card(page.body, paused);
    expect(badge(pausedCard)).toEqual({ health: "paused", label: "badge|Tạm dừng" });
    expect(facts(pausedCard)).toEqual({
      "Chủ đề": "Thời sự",
      "Đọc được lần cuối": "2026-01-27 08:50 (GMT+7)",
      // Paused: its last error is shown (it may be why), without a count of failures.
      "Lỗi gần nhất": "2026-01-27 08:30 (GMT+7): Lỗi khác Chi tiết kỹ thuậttimeout",
      "Tạm dừng từ": "2026-01-27 09:00 (GMT+7)",
    });
    expect(pausedCard).toContain('name="paused" value="0"');
    expect(pausedCard).toContain(">Chạy lại</button>");
    expect(failingCard).toContain('name="paused" value="1"');
    expect(failingCard).toContain(">Tạm dừng</button>");

    // Each card has its three forms, each with the page's CSRF token.
    for (const id of [fresh, fine, pages, failing, paused]) {
      const c = card(page.body, id);
      for (const action of ["check", "pause", "remove"]) {
        expect(c).toContain(`action="/admin/feeds/${id}/${action}"`);
      }
      expect(c.match(/name="_csrf" value="[^"]+"/g)).toHaveLength(3);
    }
    expect(freshCard).toContain(
      'data-confirm="Xóa nguồn tin https://baolaocai.vn/rss/the-thao.rss? Các tin đã lưu vẫn được giữ."',
    );
    expect(page.body).not.toMatch(/style="/);
  });

  it("adds a feed: a notice, a new card, the feed stored as typed and an audit entry", async () => {
    const url = site.feedUrl("van-hoa");
    await client.get("/admin/feeds");
    const answer = await client.post("/admin/feeds", {
      url: `  ${url} `,
      topic: String(topic["xa-hoi"]),
      fullText: "1",
    });
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe("/admin/feeds?done=added");
    const stored = (await listFeeds(h.db)).find((s) => s.url === url);
    expect(stored).toMatchObject({
      topicId: topic["xa-hoi"],
      fullText: true,
      pausedAt: null,
      lastSuccessAt: null,
    });
    const id = stored?.id as number;
    await notDue(id);
    const page = await client.follow(answer);
    expect(page.status).toBe(200);
    expect(notice(page.body)).toBe("Đã thêm nguồn tin. Bot sẽ đọc nguồn này trong lần chạy tới.");
    expect(cardIds(page.body).at(-1)).toBe(id);
    const c = card(page.body, id);
    expect(badge(c).health).toBe("new");
    expect(c).toContain(`>${url}</a>`);
    expect(facts(c)["Chủ đề"]).toBe("Xã hội · lấy toàn văn");

    const [entry] = await audit("feed.add");
    expect(entry).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      at: NOW.toISOString(),
      detail: { feedId: id, url, topic: "xa-hoi", fullText: true },
    });
    expect(await audit("feed.add")).toHaveLength(1);
  });

  it("refuses an address that is not http(s) with a 400 in Vietnamese, keeping what was typed", async () => {
    const before = await listFeeds(h.db);
    await client.get("/admin/feeds");
    for (const url of [
      "baolaocai.vn/rss/thoi-su.rss",
      "ftp://baolaocai.vn/rss/thoi-su.rss",
      "javascript:alert(1)",
      "   ",
      "https://",
    ]) {
      const answer = await client.post("/admin/feeds", {
        url,
        topic: String(topic["thoi-su"]),
        fullText: "1",
      });
      expect(answer.status, url).toBe(400);
      expect(alert(answer.body)).toBe(
        "Địa chỉ phải bắt đầu bằng http:// hoặc https://, ví dụ https://baolaocai.vn/rss/thoi-su.rss.",
      );
      // What was typed stays in the form, to be corrected.
      expect(answer.body).toContain(`value="${url}"`);
      expect(answer.body).toContain(`<option value="${topic["thoi-su"]}" selected>`);
      expect(answer.body).toMatch(/name="fullText" value="1" checked>/);
    }
    // Too long, even far too long: said in Vietnamese, with the form to correct it.
    for (const length of [2001, 5000]) {
      const url = `https://baolaocai.vn/${"a".repeat(length - 21)}`;
      expect(url).toHaveLength(length);
      const answer = await client.post("/admin/feeds", { url, topic: String(topic["thoi-su"]) });
      expect(answer.status, `${length}`).toBe(400);
      expect(alert(answer.body)).toBe("Địa chỉ nguồn tin dài quá: tối đa 2000 ký tự.");
      expect(answer.body).toContain(`value="${url}"`);
    }
    const noTopic = await client.post("/admin/feeds", {
      url: site.feedUrl("the-thao"),
      topic: "9999",
    });
    expect(noTopic.status).toBe(400);
    expect(alert(noTopic.body)).toBe("Chủ đề đã chọn không còn nữa. Hãy chọn lại.");
    const noTopicAtAll = await client.post("/admin/feeds", { url: site.feedUrl("the-thao") });
    expect(noTopicAtAll.status).toBe(400);
    expect(await listFeeds(h.db)).toEqual(before);
    expect(await audit("feed.add")).toHaveLength(1);
  });

  it("refuses a feed already in the list, however its address is spelled", async () => {
    const before = await listFeeds(h.db);
    const url = site.feedUrl("van-hoa"); // added above
    await client.get("/admin/feeds");
    for (const typed of [url, url.replace("http://", "HTTP://"), ` ${url}`]) {
      const answer = await client.post("/admin/feeds", {
        url: typed,
        topic: String(topic["kinh-te"]),
      });
      expect(answer.status, typed).toBe(400);
      expect(alert(answer.body)).toBe("Nguồn tin này đã có trong danh sách.");
      expect(answer.body).toContain(`<option value="${topic["kinh-te"]}" selected>`);
    }
    expect(await listFeeds(h.db)).toEqual(before);
    expect(await audit("feed.add")).toHaveLength(1);
  });

  it("checks a working feed now: stores its stories and says how many were new or updated", async () => {
    const url = site.feedUrl("thoi-su");
    const id = await addThroughPage(url, "thoi-su");
    const answer = await client.post(`/admin/feeds/${id}/check`);
    expect(answer.status, answer.body).toBe(303);
    const stories = await storiesOf(id);
    const n = stories.length;
    expect(n).toBeGreaterThan(0);
    expect(answer.location).toBe(`/admin/feeds?done=checked&new=${n}&updated=0&failed=0&nm=0`);
    // Filed under the feed's topic.
    const filed = await h.db
      .selectFrom("article_categories")
      .select("article_id")
      .where("category_id", "=", topic["thoi-su"] as number)
      .where(
        "article_id",
        "in",
        stories.map((s) => s.id),
      )
      .execute();
    expect(filed).toHaveLength(n);
    // Read once when it was added (to tell it is a feed), once by "check now".
    expect(site.requests.filter((r) => r.path === "/rss/thoi-su.rss")).toHaveLength(2);

    const page = await client.follow(answer);
    expect(notice(page.body)).toBe(`Đã đọc thử: ${n} tin mới, 0 tin cập nhật.`);
    const source = await getFeed(h.db, id);
    const c = card(page.body, id);
    expect(badge(c)).toEqual({ health: "ok", label: "badge ok|Hoạt động tốt" });
    expect(facts(c)).toMatchObject({
      "Đọc được lần cuối": "2026-01-27 10:00 (GMT+7)",
      "Lần đọc tới": shown(source.nextCheckAt),
    });
    expect(source.nextCheckAt > NOW.toISOString()).toBe(true);
    const [entry] = await audit("feed.check");
    expect(entry).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      detail: { feedId: id, status: "ok", new: n, error: null },
    });

    // Unchanged since: the site answers 304, and the notice says so.
    const again = await client.post(`/admin/feeds/${id}/check`);
    expect(again.location).toBe("/admin/feeds?done=checked&new=0&updated=0&failed=0&nm=1");
    expect(notice((await client.follow(again)).body)).toBe(
      "Đã đọc thử: nguồn tin không có gì thay đổi.",
    );

    // A story edited on the site comes back as updated.
    const story = site.articles().find((a) => a.categories.includes("thoi-su"));
    site.editArticle(story?.id as number, { title: `${story?.title} (cập nhật)` });
    const edited = await client.post(`/admin/feeds/${id}/check`);
    expect(edited.location).toBe("/admin/feeds?done=checked&new=0&updated=1&failed=0&nm=0");
    expect(notice((await client.follow(edited)).body)).toBe(
      "Đã đọc thử: 0 tin mới, 1 tin cập nhật.",
    );
    expect(await storiesOf(id)).toHaveLength(n);
    expect(await audit("feed.check")).toHaveLength(3);
  });

  it("checks a failing feed now: an alert with the error, and the card shows it", async () => {
    const url = site.feedUrl("kinh-te");
    const id = await addThroughPage(url, "kinh-te");
    site.fail("/rss/kinh-te.rss", { kind: "status", status: 500 });
    try {
      const answer = await client.post(`/admin/feeds/${id}/check`);
      expect(answer.status, answer.body).toBe(303);
      expect(answer.location).toBe(`/admin/feeds?done=check-failed&id=${id}`);
      const source = await getFeed(h.db, id);
      expect(source.failuresInRow).toBe(1);
      expect(source.lastError).toMatch(/HTTP 500/);
      const page = await client.follow(answer);
      expect(page.status).toBe(200);
      expect(notice(page.body)).toBeUndefined();
      // What it means, all in Vietnamese; the fetcher's own words only on the card, folded.
      expect(alert(page.body)).toBe("Đọc thử không được: Máy chủ của trang báo đang lỗi");
      const c = card(page.body, id);
      expect(badge(c)).toEqual({ health: "failing", label: "badge bad|Đang lỗi" });
      expect(facts(c)).toMatchObject({
        "Đọc được lần cuối": "Chưa lần nào",
        // One failure is not "in a row".
        "Lỗi gần nhất": `2026-01-27 10:00 (GMT+7): Máy chủ của trang báo đang lỗi (lỗi 1 lần) Chi tiết kỹ thuật${source.lastError}`,
        "Lần đọc tới": shown(source.nextCheckAt),
      });
      expect(await storiesOf(id)).toHaveLength(0);
      const entry = (await audit("feed.check")).find((e) => e.detail.feedId === id);
      expect(entry?.detail).toEqual({
        feedId: id,
        url,
        status: "failed",
        new: 0,
        updated: 0,
        error: source.lastError,
      });
    } finally {
      site.clearFailures();
    }

    // Once the site answers again, a check clears the failure from the card.
    const recovered = await client.post(`/admin/feeds/${id}/check`);
    expect(recovered.location).toMatch(/^\/admin\/feeds\?done=checked&new=\d+&updated=0/);
    const page = await client.follow(recovered);
    expect(alert(page.body)).toBeUndefined();
    const c = card(page.body, id);
    expect(badge(c).health).toBe("ok");
    expect(facts(c)["Lỗi gần nhất"]).toBeUndefined();
  });

  it("pauses a feed (not checked meanwhile) and resumes it (due at once)", async () => {
    const id = (await listFeeds(h.db)).find((s) => s.url === site.feedUrl("thoi-su"))?.id as number;
    await client.get("/admin/feeds");
    const pause = await client.post(`/admin/feeds/${id}/pause`, { paused: "1" });
    expect(pause.status, pause.body).toBe(303);
    expect(pause.location).toBe("/admin/feeds?done=paused");
    expect((await getFeed(h.db, id)).pausedAt).toBe(NOW.toISOString());
    expect((await findDueFeeds(h.db, at(24 * 60))).map((s) => s.id)).not.toContain(id);
    let page = await client.follow(pause);
    expect(notice(page.body)).toBe("Đã tạm dừng nguồn tin.");
    let c = card(page.body, id);
    expect(badge(c)).toEqual({ health: "paused", label: "badge|Tạm dừng" });
    expect(facts(c)["Tạm dừng từ"]).toBe("2026-01-27 10:00 (GMT+7)");
    expect(facts(c)["Lần đọc tới"]).toBeUndefined();
    expect(c).toContain('name="paused" value="0"><button type="submit" class="secondary">Chạy lại');
    expect((await audit("feed.pause"))[0]).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      detail: { feedId: id, url: site.feedUrl("thoi-su") },
    });

    const resume = await client.post(`/admin/feeds/${id}/pause`, { paused: "0" });
    expect(resume.status, resume.body).toBe(303);
    expect(resume.location).toBe("/admin/feeds?done=resumed");
    const source = await getFeed(h.db, id);
    expect(source.pausedAt).toBeNull();
    expect(source.nextCheckAt).toBe(NOW.toISOString());
    page = await client.follow(resume);
    expect(notice(page.body)).toBe("Nguồn tin chạy lại và sẽ được đọc ngay trong lần chạy tới.");
    c = card(page.body, id);
    expect(badge(c).health).toBe("ok");
    // Due at once: "now", not a time that has passed.
    expect(facts(c)).toMatchObject({ "Lần đọc tới": "ngay bây giờ" });
    expect(facts(c)["Tạm dừng từ"]).toBeUndefined();
    expect(c).toContain('name="paused" value="1"><button type="submit" class="secondary">Tạm dừng');
    expect((await audit("feed.resume"))[0]?.detail).toEqual({
      feedId: id,
      url: site.feedUrl("thoi-su"),
    });

    // A second press, or a form from an older page, finds the feed already so: nothing moves.
    await client.post(`/admin/feeds/${id}/pause`, { paused: "1" });
    await h.db
      .updateTable("sources")
      .set({ paused_at: at(-45), next_check_at: at(30) })
      .where("id", "=", id)
      .execute();
    const twice = await client.post(`/admin/feeds/${id}/pause`, { paused: "1" });
    expect(twice.status).toBe(303);
    expect(notice((await client.follow(twice)).body)).toBe("Đã tạm dừng nguồn tin.");
    expect(await getFeed(h.db, id)).toMatchObject({ pausedAt: at(-45), nextCheckAt: at(30) });
    await client.post(`/admin/feeds/${id}/pause`, { paused: "0" });
    const resumedTwice = await client.post(`/admin/feeds/${id}/pause`, { paused: "0" });
    expect(resumedTwice.location).toBe("/admin/feeds?done=resumed");
    expect(await getFeed(h.db, id)).toMatchObject({
      pausedAt: null,
      nextCheckAt: NOW.toISOString(),
    });
    await h.db
      .updateTable("sources")
      .set({ next_check_at: at(30) })
      .where("id", "=", id)
      .execute();
    const running = await client.post(`/admin/feeds/${id}/pause`, { paused: "0" });
    expect(running.location).toBe("/admin/feeds?done=resumed");
    expect((await getFeed(h.db, id)).nextCheckAt).toBe(at(30));
    expect(await audit("feed.pause")).toHaveLength(2);
    expect(await audit("feed.resume")).toHaveLength(2);

    // Anything but "0" or "1" is refused, changing nothing.
    for (const form of [{ paused: "yes" }, {}] as Record<string, string>[]) {
      const bad = await client.post(`/admin/feeds/${id}/pause`, form);
      expect(bad.status).toBe(400);
    }
    expect((await getFeed(h.db, id)).pausedAt).toBeNull();
    expect(await audit("feed.pause")).toHaveLength(2);
    expect(await audit("feed.resume")).toHaveLength(2);
  });

  it("removes a feed: its card goes, its stories stay, and the audit log says who", async () => {
    const url = site.feedUrl("thoi-su");
    const id = (await listFeeds(h.db)).find((s) => s.url === url)?.id as number;
    const stories = await storiesOf(id);
    expect(stories.length).toBeGreaterThan(0);
    await client.get("/admin/feeds");
    const answer = await client.post(`/admin/feeds/${id}/remove`);
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe("/admin/feeds?done=removed");
    const page = await client.follow(answer);
    expect(notice(page.body)).toBe("Đã xóa nguồn tin; các tin đã lưu vẫn được giữ.");
    expect(cardIds(page.body)).not.toContain(id);
    expect(page.body).not.toContain(`>${url}</a>`);
    expect((await listFeeds(h.db)).map((s) => s.id)).not.toContain(id);
    const kept = await h.db
      .selectFrom("articles")
      .select(["id", "source_id"])
      .where(
        "id",
        "in",
        stories.map((s) => s.id),
      )
      .execute();
    expect(kept).toHaveLength(stories.length);
    expect(kept.every((a) => a.source_id === null)).toBe(true);
    const [entry] = await audit("feed.remove");
    expect(entry).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      detail: { feedId: id, url },
    });

    // Gone, so it can be added again.
    await client.get("/admin/feeds");
    const readd = await client.post("/admin/feeds", { url, topic: String(topic["thoi-su"]) });
    expect(readd.status, readd.body).toBe(303);
    const again = (await listFeeds(h.db)).find((s) => s.url === url);
    expect(again?.id).not.toBe(id);
    await notDue(again?.id as number);
  });

  it("answers an unknown feed with a 404 page and a bad id with a 400, changing nothing", async () => {
    const before = await listFeeds(h.db);
    const audited = (await listAudit(h.db, { limit: 500 })).length;
    const fetched = site.requests.length;
    await client.get("/admin/feeds");
    for (const [path, form] of [
      ["/admin/feeds/99999/check", {}],
      ["/admin/feeds/99999/pause", { paused: "1" }],
      ["/admin/feeds/99999/remove", {}],
    ] as const) {
      const answer = await client.post(path, form);
      expect(answer.status, path).toBe(404);
      expect(alert(answer.body), path).toBe("Không tìm thấy trang này.");
    }
    for (const path of [
      "/admin/feeds/abc/check",
      "/admin/feeds/0/remove",
      "/admin/feeds/-1/pause",
    ]) {
      expect((await client.post(path, { paused: "1" })).status, path).toBe(400);
    }
    expect(await listFeeds(h.db)).toEqual(before);
    expect(await listAudit(h.db, { limit: 500 })).toHaveLength(audited);
    expect(site.requests).toHaveLength(fetched);
  });

  it("refuses every form posted without its CSRF token, changing nothing", async () => {
    const sources = await listFeeds(h.db);
    const id = sources[0]?.id as number;
    const audited = (await listAudit(h.db, { limit: 500 })).length;
    const fetched = site.requests.length;
    await client.get("/admin/feeds");
    const posts = [
      client.post(
        "/admin/feeds",
        { url: site.feedUrl("the-thao"), topic: String(topic["the-thao"]) },
        { csrf: false },
      ),
      client.post(`/admin/feeds/${id}/check`, {}, { csrf: false }),
      client.post(`/admin/feeds/${id}/pause`, { paused: "1" }, { csrf: false }),
      client.post(`/admin/feeds/${id}/remove`, {}, { csrf: false }),
      client.post(`/admin/feeds/${id}/remove`, { _csrf: "forged-token" }, { csrf: false }),
    ];
    for (const answer of await Promise.all(posts)) {
      expect(answer.status).toBe(403);
      expect(alert(answer.body)).toContain("Biểu mẫu này đã cũ");
    }
    expect(await listFeeds(h.db)).toEqual(sources);
    expect(await listAudit(h.db, { limit: 500 })).toHaveLength(audited);
    expect(site.requests).toHaveLength(fetched);
  });

  it("sends a visitor without a session to sign in, and refuses their posts", async () => {
    const sources = await listFeeds(h.db);
    const id = sources[0]?.id as number;
    const stranger = h.client();
    const page = await stranger.get("/admin/feeds");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/admin/login");
    expect(page.body).not.toContain("feed-");
    for (const path of [`/admin/feeds/${id}/remove`, `/admin/feeds/${id}/check`, "/admin/feeds"]) {
      const answer = await stranger.post(path, { url: site.feedUrl("the-thao"), paused: "1" });
      expect(answer.status, path).toBe(401);
    }
    expect(await listFeeds(h.db)).toEqual(sources);
  });

  it("escapes addresses, errors and topic names, and never shows the query as typed", async () => {
    const hostileTopic = await addTopic(h.db, {
      slug: "hostile",
      name: { vi: '<script>alert("vi")</script>', en: "Hostile" },
    });
    // Feeds from the CLI or SOURCES_FILE are stored as written.
    const url = `https://example.com/rss?a=1&b="><script>alert(1)</script>`;
    const id = (await addFeed(h.db, { url, topicId: hostileTopic.id })).id;
    await recordFetchFailure(h.db, id, {
      at: NOW.toISOString(),
      error: '<img src=x onerror=alert(2)> & "quoted"',
      nextCheckAt: at(30),
    });

    const page = await client.get(`/admin/feeds?done=check-failed&id=${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("<img src=x");
    expect(alert(page.body)).toBe("Đọc thử không được: Lỗi khác");
    const c = card(page.body, id);
    expect(c).toContain("<code>&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;</code>");
    const escapedUrl =
      "https://example.com/rss?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
    expect(c).toContain(`href="${escapedUrl}"`);
    expect(c).toContain(`>${escapedUrl}</a>`);
    expect(c).toContain(`data-confirm="Xóa nguồn tin ${escapedUrl}? Các tin đã lưu vẫn được giữ."`);
    expect(c).toContain("<dd>&lt;script&gt;alert(&quot;vi&quot;)&lt;/script&gt;</dd>");
    expect(page.body).toContain(
      `<option value="${hostileTopic.id}">&lt;script&gt;alert(&quot;vi&quot;)&lt;/script&gt;</option>`,
    );

    // A stored address that is not a web address is shown, never made a link.
    const scriptUrl = "javascript:alert(4)";
    const scriptId = (await addFeed(h.db, { url: scriptUrl, topicId: hostileTopic.id })).id;
    const scriptCard = card((await client.get("/admin/feeds")).body, scriptId);
    expect(scriptCard).toContain(`<span class="feed-url">${scriptUrl}</span>`);
    expect(scriptCard).not.toContain('href="javascript:');

    // A hostile address typed into the form comes back escaped, and is not stored.
    const before = (await listFeeds(h.db)).length;
    const typed = `https://"><script>alert(3)</script>`;
    const bad = await client.post("/admin/feeds", { url: typed, topic: String(hostileTopic.id) });
    expect(bad.status).toBe(400);
    expect(bad.body).not.toContain("<script>alert(3)");
    expect(bad.body).toContain('value="https://&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
    expect(await listFeeds(h.db)).toHaveLength(before);

    // The notice is the catalogue's, from numbers: nothing else in the query reaches the page.
    const counts = await client.get("/admin/feeds?done=checked&new=3&updated=1&failed=2&nm=0");
    expect(notice(counts.body)).toBe(
      "Đã đọc thử: 3 tin mới, 1 tin cập nhật, 2 trang không đọc được.",
    );
    const forged = await client.get("/admin/feeds?done=%3Cscript%3Ealert(4)%3C%2Fscript%3E");
    expect(forged.body).not.toContain("<script>alert(4)");
    const forgedCount = await client.get("/admin/feeds?done=checked&new=%3Cb%3E");
    expect(forgedCount.body).not.toContain("<b>");
  });

  it("speaks English to an admin who chose it", async () => {
    const en = await h.signedIn();
    await en.get("/admin/lang?to=en&back=/admin/feeds");
    const page = await en.get("/admin/feeds");
    expect(page.body).toContain("Add a feed");
    expect(page.body).toContain(">Check now</button>");
    const failing = (await listFeeds(h.db)).find((s) => s.failuresInRow > 0);
    expect(badge(card(page.body, failing?.id as number)).label).toBe("badge bad|Failing");
    const bad = await en.post("/admin/feeds", { url: "ftp://x", topic: String(topic["thoi-su"]) });
    expect(bad.status).toBe(400);
    expect(alert(bad.body)).toBe(
      "The address must start with http:// or https://, e.g. https://baolaocai.vn/rss/thoi-su.rss.",
    );
  });

  it("reads an address before adding it: a story page and a 404 are refused, a section offers its feed", async () => {
    const before = await listFeeds(h.db);
    await client.get("/admin/feeds");
    const story = site.articles()[0] as { id: number };
    const page = await client.post("/admin/feeds", {
      url: site.articleUrl(story.id),
      topic: String(topic["thoi-su"]),
    });
    expect(page.status).toBe(400);
    expect(alert(page.body)).toBe(
      "Địa chỉ này không phải nguồn tin (RSS, Atom hay JSON Feed). Hãy dán địa chỉ của chính nguồn tin, thường có đuôi .rss hoặc nằm ở trang RSS của báo.",
    );

    const missing = await client.post("/admin/feeds", {
      url: `${site.url}/rss/khong-con.rss`,
      topic: String(topic["thoi-su"]),
    });
    expect(missing.status).toBe(400);
    expect(alert(missing.body)).toMatch(
      /^Không đọc được địa chỉ này: Trang báo không còn địa chỉ này\. Hãy kiểm tra lại địa chỉ; nếu trang báo chỉ đang tạm lỗi, hãy đánh dấu “Thêm cả khi chưa đọc được”\.$/,
    );
    expect(await listFeeds(h.db)).toEqual(before);

    // A section page names its feed: it is offered, one press adds it to the topic chosen.
    const section = await client.post("/admin/feeds", {
      url: `${site.url}/the-thao`,
      topic: String(topic["the-thao"]),
      fullText: "1",
    });
    expect(section.status).toBe(400);
    expect(alert(section.body)).toBe(
      "Đây là một trang web, không phải nguồn tin. Trang này có các nguồn tin sau, hãy chọn một:",
    );
    const choices = section.body.slice(section.body.indexOf('id="feed-choices"'));
    expect(choices).toContain(
      `<input type="hidden" name="url" value="${site.feedUrl("the-thao")}">`,
    );
    expect(choices).toContain(`<input type="hidden" name="topic" value="${topic["the-thao"]}">`);
    expect(choices).toContain("<strong>Thể thao</strong>");
    expect(choices).toContain(">Thêm nguồn này</button>");
    const picked = await client.post("/admin/feeds", {
      url: site.feedUrl("the-thao"),
      topic: String(topic["the-thao"]),
      fullText: "1",
    });
    expect(picked.status, picked.body).toBe(303);
    const added = (await listFeeds(h.db)).find((f) => f.url === site.feedUrl("the-thao"));
    expect(added).toMatchObject({ topicId: topic["the-thao"], fullText: true });
    await client.post(`/admin/feeds/${added?.id}/remove`);

    // A feed that is down right now goes in when the box says so.
    const anyway = await client.post("/admin/feeds", {
      url: `${site.url}/rss/khong-con.rss`,
      topic: String(topic["thoi-su"]),
      noCheck: "1",
    });
    expect(anyway.status).toBe(303);
    const down = (await listFeeds(h.db)).find((f) => f.url.endsWith("/rss/khong-con.rss"));
    expect(down).toBeDefined();
    await client.post(`/admin/feeds/${down?.id}/remove`);
  });
});
