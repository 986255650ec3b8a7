/**
 * The PostgreSQL lock session when its connection breaks (the server restarts, an operator ends
 * the connection): its locks are gone, it says so, it connects again and contends again, and
 * what it keeps for its life (an owner lock) it takes again. Runs when TEST_DATABASE_URL is set.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db";
import { leadershipFor } from "../../src/db/leadership";
import { OWNER_RECONNECT_GRACE_MS, ownerLocks } from "../../src/db/owner-locks";
import type { DbHandle } from "../../src/db/schema";
import {
  closeSessionLocks,
  openSessionLocks,
  type SessionLocks,
  sessionLocksProblem,
} from "../../src/db/session-locks";
import { waitUntil } from "../helpers/processes";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";
import { Gate } from "../helpers/tcp-gate";

let database: { name: string; url: string } | undefined;
let admin: pg.Client | undefined;
const sessions: SessionLocks[] = [];
const handles: DbHandle[] = [];

/** Ends, from outside, the connection that holds bantin's advisory lock `name`. */
async function endHolderOf(name: string): Promise<void> {
  const { rowCount } = await (admin as pg.Client).query(
    `select pg_terminate_backend(l.pid) from pg_locks l
      where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
        and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
    [`bantin:${name}`],
  );
  expect(rowCount).toBe(1);
}

(TEST_DATABASE_URL ? describe : describe.skip)("a lock session that loses its connection", () => {
  beforeAll(async () => {
    database = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const session of sessions.splice(0)) await session.close();
    for (const db of handles.splice(0)) {
      await closeSessionLocks(db);
      await db.destroy();
    }
    await admin?.end();
    if (database) await dropPostgresDatabase(TEST_DATABASE_URL ?? "", database.name);
  });

  async function session(): Promise<SessionLocks> {
    const opened = await openSessionLocks(
      { connectionString: database?.url },
      { retryMs: 50, maxRetryMs: 200 },
    );
    sessions.push(opened);
    return opened;
  }

  it("drops its locks, says why, connects again at the next take and takes kept locks again", async () => {
    const a = await session();
    const b = await session();
    expect(await a.take("job-1")).toBe(true);
    expect(await a.keep("owner-1")).toBe(true);
    expect(await b.take("job-1")).toBe(false);
    expect(a.generation()).toBe(0);
    expect(a.sinceReconnect()).toBeNull();

    await endHolderOf("job-1");
    await waitUntil(() => !a.alive(), 5_000, "the session to notice");
    expect(a.generation()).toBe(1);
    expect(a.problem()).toMatch(
      /^the lock connection to PostgreSQL broke \(.+\); connecting again$/,
    );
    // Its locks went with the connection: another session takes them.
    expect(await b.take("job-1")).toBe(true);

    // The next take connects again; the owner lock it keeps is taken again first.
    expect(await a.take("job-2")).toBe(true);
    expect(a.alive()).toBe(true);
    expect(a.problem()).toBeNull();
    expect(a.sinceReconnect()).toBeGreaterThanOrEqual(0);
    expect(await b.isFree("owner-1")).toBe(false);
    expect(await a.take("job-1")).toBe(false); // b leads it now
    await a.give("owner-1");
    expect(await b.isFree("owner-1")).toBe(true);
  });

  it("cannot connect at all: refuses with the reason", async () => {
    // A server that refuses: the port of a listener that was closed.
    const refused = "postgres://postgres@127.0.0.1:9/bantin";
    await expect(openSessionLocks({ connectionString: refused })).rejects.toThrow(
      /cannot connect the lock connection to PostgreSQL \(.*ECONNREFUSED.*\)/,
    );
  });

  it("leadership: a leader whose connection broke leads no more; another leads; it contends again", async () => {
    const url = database?.url as string;
    const first = openDatabase({ kind: "postgres", url, poolSize: 1 }).db;
    const second = openDatabase({ kind: "postgres", url, poolSize: 1 }).db;
    handles.push(first, second);
    const one = await leadershipFor(first);
    const two = await leadershipFor(second);
    expect(await one.tryLead("send:telegram")).toBe(true);
    expect(await two.tryLead("send:telegram")).toBe(false);

    await endHolderOf("leader:send:telegram");
    await waitUntil(async () => (await sessionLocksProblem(first)) !== null, 5_000, "the break");
    expect(await sessionLocksProblem(first)).toMatch(/lock connection to PostgreSQL broke/);
    expect(one.leading()).toEqual([]); // at once, not at its next try (/readyz reads it)
    expect(await one.tryLead("send:telegram")).toBe(false);
    expect(one.leading()).toEqual([]);
    expect(await two.tryLead("send:telegram")).toBe(true);
    expect(await one.tryLead("send:telegram")).toBe(false);
    expect(await sessionLocksProblem(first)).toBeNull(); // connected again, contending

    await two.stepDown("send:telegram");
    expect(await one.tryLead("send:telegram")).toBe(true);
    expect(one.leading()).toEqual(["send:telegram"]);
  });

  it("owner locks: no owner is proved gone just after the connection came back", async () => {
    const url = database?.url as string;
    const db = openDatabase({ kind: "postgres", url, poolSize: 1 }).db;
    handles.push(db);
    const locks = await ownerLocks(db);
    const mine = `telegram:${crypto.randomUUID()}`;
    const gone = `telegram:${crypto.randomUUID()}`; // nobody holds it: gone
    expect(await locks.hold(mine)).not.toBeNull();
    expect(await locks.isGone(gone)).toBe(true);

    await endHolderOf(`owner:${mine}`);
    await waitUntil(async () => (await sessionLocksProblem(db)) !== null, 5_000, "the break");
    // The first question connects again; for OWNER_RECONNECT_GRACE_MS the others may still be
    // taking their locks again, so none is proved gone.
    expect(await locks.isGone(gone)).toBe(false);
    expect(OWNER_RECONNECT_GRACE_MS).toBeGreaterThanOrEqual(10_000);
    // Its own owner lock was taken again on the new connection.
    const other = await session();
    expect(await other.isFree(`owner:${mine}`)).toBe(false);
  });
});

(TEST_DATABASE_URL ? describe : describe.skip)("a lock session while the server is away", () => {
  it("has no lock and says why, tries again only as its backoff allows, and contends once it is back", async () => {
    const created = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
    const server = new URL(created.url);
    const gate = new Gate(Number(server.port || 5432));
    gate.open = true;
    const through = new URL(created.url);
    through.port = String(new URL(await gate.listen()).port);
    let clock = 0;
    const attempts: number[] = [];
    gate.server.on("connection", () => attempts.push(clock));
    const a = await openSessionLocks(
      { connectionString: through.toString() },
      { retryMs: 1_000, maxRetryMs: 4_000, now: () => clock },
    );
    try {
      expect(await a.take("job")).toBe(true);
      gate.shut();
      await waitUntil(() => !a.alive(), 5_000, "the session to notice");
      const before = attempts.length;
      expect(await a.take("job")).toBe(false); // tries at once: refused
      expect(a.problem()).toMatch(
        /^cannot connect the lock connection to PostgreSQL \(.+\); trying again$/,
      );
      expect(await a.take("job")).toBe(false); // within the backoff: no new attempt
      expect(attempts.length).toBe(before + 1);
      clock += 1_000;
      expect(await a.take("job")).toBe(false);
      clock += 1_000; // the wait doubled: 2 s now
      expect(await a.take("job")).toBe(false);
      expect(attempts.length).toBe(before + 2);
      clock += 1_000;
      expect(await a.take("job")).toBe(false);
      expect(attempts.length).toBe(before + 3);

      gate.open = true;
      clock += 60_000;
      expect(await a.take("job")).toBe(true);
      expect(a.alive()).toBe(true);
      expect(a.problem()).toBeNull();
    } finally {
      await a.close();
      await gate.close();
      await dropPostgresDatabase(TEST_DATABASE_URL ?? "", created.name);
    }
  });
});
