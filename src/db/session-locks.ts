/**
 * PostgreSQL advisory locks held by this process: one connection of its own (outside the pool,
 * so that closing the pool never waits for it), whose session holds the locks. When the process
 * ends, however it ends, its connection closes and the server drops its locks.
 *
 * The connection can also break while the process lives (the server restarts, the network
 * drops): every lock it held is gone at that moment. The session notices, counts a new
 * generation, and connects again (at the next take, with backoff while the server is away), so
 * that this process contends again once the server is back. Holders ask `generation()` to tell
 * whether a lock they took is still the one held.
 */
import type { Socket } from "node:net";
import type pg from "pg";
import { loadPg, postgresPoolOf } from "./database";
import type { Db } from "./schema";

export interface SessionLocks {
  /** Takes `name` if nobody holds it; true when this session holds it now. */
  take(name: string): Promise<boolean>;
  /**
   * Takes `name` for as long as this session lives, taking it again on each new connection after
   * one broke; true when it holds it now. `give` ends that.
   */
  keep(name: string): Promise<boolean>;
  /** Gives `name` back. */
  give(name: string): Promise<void>;
  /** True when nobody holds `name` (this session asks by taking it and giving it back). */
  isFree(name: string): Promise<boolean>;
  /** Whether the connection lives now (its locks are only held while it does). */
  alive(): boolean;
  /** Counts the connections lost so far: a lock taken in an earlier generation is gone. */
  generation(): number;
  /** Why the connection is down, while it is; null while it lives. */
  problem(): string | null;
  /** Milliseconds since the connection came back after one broke; null if none ever broke. */
  sinceReconnect(): number | null;
  /** Calls `listener` the moment the connection breaks (its locks are gone then). */
  onLost(listener: () => void): void;
  close(): Promise<void>;
}

export interface SessionLocksOptions {
  /** First wait before connecting again after a failed attempt; it doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
}

/** Advisory lock keys: a 64-bit hash of the name, computed by the server. */
const TRY_LOCK = "select pg_try_advisory_lock(hashtextextended($1, 0)) as ok";
const lockName = (name: string) => [`bantin:${name}`];

/** A connection attempt that gets no answer fails after this long (then backs off). */
export const LOCK_CONNECT_TIMEOUT_MS = 10_000;

export async function openSessionLocks(
  config: pg.ClientConfig,
  options: SessionLocksOptions = {},
): Promise<SessionLocks> {
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  const now = options.now ?? Date.now;
  const { Client } = loadPg();

  let client: pg.Client | null = null;
  let socket: Socket | undefined;
  let generation = 0;
  let problem: string | null = null;
  let closed = false;
  let connecting: Promise<boolean> | null = null;
  let nextAttemptAt = 0;
  let wait = retryMs;
  let reconnectedAt: number | null = null;
  const held = new Set<string>();
  const lostListeners = new Set<() => void>();
  /** Locks to take again on each new connection (kept for the session's life). */
  const kept = new Set<string>();

  /** The connection `lost` broke: every lock it held is gone. */
  function lose(lost: pg.Client, why: string): void {
    if (client !== lost) return;
    client = null;
    socket = undefined;
    held.clear();
    generation++;
    problem = `the lock connection to PostgreSQL broke (${why}); connecting again`;
    lost.end().catch(() => {});
    for (const listener of lostListeners) listener();
  }

  async function connect(): Promise<boolean> {
    const next = new Client({
      connectionTimeoutMillis: LOCK_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      ...config,
      application_name: "bantin locks",
    });
    next.on("error", (error) => lose(next, error.message));
    next.on("end", () => lose(next, "the server closed it"));
    try {
      await next.connect();
    } catch (error) {
      next.end().catch(() => {});
      problem = `cannot connect the lock connection to PostgreSQL (${(error as Error).message}); trying again`;
      nextAttemptAt = now() + wait;
      wait = Math.min(wait * 2, maxRetryMs);
      return false;
    }
    if (closed) {
      await next.end().catch(() => {});
      return false;
    }
    client = next;
    // Idle, the connection must not keep the process alive (it may end without closing it);
    // while a query is out, it must.
    socket = (next as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    socket?.unref();
    problem = null;
    wait = retryMs;
    if (generation > 0) {
      reconnectedAt = now();
      for (const name of kept) await retake(next, name);
    }
    return client === next;
  }

  /** Takes a kept lock again on a new connection (a prober may hold it for an instant). */
  async function retake(on: pg.Client, name: string): Promise<void> {
    for (let attempt = 0; attempt < 5 && client === on; attempt++) {
      try {
        const { rows } = await queued(() => on.query<{ ok: boolean }>(TRY_LOCK, lockName(name)));
        if (rows[0]?.ok === true) {
          held.add(name);
          return;
        }
      } catch {
        return; // the new connection broke too: the next one tries again
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** True once a connection lives (connecting again if it broke and the backoff allows). */
  async function connected(): Promise<boolean> {
    if (client) return true;
    if (closed || now() < nextAttemptAt) return false;
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  // One query at a time on the connection (pg would queue them, but no longer wants to).
  let queue: Promise<unknown> = Promise.resolve();
  function queued<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work, work);
    queue = result.catch(() => {});
    return result;
  }

  /** Runs `text` on the lock connection; null when it is down or broke on the way. */
  async function query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<R[] | null> {
    if (!(await connected()) || !client) return null;
    const on = client;
    const onSocket = socket;
    onSocket?.ref();
    try {
      return (await queued(() => on.query<R>(text, values))).rows;
    } catch (error) {
      // A broken connection is not an error to report (it is counted and mended); a query
      // error on a live one is.
      if (client !== on) return null;
      if (isConnectionError(error)) {
        lose(on, (error as Error).message);
        return null;
      }
      throw error;
    } finally {
      onSocket?.unref();
    }
  }

  async function tryLock(name: string): Promise<boolean> {
    const rows = await query<{ ok: boolean }>(TRY_LOCK, lockName(name));
    return rows?.[0]?.ok === true;
  }
  async function unlock(name: string): Promise<void> {
    await query("select pg_advisory_unlock(hashtextextended($1, 0))", lockName(name));
  }

  if (!(await connect())) throw new Error(problem ?? "cannot connect the lock connection");

  async function take(name: string): Promise<boolean> {
    const before = generation;
    if (held.has(name) && client) return true;
    const ok = await tryLock(name);
    // Taken on a connection that broke right after: not held.
    if (!ok || generation !== before || !client) return false;
    held.add(name);
    return true;
  }

  return {
    take,
    async keep(name) {
      kept.add(name);
      return take(name);
    },
    async give(name) {
      kept.delete(name);
      if (!held.delete(name) || !client) return;
      await unlock(name);
    },
    async isFree(name) {
      if (held.has(name)) return false;
      if (!(await tryLock(name))) return false;
      await unlock(name);
      return true;
    },
    alive: () => client !== null,
    generation: () => generation,
    problem: () => (closed ? null : problem),
    sinceReconnect: () => (reconnectedAt === null ? null : now() - reconnectedAt),
    onLost(listener) {
      lostListeners.add(listener);
    },
    async close() {
      closed = true;
      lostListeners.clear();
      held.clear();
      kept.clear();
      const last = client;
      client = null;
      if (connecting) await connecting;
      if (last) {
        socket?.ref(); // until it has ended
        await last.end().catch(() => {});
      }
    },
  };
}

/** The server went away (restart, shutdown, network), as opposed to a bad query. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
  if (/^(57P0[1-3]|08)/.test(code)) return true;
  const message = (error as Error).message ?? "";
  return /Connection terminated|connection.*(closed|ended)|ECONNRESET|EPIPE|ECONNREFUSED|not queryable/i.test(
    message,
  );
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

/** Why the lock session of `db` is down, if one was opened and is down now; null otherwise. */
export async function sessionLocksProblem(db: Db): Promise<string | null> {
  const pool = postgresPoolOf(db);
  const session = pool && sessions.get(pool);
  if (!session) return null;
  return (await session.catch(() => null))?.problem() ?? null;
}

/** Closes the lock session of `db`, if one was opened (before the pool closes). */
export async function closeSessionLocks(db: Db): Promise<void> {
  const pool = postgresPoolOf(db);
  const session = pool && sessions.get(pool);
  if (!pool || !session) return;
  sessions.delete(pool);
  await (await session.catch(() => null))?.close();
}
