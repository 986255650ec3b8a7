import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logging";

export interface Job {
  name: string;
  /** Cron expression, e.g. "* * * * *" for every minute. */
  schedule: string;
  /** What to do; the database decides what is due, the timer only asks. */
  run: () => Promise<unknown>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs each job on its cron schedule. A run still going when the next tick comes is not
 * doubled; a run that throws is logged and the next tick tries again.
 */
export function startScheduler(jobs: Job[], logger: Logger): Scheduler {
  const log = logger.child({ subsystem: "scheduler" });
  const running = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        const run = job.run().catch((error: unknown) => {
          log.error({ job: job.name, error: (error as Error).message }, "job failed");
        });
        running.add(run);
        await run;
        running.delete(run);
      },
      { name: job.name, noOverlap: true },
    ),
  );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`) }, "scheduler started");
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      await Promise.all(running);
    },
  };
}
