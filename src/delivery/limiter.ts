/**
 * One platform's send budget, shared by everything that sends there: a global rate, a minimum
 * gap between messages to one chat (longer for groups), and a pause after a 429. Callers wait in
 * priority order (interactive replies before bulk sends), first come first served within one.
 */
export interface RateLimits {
  /** Messages a second, all chats together. */
  perSecond: number;
  /** Least time between two messages to one private chat. */
  perChatIntervalMs: number;
  /** Least time between two messages to one group (Telegram: 20 a minute). */
  perGroupIntervalMs: number;
}

export interface ChatKey {
  key: string;
  group: boolean;
}

interface Waiter {
  chat: ChatKey;
  priority: number;
  seq: number;
  resolve: () => void;
}

/** Aim a little under the limit, so that network jitter does not tip us over it. */
const SAFETY = 0.97;
/** A burst of 1% of the rate: rate x SAFETY + burst stays under the limit in any second. */
const BURST_SHARE = 0.01;
/** Answers from which the usual time to answer is learnt, again after each as many. */
const ANSWER_SAMPLE = 500;
/** Chats remembered (when each may be sent to again) before those free again are forgotten. */
const CHATS_KEPT = 5_000;
/** The longest hold-back after one late answer. */
const MAX_HOLD_BACK_MS = 250;
/** How long this process's own stall explains late answers (an answer's time and more). */
const OWN_STALL_MEMORY_MS = 200;

export class RateLimiter {
  private readonly interval: number;
  private readonly burstTolerance: number;
  /** What the window has spare in a second at our pace (ms): lateness up to it is harmless. */
  private readonly spareMs: number;
  /** When the latest answer came in. */
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private theoreticalArrival = 0;
  private pausedUntil = 0;
  private readonly chatFreeAt = new Map<string, number>();
  private forgetAt = CHATS_KEPT;
  private waiters: Waiter[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly answerTimes: number[] = [];
  private usualAnswer: { median: number; lateAfter: number } | undefined;
  /** This process's latest stall (its timer fired this late), and when it was seen. */
  private ownStall = { ms: 0, at: Number.NEGATIVE_INFINITY };

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limits.perSecond > 0)) throw new RangeError("perSecond must be positive");
    const rate = limits.perSecond * SAFETY;
    this.interval = 1000 / rate;
    // A small burst keeps a pipeline of concurrent sends full; the window total stays under the limit.
    const burst = Math.max(1, Math.floor(limits.perSecond * BURST_SHARE));
    this.burstTolerance = this.interval * (burst - 1);
    this.spareMs = 1000 * (1 - SAFETY) - this.burstTolerance;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Chats whose next send time is remembered (a broadcast's recent ones, not all of them). */
  get chatsRemembered(): number {
    return this.chatFreeAt.size;
  }

  /** Resolves when this chat may be sent one message. Lower priority numbers go first. */
  acquire(chat: ChatKey, priority: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ chat, priority, seq: this.seq++, resolve });
      this.pump();
    });
  }

  /**
   * A send was answered after `ms`. An answer far later than usual means the sends just before
   * it waited on the way (a stalled network or server) and reached the platform together: its
   * one-second window then counts them with a whole second of later sends, and answers 429 a
   * second on, which costs a second's pause. Holding back by the lateness keeps that second
   * under the limit, for tens of milliseconds. Only lateness beyond the room the window has
   * spare counts, and that room grows with how much answers usually vary, so a jittery network
   * is not held back, unless the answers stopped for a while first (a stall, not jitter);
   * lateness this process's own stall explains (it read the answer late) holds nothing back.
   */
  noteAnswer(ms: number): void {
    const t = this.now();
    const gap = t - this.lastAnswerAt;
    this.lastAnswerAt = t;
    this.answerTimes.push(ms);
    if (this.answerTimes.length >= ANSWER_SAMPLE) {
      const sorted = this.answerTimes.splice(0).sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.floor((sorted.length - 1) * p)] as number;
      this.usualAnswer = {
        median: at(0.5),
        lateAfter: Math.max(this.spareMs, at(0.998) - at(0.5)),
      };
    }
    const usual = this.usualAnswer;
    if (!usual) return;
    const own = t - this.ownStall.at <= OWN_STALL_MEMORY_MS ? this.ownStall.ms : 0;
    const late = ms - usual.median - own;
    // A stall on the way stops the answers, then they come late together; jitter alone keeps
    // them coming. After such a gap, lateness beyond the spare room counts even where answers
    // usually vary more: the usual spread of a loaded machine takes in its stalls.
    const stalled = gap - own - this.interval > this.spareMs;
    const beyond = late - (stalled ? this.spareMs : usual.lateAfter);
    if (beyond > 0) this.pauseFor(Math.min(late, MAX_HOLD_BACK_MS));
  }

  /** After a 429: nobody sends until `ms` from now. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.pump();
  }

  private pump(): void {
    for (;;) {
      if (this.waiters.length === 0) return;
      const t = this.now();
      if (t < this.pausedUntil) {
        this.wakeAt(this.pausedUntil);
        return;
      }
      const globalAt = this.theoreticalArrival - this.burstTolerance;
      if (t < globalAt) {
        this.wakeAt(globalAt);
        return;
      }

      let chosen = -1;
      let earliestChat = Number.POSITIVE_INFINITY;
      for (let i = 0; i < this.waiters.length; i++) {
        const w = this.waiters[i] as Waiter;
        // A reply to someone who just wrote may come in a short burst (a long story in parts);
        // bulk sends keep the per-chat gap.
        const freeAt = w.priority === 0 ? 0 : (this.chatFreeAt.get(w.chat.key) ?? 0);
        if (freeAt > t) {
          earliestChat = Math.min(earliestChat, freeAt);
          continue;
        }
        const best = chosen >= 0 ? (this.waiters[chosen] as Waiter) : undefined;
        if (
          !best ||
          w.priority < best.priority ||
          (w.priority === best.priority && w.seq < best.seq)
        ) {
          chosen = i;
        }
      }
      if (chosen < 0) {
        this.wakeAt(earliestChat);
        return;
      }

      const [waiter] = this.waiters.splice(chosen, 1) as [Waiter];
      // Keep to the schedule: a timer that fired a little late does not push every later send
      // back; only a pause longer than one interval (idle, or after a 429) starts a new one.
      this.theoreticalArrival =
        t - this.theoreticalArrival > this.interval
          ? t + this.interval
          : this.theoreticalArrival + this.interval;
      const gap = waiter.chat.group
        ? this.limits.perGroupIntervalMs
        : this.limits.perChatIntervalMs;
      this.chatFreeAt.set(waiter.chat.key, t + gap);
      if (this.chatFreeAt.size > this.forgetAt) this.forgetIdleChats(t);
      waiter.resolve();
    }
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.noteOwnStall(this.now() - at - 1); // a timer fires up to 1 ms late by rounding
        this.pump();
      },
      Math.max(0, Math.ceil(at - this.now())),
    );
  }

  private noteOwnStall(ms: number): void {
    const t = this.now();
    if (ms >= this.ownStall.ms || t - this.ownStall.at > OWN_STALL_MEMORY_MS) {
      this.ownStall = { ms: Math.max(0, ms), at: t };
    }
  }

  /**
   * Drops the chats free again: at 1,000 sends a second a few thousand are not, and a map of
   * every chat sent to would grow through a broadcast. Forgetting runs again once the map has
   * doubled, so chats still waiting do not make it run on every send.
   */
  private forgetIdleChats(t: number): void {
    for (const [key, freeAt] of this.chatFreeAt) if (freeAt <= t) this.chatFreeAt.delete(key);
    this.forgetAt = Math.max(CHATS_KEPT, 2 * this.chatFreeAt.size);
  }
}

/**
 * A platform's budget as the Bots FAQ describes it: `perSecond` overall, about one message a
 * second to one chat, twenty a minute to one group.
 */
export function platformLimiter(perSecond: number): RateLimiter {
  return new RateLimiter({ perSecond, perChatIntervalMs: 1000, perGroupIntervalMs: 3000 });
}
