/** What the day watches from outside: each process's /readyz and memory, and the pace of sends. */
import { readFileSync } from "node:fs";
import type { RunningBot } from "../processes";

export interface Readiness {
  status: number;
  leading: string[];
  /** The clock's jobs it leads (digest, instant, alerts, broadcasts). */
  clockJobs: string[];
  problems: string[];
}

/** /readyz of one process; status 0 when it does not answer at all. */
export async function readiness(bot: RunningBot): Promise<Readiness> {
  try {
    const response = await fetch(`${bot.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as {
      leading?: string[];
      clockJobs?: string[];
      problems?: string[];
    };
    return {
      status: response.status,
      leading: body.leading ?? [],
      clockJobs: body.clockJobs ?? [],
      problems: body.problems ?? [],
    };
  } catch (error) {
    return { status: 0, leading: [], clockJobs: [], problems: [(error as Error).message] };
  }
}

/** Resident memory of a process in MB (VmRSS of /proc/<pid>/status), or NaN once it is gone. */
export function rssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * A process's resident memory over a few seconds (the median of samples every half second), not
 * at one instant: one sample may fall on either side of a garbage collection.
 */
export async function rssOver(pid: number | undefined, ms = 5_000): Promise<number> {
  const samples: number[] = [];
  for (const end = Date.now() + ms; ; ) {
    const mb = rssMb(pid);
    if (!Number.isNaN(mb)) samples.push(mb);
    if (Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return median(samples);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length > 0 ? (sorted[Math.floor(sorted.length / 2)] as number) : Number.NaN;
}

/** One sample of a process's memory, and the jobs it led then (undefined: not asked yet). */
export interface RssSample {
  at: number;
  mb: number;
  led: readonly string[] | undefined;
}

/** The median MB of the samples from `from` to `until` (ms since the epoch) that `keep`. */
export function medianOf(
  samples: readonly RssSample[],
  from: number,
  until: number,
  keep: (s: RssSample) => boolean = () => true,
): number {
  return median(samples.filter((s) => s.at >= from && s.at <= until && keep(s)).map((s) => s.mb));
}

/**
 * A process's resident memory through the day, sampled every half second from `start()`, so that
 * the day can give its level over a stretch (a median: a process working through the garbage
 * collector's cycle swings by tens of MB within seconds) and its lowest and highest samples.
 * `jobsLed`, asked every 2 s, tags each sample with the jobs the process led (its role): the one
 * leading sending holds more (its sends in flight, their sockets and buffers) than the others.
 */
export class RssTrace {
  readonly samples: RssSample[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private led: readonly string[] | undefined;
  startedAt = Number.NaN;

  constructor(
    readonly pid: number,
    private readonly jobsLed?: () => Promise<string[]>,
    private readonly everyMs = 500,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    const take = () => {
      const mb = rssMb(this.pid);
      if (!Number.isNaN(mb)) this.samples.push({ at: Date.now(), mb, led: this.led });
    };
    take();
    this.timers.push(setInterval(take, this.everyMs));
    const jobsLed = this.jobsLed;
    if (jobsLed) {
      const ask = () =>
        jobsLed().then(
          (led) => {
            this.led = led;
          },
          () => {},
        );
      void ask();
      this.timers.push(setInterval(ask, 2_000));
    }
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** The median of the samples from `from` to `until` (ms since the epoch); NaN if none. */
  medianBetween(from: number, until: number): number {
    return medianOf(this.samples, from, until);
  }

  /** The lowest and highest samples up to `until`. */
  range(until = Number.POSITIVE_INFINITY): { low: number; high: number } {
    const inside = this.samples.filter((s) => s.at <= until).map((s) => s.mb);
    return inside.length > 0
      ? { low: Math.min(...inside), high: Math.max(...inside) }
      : { low: Number.NaN, high: Number.NaN };
  }

  /** The stretches (ms since the epoch) in which it led `job`, as its samples saw them. */
  spansLeading(job: string, until = Number.POSITIVE_INFINITY): { from: number; to: number }[] {
    const spans: { from: number; to: number }[] = [];
    let open: { from: number; to: number } | undefined;
    for (const s of this.samples) {
      if (s.at > until) break;
      if (s.led?.includes(job)) {
        if (!open) {
          open = { from: s.at, to: s.at };
          spans.push(open);
        }
        open.to = s.at;
      } else {
        open = undefined;
      }
    }
    return spans;
  }
}

/** Polls until `check` holds; resolves with the milliseconds it took, or rejects at the timeout. */
export async function timeUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - started;
}

/**
 * Bulk sends (outbox messages: digests, breaking news, news as it happens) counted every
 * `everyMs`, so that the day can say when sending came back after a fault.
 */
export class SendPace {
  private readonly samples: { at: number; sent: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly everyMs = 200,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.count()
        .then((sent) => this.samples.push({ at: Date.now(), sent }))
        .catch(() => {})
        .finally(() => {
          this.busy = false;
        });
    }, this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Seconds from `from` to the first bulk send after it (counted from a baseline 300 ms on, so
   * that answers to sends already in flight at a fault do not count), or null if none came.
   */
  resumedAfter(from: number): number | null {
    const baseline = this.samples.find((s) => s.at >= from + 300);
    if (!baseline) return null;
    const next = this.samples.find((s) => s.at > baseline.at && s.sent > baseline.sent);
    return next ? (next.at - from) / 1000 : null;
  }

  /** Bulk sends from `from` to `until`. */
  sentBetween(from: number, until: number): number {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= until);
    return inside.length > 1 ? (inside.at(-1)?.sent ?? 0) - (inside[0]?.sent ?? 0) : 0;
  }
}
