/**
 * Where the browser tests find Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium. Without
 * one `npm test` skips them (the global setup says so in one line); with BANTIN_REQUIRE_BROWSER
 * set (.ci/run sets it after installing Chromium) a missing browser fails the run instead.
 */
import { existsSync } from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || "/usr/bin/chromium";
export const BROWSER_REQUIRED = Boolean(process.env.BANTIN_REQUIRE_BROWSER?.trim());

export function chromiumFound(): boolean {
  return existsSync(CHROMIUM_PATH);
}
