import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Process tests first: they are the longest (a soak of a minute, PostgreSQL restarted) and
 * spend most of it waiting on timers and sockets, so started first they overlap the lanes
 * that keep the CPU busy instead of running last, by themselves.
 */
export class ProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (spec: TestSpecification) => spec.moduleId.includes("/test/processes/");
    return [...sorted.filter(first), ...sorted.filter((spec) => !first(spec))];
  }
}
