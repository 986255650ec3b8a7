/**
 * Every change an editor can make is audited the same from any front end: the same changes made
 * on the web console (as telegram:42) and with `bantin` (as cli), on one database, leave the same
 * actions with details of the same shape, said in the same plain words.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, markFinal } from "../../src/delivery/outbox";
import type { AuditEntry } from "../../src/editors/audit";
import { renderPayload } from "../../src/message/payload";
import { listFeeds } from "../../src/news/feeds";
import { findTopicBySlug } from "../../src/news/topics";
import { registerReader } from "../../src/readers/readers";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { runCli, scratchDir } from "../helpers/cli";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../helpers/console-harness";

/** The actions both front ends made, in the order they made them. */
const ACTIONS = [
  "topic.add",
  "topic.rename",
  "topic.move",
  "feed.add",
  "feed.check",
  "feed.pause",
  "feed.resume",
  "feed.remove",
  "delivery.retry",
  "broadcast.prepare",
  "broadcast.confirm",
];

/** A detail's shape: its keys, and the type of each value. */
const shape = (detail: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(detail).map(([k, v]) => [k, Array.isArray(v) ? "array" : typeof v]),
  );

describe("the audit log, whichever front end made the change", { timeout: 60_000 }, () => {
  let h: ConsoleHarness;
  let site: FakeNewsSite;
  let client: ConsoleClient;
  let env: Record<string, string>;
  const console42 = `telegram:${CONSOLE_ADMIN}`;

  const cli = async (...args: string[]) => {
    const result = await runCli(args, env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return result.stdout;
  };

  /** A message the sender gave up on, for a retry. */
  async function deadLetter(key: string): Promise<number> {
    const { reader } = await registerReader(
      h.db,
      { platform: "telegram", chatId: `9${key.length}${Date.now() % 1000}`, chatType: "private" },
      { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      new Date().toISOString(),
    );
    await enqueue(h.db, [
      {
        idempotencyKey: `audit-everywhere:${key}`,
        readerId: reader.id,
        platform: "telegram",
        kind: "broadcast",
        payload: renderPayload("telegram", { lines: [["Tin"]] }, "vi"),
        nextAttemptAt: "2099-01-01T00:00:00.000Z", // not sent meanwhile
      },
    ]);
    const row = await h.db
      .selectFrom("outbox")
      .select("id")
      .where("idempotency_key", "=", `audit-everywhere:${key}`)
      .executeTakeFirstOrThrow();
    await markFinal(h.db, row.id, "dead", "gave up after 4 tries: 500");
    return row.id;
  }

  beforeAll(async () => {
    site = await startFakeNewsSite();
    const databaseUrl = `sqlite:${join(scratchDir(), "audit.db")}`;
    h = await startConsoleHarness({ databaseUrl, env: { FETCH_ALLOW_PRIVATE: "127.0.0.1" } });
    env = { DATABASE_URL: databaseUrl, FETCH_ALLOW_PRIVATE: "127.0.0.1" };
    client = await h.signedIn();
    await client.get("/admin/topics");
  });
  afterAll(async () => {
    await h?.stop();
    await site?.close();
  });

  it("leaves the same actions, with details of the same shape, in the same plain words", async () => {
    // On the console.
    const post = async (path: string, form: Record<string, string> = {}) => {
      const answer = await client.post(path, form);
      expect(answer.status, answer.body).toBe(303);
      return answer;
    };
    await post("/admin/topics", { slug: "du-lich", vi: "Du lịch", en: "Travel" });
    const duLich = (await findTopicBySlug(h.db, "du-lich"))?.id as number;
    await post(`/admin/topics/${duLich}/rename`, { vi: "Du lịch – Khám phá", en: "Travel" });
    await post(`/admin/topics/${duLich}/move`, { direction: "up" });
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    await post("/admin/feeds", { url: site.feedUrl("thoi-su"), topic: String(thoiSu) });
    const consoleFeed = (await listFeeds(h.db)).find((f) => f.url === site.feedUrl("thoi-su"));
    const feedId = consoleFeed?.id as number;
    await post(`/admin/feeds/${feedId}/check`);
    await post(`/admin/feeds/${feedId}/pause`, { paused: "1" });
    await post(`/admin/feeds/${feedId}/pause`, { paused: "0" });
    await post(`/admin/feeds/${feedId}/remove`);
    await post(`/admin/deliveries/${await deadLetter("console")}/retry`);
    const composed = await post("/admin/broadcasts", {
      text: "Tin nóng từ bàn điều hành",
      topic: "thoi-su",
      platform: "telegram",
    });
    await post(`${composed.location}/send`);

    // With the command line.
    await cli("category", "add", "am-thuc", "--vi", "Ẩm thực", "--en", "Food");
    await cli("category", "rename", "am-thuc", "--vi", "Ẩm thực – Đặc sản", "--en", "Food");
    await cli("category", "move", "am-thuc", "up");
    const added = JSON.parse(
      await cli("source", "add", site.feedUrl("kinh-te"), "--category", "kinh-te", "--json"),
    ) as { id: number };
    await cli("ingest", "--source", String(added.id));
    await cli("source", "pause", String(added.id));
    await cli("source", "resume", String(added.id));
    await cli("source", "remove", String(added.id));
    await cli("delivery", "retry", String(await deadLetter("cli")));
    await cli(
      "broadcast",
      "Tin nóng từ dòng lệnh",
      "--topic",
      "thoi-su",
      "--platform",
      "telegram",
      "--yes",
    );

    const entries = JSON.parse(await cli("audit", "--json")) as AuditEntry[];
    const by = (actor: string) =>
      entries.filter((e) => e.actor === actor && e.action !== "console.sign-in");
    const fromConsole = by(console42);
    const fromCli = by("cli");
    expect(fromConsole.map((e) => e.action)).toEqual(ACTIONS);
    expect(fromCli.map((e) => e.action)).toEqual(ACTIONS);
    for (const [i, action] of ACTIONS.entries()) {
      expect(shape(fromCli[i]?.detail ?? {}), action).toEqual(shape(fromConsole[i]?.detail ?? {}));
    }
    // The same values where the same thing was done.
    expect(fromCli.find((e) => e.action === "feed.add")?.detail).toEqual({
      feedId: added.id,
      url: site.feedUrl("kinh-te"),
      topic: "kinh-te",
      fullText: false,
    });
    expect(fromConsole.find((e) => e.action === "feed.add")?.detail).toEqual({
      feedId,
      url: site.feedUrl("thoi-su"),
      topic: "thoi-su",
      fullText: false,
    });
    expect(fromCli.find((e) => e.action === "broadcast.prepare")?.detail).toMatchObject({
      topic: "thoi-su",
      platform: "telegram",
    });
    expect(fromConsole.find((e) => e.action === "broadcast.prepare")?.detail).toMatchObject({
      topic: "thoi-su",
      platform: "telegram",
    });

    // In plain words, in the CLI's table and on the console's page.
    const table = await cli("audit");
    expect(table).toContain("Added topic am-thuc: Ẩm thực / Food");
    expect(table).toContain("Renamed topic am-thuc to Ẩm thực – Đặc sản / Food");
    expect(table).toContain(`Added feed ${added.id} ${site.feedUrl("kinh-te")} to kinh-te`);
    expect(table).toContain(`Paused feed ${added.id} ${site.feedUrl("kinh-te")}`);
    expect(table).toContain(`Added feed ${feedId} ${site.feedUrl("thoi-su")} to thoi-su`);
    const page = await client.get("/admin/audit?action=topic.add");
    expect(page.body).toContain("Thêm chủ đề am-thuc: Ẩm thực / Food");
    expect(page.body).toContain("Thêm chủ đề du-lich: Du lịch / Travel");
  });
});
