import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRead } from "../../../src/news/reads";
import { registerReader } from "../../../src/readers/readers";
import { dailyActivity } from "../../../src/services/activity";
import { eraseReader } from "../../../src/services/reader-data";
import { type ConsoleHarness, startConsoleHarness } from "../../helpers/console-harness";
import { NOW } from "../../helpers/telegram-harness";

const DEFAULTS = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" } as const;

/** The figure of one of the overview's cards. */
function card(body: string, id: string): string {
  return new RegExp(`id="${id}"><span class="figure">([^<]*)<`).exec(body)?.[1] ?? "";
}

describe("the console's overview", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("shows readers by platform and status, per topic, today's figures and the feeds in a line", async () => {
    const at = NOW.toISOString();
    for (const chatId of ["z1", "z2", "z3"]) {
      await registerReader(h.db, { platform: "zalo", chatId, chatType: "private" }, DEFAULTS, at);
    }
    await h.db
      .updateTable("readers")
      .set({ status: "blocked" })
      .where("chat_id", "=", "z3")
      .execute();
    const client = await h.signedIn();
    const page = await client.get("/admin");
    expect(page.status).toBe(200);
    const readers =
      /<table id="readers-table" class="phone-cards">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? "";
    // The admin who asked for the link is a Telegram reader; two Zalo readers active, one blocked.
    expect(readers).toMatch(
      /<th scope="row">Zalo<\/th><td class="num" data-label="Đang nhận tin">2<\/td><td class="num" data-label="Đã dừng">0<\/td><td class="num" data-label="Đã chặn bot">1<\/td><td class="num" data-label="Tổng">3<\/td>/,
    );
    expect(readers).toMatch(
      /<th scope="row">Telegram<\/th><td class="num" data-label="Đang nhận tin">1<\/td>/,
    );
    expect(card(page.body, "active-readers")).toBe("3");

    const storedToday = await h.db
      .selectFrom("articles")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fetched_at", ">=", "2026-01-26T17:00:00.000Z") // 00:00 on 27/01 in Vietnam
      .executeTakeFirstOrThrow();
    expect(Number(storedToday.n)).toBeGreaterThan(0);
    expect(card(page.body, "stories-today")).toBe(String(storedToday.n));
    expect(page.body).toContain("Bạn đọc theo chủ đề");
    expect(page.body).toContain("Thời sự");
    expect(page.body).toMatch(
      /id="feeds-line">\d+ nguồn tin: \d+ hoạt động tốt, 0 đang lỗi, 0 tạm dừng\./,
    );
  });

  it("draws the last 30 days as four bar charts, with today's bar last", async () => {
    const client = await h.signedIn();
    const page = await client.get("/admin");
    for (const id of ["chart-stories", "chart-sent", "chart-readers", "chart-opened"]) {
      const figure = new RegExp(`<figure class="card chart" id="${id}">[\\s\\S]*?</figure>`).exec(
        page.body,
      )?.[0];
      expect(figure, id).toBeDefined();
      expect(figure?.match(/<rect class="bar"/g)).toHaveLength(30);
      expect(figure).toContain("<title>27/01:");
    }
    expect(page.body).not.toMatch(/style="/);
    expect(page.body).not.toMatch(/<script>/);
  });

  it("counts each day in the newsroom's zone, reads included", async () => {
    const [article] = await h.db.selectFrom("articles").select("id").limit(1).execute();
    await countRead(h.db, article?.id as number, "2026-01-27");
    await countRead(h.db, article?.id as number, "2026-01-27");
    await countRead(h.db, article?.id as number, "2026-01-20");
    // 23:30 on 26/01 UTC is 06:30 on 27/01 in Vietnam.
    await registerReader(
      h.db,
      { platform: "zalo", chatId: "late", chatType: "private" },
      DEFAULTS,
      "2026-01-26T23:30:00.000Z",
    );
    await h.db
      .updateTable("readers")
      .set({ created_at: "2026-01-26T23:30:00.000Z" })
      .where("chat_id", "=", "late")
      .execute();
    const activity = await dailyActivity(h.db, { now: NOW, timeZone: "Asia/Ho_Chi_Minh" });
    expect(activity.days).toHaveLength(30);
    expect(activity.days.at(-1)).toBe("2026-01-27");
    expect(activity.days[0]).toBe("2025-12-29");
    expect(activity.storiesOpened.at(-1)).toBe(2);
    expect(activity.storiesOpened.at(-8)).toBe(1);
    expect(activity.newReaders.at(-1)).toBeGreaterThanOrEqual(1);
    const utc = await dailyActivity(h.db, { now: NOW, timeZone: "UTC" });
    expect(utc.newReaders.at(-2)).toBeGreaterThanOrEqual(1); // the same reader, on 26/01 in UTC
  });

  it("counts readers who erased their data per month, in the newsroom's months", async () => {
    const erase = async (chatId: string, at: string) => {
      const { reader } = await registerReader(
        h.db,
        { platform: "zalo", chatId, chatType: "private" },
        DEFAULTS,
        at,
      );
      await eraseReader(h.db, reader, at);
    };
    await erase("gone-1", "2026-01-20T05:00:00.000Z");
    await erase("gone-2", "2026-01-27T02:00:00.000Z");
    // 20:00 on 31/12 UTC is 03:00 on 01/01 in Vietnam: January's.
    await erase("gone-3", "2025-12-31T20:00:00.000Z");
    await erase("gone-4", "2025-12-15T08:00:00.000Z");
    await erase("long-gone", "2025-03-01T08:00:00.000Z"); // before the six months shown

    const client = await h.signedIn();
    const page = await client.get("/admin");
    const table = /<table id="erasures-table">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? "";
    const rows = [...table.matchAll(/<th scope="row">([^<]+)<\/th><td class="num">(\d+)<\/td>/g)];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ["08/2025", "0"],
      ["09/2025", "0"],
      ["10/2025", "0"],
      ["11/2025", "0"],
      ["12/2025", "1"],
      ["01/2026", "3"],
    ]);
    expect(page.body).toContain("Bạn đọc xóa dữ liệu của mình");
    // The audit log says it in plain words, with the platform only.
    const audit = await client.get("/admin/audit?action=reader.erase");
    expect(audit.body.match(/Một bạn đọc trên Zalo đã xóa dữ liệu của mình/g)).toHaveLength(5);
  });
});
