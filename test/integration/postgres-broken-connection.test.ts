/**
 * A pooled PostgreSQL connection that the server ends while bantin holds it (in a transaction,
 * between two statements): the work in hand fails with the server's reason, the process goes
 * on, and the next work gets a new connection. Before, the connection's "error" event had no
 * listener while it was checked out of the pool, and a PostgreSQL restart at that moment ended
 * the whole process. Runs when TEST_DATABASE_URL is set.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";

let database: { name: string; url: string } | undefined;
let admin: pg.Client | undefined;
let db: DbHandle | undefined;

(TEST_DATABASE_URL ? describe : describe.skip)("a pooled connection the server ends", () => {
  beforeAll(async () => {
    database = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    db = openDatabase({ kind: "postgres", url: database.url, poolSize: 2 }).db;
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.end();
    if (database) await dropPostgresDatabase(TEST_DATABASE_URL ?? "", database.name);
  });

  it("fails the transaction in hand, not the process, and serves the next query", async () => {
    const handle = db as DbHandle;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      const failure = await handle
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await (admin as pg.Client).query("select pg_terminate_backend($1)", [rows[0]?.pid]);
          // The server's notice arrives while no statement is out.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(trx);
        })
        .then(
          () => null,
          (error: Error) => error,
        );
      expect(failure).toBeInstanceOf(Error);
      expect(uncaught).toEqual([]);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle);
      expect(rows[0]?.one).toBe(1);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
