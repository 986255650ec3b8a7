/** The fake Telegram's pending updates and its one long poll (getUpdates). */
import type { Update } from "grammy/types";
import { err, ok, type Reply } from "../base/call-log";
import type { Params } from "./params";
import type { UpdateInput } from "./types";

interface PendingPoll {
  offset: number;
  limit: number;
  allowed: string[] | undefined;
  timer: NodeJS.Timeout | undefined;
  resolve: (reply: Reply) => void;
}

/** What Telegram leaves out when allowed_updates is not given. */
const DEFAULT_EXCLUDED_UPDATES = new Set([
  "chat_member",
  "message_reaction",
  "message_reaction_count",
]);

const updateType = (update: Update): string =>
  Object.keys(update).find((k) => k !== "update_id") ?? "";

export class UpdateQueue {
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private pendingPoll: PendingPoll | undefined;
  private closed = false;

  get size(): number {
    return this.updates.length;
  }

  clear(): void {
    this.updates = [];
  }

  /** The update with an update_id: its own (later ids follow it) or the next one. */
  withId(update: UpdateInput): Update {
    if (typeof update.update_id === "number") {
      this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
      return update as Update;
    }
    return { ...update, update_id: this.nextUpdateId++ } as Update;
  }

  /** Queues an update in update_id order and answers the waiting poll; returns its id. */
  push(update: UpdateInput): number {
    const full = this.withId(update);
    let at = this.updates.length;
    while (at > 0 && (this.updates[at - 1]?.update_id ?? 0) > full.update_id) at--;
    this.updates.splice(at, 0, full);
    this.wakePoll();
    return full.update_id;
  }

  /** getUpdates: confirms updates below offset, then answers now or holds the poll. */
  poll(params: Params): Reply | Promise<Reply> {
    const rawOffset = Number(params.offset ?? 0);
    const offset = Number.isFinite(rawOffset) ? Math.trunc(rawOffset) : 0;
    if (offset < 0) {
      this.updates = this.updates.slice(offset);
    } else if (offset > 0) {
      this.updates = this.updates.filter((u) => u.update_id >= offset);
    }
    const rawLimit = Number(params.limit ?? 100);
    const limit = Math.min(
      100,
      Math.max(1, Number.isFinite(rawLimit) ? Math.trunc(rawLimit) : 100),
    );
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    const allowed =
      Array.isArray(params.allowed_updates) && params.allowed_updates.length > 0
        ? (params.allowed_updates as string[])
        : undefined;
    // A newer poll terminates the older one, as on the real server.
    this.endPoll(
      err(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    const effectiveOffset = Math.max(offset, 0);
    const batch = this.deliverable(effectiveOffset, limit, allowed);
    if (batch.length > 0 || timeout === 0 || this.closed) return ok(batch);
    return new Promise<Reply>((resolve) => {
      const poll: PendingPoll = {
        offset: effectiveOffset,
        limit,
        allowed,
        timer: undefined,
        resolve,
      };
      poll.timer = setTimeout(() => {
        if (this.pendingPoll === poll) this.pendingPoll = undefined;
        resolve(ok([]));
      }, timeout * 1000);
      this.pendingPoll = poll;
    });
  }

  /** Answers the held poll, if any (by default with no updates). */
  endPoll(reply: Reply = ok([])): void {
    const poll = this.pendingPoll;
    if (!poll) return;
    this.pendingPoll = undefined;
    if (poll.timer) clearTimeout(poll.timer);
    poll.resolve(reply);
  }

  /** The client went away (grammY aborts its poll on bot.stop()): end the poll it held. */
  abortHandler(): (() => void) | undefined {
    const poll = this.pendingPoll;
    if (!poll) return undefined;
    return () => {
      if (this.pendingPoll === poll) this.endPoll();
    };
  }

  /** Ends the held poll; later polls answer at once. */
  close(): void {
    this.closed = true;
    this.endPoll();
  }

  private deliverable(offset: number, limit: number, allowed: string[] | undefined): Update[] {
    const result: Update[] = [];
    for (const u of this.updates) {
      if (result.length >= limit) break;
      if (u.update_id < offset) continue;
      const type = updateType(u);
      if (allowed ? !allowed.includes(type) : DEFAULT_EXCLUDED_UPDATES.has(type)) continue;
      result.push(u);
    }
    return result;
  }

  private wakePoll(): void {
    const poll = this.pendingPoll;
    if (!poll) return;
    const batch = this.deliverable(poll.offset, poll.limit, poll.allowed);
    if (batch.length === 0) return;
    this.pendingPoll = undefined;
    if (poll.timer) clearTimeout(poll.timer);
    poll.resolve(ok(batch));
  }
}
