/**
 * Updates in, durably: an adapter hands each platform update to `accept` (stored, so a repeat
 * is a no-op) before acknowledging it, and the inbox hands it back to the adapter's handler
 * later, in order within a chat and concurrently across chats. Nothing acknowledged is lost:
 * a stop leaves what was not started stored, and after a crash the rows a dead worker held are
 * claimed again when their short lease runs out.
 */
import type { Clock } from "../clock";
import { createLeaseOwner, type LeaseOwner } from "../db/lease-owner";
import type { Db } from "../db/schema";
import {
  type ClaimedUpdate,
  claimUpdates,
  claimUpdatesById,
  extendUpdateLeases,
  finishUpdate,
  type NewUpdate,
  releaseUpdates,
  releaseUpdatesOf,
  storeUpdates,
  updateLeaseOwners,
} from "../inbox/updates";
import type { Logger } from "../logging";

export type { NewUpdate };

/** Handles one stored update of a platform; a throw marks it failed (it is not tried again). */
export type UpdateHandler = (body: unknown) => Promise<void>;

/** What an adapter needs of the inbox. */
export interface UpdateSink {
  /** Resolves once the updates are stored (a repeat is a no-op): then they may be acknowledged. */
  accept(updates: NewUpdate[]): Promise<void>;
  /** The adapter's handler for its platform's stored updates. */
  on(platform: string, handler: UpdateHandler): void;
}

export interface InboxOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Chats worked on at once. */
  concurrency?: number;
  /** How long a claim holds before another worker may take the update (after a crash). */
  leaseMs?: number;
  /** How often to look for updates when nothing woke the inbox (other processes, expired leases). */
  pollMs?: number;
  /** An update claimed this many times without being finished is given up. */
  maxAttempts?: number;
  /** Told when an update was handled (its replies sent): seconds since it was stored. */
  onHandled?: (platform: string, seconds: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The longest an update waits while acknowledgements are being made: a burst is answered to the
 * platform first, and no update waits for long under steady traffic.
 */
const ACK_FIRST_MAX_MS = 1000;

export class UpdateInbox implements UpdateSink {
  private readonly leaseOwner: LeaseOwner;
  private readonly owner: string;
  private readonly handlers = new Map<string, UpdateHandler>();
  private readonly queues = new Map<string, ClaimedUpdate[]>(); // by chat, claimed, not started
  private readonly working = new Set<string>(); // chats being worked on
  private readonly waiting: string[] = []; // chats with updates, not being worked on
  private readonly inHand = new Set<number>(); // claimed ids, queued or in flight
  private readonly settled = new Set<() => void>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private refilling: Promise<number> | null = null;
  private refillAgain = false;
  /** Claims of just-stored updates under way. */
  private takingStored = 0;
  private taking = false;
  /** Stored updates may be waiting that no claim took yet. */
  private behind = true;
  private readonly toStore: {
    updates: NewUpdate[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private ackFirst: (() => boolean) | undefined;

  constructor(private readonly options: InboxOptions) {
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.log = options.logger.child({ subsystem: "inbox" });
    const { db } = options;
    // After a crash, the next start takes back the dead worker's updates at once.
    this.leaseOwner = createLeaseOwner(
      db,
      "inbox",
      {
        liveOwners: (now, except) => updateLeaseOwners(db, now, except),
        release: (other) => releaseUpdatesOf(db, other),
      },
      this.log,
    );
    this.owner = this.leaseOwner.id;
  }

  on(platform: string, handler: UpdateHandler): void {
    this.handlers.set(platform, handler);
    if (this.taking) this.wake();
  }

  accept(updates: NewUpdate[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    // Updates that come together are stored together: one statement for a burst.
    return new Promise((resolve, reject) => {
      this.toStore.push({ updates, resolve, reject });
      if (this.toStore.length === 1) setImmediate(() => void this.storeWaiting());
    });
  }

  private async storeWaiting(): Promise<void> {
    const waiting = this.toStore.splice(0);
    try {
      const stored = await storeUpdates(
        this.options.db,
        waiting.flatMap((w) => w.updates),
        this.iso(),
      );
      for (const w of waiting) w.resolve(); // their acknowledgements are written first
      if (stored.length > 0 && this.taking) {
        this.takingStored++;
        void this.takeStored(stored).finally(() => {
          this.takingStored--;
          this.notifySettled();
        });
      }
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }

  /**
   * Starts taking stored updates (those left by an earlier run too). While `ackFirst` says
   * requests are coming in a burst, an update waits (at most ACK_FIRST_MAX_MS): the platform gets
   * its 200s first, the answers right after.
   */
  start(options: { ackFirst?: () => boolean } = {}): void {
    if (this.taking) return;
    this.taking = true;
    this.ackFirst = options.ackFirst;
    const takeBack = (begin: boolean) =>
      (begin ? this.leaseOwner.begin(this.iso()) : this.leaseOwner.takeBack(this.iso()))
        .catch((error: unknown) =>
          this.log.warn({ error: String(error) }, "taking back updates failed"),
        )
        .then(() => this.wake());
    void takeBack(true);
    this.timer = setInterval(() => void takeBack(false), this.options.pollMs ?? 1000);
    this.heartbeat = setInterval(() => {
      const ids = [...this.inHand];
      if (ids.length === 0) return;
      extendUpdateLeases(this.options.db, ids, this.owner, this.iso(this.leaseMs)).catch(
        (error: unknown) => this.log.warn({ error: String(error) }, "lease renewal failed"),
      );
    }, this.leaseMs / 3);
  }

  /**
   * Stops taking updates: what was claimed but not started goes back at once (stored, claimable
   * by the next run), what is being handled is finished within `deadlineMs`.
   */
  async stop(deadlineMs = 5_000): Promise<void> {
    this.taking = false;
    clearInterval(this.timer);
    const untouched = [...this.queues.values()].flat().map((u) => u.id);
    this.queues.clear();
    this.waiting.length = 0;
    for (const id of untouched) this.inHand.delete(id);
    await releaseUpdates(this.options.db, untouched, this.owner);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([this.whenSettled(), deadline]);
    clearTimeout(timer);
    clearInterval(this.heartbeat);
    if (this.inHand.size > 0) {
      this.log.warn({ unfinished: this.inHand.size }, "stopped with updates still being handled");
    } else {
      this.leaseOwner.end(); // nothing held: the lock can go (held, it proves this worker alive)
    }
  }

  /** Resolves once nothing claimable is left and nothing is in hand (tests, the CLI). */
  async idle(): Promise<void> {
    for (;;) {
      await this.whenSettled();
      if ((await this.refill()) === 0 && this.inHand.size === 0) return;
    }
  }

  private iso(offsetMs = 0): string {
    return new Date(this.options.clock().getTime() + offsetMs).toISOString();
  }

  private busyClaiming(): boolean {
    return this.refilling !== null || this.takingStored > 0;
  }

  private whenSettled(): Promise<void> {
    if (this.inHand.size === 0 && !this.busyClaiming()) return Promise.resolve();
    return new Promise((resolve) => this.settled.add(resolve));
  }

  private notifySettled(): void {
    if (this.inHand.size > 0 || this.busyClaiming()) return;
    for (const resolve of this.settled) resolve();
    this.settled.clear();
  }

  private wake(): void {
    if (!this.taking) return;
    this.refill().catch((error: unknown) =>
      this.log.error({ error: String(error) }, "claiming updates failed"),
    );
  }

  /** Claims what was just stored (cheaply, by id) and queues it; the rest waits for a refill. */
  private async takeStored(ids: number[]): Promise<void> {
    const room = this.concurrency * 2 - this.inHand.size;
    try {
      const rows = await claimUpdatesById(this.options.db, {
        ids: ids.slice(0, Math.max(0, room)),
        owner: this.owner,
        now: this.iso(),
        leaseUntil: this.iso(this.leaseMs),
      });
      if (rows.length < ids.length) this.behind = true;
      for (const row of rows) this.queue(row);
    } catch (error) {
      this.behind = true;
      this.log.error({ error: String(error) }, "claiming updates failed");
    }
  }

  /** Claims what there is room for and queues it by chat; returns how many were claimed. */
  private refill(): Promise<number> {
    if (this.refilling) {
      this.refillAgain = true;
      return this.refilling;
    }
    this.refilling = (async () => {
      let claimed = 0;
      do {
        this.refillAgain = false;
        // A little ahead of the workers, so that a stop has little in hand to finish.
        const room = this.concurrency * 2 - this.inHand.size;
        const rows = await claimUpdates(this.options.db, {
          platforms: [...this.handlers.keys()],
          owner: this.owner,
          now: this.iso(),
          leaseUntil: this.iso(this.leaseMs),
          limit: room,
        });
        for (const row of rows) this.queue(row);
        claimed += rows.length;
        this.behind = rows.length === room; // there may be more than there was room for
      } while (this.refillAgain && this.taking);
      return claimed;
    })().finally(() => {
      this.refilling = null;
      this.notifySettled();
    });
    return this.refilling;
  }

  private queue(update: ClaimedUpdate): void {
    this.inHand.add(update.id);
    const chat = `${update.platform}:${update.chatKey}`;
    const queue = this.queues.get(chat);
    if (queue) queue.push(update);
    else {
      this.queues.set(chat, [update]);
      if (!this.working.has(chat)) this.waiting.push(chat);
    }
    this.schedule();
  }

  private schedule(): void {
    while (this.working.size < this.concurrency && this.waiting.length > 0) {
      const chat = this.waiting.shift() as string;
      this.working.add(chat);
      void this.work(chat);
    }
  }

  /** Under a burst, waits (at most ACK_FIRST_MAX_MS) for the acknowledgements to go out. */
  private async afterAcknowledgements(): Promise<void> {
    const until = Date.now() + ACK_FIRST_MAX_MS;
    while (this.ackFirst?.() && Date.now() < until) await sleep(1);
  }

  /** Handles one chat's queued updates, one after another. */
  private async work(chat: string): Promise<void> {
    for (let update = this.queues.get(chat)?.shift(); update; ) {
      await this.afterAcknowledgements();
      await this.handle(update);
      this.inHand.delete(update.id);
      update = this.queues.get(chat)?.shift();
    }
    this.queues.delete(chat);
    this.working.delete(chat);
    this.schedule();
    this.notifySettled();
    if (this.behind) this.wake(); // updates were left for lack of room or for their order
  }

  private async handle(update: ClaimedUpdate): Promise<void> {
    const { db } = this.options;
    const handler = this.handlers.get(update.platform);
    try {
      if (update.attempts > this.maxAttempts) {
        const error = `gave up after ${update.attempts - 1} tries that did not finish`;
        this.log.error({ id: update.id, platform: update.platform }, error);
        await finishUpdate(db, update.id, { state: "failed", at: this.iso(), error });
        return;
      }
      try {
        if (!handler) throw new Error(`no handler for ${update.platform}`);
        await handler(update.body);
        const waited = this.options.clock().getTime() - Date.parse(update.receivedAt);
        if (Number.isFinite(waited)) this.options.onHandled?.(update.platform, waited / 1000);
        await finishUpdate(db, update.id, { state: "done", at: this.iso() });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error(
          { id: update.id, platform: update.platform, error: message },
          "update failed",
        );
        await finishUpdate(db, update.id, { state: "failed", at: this.iso(), error: message });
      }
    } catch (error) {
      // The database did not take the outcome: the lease runs out and the update comes back.
      this.log.error({ id: update.id, error: String(error) }, "recording an update failed");
    }
  }
}
