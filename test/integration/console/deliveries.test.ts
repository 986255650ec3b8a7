/**
 * The deliveries page: the outbox counted by platform and state, the dead letters with their
 * reason, fifty a page, and sending them again (one, or all): only dead rows go again, never a
 * blocked one, and every retry is in the audit log.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueue, markFinal, markSent, type OutboxKind } from "../../../src/delivery/outbox";
import { countDeadLetters } from "../../../src/delivery/outbox-counts";
import { listAudit } from "../../../src/editors/audit";
import { registerReader } from "../../../src/readers/readers";
import { type ConsoleHarness, startConsoleHarness } from "../../helpers/console-harness";
import { outboxItemByKey } from "../../helpers/db";
import { describeStores } from "../../helpers/stores";
import { NOW } from "../../helpers/telegram-harness";

const DEFAULTS = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" } as const;
/** Rows are enqueued due far ahead, so the sender leaves them alone until they are retried. */
const LATER = "2030-01-01T00:00:00.000Z";
const HOSTILE_NAME = "Lan <script>alert(1)</script>";

describeStores("console: deliveries", (store) => {
  let h: ConsoleHarness;
  let telegramReader: number;
  let zaloReader: number;
  let seq = 0;

  /** A row through the outbox's own functions, ending in `state` with `error`. */
  async function seed(
    readerId: number,
    platform: "telegram" | "zalo",
    state: "pending" | "sent" | "dead" | "blocked" | "cancelled",
    options: { kind?: OutboxKind; error?: string; text?: string } = {},
  ): Promise<number> {
    const key = `test:${++seq}`;
    await enqueue(h.db, [
      {
        idempotencyKey: key,
        readerId,
        platform,
        kind: options.kind ?? "digest",
        payload: { parts: [{ kind: "text", format: "html", text: options.text ?? key }] },
        nextAttemptAt: LATER,
      },
    ]);
    const id = (await outboxItemByKey(h.db, key))?.id as number;
    if (state === "sent") await markSent(h.db, id, NOW.toISOString());
    else if (state !== "pending") await markFinal(h.db, id, state, options.error ?? state);
    return id;
  }

  async function row(id: number) {
    return h.db
      .selectFrom("outbox")
      .select(["state", "attempts", "last_error", "next_attempt_at", "lease_owner"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  const deadRowIds = (body: string) =>
    [...body.matchAll(/<tr id="dead-(\d+)">/g)].map((m) => Number(m[1]));

  beforeAll(async () => {
    h = await startConsoleHarness({ databaseUrl: await store.newDatabaseUrl() });
    const at = NOW.toISOString();
    telegramReader = (
      await registerReader(
        h.db,
        { platform: "telegram", chatId: "5001", chatType: "private", displayName: HOSTILE_NAME },
        DEFAULTS,
        at,
      )
    ).reader.id;
    // No Zalo bot runs in the harness: Zalo rows made pending again stay pending.
    zaloReader = (
      await registerReader(
        h.db,
        { platform: "zalo", chatId: "z-1", chatType: "private" },
        DEFAULTS,
        at,
      )
    ).reader.id;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("counts messages by platform and state and lists dead letters with their reason", async () => {
    const dead = await seed(telegramReader, "telegram", "dead", {
      error: "Bad Request: <b>message is too long</b>",
    });
    // 09:15 on 27/01 in Vietnam: when its last try was due.
    await h.db
      .updateTable("outbox")
      .set({ next_attempt_at: "2026-01-27T02:15:00.000Z" })
      .where("id", "=", dead)
      .execute();
    await seed(telegramReader, "telegram", "blocked", { error: "Forbidden: bot was blocked" });
    await seed(zaloReader, "zalo", "sent");
    const zaloDead = await seed(zaloReader, "zalo", "dead", {
      kind: "broadcast",
      error: "gave up after 8 tries: timeout",
    });

    const client = await h.signedIn();
    const page = await client.get("/admin/deliveries");
    expect(page.status).toBe(200);
    const counts =
      /<table id="counts-table" class="phone-cards">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? "";
    // pending, sent, blocked, dead, cancelled, total
    expect(counts).toMatch(
      /<th scope="row">Telegram<\/th><td class="num" data-label="Đang chờ gửi">\d+<\/td><td class="num" data-label="Đã gửi">\d+<\/td><td class="num" data-label="Bạn đọc đã chặn">1<\/td><td class="num" data-label="Gửi hỏng">1<\/td><td class="num" data-label="Đã hủy">0<\/td>/,
    );
    expect(counts).toContain(
      '<th scope="row">Zalo</th><td class="num" data-label="Đang chờ gửi">0</td><td class="num" data-label="Đã gửi">1</td><td class="num" data-label="Bạn đọc đã chặn">0</td><td class="num" data-label="Gửi hỏng">1</td><td class="num" data-label="Đã hủy">0</td><td class="num" data-label="Tổng">2</td>',
    );
    expect(page.body).toContain("2 tin nhắn gửi hỏng, mới nhất trước.");
    expect(deadRowIds(page.body)).toEqual([zaloDead, dead]); // the latest try first
    const deadRow = new RegExp(`<tr id="dead-${dead}">[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? "";
    expect(deadRow).toContain("Bản tin hằng ngày");
    expect(deadRow).toContain("Bad Request: &lt;b&gt;message is too long&lt;/b&gt;");
    expect(deadRow).toContain("Lan &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(deadRow).toContain("5001");
    expect(deadRow).toContain("2026-01-27 09:15 (GMT+7)");
    expect(deadRow).toContain(`action="/admin/deliveries/${dead}/retry"`);
    const zaloRow = new RegExp(`<tr id="dead-${zaloDead}">[\\s\\S]*?</tr>`).exec(page.body)?.[0];
    expect(zaloRow).toContain("Tin nóng");
    expect(zaloRow).toContain("gave up after 8 tries: timeout");
    expect(page.body).toMatch(/data-confirm="Gửi lại cả 2 tin nhắn gửi hỏng\?"/);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toMatch(/style="/);
  });

  it("sends one dead letter again: pending at once, no tries counted, and the sender sends it", async () => {
    const text = "Tin gửi lại lần hai";
    const id = await seed(telegramReader, "telegram", "dead", { error: "timeout", text });
    expect((await row(id)).attempts).toBe(1);
    const client = await h.signedIn();
    await client.get("/admin/deliveries");
    const answer = await client.post(`/admin/deliveries/${id}/retry`);
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe("/admin/deliveries?done=retried&n=1");
    const page = await client.follow(answer);
    expect(page.body).toContain("1 tin nhắn được gửi lại: đã đưa vào hàng chờ gửi.");
    expect(deadRowIds(page.body)).not.toContain(id);

    const sent = await h.fake.waitFor(
      (c) =>
        c.method === "sendMessage" && String(c.params.chat_id) === "5001" && c.params.text === text,
      10_000,
    );
    expect(sent.ok).toBe(true);
    for (let i = 0; i < 100 && (await row(id)).state !== "sent"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await row(id)).toMatchObject({ state: "sent", attempts: 1, last_error: null });

    const [entry] = await listAudit(h.db, { action: "delivery.retry" });
    expect(entry).toMatchObject({ actor: "telegram:42", detail: { ids: [id], count: 1 } });
  });

  it("refuses to send again a row that is not dead (400) or does not exist (404)", async () => {
    const blocked = await seed(telegramReader, "telegram", "blocked", { error: "blocked" });
    const sent = await seed(zaloReader, "zalo", "sent");
    const client = await h.signedIn();
    await client.get("/admin/deliveries");
    const before = (await listAudit(h.db, { action: "delivery.retry" })).length;

    const refused = await client.post(`/admin/deliveries/${blocked}/retry`);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      `Tin nhắn #${blocked} không phải tin gửi hỏng (hiện: Bạn đọc đã chặn); chỉ gửi lại được tin gửi hỏng.`,
    );
    expect(await row(blocked)).toMatchObject({ state: "blocked", last_error: "blocked" });
    const notDead = await client.post(`/admin/deliveries/${sent}/retry`);
    expect(notDead.status).toBe(400);
    expect(notDead.body).toContain("(hiện: Đã gửi)");
    expect((await row(sent)).state).toBe("sent");

    const missing = await client.post("/admin/deliveries/999999/retry");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("Không có tin nhắn #999999.");
    expect((await client.post("/admin/deliveries/abc/retry")).status).toBe(400);
    expect((await listAudit(h.db, { action: "delivery.retry" })).length).toBe(before);
  });

  it("changes nothing when a retry is posted without its CSRF token (403)", async () => {
    const id = await seed(zaloReader, "zalo", "dead", { error: "timeout" });
    const dead = await countDeadLetters(h.db);
    const client = await h.signedIn();
    await client.get("/admin/deliveries");
    expect((await client.post("/admin/deliveries/retry", {}, { csrf: false })).status).toBe(403);
    expect((await client.post(`/admin/deliveries/${id}/retry`, {}, { csrf: false })).status).toBe(
      403,
    );
    expect(await countDeadLetters(h.db)).toBe(dead);
    expect((await row(id)).state).toBe("dead");
  });

  it("lists dead letters fifty a page, newest first, with previous and next links", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await seed(zaloReader, "zalo", "dead"));
    const total = await countDeadLetters(h.db);
    const pages = Math.ceil(total / 50);
    const client = await h.signedIn();
    const first = await client.get("/admin/deliveries");
    const firstIds = deadRowIds(first.body);
    expect(firstIds).toHaveLength(50);
    expect(firstIds.slice(0, 3)).toEqual(ids.slice(-3).reverse());
    expect(first.body).toContain(`Trang 1/${pages}`);
    expect(first.body).toContain('href="/admin/deliveries?page=2" rel="next"');
    expect(first.body).not.toContain('rel="prev"');

    const second = await client.get("/admin/deliveries?page=2");
    expect(second.status).toBe(200);
    const secondIds = deadRowIds(second.body);
    expect(secondIds).toHaveLength(total - 50);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    expect(second.body).toContain('href="/admin/deliveries?page=1" rel="prev"');

    const past = await client.get("/admin/deliveries?page=9");
    expect(past.status).toBe(200);
    expect(deadRowIds(past.body)).toEqual([]);
    expect(past.body).toContain("Trang này không còn dòng nào.");
    expect((await client.get("/admin/deliveries?page=0")).status).toBe(400);
  });

  it("sends every dead letter again, and leaves blocked, sent and cancelled rows alone", async () => {
    const blocked = await seed(zaloReader, "zalo", "blocked", { error: "reader blocked" });
    const cancelled = await seed(zaloReader, "zalo", "cancelled", { error: "broadcast cancelled" });
    const sent = await seed(zaloReader, "zalo", "sent");
    const dead = await seed(zaloReader, "zalo", "dead", { error: "timeout" });
    const deadBefore = await countDeadLetters(h.db);
    expect(deadBefore).toBeGreaterThan(50);

    const client = await h.signedIn();
    await client.get("/admin/deliveries");
    const answer = await client.post("/admin/deliveries/retry");
    expect(answer.status, answer.body).toBe(303);
    expect(answer.location).toBe(`/admin/deliveries?done=retried&n=${deadBefore}`);
    const page = await client.follow(answer);
    expect(page.body).toContain(`${deadBefore} tin nhắn được gửi lại`);

    expect(await row(dead)).toMatchObject({
      state: "pending",
      attempts: 0,
      last_error: null,
      next_attempt_at: NOW.toISOString(),
      lease_owner: null,
    });
    expect(await row(blocked)).toMatchObject({ state: "blocked", last_error: "reader blocked" });
    expect((await row(cancelled)).state).toBe("cancelled");
    expect((await row(sent)).state).toBe("sent");
    const [entry] = await listAudit(h.db, { action: "delivery.retry", limit: 1 });
    expect(entry).toMatchObject({ detail: { ids: "all", count: deadBefore } });

    const again = await client.post("/admin/deliveries/retry");
    expect(again.location).toBe("/admin/deliveries?done=retried&n=0");
    expect((await client.follow(again)).body).toContain(
      "Không có tin nhắn gửi hỏng nào để gửi lại.",
    );
  });
});
