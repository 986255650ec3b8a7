/**
 * `bantin audit`: the audit log, oldest first, filtered by age or time, actor and action, as a
 * table or one JSON document; a bad filter is one line on stderr and a non-zero exit.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../src/config";
import { migrateToLatest, openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { rememberEditorName } from "../../src/editors/editor-names";
import { seedAudit } from "../helpers/audit";
import { runCli } from "../helpers/cli";
import { describeStores } from "../helpers/stores";

const HOUR = 3_600_000;

describeStores("bantin audit", (store) => {
  let db: DbHandle;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(["audit", ...args], env, { timeoutMs: 60_000 });
  const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

  beforeAll(async () => {
    const url = await store.newDatabaseUrl();
    db = openDatabase(parseDatabaseUrl(url)).db;
    await migrateToLatest(db);
    const entries = [
      { actor: "telegram:1001", action: "broadcast.prepare", at: ago(10 * 24), detail: { id: 1 } },
      { actor: "cli", action: "channel.add", at: ago(3 * 24), detail: { chat: "@kenh" } },
      {
        actor: "telegram:1001",
        action: "broadcast.confirm",
        at: ago(2),
        detail: { id: 2, text: "Tin nóng: bão số 3", topic: null, platform: null },
      },
      { actor: "zalo:z-9", action: "broadcast.cancel", at: ago(1), detail: { id: 2 } },
    ];
    await seedAudit(db, entries);
    // The name Telegram gave telegram:1001, kept when they last wrote to the bot.
    await rememberEditorName(db, "telegram:1001", "Lan Nguyễn", ago(1));
    env = { DATABASE_URL: url };
  }, 60_000);
  afterAll(() => db?.destroy());

  it("prints every entry oldest first as a table: time, actor, action, details", async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split("\n");
    expect(header).toMatch(/^time\s+actor\s+action\s+details$/);
    expect(rows.map((r) => /\s(\S+\.\S+)\s/.exec(r)?.[1])).toEqual([
      "broadcast.prepare",
      "channel.add",
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    // Local time with its zone (DEFAULT_TIMEZONE, Asia/Ho_Chi_Minh unless set); the editor by
    // the name their platform gave; details written before the actions were typed: their
    // values, with no field names and nothing unset.
    expect(rows[2]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d \(GMT\+7\)\s+Lan Nguyễn \(telegram:1001\)\s+broadcast\.confirm\s+2 · Tin nóng: bão số 3$/,
    );
    expect(rows[1]).toMatch(/^\S+ \S+ \(GMT\+7\)\s+cli\s+channel\.add\s+@kenh$/);
    // Someone whose name was never seen: their id.
    expect(rows[3]).toMatch(/\(GMT\+7\)\s+zalo:z-9\s+broadcast\.cancel\s+2$/);
    expect(stdout).not.toMatch(/null|topic:|platform:/);
  });

  it("--since takes an age or an ISO time; --actor one actor; both together", async () => {
    const since = async (...args: string[]) => {
      const { code, stdout } = await cli(...args, "--json");
      expect(code).toBe(0);
      return (JSON.parse(stdout) as { action: string }[]).map((e) => e.action);
    };
    expect(await since("--since", "24h")).toEqual(["broadcast.confirm", "broadcast.cancel"]);
    expect(await since("--since", "7d")).toEqual([
      "channel.add",
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    expect(await since("--since", "90m")).toEqual(["broadcast.cancel"]);
    expect(await since("--since", ago(4 * 24))).toEqual([
      "channel.add",
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    expect(await since("--actor", "telegram:1001")).toEqual([
      "broadcast.prepare",
      "broadcast.confirm",
    ]);
    expect(await since("--actor", "telegram:1001", "--since", "1w")).toEqual(["broadcast.confirm"]);
    expect(await since("--actor", "telegram:404")).toEqual([]);
  });

  it("--action takes an action or its start, with the other filters too", async () => {
    const actions = async (...args: string[]) => {
      const { code, stdout } = await cli(...args, "--json");
      expect(code).toBe(0);
      return (JSON.parse(stdout) as { action: string }[]).map((e) => e.action);
    };
    expect(await actions("--action", "broadcast")).toEqual([
      "broadcast.prepare",
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    expect(await actions("--action", "broadcast.c")).toEqual([
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    expect(await actions("--action", "channel.add")).toEqual(["channel.add"]);
    expect(await actions("--action", "broadcast", "--actor", "zalo:z-9")).toEqual([
      "broadcast.cancel",
    ]);
    expect(await actions("--action", "broadcast", "--since", "24h")).toEqual([
      "broadcast.confirm",
      "broadcast.cancel",
    ]);
    expect(await actions("--action", "feed")).toEqual([]);
  });

  it("--json is one document with each entry's time, actor, action and details", async () => {
    const { stdout } = await cli("--json", "--actor", "zalo:z-9");
    const entries = JSON.parse(stdout) as unknown[];
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at: expect.stringMatching(/Z$/),
        actor: "zalo:z-9",
        action: "broadcast.cancel",
        detail: { id: 2 },
      },
    ]);
  });

  it("says so when nothing matches, and when --limit cuts the list", async () => {
    const none = await cli("--actor", "telegram:404");
    expect(none).toMatchObject({ code: 0, stdout: "No audit entries.\n" });
    const cut = await cli("--limit", "2");
    expect(cut.stdout).toMatch(/broadcast\.confirm[\s\S]*broadcast\.cancel/);
    expect(cut.stdout).not.toMatch(/channel\.add/);
    expect(cut.stdout.trimEnd().split("\n").at(-1)).toBe("(the newest 2 of 4; --limit shows more)");
  });

  it.each([
    [["--since", "yesterday"], /^bantin: --since must be an age like 24h or 7d .*"yesterday"\n$/],
    [["--since", "2026-13-45"], /^bantin: --since must be/],
    [["--since", "24x"], /^bantin: --since must be/],
    [["--actor", "telegram: 12"], /^bantin: --actor must be platform:id/],
    [["--limit", "0"], /^bantin: --limit must be a number/],
    [["--action", "broad cast"], /^bantin: --action must be an action or the start of one/],
  ])("refuses %j in one line with a non-zero exit", async (args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });
});
