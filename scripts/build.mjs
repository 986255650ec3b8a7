// Bundles the CLI into dist/bantin.mjs so `bantin` starts without compiling TypeScript.
// bin/bantin.js uses the bundle only while it is newer than every source file.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bantin.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  banner: { js: "// Built by scripts/build.mjs from src/; do not edit." },
});
