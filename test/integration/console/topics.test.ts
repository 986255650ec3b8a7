import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../../../src/editors/audit";
import { findTopicBySlug, listTopics } from "../../../src/news/topics";
import { subscribe } from "../../../src/readers/reader-topics";
import { registerReader } from "../../../src/readers/readers";
import {
  CONSOLE_ADMIN,
  type ConsoleClient,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { buttonsOf, NOW } from "../../helpers/telegram-harness";

const DEFAULTS = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" } as const;

interface Row {
  id: number;
  slug: string;
  /** The text of the slug, vi and en cells. */
  names: string[];
  /** Readers, stories, feeds as shown. */
  figures: string[];
  html: string;
}

/** The topics table's rows, in the order shown. */
function rows(body: string): Row[] {
  const table = /<table id="topics-table"[^>]*>[\s\S]*?<\/table>/.exec(body)?.[0] ?? "";
  return [...table.matchAll(/<tr id="topic-(\d+)" data-slug="([^"]*)">([\s\S]*?)<\/tr>/g)].map(
    (m) => {
      const cells = [...(m[3] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1] ?? "");
      return {
        id: Number(m[1]),
        slug: m[2] ?? "",
        names: cells.slice(0, 3).map((c) => c.replace(/<[^>]+>/g, "").trim()),
        figures: cells.slice(3, 6),
        html: m[3] ?? "",
      };
    },
  );
}

describeStores("the console's topics page", (store) => {
  let h: ConsoleHarness;
  let client: ConsoleClient;

  beforeAll(async () => {
    h = await startConsoleHarness(
      store.kind === "postgres" ? { databaseUrl: await store.newDatabaseUrl() } : {},
    );
    client = await h.signedIn();
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  const slugs = async () => (await listTopics(h.db)).map((c) => c.slug);
  const audit = async (action: string) =>
    (await listAudit(h.db, { limit: 500 })).filter((e) => e.action === action);

  it("lists the topics in order with their readers, stories and feeds", async () => {
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    const at = NOW.toISOString();
    const reader = async (chatId: string, chatType: "private" | "channel" = "private") =>
      (await registerReader(h.db, { platform: "zalo", chatId, chatType }, DEFAULTS, at)).reader.id;
    for (const id of [await reader("t1"), await reader("t2"), await reader("t3")]) {
      await subscribe(h.db, id, thoiSu);
    }
    await h.db
      .updateTable("readers")
      .set({ status: "blocked" })
      .where("chat_id", "=", "t3")
      .execute();
    await subscribe(h.db, await reader("-100", "channel"), thoiSu);

    const page = await client.get("/admin/topics");
    expect(page.status).toBe(200);
    const shown = rows(page.body);
    expect(shown.map((r) => r.slug)).toEqual(await slugs());
    expect(shown.map((r) => r.slug)).toEqual([
      "thoi-su",
      "kinh-te",
      "xa-hoi",
      "van-hoa",
      "the-thao",
    ]);
    const first = shown[0] as Row;
    expect(first.names).toEqual(["thoi-su", "Thời sự", "Current affairs"]);
    const stories = await h.db
      .selectFrom("article_categories")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("category_id", "=", thoiSu)
      .executeTakeFirstOrThrow();
    const feeds = await h.db
      .selectFrom("sources")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("category_id", "=", thoiSu)
      .executeTakeFirstOrThrow();
    expect(Number(stories.n)).toBeGreaterThan(0);
    // Two active Zalo readers: not the blocked one, not the channel.
    expect(first.figures).toEqual(["2", String(stories.n), String(feeds.n)]);
    // The first cannot go up, the last cannot go down; the others can go both ways.
    expect(first.html).not.toContain('value="up"');
    expect(first.html).toContain('value="down"');
    expect(shown[1]?.html).toContain('value="up"');
    expect(shown.at(-1)?.html).not.toContain('value="down"');
    expect(page.body).toContain("Bạn đọc theo dõi");
    expect(page.body).toContain("chữ thường, số, gạch ngang: thoi-su");
    expect(page.body).toMatch(
      /<div class="table-wrap"><table id="topics-table" class="phone-cards">/,
    );
    expect(page.body).not.toMatch(/style="/);
  });

  it("adds a topic: listed last, with a notice and an audit entry", async () => {
    await client.get("/admin/topics");
    const answer = await client.post("/admin/topics", {
      slug: "du-lich",
      vi: "  Du lịch ",
      en: "Travel",
    });
    expect(answer.status, answer.body).toBe(303);
    const added = await findTopicBySlug(h.db, "du-lich");
    expect(added?.name).toEqual({ vi: "Du lịch", en: "Travel" });
    expect(answer.location).toBe(`/admin/topics?done=added#topic-${added?.id}`);
    const page = await client.follow(answer);
    expect(page.body).toContain('class="notice" role="status">Đã thêm chủ đề.');
    const last = rows(page.body).at(-1);
    expect(last?.names).toEqual(["du-lich", "Du lịch", "Travel"]);
    expect(last?.figures).toEqual(["0", "0", "0"]);
    expect((await slugs()).at(-1)).toBe("du-lich");
    const [entry] = await audit("topic.add");
    expect(entry).toMatchObject({
      actor: `telegram:${CONSOLE_ADMIN}`,
      detail: {
        topicId: expect.any(Number),
        slug: "du-lich",
        vi: expect.any(String),
        en: expect.any(String),
      },
    });
  });

  it("refuses a bad slug or missing names with a 400 in Vietnamese, keeping what was typed", async () => {
    const before = await slugs();
    await client.get("/admin/topics");
    const bad = await client.post("/admin/topics", {
      slug: "Thời Sự!",
      vi: "Tin <b>mới</b>",
      en: "New",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Mã chủ đề chỉ gồm chữ thường không dấu, số và gạch ngang");
    expect(bad.body).not.toContain("must be lower-case");
    expect(bad.body).toContain('value="Thời Sự!"');
    expect(bad.body).toContain('value="Tin &lt;b&gt;mới&lt;/b&gt;"');

    const empty = await client.post("/admin/topics", { slug: "moi", vi: "  ", en: "New" });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain("Cần có cả tên tiếng Việt và tên tiếng Anh.");
    expect(empty.body).toContain('value="moi"');
    const long = await client.post("/admin/topics", { slug: "dai", vi: "a".repeat(101), en: "b" });
    expect(long.status).toBe(400);
    expect(long.body).toContain("tối đa 100 ký tự");

    expect(await slugs()).toEqual(before);
    expect(await audit("topic.add")).toHaveLength(1);
  });

  it("refuses a slug already taken", async () => {
    const before = await listTopics(h.db);
    await client.get("/admin/topics");
    const answer = await client.post("/admin/topics", { slug: "thoi-su", vi: "Khác", en: "Other" });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Chủ đề có mã “thoi-su” đã có rồi.");
    expect(answer.body).toContain('value="Khác"');
    expect(await listTopics(h.db)).toEqual(before);
  });

  it("renames a topic: the page, the database and the bot's topic list show the new names", async () => {
    const kinhTe = (await findTopicBySlug(h.db, "kinh-te"))?.id as number;
    await client.get("/admin/topics");
    const answer = await client.post(`/admin/topics/${kinhTe}/rename`, {
      vi: "Kinh tế – Thị trường",
      en: "Economy and markets",
    });
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe(`/admin/topics?done=renamed#topic-${kinhTe}`);
    const page = await client.follow(answer);
    expect(page.body).toContain("Đã đổi tên chủ đề.");
    const row = rows(page.body).find((r) => r.id === kinhTe);
    expect(row?.names).toEqual(["kinh-te", "Kinh tế – Thị trường", "Economy and markets"]);
    const stored = await h.db
      .selectFrom("categories")
      .selectAll()
      .where("id", "=", kinhTe)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      slug: "kinh-te",
      name_vi: "Kinh tế – Thị trường",
      name_en: "Economy and markets",
    });
    const [entry] = await audit("topic.rename");
    expect(entry?.detail).toEqual({
      topicId: kinhTe,
      slug: "kinh-te",
      vi: "Kinh tế – Thị trường",
      en: "Economy and markets",
      before: { vi: "Kinh tế", en: "Economy" },
    });

    // The admin is a reader too: the bot's topic picker has the new name.
    const calls = await h.send(
      h.fake.message({ chatId: CONSOLE_ADMIN, fromId: CONSOLE_ADMIN, text: "/chude" }),
    );
    const labels = buttonsOf(calls.filter((c) => c.method === "sendMessage").at(-1)).map(
      (b) => b.text,
    );
    expect(labels.some((l) => l.includes("Kinh tế – Thị trường"))).toBe(true);
    expect(labels.some((l) => l === "Kinh tế")).toBe(false);
  });

  it("refuses an empty new name with the row's form open and what was typed, changing nothing", async () => {
    const xaHoi = (await findTopicBySlug(h.db, "xa-hoi"))?.id as number;
    await client.get("/admin/topics");
    const answer = await client.post(`/admin/topics/${xaHoi}/rename`, {
      vi: "Xã hội mới",
      en: " ",
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Cần có cả tên tiếng Việt và tên tiếng Anh.");
    const row = rows(answer.body).find((r) => r.id === xaHoi);
    expect(row?.html).toContain("<details open>");
    expect(row?.html).toContain('value="Xã hội mới"');
    expect((await findTopicBySlug(h.db, "xa-hoi"))?.name).toEqual({
      vi: "Xã hội",
      en: "Society",
    });
  });

  it("moves topics up and down in the order the bot lists them", async () => {
    const start = await slugs();
    const vanHoa = (await findTopicBySlug(h.db, "van-hoa"))?.id as number;
    await client.get("/admin/topics");
    const up = await client.post(`/admin/topics/${vanHoa}/move`, { direction: "up" });
    expect(up.status, up.body).toBe(303);
    expect(up.location).toBe(`/admin/topics?done=moved#topic-${vanHoa}`);
    const i = start.indexOf("van-hoa");
    const expected = [...start];
    expected.splice(i - 1, 2, "van-hoa", start[i - 1] as string);
    expect(await slugs()).toEqual(expected);
    const page = await client.follow(up);
    expect(page.body).toContain("Đã đổi thứ tự chủ đề.");
    expect(rows(page.body).map((r) => r.slug)).toEqual(expected);

    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    const down = await client.post(`/admin/topics/${thoiSu}/move`, { direction: "down" });
    expect(down.status).toBe(303);
    const afterDown = await slugs();
    expect(afterDown.slice(0, 2)).toEqual([expected[1], "thoi-su"]);
    const positions = new Map((await listTopics(h.db)).map((t) => [t.slug, t.position]));
    expect(await audit("topic.move")).toEqual([
      expect.objectContaining({
        detail: {
          topicId: thoiSu,
          slug: "thoi-su",
          direction: "down",
          position: positions.get("thoi-su"),
        },
      }),
      expect.objectContaining({
        detail: {
          topicId: vanHoa,
          slug: "van-hoa",
          direction: "up",
          position: expect.any(Number),
        },
      }),
    ]);

    // The first going up changes nothing and writes no entry.
    const firstId = (await listTopics(h.db))[0]?.id as number;
    const none = await client.post(`/admin/topics/${firstId}/move`, { direction: "up" });
    expect(none.status).toBe(303);
    expect(none.location).not.toContain("done=");
    expect(await slugs()).toEqual(afterDown);
    expect(await audit("topic.move")).toHaveLength(2);
  });

  it("answers an unknown topic with a 404 page and a bad id or direction with a 400", async () => {
    await client.get("/admin/topics");
    const rename = await client.post("/admin/topics/9999/rename", { vi: "A", en: "B" });
    expect(rename.status).toBe(404);
    expect(rename.body).toContain("Không tìm thấy trang này.");
    expect((await client.post("/admin/topics/9999/move", { direction: "up" })).status).toBe(404);
    expect((await client.post("/admin/topics/abc/move", { direction: "up" })).status).toBe(400);
    const thoiSu = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    const before = await slugs();
    expect((await client.post(`/admin/topics/${thoiSu}/move`, { direction: "left" })).status).toBe(
      400,
    );
    expect(await slugs()).toEqual(before);
  });

  it("refuses every form posted without its CSRF token, changing nothing", async () => {
    const before = await listTopics(h.db);
    const audited = (await listAudit(h.db, { limit: 500 })).length;
    const [first, second] = before;
    await client.get("/admin/topics");
    const posts = [
      client.post("/admin/topics", { slug: "khong-csrf", vi: "A", en: "B" }, { csrf: false }),
      client.post(`/admin/topics/${first?.id}/rename`, { vi: "A", en: "B" }, { csrf: false }),
      client.post(`/admin/topics/${second?.id}/move`, { direction: "up" }, { csrf: false }),
    ];
    for (const answer of await Promise.all(posts)) {
      expect(answer.status).toBe(403);
      expect(answer.body).toContain("Biểu mẫu này đã cũ");
    }
    expect(await listTopics(h.db)).toEqual(before);
    expect(await listAudit(h.db, { limit: 500 })).toHaveLength(audited);
  });

  it("escapes hostile names", async () => {
    await client.get("/admin/topics");
    const answer = await client.post("/admin/topics", {
      slug: "hostile",
      vi: '<script>alert("vi")</script>',
      en: '"><img src=x onerror=alert(1)>',
    });
    expect(answer.status, answer.body).toBe(303);
    const page = await client.follow(answer);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("<img src=x");
    expect(page.body).toContain("&lt;script&gt;alert(&quot;vi&quot;)&lt;/script&gt;");
    const row = rows(page.body).find((r) => r.slug === "hostile");
    expect(row?.html).toContain('value="&lt;script&gt;alert(&quot;vi&quot;)&lt;/script&gt;"');
    expect(row?.html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it("speaks English to an admin who chose it", async () => {
    const en = await h.signedIn();
    await en.get("/admin/lang?to=en&back=/admin/topics");
    const page = await en.get("/admin/topics");
    expect(page.body).toContain("Readers following");
    expect(page.body).toContain("Add a topic");
    const bad = await en.post("/admin/topics", { slug: "Bad Slug", vi: "A", en: "B" });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("A slug is lower-case letters without accents, digits and dashes");
  });
});
