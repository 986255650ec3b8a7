import { execFileSync } from "node:child_process";

/** Builds the CLI bundle once, so the child processes of this lane start fast and run current code. */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
