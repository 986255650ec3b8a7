/**
 * The audit page: every admin action newest first, fifty a page, filtered by who, by action
 * (exact or its start) and by day (from 00:00 of that day in the newsroom's zone); a bad filter
 * is a 400 page that says why, and whatever an entry carries is shown as text.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startOfDay } from "../../../src/http/console/pages/audit";
import { seedAudit } from "../../helpers/audit";
import {
  CONSOLE_ADMIN_NAME,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";

/** The rows of the page's table: [time, who, action, details]. */
function rows(body: string): string[][] {
  return [
    ...body.matchAll(
      /<tr id="audit-\d+">\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*class="small">([\s\S]*?)<\/td>/g,
    ),
  ].map((m) => m.slice(1, 5) as string[]);
}
const actions = (body: string) => rows(body).map((r) => r[2]);

describeStores("console: audit log", (store) => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness({ databaseUrl: await store.newDatabaseUrl() });
    const entries = [
      {
        actor: "telegram:42",
        action: "broadcast.prepare",
        at: "2026-01-25T10:00:00.000Z",
        detail: { broadcastId: 1 },
      },
      // 23:30 on 26/01 in Vietnam
      {
        actor: "telegram:42",
        action: "broadcast.confirm",
        at: "2026-01-26T16:30:00.000Z",
        detail: { broadcastId: 1, total: 12 },
      },
      // 00:30 on 27/01 in Vietnam
      {
        actor: "zalo:7",
        action: "feed.pause",
        at: "2026-01-26T17:30:00.000Z",
        detail: { sourceId: 3, url: "https://example.vn/rss" },
      },
      {
        actor: "cli",
        action: "channel.add",
        at: "2026-01-27T01:00:00.000Z",
        detail: { chat: "<script>alert(1)</script>", ids: [1, 2], on: true, topic: null },
      },
    ];
    await seedAudit(h.db, entries);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("lists every entry newest first: time, who, action, details as text", async () => {
    const client = await h.signedIn();
    const page = await client.get("/admin/audit");
    expect(page.status).toBe(200);
    const all = rows(page.body);
    // Signing in is an entry too, the newest.
    expect(all.map((r) => r[2])).toEqual([
      ...all.slice(0, all.length - 4).map(() => "console.sign-in"),
      "channel.add",
      "feed.pause",
      "broadcast.confirm",
      "broadcast.prepare",
    ]);
    const channel = all.find((r) => r[2] === "channel.add");
    // Local time with its zone, as on the CLI.
    expect(channel?.[0]).toBe("2026-01-27 08:00 (GMT+7)");
    expect(channel?.[1]).toBe("Dòng lệnh (cli)");
    // Written before the actions were typed: its values, escaped, with no field names, nothing
    // unset and no yes/no without its name.
    expect(channel?.[3]).toBe("&lt;script&gt;alert(1)&lt;/script&gt; · 1 · 2");
    // A typed entry is said in plain words, in the admin's language, by the admin's name (the
    // one Telegram gave, kept when they asked for the link).
    expect(all[0]?.[3]).toBe("Đăng nhập trang quản trị bằng liên kết từ bot");
    expect(all[0]?.[1]).toBe(`${CONSOLE_ADMIN_NAME} (telegram:42)`);
    // Someone whose name was never seen: their id.
    expect(all.find((r) => r[2] === "feed.pause")?.[1]).toBe("zalo:7");
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toMatch(/style="/);
    // Everyone seen in the log can be chosen.
    for (const [actor, shown] of [
      ["cli", "Dòng lệnh (cli)"],
      ["telegram:42", `${CONSOLE_ADMIN_NAME} (telegram:42)`],
      ["zalo:7", "zalo:7"],
    ]) {
      expect(page.body).toContain(`<option value="${actor}">${shown}</option>`);
    }
    // The header names the newsroom and the editor.
    expect(page.body).toContain(`Đăng nhập: ${CONSOLE_ADMIN_NAME} (telegram:42)`);
  });

  it("filters by who", async () => {
    const client = await h.signedIn();
    const page = await client.get("/admin/audit?actor=zalo%3A7");
    expect(page.status).toBe(200);
    expect(actions(page.body)).toEqual(["feed.pause"]);
    expect(page.body).toContain('<option value="zalo:7" selected>zalo:7</option>');
    const nobody = await client.get("/admin/audit?actor=telegram%3A404");
    expect(actions(nobody.body)).toEqual([]);
    expect(nobody.body).toContain("Không có mục nào khớp bộ lọc.");
  });

  it("filters by action, exact or by its start", async () => {
    const client = await h.signedIn();
    const prefix = await client.get("/admin/audit?action=broadcast");
    expect(actions(prefix.body)).toEqual(["broadcast.confirm", "broadcast.prepare"]);
    expect(prefix.body).toContain('name="action" type="text" maxlength="100" value="broadcast"');
    const exact = await client.get("/admin/audit?action=broadcast.confirm");
    expect(actions(exact.body)).toEqual(["broadcast.confirm"]);
    // LIKE's wildcards mean nothing here.
    expect(actions((await client.get("/admin/audit?action=broadcast%25")).body)).toEqual([]);
    expect(actions((await client.get("/admin/audit?action=feed_pause")).body)).toEqual([]);
    expect(actions((await client.get("/admin/audit?action=BROADCAST")).body)).toEqual([]);
    const both = await client.get("/admin/audit?actor=telegram%3A42&action=broadcast.p");
    expect(actions(both.body)).toEqual(["broadcast.prepare"]);
  });

  it("filters from the start of a day in the newsroom's zone", async () => {
    expect(startOfDay("2026-01-27", "Asia/Ho_Chi_Minh")).toBe("2026-01-26T17:00:00.000Z");
    expect(startOfDay("2026-03-29", "Europe/Paris")).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDay("2026-03-30", "Europe/Paris")).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfDay("2026-02-30", "UTC")).toBeNull();
    const client = await h.signedIn();
    const page = await client.get("/admin/audit?since=2026-01-27");
    expect(page.status).toBe(200);
    const found = actions(page.body);
    expect(found).toContain("feed.pause"); // 00:30 on 27/01 there
    expect(found).toContain("channel.add");
    expect(found).not.toContain("broadcast.confirm"); // 23:30 on 26/01 there
    expect(page.body).toContain('name="since" type="date" value="2026-01-27"');
    const withActor = await client.get("/admin/audit?since=2026-01-26&actor=telegram%3A42&action=");
    expect(actions(withActor.body).filter((a) => a !== "console.sign-in")).toEqual([
      "broadcast.confirm",
    ]);
  });

  it("answers a bad filter with 400 and says why, keeping what was typed", async () => {
    const client = await h.signedIn();
    for (const since of ["yesterday", "2026-13-45", "2026-02-30", "27/01/2026"]) {
      const page = await client.get(
        `/admin/audit?action=%22%3E%3Cscript%3Ex&since=${encodeURIComponent(since)}`,
      );
      expect(page.status, since).toBe(400);
      expect(page.body).toContain("Ngày không hợp lệ.");
      expect(page.body).toContain('value="&quot;&gt;&lt;script&gt;x"');
      expect(page.body).not.toContain('"><script>x');
      expect(rows(page.body)).toEqual([]);
    }
    const badPage = await client.get("/admin/audit?page=0");
    expect(badPage.status).toBe(400);
    expect(badPage.body).toContain("Bộ lọc không hợp lệ");
    const long = await client.get(`/admin/audit?action=${"a".repeat(101)}`);
    expect(long.status).toBe(400);
  });

  it("pages fifty entries at a time, the filters kept in the links", async () => {
    await seedAudit(
      h.db,
      Array.from({ length: 120 }, (_, n) => ({
        actor: "cli",
        action: "bulk.test",
        at: `2026-01-27T02:${String(Math.floor((n + 1) / 2)).padStart(2, "0")}:00.000Z`,
        detail: { n: n + 1 },
      })),
    );
    const client = await h.signedIn();
    const first = await client.get("/admin/audit?action=bulk");
    expect(first.body).toContain("Mục 1–50 trong 120");
    expect(rows(first.body)).toHaveLength(50);
    expect(rows(first.body)[0]?.[3]).toBe("120");
    expect(first.body).toContain('href="/admin/audit?action=bulk&amp;page=2" rel="next"');
    expect(first.body).not.toContain('rel="prev"');

    const third = await client.get("/admin/audit?action=bulk&page=3");
    expect(third.body).toContain("Mục 101–120 trong 120");
    const last = rows(third.body);
    expect(last).toHaveLength(20);
    expect(last.at(-1)?.[3]).toBe("1");
    expect(third.body).toContain('href="/admin/audit?action=bulk&amp;page=2" rel="prev"');
    expect(third.body).not.toContain('rel="next"');
  });
});
