/**
 * Editors by name: the name the platform gives an editor (Telegram first and last name, Zalo
 * display name) is kept when they ask for a console link and whenever they write to the bot,
 * and the console shows it with their id; readers' names are not kept. The console's header
 * and title carry NEWSROOM_NAME. On both stores.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { editorNames } from "../../../src/editors/editor-names";
import { findReader } from "../../../src/readers/readers";
import { eraseReader } from "../../../src/services/reader-data";
import {
  CONSOLE_ADMIN,
  CONSOLE_ADMIN_NAME,
  CONSOLE_TOKEN,
  type ConsoleHarness,
  startConsoleHarness,
} from "../../helpers/console-harness";
import { describeStores } from "../../helpers/stores";
import { startZaloHarness } from "../../helpers/zalo-harness";

describeStores("console: editors by name", (store) => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness({
      databaseUrl: await store.newDatabaseUrl(),
      env: { NEWSROOM_NAME: "Báo Lào Cai" },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("names the newsroom in the header and the title, and the editor by their name", async () => {
    const client = await h.signedIn();
    const page = await client.get("/admin");
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<a class="brand" href="\/admin">Báo Lào Cai · Bàn điều hành<\/a>/);
    expect(page.body).toMatch(/<title>[^<]* · Báo Lào Cai · Bàn điều hành<\/title>/);
    expect(page.body).toContain(
      `<span class="who">Đăng nhập: ${CONSOLE_ADMIN_NAME} (telegram:${CONSOLE_ADMIN})</span>`,
    );
    expect(await editorNames(h.db)).toEqual(
      new Map([[`telegram:${CONSOLE_ADMIN}`, CONSOLE_ADMIN_NAME]]),
    );
  });

  it("keeps the newest name an editor's update carries, and no reader's", async () => {
    const client = await h.signedIn();
    await h.send(
      h.fake.message({
        chatId: CONSOLE_ADMIN,
        fromId: CONSOLE_ADMIN,
        firstName: "Thu Hà Nguyễn",
        text: "/help",
      }),
    );
    // A reader who is not an editor writes too: their name stays theirs.
    await h.send(h.fake.message({ chatId: 777, fromId: 777, firstName: "Bạn Đọc", text: "/help" }));
    expect(await editorNames(h.db)).toEqual(
      new Map([[`telegram:${CONSOLE_ADMIN}`, "Thu Hà Nguyễn"]]),
    );
    const audit = await client.get("/admin/audit");
    expect(audit.body).toContain(`<td data-label="Người làm">Thu Hà Nguyễn (telegram:42)</td>`);
    expect(audit.body).toContain("Đăng nhập: Thu Hà Nguyễn (telegram:42)");
    expect(audit.body).not.toContain("Bạn Đọc");
  });

  it("forgets an editor's name when they erase their own chat's data", async () => {
    const reader = await findReader(h.db, "telegram", String(CONSOLE_ADMIN));
    expect(reader).toBeDefined();
    await eraseReader(h.db, reader as NonNullable<typeof reader>, new Date().toISOString());
    expect(await editorNames(h.db)).toEqual(new Map());
    // The erasure is in the audit log under "a reader", nothing of them.
    const client = h.client();
    await client.get("/admin/login");
    expect((await client.post("/admin/login", { token: CONSOLE_TOKEN })).status).toBe(303);
    const audit = await client.get("/admin/audit?action=reader.erase");
    expect(audit.body).toContain('<td data-label="Người làm">Bạn đọc</td>');
    // Signed in with the token: said so in words.
    expect(audit.body).toContain("Đăng nhập: Mã đăng nhập (ADMIN_WEB_TOKEN)");
  });

  it("keeps a Zalo editor's display name", async () => {
    const zalo = await startZaloHarness("polling", {
      admins: "zalo:z-editor",
      databaseUrl: await store.newDatabaseUrl(),
    });
    try {
      await zalo.send(
        zalo.zalo.textEvent({ chatId: "z-editor", displayName: "Minh Quân", text: "giúp" }),
      );
      await zalo.send(
        zalo.zalo.textEvent({ chatId: "z-reader", displayName: "Bạn Đọc", text: "giúp" }),
      );
      expect(await editorNames(zalo.db)).toEqual(new Map([["zalo:z-editor", "Minh Quân"]]));
    } finally {
      await zalo.stop();
    }
  }, 60_000);
});
