import { BROWSER_REQUIRED, CHROMIUM_PATH, chromiumFound } from "../browser/chromium";

/** Says once whether the browser tests run; fails the run when they must and cannot. */
export default function setup(): void {
  if (chromiumFound()) return;
  if (BROWSER_REQUIRED) {
    throw new Error(`BANTIN_REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM_PATH}`);
  }
  console.log(
    `Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
}
