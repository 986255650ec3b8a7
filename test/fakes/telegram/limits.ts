/** Telegram's flood limits, as sliding windows: over all chats, per chat, per group. */
import type { FakeApiStats } from "../base/bot-api";
import { type ErrorReply, err } from "../base/call-log";
import { SlidingWindow } from "../base/sliding-window";
import type { Params } from "./params";
import type { FakeTelegramLimits } from "./types";
import { chatKeyOf } from "./validate";

export function tooManyRequests(seconds: number): ErrorReply {
  return err(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
}

export class FloodLimits {
  private readonly global: SlidingWindow | undefined;
  private readonly paid: SlidingWindow | undefined;
  private readonly perChat = new Map<string, SlidingWindow>();
  private readonly perGroup = new Map<string, SlidingWindow>();

  constructor(
    private readonly limits: FakeTelegramLimits,
    private readonly stats: FakeApiStats,
  ) {
    if (limits.globalPerSecond) this.global = new SlidingWindow(limits.globalPerSecond, 1000);
    if (limits.paidGlobalPerSecond) {
      this.paid = new SlidingWindow(limits.paidGlobalPerSecond, 1000);
    }
  }

  /**
   * Applies the limits to one send to a chat of that type: a 429 with retry_after when over,
   * else the send is counted.
   */
  admit(params: Params, chatType: string | undefined): ErrorReply | undefined {
    const now = Date.now();
    const key = chatKeyOf(params.chat_id) ?? "?";
    const paid = params.allow_paid_broadcast === true && this.paid !== undefined;
    const windows = [paid ? this.paid : this.global];
    if (this.limits.perChatPerSecond) {
      windows.push(windowFor(this.perChat, key, this.limits.perChatPerSecond, 1000));
    }
    if (this.limits.perGroupPerMinute && chatType !== undefined && chatType !== "private") {
      windows.push(windowFor(this.perGroup, key, this.limits.perGroupPerMinute, 60_000));
    }
    const active = windows.filter((w): w is SlidingWindow => w !== undefined);
    const waitMs = Math.max(0, ...active.map((w) => w.waitMs(now)));
    if (waitMs > 0) {
      this.stats.tooManyRequests++;
      return tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    for (const w of active) w.add(now);
    this.stats.sends++;
    return undefined;
  }
}

function windowFor(
  windows: Map<string, SlidingWindow>,
  key: string,
  limit: number,
  windowMs: number,
): SlidingWindow {
  let window = windows.get(key);
  if (!window) {
    window = new SlidingWindow(limit, windowMs);
    windows.set(key, window);
  }
  return window;
}
