import { execFileSync } from "node:child_process";
import { BROWSER_REQUIRED, CHROMIUM_PATH, chromiumFound } from "./browser/chromium";

/**
 * Builds the CLI bundle once, so the tests' child processes start fast and run current code, and
 * says once per run whether the suites that run on both stores run on PostgreSQL too, and whether
 * the browser tests run.
 */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  if (!chromiumFound()) {
    if (BROWSER_REQUIRED) {
      throw new Error(`BANTIN_REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM_PATH}`);
    }
    console.log(
      `Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
    );
  }
  if (!process.env.TEST_DATABASE_URL?.trim()) {
    console.log(
      "PostgreSQL suites skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); they run on SQLite only.",
    );
  }
}
