/**
 * A reader's data rights, through the chat on Telegram and Zalo (the real bot against the fake
 * Bot APIs), on both stores: /dulieu says what is kept and sends it as JSON (a document on
 * Telegram, text messages on Zalo, which cannot send files); /xoadulieu asks once, then leaves
 * no row in ANY table of the live schema holding the reader's chat id, name or reader id, keeps
 * other readers as they were, and audits the erasure with the platform only. A reader who comes
 * back starts afresh.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { isPostgres } from "../../src/db/dialect";
import type { DbHandle } from "../../src/db/schema";
import { enqueue } from "../../src/delivery/outbox";
import { textMessage } from "../../src/message/model";
import { renderPayload } from "../../src/message/payload";
import { queueInstantItems } from "../../src/readers/instant-items";
import { findReader } from "../../src/readers/readers";
import { ERASED_TABLES } from "../../src/services/reader-data";
import type { RecordedCall } from "../fakes/telegram-api";
import { describeStores } from "../helpers/stores";
import {
  buttonsOf,
  type Harness,
  prepareNewsDb,
  startTelegramHarness,
  textOf,
} from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness, zaloTexts } from "../helpers/zalo-harness";

/** Columns that say whose a row is. */
const OWNER_COLUMN = /^(reader_id|chat_id|chat_key)$/;

interface Column {
  table: string;
  column: string;
}

/** Every column of every table in the live schema (SQLite's FTS shadow tables left out). */
async function liveColumns(db: DbHandle): Promise<Column[]> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ table: string; column: string }>`
      select c.table_name as table, c.column_name as column
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db);
    return rows;
  }
  const { rows } = await sql<{ table: string; column: string }>`
    select m.name as "table", p.name as "column"
    from sqlite_schema m join pragma_table_info(m.name) p
    where m.type = 'table' and m.name not like 'sqlite_%'
      and m.name not like 'article_search_%'`.execute(db);
  return rows;
}

/**
 * "table.column" of every cell holding one of `text`, and of every reader_id (readers: id) cell
 * equal to `readerId`: one query per table, and per column only where the table has any.
 */
async function cellsHolding(db: DbHandle, text: string[], readerId: number): Promise<string[]> {
  const tests = (column: string) => {
    const ref = sql.ref(column);
    const owner = column === "reader_id" ? [sql<boolean>`${ref} = ${readerId}`] : [];
    return [...text.map((v) => sql<boolean>`cast(${ref} as text) like ${`%${v}%`}`), ...owner];
  };
  const count = async (table: string, conditions: ReturnType<typeof sql<boolean>>[]) => {
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(table)} where ${sql.join(conditions, sql` or `)}`.execute(
      db,
    );
    return Number(rows[0]?.n);
  };
  const byTable = new Map<string, string[]>();
  for (const { table, column } of await liveColumns(db)) {
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const found: string[] = [];
  for (const [table, columns] of byTable) {
    const idColumn = table === "readers" ? [sql<boolean>`id = ${readerId}`] : [];
    if ((await count(table, [...columns.flatMap(tests), ...idColumn])) === 0) continue;
    for (const column of columns) {
      const conditions = [...tests(column), ...(column === "id" ? idColumn : [])];
      if ((await count(table, conditions)) > 0) found.push(`${table}.${column}`);
    }
  }
  return found;
}

/** Rows of the reader in each table that holds a reader's rows. */
async function rowsOf(db: DbHandle, readerId: number, platform: string, chatId: string) {
  const count = async (table: string, where: ReturnType<typeof sql>) => {
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(table)} where ${where}`.execute(db);
    return Number(rows[0]?.n);
  };
  return {
    readers: await count("readers", sql`id = ${readerId}`),
    reader_topics: await count("reader_topics", sql`reader_id = ${readerId}`),
    keyword_follows: await count("keyword_follows", sql`reader_id = ${readerId}`),
    instant_items: await count("instant_items", sql`reader_id = ${readerId}`),
    outbox: await count("outbox", sql`reader_id = ${readerId}`),
    chat_memory: await count("chat_memory", sql`platform = ${platform} and chat_id = ${chatId}`),
    inbox_updates: await count(
      "inbox_updates",
      sql`platform = ${platform} and chat_key like ${`%${chatId}`}`,
    ),
  };
}

/** What else the reader is given: a digest and a story pushed as it happened, per the modules. */
async function giveDeliveries(db: DbHandle, readerId: number, platform: "telegram" | "zalo") {
  const now = new Date().toISOString();
  const [story] = await db.selectFrom("articles").select("id").orderBy("id").limit(1).execute();
  await queueInstantItems(
    db,
    [{ readerId, articleId: story?.id as number, reason: "keyword" }],
    now,
  );
  // Many, so that the JSON is longer than one Zalo message.
  await enqueue(
    db,
    Array.from({ length: 40 }, (_, i) => ({
      idempotencyKey: `rights:${platform}:${readerId}:${i}`,
      readerId,
      platform,
      kind: "digest" as const,
      payload: renderPayload(platform, textMessage(`Bản tin riêng ${readerId}/${i}`), "vi"),
      nextAttemptAt: "2100-01-01T00:00:00.000Z", // kept pending: nothing is sent meanwhile
    })),
  );
}

async function erasureAudit(db: DbHandle) {
  return db
    .selectFrom("admin_audit")
    .select(["actor", "action", "detail"])
    .where("action", "=", "reader.erase")
    .execute();
}

function messageIdOf(call: RecordedCall | undefined): number {
  return Number((call?.result as { message_id?: number } | undefined)?.message_id);
}

/** The text of the JSON file a sendDocument call uploaded (grammY sends it as attach://). */
function documentText(call: RecordedCall | undefined): string {
  const ref = String(call?.params.document ?? "");
  const part = call?.params[ref.replace(/^attach:\/\//, "")] as { text?: string } | undefined;
  return part?.text ?? "";
}

describe("the tables a reader's rows live in", () => {
  it("are all erased by services/reader-data.ts (a new table with a reader's column must be added there)", async () => {
    const { db } = await prepareNewsDb();
    try {
      const owned = [
        ...new Set(
          (await liveColumns(db)).filter((c) => OWNER_COLUMN.test(c.column)).map((c) => c.table),
        ),
      ].sort();
      expect(owned.length).toBeGreaterThanOrEqual(7);
      for (const table of owned) expect(ERASED_TABLES as readonly string[]).toContain(table);
    } finally {
      await db.destroy();
    }
  });
});

describeStores("a reader's data rights", (store) => {
  let harness: { stop(): Promise<void> } | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it("on Telegram: /dulieu sends the data as a message and a JSON document; /xoadulieu asks, then erases every row", async () => {
    const h: Harness = await startTelegramHarness("webhook", {
      databaseUrl: await store.newDatabaseUrl(),
    });
    harness = h;
    const chatId = 918273645;
    const name = "Thảo Zyxwv";
    const say = (text: string, id = chatId) =>
      h.send(h.fake.message({ chatId: id, text, firstName: id === chatId ? name : "Khác" }));

    // In the command menus and in /help.
    const menus = h.fake.callsTo("setMyCommands");
    const menu = (i: number) =>
      ((menus[i]?.params.commands ?? []) as { command: string }[]).map((c) => c.command);
    expect(menu(1)).toEqual(expect.arrayContaining(["dulieu", "xoadulieu"]));
    expect(menu(2)).toEqual(expect.arrayContaining(["mydata", "deleteme"]));
    const help = textOf((await say("/trogiup")).find((c) => c.method === "sendMessage"));
    expect(help).toContain("/dulieu — xem bản tin lưu gì về bạn");
    expect(help).toContain("/xoadulieu — xóa mọi dữ liệu của bạn");

    await say("/start topic_kinh-te");
    await say("/theodoi bão lũ");
    await say("/moi");
    await h.send(h.fake.inlineQuery({ fromId: chatId, query: "lũ" }));
    // Another reader, who must keep everything.
    await say("/start topic_kinh-te", 918273646);
    await say("/theodoi giá vàng", 918273646);
    const reader = await findReader(h.db, "telegram", String(chatId));
    const other = await findReader(h.db, "telegram", "918273646");
    if (!reader || !other) throw new Error("readers not registered");
    await giveDeliveries(h.db, reader.id, "telegram");
    await giveDeliveries(h.db, other.id, "telegram");

    const shown = await say("/dulieu");
    const summary = textOf(shown.find((c) => c.method === "sendMessage"));
    expect(summary).toContain("Dữ liệu bản tin lưu về bạn");
    expect(summary).toContain("Chủ đề: Kinh tế (📰 Bản tin hằng ngày)");
    expect(summary).toContain("Từ khóa theo dõi: “bão lũ”");
    expect(summary).toContain("Đã gửi cho bạn trong 30 ngày qua: 40 tin nhắn, trong đó 1 tin");
    const doc = shown.find((c) => c.method === "sendDocument");
    expect(doc?.ok).toBe(true);
    expect(doc?.params.caption).toBe("Dữ liệu của bạn (JSON)");
    const data = JSON.parse(documentText(doc));
    expect(data.reader).toMatchObject({
      platform: "telegram",
      chatId: String(chatId),
      name,
      language: "vi",
      digest: { enabled: true, time: "07:00" },
    });
    expect(data.topics.map((t: { slug: string }) => t.slug)).toEqual(["kinh-te"]);
    expect(data.keywordFollows.map((f: { words: string }) => f.words)).toEqual(["bão lũ"]);
    expect(data.messages).toHaveLength(40);
    expect(data.storiesPushed).toHaveLength(1);
    expect(data.lastListShown.length).toBeGreaterThan(0);

    // Asked once; "No" keeps everything.
    const ask = await say("/xoadulieu");
    const askCall = ask.find((c) => c.method === "sendMessage");
    expect(textOf(askCall)).toContain("Không thể hoàn tác");
    const [yes, no] = buttonsOf(askCall);
    expect(yes?.text).toBe("Có, xóa hết");
    const messageId = messageIdOf(askCall);
    const kept = await h.send(
      h.fake.callbackQuery({ chatId, messageId, data: String(no?.callback_data) }),
    );
    expect(textOf(kept.find((c) => c.method === "editMessageText"))).toContain("Đã giữ nguyên");
    expect(await cellsHolding(h.db, [String(chatId), name], reader.id)).toEqual(
      expect.arrayContaining(["readers.id", "readers.chat_id", "readers.display_name"]),
    );
    const before = await rowsOf(h.db, reader.id, "telegram", String(chatId));
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);
    const payloads = await h.db
      .selectFrom("outbox")
      .select("payload_id")
      .where("reader_id", "=", reader.id)
      .execute();
    const otherBefore = await rowsOf(h.db, other.id, "telegram", "918273646");

    const again = await say("/xoadulieu");
    const againCall = again.find((c) => c.method === "sendMessage");
    const erased = await h.send(
      h.fake.callbackQuery({
        chatId,
        messageId: messageIdOf(againCall),
        data: String(buttonsOf(againCall)[0]?.callback_data),
      }),
    );
    expect(textOf(erased.find((c) => c.method === "editMessageText"))).toContain(
      "Đã xóa mọi dữ liệu của bạn",
    );

    expect(await cellsHolding(h.db, [String(chatId), name], reader.id)).toEqual([]);
    const leftPayloads = await h.db
      .selectFrom("outbox_payloads")
      .select("id")
      .where(
        "id",
        "in",
        payloads.map((p) => p.payload_id),
      )
      .execute();
    expect(leftPayloads).toEqual([]);
    expect(await rowsOf(h.db, other.id, "telegram", "918273646")).toEqual(otherBefore);
    expect(await erasureAudit(h.db)).toEqual([
      { actor: "reader", action: "reader.erase", detail: JSON.stringify({ platform: "telegram" }) },
    ]);

    // Back again: a new reader, with nothing of the old one.
    const back = await say("/start");
    expect(textOf(back.find((c) => c.method === "sendMessage"))).toMatch(/^Xin chào/);
    const fresh = await findReader(h.db, "telegram", String(chatId));
    expect(fresh?.id).not.toBe(reader.id);
    expect((await rowsOf(h.db, fresh?.id ?? 0, "telegram", String(chatId))).reader_topics).toBe(0);
  });

  it("on Zalo: “dữ liệu” sends the summary and the JSON as text messages; “xóa dữ liệu” asks, then erases every row", async () => {
    const h: ZaloHarness = await startZaloHarness("polling", {
      databaseUrl: await store.newDatabaseUrl(),
    });
    harness = h;
    const chatId = "zq7reader4242";
    const name = "Huệ Zyxwv";
    const say = async (text: string) =>
      zaloTexts(await h.send(h.zalo.textEvent({ chatId, text, displayName: name })));

    await say("/start topic_the-thao");
    await say("theo dõi bão lũ");
    const reader = await findReader(h.db, "zalo", chatId);
    if (!reader) throw new Error("reader not registered");
    await giveDeliveries(h.db, reader.id, "zalo");

    const [summary = "", ...json] = await say("dữ liệu");
    expect(summary).toContain("Dữ liệu bản tin lưu về bạn");
    expect(summary).toContain("Từ khóa theo dõi: “bão lũ”");
    // Zalo sends no files: the JSON comes as text, in several messages of at most 2,000.
    expect(json.length).toBeGreaterThan(1);
    for (const text of json) expect(text.length).toBeLessThanOrEqual(2000);
    expect(json[0]).toMatch(/^Dữ liệu của bạn \(JSON\)\n/);
    const data = JSON.parse(json.join("\n").replace(/^Dữ liệu của bạn \(JSON\)\n/, ""));
    expect(data.reader).toMatchObject({ platform: "zalo", chatId, name });
    expect(data.topics.map((t: { slug: string }) => t.slug)).toEqual(["the-thao"]);
    expect(data.messages).toHaveLength(40);

    const [ask = ""] = await say("xóa dữ liệu");
    expect(ask).toContain("Không thể hoàn tác");
    const choice = /^\[(\d+)\] Có, xóa hết$/m.exec(ask)?.[1];
    expect(choice).toBeDefined();
    const before = await rowsOf(h.db, reader.id, "zalo", chatId);
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);

    const [done = ""] = await say(String(choice));
    expect(done).toContain("Đã xóa mọi dữ liệu của bạn");
    expect(await cellsHolding(h.db, [chatId, name], reader.id)).toEqual([]);
    expect(await erasureAudit(h.db)).toEqual([
      { actor: "reader", action: "reader.erase", detail: JSON.stringify({ platform: "zalo" }) },
    ]);
  });
});
