/**
 * 0019_outbox_key_per_reader on an outbox written before it: the rows, their ids and states stay,
 * ids go on after the old table's last (never handed out twice), and a key is now unique per
 * reader: enqueuing it again for that reader adds nothing, for another reader it is a row.
 */
import { type MigrationProvider, sql } from "kysely";
import { expect, it } from "vitest";
import { migrations } from "../../migrations";
import { migrateToLatest } from "../../src/db";
import { enqueue, findOutboxItem } from "../../src/delivery/outbox";
import type { RenderedPayload } from "../../src/message/parts";
import { describeStores } from "../helpers/stores";

const before0019: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0019")),
};

const through0019: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= "0019_~")),
};

describeStores("migration 0019_outbox_key_per_reader", (store) => {
  it("keeps the outbox's rows and ids and makes a key unique per reader", async () => {
    const db = await store.emptyDb();
    await migrateToLatest(db, before0019);
    await sql`INSERT INTO readers (id, platform, chat_id) VALUES (1, 'telegram', '10'), (2, 'zalo', 'z2')`.execute(
      db,
    );
    // No ids given where the bot adds rows later: PostgreSQL's sequences would not know of them.
    await sql`INSERT INTO outbox_payloads (body) VALUES ('{"messages":[{"text":"Tin mới"}]}')`.execute(
      db,
    );
    const at = "2026-12-05T00:00:00.000Z";
    for (const [key, reader, state] of [
      ["digest:1:2026-12-05", 1, "sent"],
      ["digest:2:2026-12-05", 2, "pending"],
      ["reply:gone", 1, "pending"],
    ] as const) {
      await sql`INSERT INTO outbox (idempotency_key, reader_id, platform, kind, payload_id, state, next_attempt_at, created_at)
        VALUES (${key}, ${reader}, ${reader === 1 ? "telegram" : "zalo"}, 'digest', (SELECT min(id) FROM outbox_payloads), ${state}, ${at}, ${at})`.execute(
        db,
      );
    }
    // The newest row was cleaned up: its id must not come back.
    await sql`DELETE FROM outbox WHERE idempotency_key = 'reply:gone'`.execute(db);

    expect(await migrateToLatest(db, through0019)).toEqual(["0019_outbox_key_per_reader"]);

    const rows = await db
      .selectFrom("outbox")
      .select(["id", "idempotency_key", "reader_id", "state"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: 1, idempotency_key: "digest:1:2026-12-05", reader_id: 1, state: "sent" },
      { id: 2, idempotency_key: "digest:2:2026-12-05", reader_id: 2, state: "pending" },
    ]);

    const payload: RenderedPayload = {
      parts: [{ kind: "text", format: "plain", text: "Tin nóng" }],
    };
    const item = (readerId: number, platform: string) => ({
      idempotencyKey: "notice:7",
      readerId,
      platform,
      kind: "notice" as const,
      payload,
      nextAttemptAt: at,
    });
    expect(await enqueue(db, [item(1, "telegram"), item(2, "zalo")])).toBe(2);
    expect(await enqueue(db, [item(1, "telegram")])).toBe(0); // the same reader's key again
    const again = await findOutboxItem(db, 1, "notice:7");
    expect(again?.id).toBeGreaterThan(3);
    expect(await findOutboxItem(db, 2, "notice:7")).toMatchObject({ platform: "zalo" });
    expect(await findOutboxItem(db, 2, "digest:1:2026-12-05")).toBeUndefined();
  });
});
