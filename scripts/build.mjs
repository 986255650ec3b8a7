// Bundles the CLI into dist/bantin.mjs so `bantin` starts without compiling TypeScript.
// bin/bantin.js uses the bundle only while it is newer than every source file.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

// Bundled rather than loaded from node_modules: pure-JavaScript packages shipped as hundreds of
// small ES modules (kysely has about 280), which alone took about half of the CLI's start. The
// tests start the CLI hundreds of times.
const BUNDLED = new Set(["kysely", "zod"]);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const dist = new URL("../dist/", import.meta.url).pathname;
const chunks = join(dist, "chunks");

// Split: what the source imports with `await import()` (a command's heavy parts: the server,
// the platform adapters, the feed reader) becomes a chunk of its own, loaded with its packages
// only when a command gets there. `bantin --help` or `bantin stats` would otherwise load them all.
const result = await build({
  entryPoints: { bantin: "src/cli/main.ts" },
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
  banner: { js: "// Built by scripts/build.mjs from src/; do not edit." },
});

// Chunks of earlier builds go once this one is written (names carry a hash of their content).
const built = new Set(Object.keys(result.metafile.outputs).map((path) => basename(path)));
for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
  if (!built.has(name)) rmSync(join(chunks, name));
}
