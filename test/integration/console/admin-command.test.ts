import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient } from "../../helpers/console-harness";
import { type Harness, startTelegramHarness, textOf } from "../../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness, zaloTexts } from "../../helpers/zalo-harness";

const LINK = /(http:\/\/\S+\/admin\/login\/[A-Za-z0-9_-]+)/;

describe("/admin in Telegram", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTelegramHarness("polling", {
      admins: "telegram:42",
      env: { PUBLIC_URL: "https://tin.example.vn" },
    });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });
  const say = async (text: string, chatId: number, fromId: number) =>
    textOf(
      (await h.send(h.fake.message({ chatId, fromId, text })))
        .filter((c) => c.method === "sendMessage")
        .at(-1),
    );

  it("gives an admin a one-time link under PUBLIC_URL, valid five minutes", async () => {
    const text = await say("/admin", 42, 42);
    expect(text).toMatch(
      /^<b>Đăng nhập trang quản trị<\/b>\nhttps:\/\/tin\.example\.vn\/admin\/login\//,
    );
    expect(text).toContain("trong 5 phút");
    const rows = await h.db.selectFrom("admin_web_sessions").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.admin).toBe("telegram:42");
    expect(Date.parse(rows[0]?.expires_at ?? "") - Date.parse(rows[0]?.created_at ?? "")).toBe(
      5 * 60_000,
    );
    // Only a hash of the token is stored.
    const token = /login\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? "";
    expect(rows[0]?.token_hash).not.toContain(token);
  });

  it("refuses readers who are not admins, and never sends a link into a group", async () => {
    expect(await say("/admin", 555, 555)).toBe("Xin lỗi, lệnh này chỉ dành cho ban biên tập.");
    expect(await say("/admin", -1001234, 42)).toMatch(/trò chuyện riêng/);
    expect(await h.db.selectFrom("admin_web_sessions").selectAll().execute()).toHaveLength(1);
  });
});

describe("/admin in Zalo", () => {
  let h: ZaloHarness;
  beforeAll(async () => {
    h = await startZaloHarness("polling", { admins: "zalo:z-admin" });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("links to the bot's own HTTP server when PUBLIC_URL is unset, and the link signs in", async () => {
    const texts = zaloTexts(await h.send(h.zalo.textEvent({ chatId: "z-admin", text: "/admin" })));
    const link = LINK.exec(texts.join("\n"))?.[1] ?? "";
    expect(link.startsWith(`${h.running.http.url}/admin/login/`)).toBe(true);
    const client = new ConsoleClient(h.running.http.url);
    const path = new URL(link).pathname;
    expect((await client.get(path)).status).toBe(200);
    const answer = await client.post(path);
    expect(answer.status).toBe(303);
    expect((await client.get("/admin")).body).toContain("zalo:z-admin");
  });
});
