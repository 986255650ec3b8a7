/** The fake Zalo's queued events and the long polls (getUpdates) waiting for them. */
import type { ServerResponse } from "node:http";
import { err, ok, type Reply } from "../base/call-log";
import type { ZaloEvent } from "./types";

export const requestTimeout = (): Reply => err(408, "Request timeout");

interface PendingPoll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  resolve: (reply: Reply) => void;
}

export class EventQueue {
  private events: ZaloEvent[] = [];
  private polls: PendingPoll[] = [];
  private closed = false;

  push(event: ZaloEvent): void {
    this.events.push(event);
    this.wakePolls();
  }

  /** Puts back an event whose poller went away before the answer left. */
  requeue(event: ZaloEvent): void {
    this.events.unshift(event);
    this.wakePolls();
  }

  /** getUpdates: one event now, else a poll held up to timeoutSec that ends with 408. */
  poll(timeoutSec: number, res: ServerResponse): Reply | Promise<Reply> {
    const next = this.events.shift();
    if (next !== undefined) return ok(next);
    if (timeoutSec === 0 || this.closed) return requestTimeout();
    return new Promise<Reply>((resolve) => {
      const poll: PendingPoll = {
        res,
        resolve,
        timer: setTimeout(() => {
          this.polls = this.polls.filter((p) => p !== poll);
          resolve(requestTimeout());
        }, timeoutSec * 1000),
      };
      this.polls.push(poll);
      // The client gave up (aborted its fetch): forget the poll so no event is lost to it.
      res.once("close", () => {
        if (!this.polls.includes(poll)) return;
        this.polls = this.polls.filter((p) => p !== poll);
        clearTimeout(poll.timer);
        resolve(requestTimeout());
      });
    });
  }

  /** Answers the held polls with 408; later polls answer at once. */
  close(): void {
    this.closed = true;
    for (const poll of this.polls.splice(0)) {
      clearTimeout(poll.timer);
      poll.resolve(requestTimeout());
    }
  }

  private wakePolls(): void {
    while (this.events.length > 0 && this.polls.length > 0) {
      const poll = this.polls.shift() as PendingPoll;
      clearTimeout(poll.timer);
      if (poll.res.destroyed) {
        poll.resolve(requestTimeout());
        continue;
      }
      poll.resolve(ok(this.events.shift()));
    }
  }
}
