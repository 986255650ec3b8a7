/**
 * BANTIN_TICK_SECONDS, the process tests' setting: unset, the clock's jobs keep their own
 * schedules; set, every one of them but the nightly clean-up asks at that pace.
 */
import { describe, expect, it } from "vitest";
import { createConfig } from "../../src/config";
import type { Db } from "../../src/db/schema";
import type { Metrics } from "../../src/http/metrics";
import { silentLogger } from "../../src/logging";
import type { Fetcher } from "../../src/news/fetch/http-fetch";
import { bantinJobs } from "../../src/scheduler/jobs";

function schedules(env: Record<string, string>): Record<string, string> {
  const jobs = bantinJobs({
    db: {} as Db,
    clock: () => new Date(),
    config: createConfig(env),
    fetcher: {} as Fetcher,
    metrics: {} as Metrics,
    logger: silentLogger(),
  });
  return Object.fromEntries(jobs.map((job) => [job.name, job.schedule]));
}

describe("the clock's jobs", () => {
  it("keep their own schedules when BANTIN_TICK_SECONDS is unset (or empty)", () => {
    const expected = {
      ingest: "* * * * *",
      digest: "* * * * *",
      instant: "*/20 * * * * *",
      broadcasts: "*/10 * * * * *",
      alerts: "* * * * *",
      "clean-up": "30 3 * * *",
    };
    expect(schedules({})).toEqual(expected);
    expect(schedules({ BANTIN_TICK_SECONDS: "" })).toEqual(expected);
    expect(createConfig({}).tickSeconds).toBeUndefined();
  });

  it("ask every BANTIN_TICK_SECONDS seconds when it is set, the nightly clean-up aside", () => {
    expect(createConfig({ BANTIN_TICK_SECONDS: "2" }).tickSeconds).toBe(2);
    expect(schedules({ BANTIN_TICK_SECONDS: "2" })).toEqual({
      ingest: "*/2 * * * * *",
      digest: "*/2 * * * * *",
      instant: "*/2 * * * * *",
      broadcasts: "*/2 * * * * *",
      alerts: "*/2 * * * * *",
      "clean-up": "30 3 * * *",
    });
  });
});
