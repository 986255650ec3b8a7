/** What the day watches from outside: each process's /readyz and memory, and the pace of sends. */
import { readFileSync } from "node:fs";
import type { RunningBot } from "../processes";

export interface Readiness {
  status: number;
  leading: string[];
}

/** /readyz of one process; status 0 when it does not answer at all. */
export async function readiness(bot: RunningBot): Promise<Readiness> {
  try {
    const response = await fetch(`${bot.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { leading?: string[] };
    return { status: response.status, leading: body.leading ?? [] };
  } catch {
    return { status: 0, leading: [] };
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
 * Successful sends counted every `everyMs`, so that the day can say when sending came back after
 * a fault: the first moment from which a whole second holds at least half the rate.
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

  /** Seconds from `from` until sending held at least `perSecond` over a whole second. */
  resumedAfter(from: number, perSecond: number): number | null {
    const after = this.samples.filter((s) => s.at >= from);
    for (const start of after) {
      const end = after.find((s) => s.at >= start.at + 1_000);
      if (!end) break;
      const pace = ((end.sent - start.sent) * 1000) / (end.at - start.at);
      if (pace >= perSecond) return (start.at - from) / 1000;
    }
    return null;
  }

  /** The most sends seen over `from`..`until`, a second at a time (median of those seconds). */
  medianPace(from: number, until: number): number {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= until);
    const paces: number[] = [];
    for (const start of inside) {
      const end = inside.find((s) => s.at >= start.at + 1_000);
      if (!end) break;
      paces.push(((end.sent - start.sent) * 1000) / (end.at - start.at));
    }
    paces.sort((a, b) => a - b);
    return paces[Math.floor(paces.length / 2)] ?? 0;
  }
}
