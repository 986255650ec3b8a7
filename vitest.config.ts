import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { ProcessesFirst } from "./test/setup/long-first";

/**
 * Four lanes, all run by `npm test`; `npm run test:unit` (or `vitest run --project unit`) runs one.
 * - unit: pure code, no server, no database file: the inner loop, seconds.
 * - integration: real SQLite (and PostgreSQL with TEST_DATABASE_URL), the fake Telegram, Zalo
 *   and news site over HTTP on 127.0.0.1, the CLI run in-process, all in one process per file.
 * - processes: what only a real process shows: `bin/bantin` with pipes, signals and exit codes,
 *   kills and restarts, several processes on one database.
 * - browser: the console in Debian's Chromium.
 * Most tests wait on sockets and timers more than on the CPU, so files run two more at a time
 * than there are cores (the process tests wait for restarts and minute boundaries; on 2 cores,
 * 4 at a time took the suite from 330 s to 303 s). The unit lane shares one process per worker.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    sequence: { sequencer: ProcessesFirst },
    maxWorkers: availableParallelism() + 2,
    projects: [
      {
        extends: true,
        // Pure code: the files share a process and its loaded modules, where every other lane
        // starts each file afresh (loading the modules again was most of this lane's time).
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/setup/postgres-notice.ts"],
          // Each file afresh: sharing a process here (isolate: false) cut the suite to about
          // 210 s but two timing-sensitive files then failed once each in fresh clones.
        },
      },
      {
        extends: true,
        test: {
          name: "processes",
          include: ["test/processes/**/*.test.ts"],
          globalSetup: ["test/setup/build-cli.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/setup/browser-check.ts"],
        },
      },
    ],
  },
});
