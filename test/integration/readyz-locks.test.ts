/**
 * /readyz when only the lock connection is down: the pool's connections still answer, but no
 * process can lead (poll, send, digest) until the lock connection is back. Runs when
 * TEST_DATABASE_URL is set.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/processes";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";
import { type Harness, startTelegramHarness } from "../helpers/telegram-harness";

interface Readiness {
  status: number;
  body: {
    ready: boolean;
    database: boolean;
    locks: boolean;
    leading: string[];
    problems: string[];
  };
}

(TEST_DATABASE_URL ? describe : describe.skip)("/readyz with the lock connection down", () => {
  let database: { name: string; url: string };
  let admin: pg.Client;
  let h: Harness | undefined;
  beforeAll(async () => {
    database = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    h = await startTelegramHarness("polling", { databaseUrl: database.url });
  }, 60_000);
  afterAll(async () => {
    await admin.query(`alter database "${database.name}" allow_connections true`);
    await h?.stop();
    await admin.end();
    await dropPostgresDatabase(TEST_DATABASE_URL ?? "", database.name);
  });

  async function readiness(): Promise<Readiness> {
    const answer = await fetch(`${h?.running.http.url}/readyz`);
    return { status: answer.status, body: (await answer.json()) as Readiness["body"] };
  }

  it("answers 503 naming the lock connection, then 200 and leads again once it is back", async () => {
    await waitUntil(async () => (await readiness()).status === 200, 20_000, "ready");
    // Several pings at once open several pooled connections, so that one is idle for /readyz
    // below even while a job holds another: with a single one open, a busy moment needed a new
    // connection, which is refused, and the database itself read as down.
    await Promise.all(Array.from({ length: 4 }, () => readiness()));
    // No new connection to the database may open; the pool's open ones keep answering.
    await admin.query(`alter database "${database.name}" allow_connections false`);
    const { rowCount } = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'bantin locks'",
      [database.name],
    );
    expect(rowCount).toBe(1);
    let down: Readiness | undefined;
    await waitUntil(
      async () => {
        down = await readiness();
        return down.status === 503;
      },
      10_000,
      "/readyz 503",
    );
    expect(down?.body).toMatchObject({ ready: false, database: true, locks: false, leading: [] });
    expect(down?.body.problems.join(" ")).toMatch(/lock connection to PostgreSQL/);

    await admin.query(`alter database "${database.name}" allow_connections true`);
    await waitUntil(
      async () => {
        const up = await readiness();
        return up.status === 200 && up.body.leading.includes("poll:telegram");
      },
      20_000,
      "/readyz 200, polling led again",
    );
    // And polling answers again.
    const f = h?.fake;
    f?.pushUpdate(f.message({ chatId: 6_006, text: "/trogiup" }));
    await waitUntil(() => (f?.sentMessages(6_006).length ?? 0) > 0, 20_000, "an answer");
  });
});
