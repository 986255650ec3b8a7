import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/adapters/telegram/transport";
import { migrateToLatest, openDatabase } from "../../src/db";
import { ownerLocks, sqliteOwnerLocks } from "../../src/db/owner-locks";
import type { DbHandle } from "../../src/db/schema";
import { RateLimiter } from "../../src/delivery/limiter";
import { claimDue } from "../../src/delivery/outbox";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { createDeliveryWorker } from "../../src/delivery/worker";
import { silentLogger } from "../../src/logging";
import { confirmBroadcast, prepareBroadcast } from "../../src/services/broadcasts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { createTestDb } from "../helpers/db";

const ROOT = resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
const opened: DbHandle[] = [];
let fake: FakeTelegram | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const db of opened.splice(0)) await db.destroy();
  await fake?.close();
  fake = undefined;
});

const scratch = () => mkdtempSync(join(tmpdir(), "bantin-locks-"));
const uuid = () => crypto.randomUUID();

/** Another process holding `owner`'s lock in `dir`, as a running sender does. */
async function holdInChild(dir: string, owner: string): Promise<ChildProcess> {
  const script = `
    const { sqliteOwnerLocks } = await import(${JSON.stringify(join(ROOT, "src/db/owner-locks.ts"))});
    // Kept referenced: a lock nobody refers to may be collected, and its file lock let go.
    globalThis.heldLock = sqliteOwnerLocks(${JSON.stringify(dir)}).hold(${JSON.stringify(owner)});
    if (!globalThis.heldLock) process.exit(3);
    process.stdout.write("held\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((done, fail) => {
    child.stdout?.once("data", () => done());
    child.once("exit", (code) => fail(new Error(`lock holder exited (${code})`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGKILL");
  await exited;
}

describe("owner locks", { timeout: 30_000 }, () => {
  it("prove an owner gone only once its process has died", async () => {
    const dir = join(scratch(), "bantin.db-owners");
    const owner = `telegram:${uuid()}`;
    const locks = sqliteOwnerLocks(dir);
    expect(locks.isGone(owner)).toBe(false); // never seen: not proved
    const child = await holdInChild(dir, owner);
    expect(locks.isGone(owner)).toBe(false); // alive
    expect(locks.isGone(owner)).toBe(false); // and looking did not hurt its lock
    await kill(child);
    expect(locks.isGone(owner)).toBe(true);
    locks.forget(owner);
    expect(readdirSync(dir)).toEqual([]);
    expect(locks.isGone(owner)).toBe(false); // forgotten: nothing to prove any more
  });

  it("see a lock held in this very process as alive, and release removes the file", () => {
    const dir = join(scratch(), "x.db-owners");
    const owner = `zalo:${uuid()}`;
    const locks = sqliteOwnerLocks(dir);
    const lock = locks.hold(owner);
    expect(lock).not.toBeNull();
    expect(sqliteOwnerLocks(dir).isGone(owner)).toBe(false);
    lock?.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuse owners of another shape, and cannot hold where no folder can be made", () => {
    const locks = sqliteOwnerLocks(join(scratch(), "db-owners"));
    expect(locks.hold("../../etc/passwd")).toBeNull();
    expect(locks.isGone("../../etc/passwd")).toBe(false);
    const nowhere = sqliteOwnerLocks(join(scratch(), "missing", "db-owners"));
    expect(nowhere.hold(`telegram:${uuid()}`)).toBeNull();
  });

  it("sweep lock files nobody holds once they are a minute old", async () => {
    const dir = join(scratch(), "db-owners");
    const locks = sqliteOwnerLocks(dir);
    const dead = `telegram:${uuid()}`;
    const young = `telegram:${uuid()}`;
    const alive = `telegram:${uuid()}`;
    await kill(await holdInChild(dir, dead));
    await kill(await holdInChild(dir, young));
    const live = locks.hold(alive);
    const old = new Date(Date.now() - 5 * 60_000);
    for (const owner of [dead, alive]) {
      utimesSync(join(dir, `${owner.replace(":", ".")}.lock`), old, old);
    }
    expect(locks.sweep()).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(
      [young, alive].map((o) => `${o.replace(":", ".")}.lock`).sort(),
    );
    live?.release();
  });

  it("are none for an in-memory database", async () => {
    const db = await createTestDb();
    opened.push(db);
    const locks = await ownerLocks(db);
    expect(locks.isGone(`telegram:${uuid()}`)).toBe(false);
  });
});

describe("a sender starting beside leased rows", { timeout: 30_000 }, () => {
  async function setup(readers: number) {
    fake = await startFakeTelegram();
    const dir = scratch();
    const path = join(dir, "bantin.db");
    const { db } = openDatabase({ kind: "sqlite", path });
    opened.push(db);
    await migrateToLatest(db);
    const now = new Date().toISOString();
    await db
      .insertInto("readers")
      .values(
        Array.from({ length: readers }, (_, i) => ({
          platform: "telegram",
          chat_id: String(5000 + i),
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const { broadcast } = await prepareBroadcast(db, { author: "cli", text: "Tin nóng" }, now);
    await confirmBroadcast(db, broadcast.id, "cli", now);
    return { db, path, fake };
  }

  /** Another sender's claim on `limit` rows, with an hour-long lease. */
  async function claimFor(db: DbHandle, owner: string, limit: number) {
    const now = new Date();
    return claimDue(db, {
      platform: "telegram",
      owner,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 3_600_000).toISOString(),
      limit,
    });
  }

  function worker(db: DbHandle, f: FakeTelegram) {
    return createDeliveryWorker({
      db,
      transport: createTelegramTransport({
        token: f.token,
        apiRoot: f.apiRoot,
        paidBroadcast: false,
      }),
      limiter: new RateLimiter({ perSecond: 500, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
      clock: () => new Date(),
      logger: silentLogger(),
      concurrency: 4,
      leaseMs: 3_600_000,
    });
  }

  it("takes back at once the rows of a sender proved gone, and leaves a live one's alone", async () => {
    const { db, path, fake } = await setup(30);
    const dir = `${path}-owners`;
    const gone = `telegram:${uuid()}`;
    const live = `telegram:${uuid()}`;
    const legacy = `telegram:${uuid()}`; // no lock file: an older version, never proved gone
    await kill(await holdInChild(dir, gone));
    const liveHolder = await holdInChild(dir, live);
    expect(await claimFor(db, gone, 10)).toHaveLength(10);
    expect(await claimFor(db, live, 5)).toHaveLength(5);
    expect(await claimFor(db, legacy, 5)).toHaveLength(5);

    await worker(db, fake).drain();

    expect(await countOutboxByState(db)).toMatchObject({ sent: 20, pending: 10 });
    const waiting = await db
      .selectFrom("outbox")
      .select("lease_owner")
      .where("state", "=", "pending")
      .execute();
    expect(waiting.map((r) => r.lease_owner).sort()).toEqual(
      [...Array(5).fill(live), ...Array(5).fill(legacy)].sort(),
    );
    expect(existsSync(join(dir, `${gone.replace(":", ".")}.lock`))).toBe(false);
    expect(readdirSync(dir)).toEqual([`${live.replace(":", ".")}.lock`]); // ours is gone too
    await kill(liveHolder);
  });
});
