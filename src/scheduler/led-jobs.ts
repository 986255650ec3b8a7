/**
 * Jobs that one process at a time runs (polling a platform, sending its messages): every few
 * seconds each process tries to lead each job; the leader starts it, and a process that finds it
 * no longer leads (its database session gone) stops it. When a leader dies, another process
 * takes over at its next try.
 */
import type { Leadership } from "../db/leadership";
import type { Logger } from "../logging";

export interface LedJob {
  /** e.g. "poll:telegram", "send:zalo". */
  job: string;
  /** Whether the job can run at all now (its platform connected); unset: always. */
  ready?: () => boolean;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface LedJobs {
  /** The jobs this process runs now. */
  leading(): string[];
  /** Tries to lead now, not at the next round (a job just became ready). */
  poke(): void;
  stop(): Promise<void>;
}

/** How often a process asks to lead: a dead leader's jobs move within this long. */
export const LEADERSHIP_TRY_MS = 3_000;

export function runLedJobs(
  leadership: Leadership,
  jobs: LedJob[],
  options: { logger: Logger; intervalMs?: number },
): LedJobs {
  const log = options.logger.child({ subsystem: "leadership" });
  const running = new Set<string>();
  let stopped = false;
  let round: Promise<void> = Promise.resolve();

  async function tryAll(): Promise<void> {
    for (const job of jobs) {
      if (stopped) return;
      try {
        if (job.ready && !job.ready()) {
          // Not ready (yet, or any more): leave the job to a process that can run it.
          if (running.delete(job.job)) {
            log.warn({ job: job.job }, "cannot run it now; stopped");
            await job.stop();
            await leadership.stepDown(job.job);
          }
          continue;
        }
        const leads = await leadership.tryLead(job.job);
        if (leads && !running.has(job.job)) {
          running.add(job.job);
          log.info({ job: job.job }, "leading");
          await job.start();
        } else if (!leads && running.has(job.job)) {
          running.delete(job.job);
          log.warn({ job: job.job }, "no longer leading; stopped");
          await job.stop();
        }
      } catch (error) {
        log.error({ job: job.job, error: (error as Error).message }, "leadership failed");
      }
    }
  }

  // A lost lock connection stops what this process led at once, not at the next try.
  leadership.onLost?.(() => {
    if (!stopped) round = round.then(tryAll);
  });
  round = tryAll();
  const timer = setInterval(() => {
    round = round.then(tryAll);
  }, options.intervalMs ?? LEADERSHIP_TRY_MS);

  return {
    leading: () => [...running],
    poke() {
      if (!stopped) round = round.then(tryAll);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
      for (const job of jobs) {
        if (!running.delete(job.job)) continue;
        await job.stop();
        await leadership.stepDown(job.job);
      }
    },
  };
}
