/** What the day watches from outside: each process's /readyz and memory, and the pace of sends. */
import { readFileSync } from "node:fs";
import type { RunningBot } from "../processes";

export interface Readiness {
  status: number;
  leading: string[];
  problems: string[];
}

/** /readyz of one process; status 0 when it does not answer at all. */
export async function readiness(bot: RunningBot): Promise<Readiness> {
  try {
    const response = await fetch(`${bot.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { leading?: string[]; problems?: string[] };
    return { status: response.status, leading: body.leading ?? [], problems: body.problems ?? [] };
  } catch (error) {
    return { status: 0, leading: [], problems: [(error as Error).message] };
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
  samples.sort((a, b) => a - b);
  return samples.length > 0 ? (samples[Math.floor(samples.length / 2)] as number) : Number.NaN;
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
