/**
 * PostgreSQL advisory locks held by this process: one connection of its own (outside the pool,
 * so that closing the pool never waits for it), whose session holds the locks. When the process
 * ends, however it ends, its connection closes and the server drops its locks.
 */
import type { Socket } from "node:net";
import pg from "pg";
import { postgresPoolOf } from "./database";
import type { Db } from "./schema";

export interface SessionLocks {
  /** Takes `name` if nobody holds it; true when this session holds it now. */
  take(name: string): Promise<boolean>;
  /** Gives `name` back. */
  give(name: string): Promise<void>;
  /** True when nobody holds `name` (this session asks by taking it and giving it back). */
  isFree(name: string): Promise<boolean>;
  /** Whether the session still lives (its locks are only held while it does). */
  alive(): boolean;
  close(): Promise<void>;
}

/** Advisory lock keys: a 64-bit hash of the name, computed by the server. */
const key = (name: string) => ({
  text: "select pg_try_advisory_lock(hashtextextended($1, 0)) as ok",
  values: [`bantin:${name}`],
});

export async function openSessionLocks(config: pg.ClientConfig): Promise<SessionLocks> {
  const client = new pg.Client({ ...config, application_name: "bantin locks" });
  let alive = true;
  client.on("error", () => {
    alive = false; // the connection broke: every lock it held is gone
  });
  client.on("end", () => {
    alive = false;
  });
  await client.connect();
  // Idle, the connection must not keep the process alive (it may end without closing it);
  // while a query is out, it must.
  const socket = (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  socket?.unref();
  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
    socket?.ref();
    try {
      return await client.query<R>(text, values);
    } finally {
      socket?.unref();
    }
  }
  const held = new Set<string>();

  async function tryLock(name: string): Promise<boolean> {
    const { text, values } = key(name);
    const { rows } = await query<{ ok: boolean }>(text, values);
    return rows[0]?.ok === true;
  }
  async function unlock(name: string): Promise<void> {
    await query("select pg_advisory_unlock(hashtextextended($1, 0))", [`bantin:${name}`]);
  }

  return {
    async take(name) {
      if (!alive) return false;
      if (held.has(name)) return true;
      const ok = await tryLock(name);
      if (ok) held.add(name);
      return ok;
    },
    async give(name) {
      if (!held.delete(name) || !alive) return;
      await unlock(name);
    },
    async isFree(name) {
      if (held.has(name) || !alive) return false;
      if (!(await tryLock(name))) return false;
      await unlock(name);
      return true;
    },
    alive: () => alive,
    async close() {
      held.clear();
      socket?.ref(); // until it has ended
      if (alive) await client.end().catch(() => {});
      alive = false;
    },
  };
}

const sessions = new WeakMap<object, Promise<SessionLocks>>();

/**
 * The lock session of this process for the PostgreSQL database `db` opens (one per database,
 * made on first use, with the pool's own connection settings).
 */
export function sessionLocksOf(db: Db): Promise<SessionLocks> {
  const pool = postgresPoolOf(db);
  if (!pool) return Promise.reject(new Error("not a PostgreSQL database opened by bantin"));
  let session = sessions.get(pool);
  if (!session) {
    session = openSessionLocks(pool.options as pg.ClientConfig);
    sessions.set(pool, session);
    session.catch(() => sessions.delete(pool));
  }
  return session;
}

/** Closes the lock session of `db`, if one was opened (before the pool closes). */
export async function closeSessionLocks(db: Db): Promise<void> {
  const pool = postgresPoolOf(db);
  const session = pool && sessions.get(pool);
  if (!pool || !session) return;
  sessions.delete(pool);
  await (await session.catch(() => null))?.close();
}
