// Longer than 400 lines because the sender loop is one closure: claims, leases and their
// heartbeat, per-reader order, outcomes and batched bookkeeping share its state.
import type { Clock } from "../clock";
import { createLeaseOwner } from "../db/lease-owner";
import type { Db } from "../db/schema";
import type { Logger } from "../logging";
import type { RenderedPart } from "../message/parts";
import { rememberShown } from "../readers/chat-memory";
import {
  moveReaderChat,
  type ReaderPlatform,
  type ReaderTarget,
  readerTargets,
  setReaderStatus,
} from "../readers/readers";
import type { RateLimiter } from "./limiter";
import {
  blockPendingForReader,
  claimDue,
  extendLease,
  leaseOwners,
  markFinal,
  markPartSent,
  markRetry,
  markSentMany,
  type OutboxItem,
  releaseLeases,
  releaseOwner,
} from "./outbox";
import type { SendOutcome, Transport } from "./transport";

export interface RetryPolicy {
  /** First wait after a 5xx or network error; doubles each attempt, with jitter. */
  baseMs: number;
  maxMs: number;
  /** Attempts before the row is dead. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2_000, maxMs: 10 * 60_000, maxAttempts: 8 };

export interface WorkerOptions {
  db: Db;
  transport: Transport;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  /** Sends in flight at once. */
  concurrency: number;
  /**
   * How long a claim holds without a heartbeat before another sender may take the row. Rows of a
   * sender proved gone (db/owner-locks.ts) are taken back at once instead.
   */
  leaseMs?: number;
  /** How often to look for due rows when idle. */
  pollMs?: number;
  retry?: RetryPolicy;
  /** Called after each row reaches an outcome (for progress displays and metrics). */
  onOutcome?: (item: OutboxItem, outcome: RowOutcome) => void;
  /** Called once when the platform refuses the token (the sender stops; the platform's adapter is told). */
  onUnauthorized?: (error: string) => void;
  random?: () => number;
}

export type RowOutcome = "sent" | "retry" | "blocked" | "dead" | "cancelled";

export interface DeliveryWorker {
  start(): void;
  /** Stops claiming, lets the sends in flight finish, gives back what was not started. */
  stop(): Promise<void>;
  /** Delivers until no row is due (for the CLI and tests). */
  drain(): Promise<void>;
  readonly stopped: boolean;
}

// Rows claimed ahead, per send in flight: at 1,000/s, 0.4 s of sending, so that a claim slowed
// by a busy database (up to 0.2 s: it starts at half) does not leave the sends waiting.
const QUEUED_PER_SEND = 4;
/** Targets of finished rows kept before they are forgotten (at 1,000/s, about a second's). */
const TARGETS_SPARE = 1_000;

/**
 * The deliver flow for one platform: claim due outbox rows with a lease, send each through the
 * platform's limiter and transport, and record what happened. Nothing is lost: a heartbeat
 * renews the leases while this sender lives; when it dies, the next sender to start (or any
 * running one, at its next heartbeat) proves it gone by its owner lock and takes its rows back
 * at once. A sender that cannot be proved gone keeps its rows until the lease runs out.
 */
export function createDeliveryWorker(options: WorkerOptions): DeliveryWorker {
  const { db, transport, limiter, clock } = options;
  const platform = transport.platform;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const retry = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ subsystem: "delivery", platform });
  const leaseOwner = createLeaseOwner(
    db,
    platform,
    {
      liveOwners: (now, except) => leaseOwners(db, { platform, now, except }),
      release: (other) => releaseOwner(db, other),
    },
    log,
  );
  const owner = leaseOwner.id;

  const queue: OutboxItem[] = [];
  const held = new Map<number, OutboxItem>(); // claimed: queued or in flight
  const lost = new Set<number>(); // held, but the lease went to another sender: not to be sent
  let running = false;
  let stopping = false;
  let unauthorized = false;
  let loops: Promise<void>[] = [];
  let heartbeat: NodeJS.Timeout | undefined;
  let refilling: Promise<number> | null = null;

  const iso = (offsetMs = 0) => new Date(clock().getTime() + offsetMs).toISOString();

  async function refill(): Promise<number> {
    if (refilling) return refilling;
    refilling = (async () => {
      const room = options.concurrency * QUEUED_PER_SEND - queue.length;
      if (room <= 0 || stopping) return 0;
      const rows = await claimDue(db, {
        platform,
        owner,
        now: iso(),
        leaseUntil: iso(leaseMs),
        limit: room,
      });
      await prefetchTargets(rows.map((r) => r.readerId));
      for (const row of rows) {
        queue.push(row);
        held.set(row.id, row);
      }
      return rows.length;
    })().finally(() => {
      refilling = null;
    });
    return refilling;
  }

  // Where each claimed row goes, read once per claim rather than once per send; kept up to
  // date here when this sender learns a reader is blocked or moved. Only the readers of rows in
  // hand are kept: a broadcast to a million readers sends without pause, and would otherwise
  // keep all their targets until it ends (200,000 of them held about 30 MB).
  const targets = new Map<number, ReaderTarget>();
  async function prefetchTargets(readerIds: number[]): Promise<void> {
    if (targets.size > 2 * held.size + TARGETS_SPARE) forgetTargetsNotHeld();
    for (const [id, target] of await readerTargets(db, readerIds)) targets.set(id, target);
  }
  function forgetTargetsNotHeld(): void {
    const wanted = new Set<number>();
    for (const row of held.values()) wanted.add(row.readerId);
    for (const id of targets.keys()) if (!wanted.has(id)) targets.delete(id);
  }

  async function target(readerId: number): Promise<ReaderTarget | undefined> {
    return targets.get(readerId) ?? (await readerTargets(db, [readerId])).get(readerId);
  }

  // Sent rows are recorded in batches: one UPDATE for many, soon after. Until then they count
  // as in flight (a crash may send them again); the batch is flushed at its size or after 20 ms.
  let sentIds: number[] = [];
  // The platform's message ids of rows in sentIds (JSON), recorded by the same UPDATE.
  let sentMessageIds = new Map<number, string>();
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let recordFailing = false;
  function recordSent(id: number, messageIds?: string) {
    sentIds.push(id);
    if (messageIds) sentMessageIds.set(id, messageIds);
    if (sentIds.length >= options.concurrency) void flushSent();
    else flushTimer ??= setTimeout(() => void flushSent(), 20);
  }
  function flushSent(): Promise<void> {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const ids = sentIds;
    const messageIds = sentMessageIds;
    sentIds = [];
    sentMessageIds = new Map();
    if (ids.length > 0) {
      flushing = flushing
        .then(async () => {
          await markSentMany(db, ids, iso(), messageIds);
          if (recordFailing) log.info("recording sends works again");
          recordFailing = false;
        })
        .catch((error: unknown) => {
          // The database is away (a restart): these went out, so they are kept, their leases
          // renewed by the heartbeat, and recorded when it answers again; never sent twice.
          sentIds = [...ids, ...sentIds];
          for (const [id, json] of messageIds) sentMessageIds.set(id, json);
          flushTimer ??= setTimeout(() => void flushSent(), 1_000).unref();
          if (!recordFailing) {
            log.error({ error: String(error) }, "recording sends failed; trying again");
          }
          recordFailing = true;
        });
    }
    return flushing;
  }

  function backoff(attempts: number): number {
    const base = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.5 + random() * 0.5));
  }

  /** A delivered list (a digest, news as it happens) becomes the chat's last list: "đọc 2". */
  async function rememberDelivered(item: OutboxItem, chatId: string) {
    const shown = item.payload.shown;
    if (!shown) return;
    const items = shown.items?.map(([number, articleId]) => ({ number, articleId }));
    const choices = shown.choices?.map(([number, action]) => ({ number, action }));
    try {
      await rememberShown(
        db,
        { platform: item.platform, chatId },
        { ...(items ? { items } : {}), ...(choices ? { choices } : {}) },
        iso(),
      );
    } catch (error) {
      // The message went; only "đọc N" after it will not know the list.
      log.warn({ id: item.id, error: String(error) }, "could not remember the list delivered");
    }
  }

  async function finish(item: OutboxItem, outcome: RowOutcome) {
    held.delete(item.id);
    lost.delete(item.id);
    options.onOutcome?.(item, outcome);
  }

  // Rows for one reader go one after another: in order, and none sent after the reader is gone.
  const readerQueues = new Map<number, Promise<void>>();
  function deliverInTurn(item: OutboxItem): Promise<void> {
    const previous = readerQueues.get(item.readerId) ?? Promise.resolve();
    const mine = previous.then(() => deliver(item));
    const tail = mine.catch(() => {});
    readerQueues.set(item.readerId, tail);
    void tail.then(() => {
      if (readerQueues.get(item.readerId) === tail) readerQueues.delete(item.readerId);
    });
    return mine;
  }

  async function deliver(item: OutboxItem): Promise<void> {
    if (lost.delete(item.id)) {
      held.delete(item.id);
      log.warn({ id: item.id }, "lease lost while stalled; the sender that took the row sends it");
      return;
    }
    const reader = await target(item.readerId);
    if (reader?.status !== "active") {
      // Stopped or blocked since this was queued: it will not go.
      const state = reader?.status === "blocked" ? "blocked" : "cancelled";
      await markFinal(db, item.id, state, `reader is ${reader?.status ?? "gone"}`);
      return finish(item, state);
    }
    const followUp = item.kind === "withdraw" || item.kind === "edit";
    const parts: readonly unknown[] = followUp ? followUpSteps(item) : item.payload.parts;
    let chatId = reader.chatId;
    let sent = item.partsSent;
    // The platform's message ids of the parts sent so far (a resumed row keeps its earlier ones).
    const messageIds: number[][] | null = followUp ? null : (item.messageIds ?? []).slice(0, sent);
    let idsKnown = messageIds !== null && messageIds.length > 0;
    for (let part = parts[sent]; part; part = parts[sent]) {
      await limiter.acquire({ key: chatId, group: reader.chatType !== "private" }, 1);
      const to = { chatId, chatType: reader.chatType };
      const asked = performance.now();
      const outcome: SendOutcome = followUp
        ? await actOn(to, item, sent)
        : await transport.send(to, part as RenderedPart);
      limiter.noteAnswer(performance.now() - asked);
      switch (outcome.kind) {
        case "sent":
          if (messageIds) {
            while (messageIds.length < sent) messageIds.push([]);
            messageIds[sent] = outcome.messageIds ?? [];
            idsKnown ||= outcome.messageIds !== undefined;
          }
          sent++;
          if (sent < parts.length) {
            await markPartSent(
              db,
              item.id,
              sent,
              idsKnown && messageIds ? JSON.stringify(messageIds) : undefined,
            );
          }
          continue;
        case "retryAfter":
          limiter.pauseFor(outcome.seconds * 1000);
          continue;
        case "migrated": {
          const moved = await moveReaderChat(
            db,
            platform as ReaderPlatform,
            chatId,
            outcome.toChatId,
            iso(),
          );
          chatId = moved?.chatId ?? outcome.toChatId;
          targets.set(item.readerId, { ...reader, chatId });
          continue;
        }
        case "unreachable":
          targets.set(item.readerId, { ...reader, status: "blocked" });
          await setReaderStatus(db, item.readerId, "blocked", iso());
          await markFinal(db, item.id, "blocked", outcome.reason);
          await blockPendingForReader(db, item.readerId, outcome.reason);
          return finish(item, "blocked");
        case "permanent":
          await markFinal(db, item.id, "dead", outcome.error);
          log.warn({ id: item.id, error: outcome.error }, "message refused; row is dead");
          return finish(item, "dead");
        case "transient": {
          const attempts = item.attempts + 1;
          if (attempts >= retry.maxAttempts) {
            await markFinal(
              db,
              item.id,
              "dead",
              `gave up after ${attempts} tries: ${outcome.error}`,
            );
            return finish(item, "dead");
          }
          await markRetry(db, item.id, {
            error: outcome.error,
            nextAttemptAt: iso(backoff(attempts)),
            countAttempt: true,
          });
          return finish(item, "retry");
        }
        case "unauthorized":
          if (!unauthorized) {
            unauthorized = true;
            log.error({ error: outcome.error }, "the platform refused the token; delivery stops");
            options.onUnauthorized?.(outcome.error);
          }
          stopping = true;
          await releaseLeases(db, [item.id], owner);
          held.delete(item.id);
          return;
      }
    }
    recordSent(item.id, idsKnown && messageIds ? JSON.stringify(messageIds) : undefined);
    if (!followUp) await rememberDelivered(item, chatId);
    return finish(item, "sent");
  }

  /**
   * The steps of a withdrawal or an edit, one per message group acted on: a withdrawal deletes
   * every message of the row it withdraws at once; an edit replaces each part's first message.
   */
  function followUpSteps(item: OutboxItem): unknown[] {
    const ids = item.messageIds ?? [];
    if (item.kind === "withdraw") return ids.flat().length > 0 ? [ids.flat()] : [];
    return item.payload.parts.map((_, i) => ids[i] ?? []);
  }

  async function actOn(
    to: { chatId: string; chatType: string },
    item: OutboxItem,
    step: number,
  ): Promise<SendOutcome> {
    const ids = item.messageIds ?? [];
    if (item.kind === "withdraw") {
      if (!transport.remove) return { kind: "permanent", error: `${platform} cannot delete` };
      return transport.remove(to, ids.flat());
    }
    const target = ids[step]?.[0];
    const part = item.payload.parts[step];
    if (target === undefined || !part) return { kind: "sent" }; // nothing of it was sent
    if (!transport.edit) return { kind: "permanent", error: `${platform} cannot edit` };
    return transport.edit(to, target, part);
  }

  // Claims more rows; while the database is away (a restart) the loops wait a second between
  // tries, and the failure is logged once, not once per loop and try.
  let claimFailing = false;
  async function claim(): Promise<number> {
    try {
      const got = await refill();
      if (claimFailing) log.info("claiming rows works again");
      claimFailing = false;
      return got;
    } catch (error) {
      if (!claimFailing) log.error({ error: String(error) }, "claim failed; trying again");
      claimFailing = true;
      await idle(CLAIM_RETRY_MS);
      return 0;
    }
  }

  // Loops with nothing to do wait together, so an idle sender asks the database once per pause,
  // not once per loop.
  let idleWait: Promise<void> | null = null;
  function idle(ms: number): Promise<void> {
    idleWait ??= sleep(ms).finally(() => {
      idleWait = null;
    });
    return idleWait;
  }

  // The owner lock is held from before the first claim (when the rows of senders that died are
  // taken back) to the stop; the heartbeat renews the leases and looks for senders gone since.
  let begun: Promise<void> | undefined;
  function begin(): Promise<void> {
    return leaseOwner
      .begin(iso())
      .catch((error: unknown) =>
        log.error({ error: String(error) }, "looking for rows of senders that are gone failed"),
      );
  }
  function end() {
    leaseOwner.end();
    begun = undefined;
  }

  async function beat(): Promise<void> {
    const ids = [...held.keys(), ...sentIds];
    const still = await extendLease(db, ids, owner, iso(leaseMs));
    for (const id of ids) if (!still.has(id) && held.has(id)) lost.add(id);
    await leaseOwner.takeBack(iso());
  }

  async function loop(untilIdle: boolean): Promise<void> {
    await begun;
    while (!stopping) {
      let item = queue.shift();
      if (!item) {
        const got = await claim();
        item = queue.shift();
        if (!item) {
          if (untilIdle && got === 0 && held.size === 0) return;
          await idle(untilIdle ? 20 : pollMs);
          continue;
        }
      } else if (queue.length < (options.concurrency * QUEUED_PER_SEND) / 2) {
        void claim();
      }
      try {
        await deliverInTurn(item);
      } catch (error) {
        // A database hiccup: the lease runs out and the row is tried again.
        log.error({ id: item.id, error: (error as Error).message }, "delivery failed");
        held.delete(item.id);
      }
    }
  }

  function startLoops(untilIdle: boolean): Promise<void>[] {
    begun ??= begin();
    heartbeat ??= setInterval(
      () => {
        void beat().catch((error: unknown) =>
          log.error({ error: String(error) }, "heartbeat failed"),
        );
      },
      Math.max(1000, leaseMs / 3),
    );
    return Array.from({ length: options.concurrency }, () => loop(untilIdle));
  }

  return {
    get stopped() {
      return !running;
    },
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loops = startLoops(false);
      log.info({ concurrency: options.concurrency }, "delivery started");
    },
    async drain() {
      running = true;
      stopping = false;
      await Promise.all(startLoops(true));
      await flushSent();
      clearInterval(heartbeat);
      heartbeat = undefined;
      end();
      running = false;
    },
    async stop() {
      stopping = true;
      await Promise.all(loops);
      await flushSent();
      const untouched = queue.splice(0).map((item) => item.id);
      for (const id of untouched) held.delete(id);
      try {
        await releaseLeases(db, untouched, owner);
        log.info({ released: untouched.length }, "delivery stopped");
      } catch (error) {
        // The database is away: those rows wait for their lease, then any sender takes them.
        log.warn({ error: String(error), rows: untouched.length }, "delivery stopped; leases kept");
      } finally {
        // Sends still to be recorded keep their leases renewed until they are.
        if (sentIds.length === 0) {
          clearInterval(heartbeat);
          heartbeat = undefined;
          end();
        } else {
          heartbeat?.unref(); // never what keeps a stopping process alive
        }
        running = false;
      }
    },
  };
}

const CLAIM_RETRY_MS = 1_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
