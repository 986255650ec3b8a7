// Bundles the CLI into dist/bantin.mjs so `bantin` starts without compiling TypeScript.
// bin/bantin.js uses the bundle only while it is newer than every source file.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

// Bundled rather than loaded from node_modules: pure-JavaScript packages shipped as hundreds of
// small ES modules (kysely has about 280), which alone took about half of the CLI's start. The
// tests start the CLI hundreds of times.
const BUNDLED = new Set(["kysely", "zod"]);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bantin.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external,
  sourcemap: "linked",
  logLevel: "warning",
  banner: { js: "// Built by scripts/build.mjs from src/; do not edit." },
});
