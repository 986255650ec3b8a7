/**
 * What a `bantin` process loads before it does anything: a command that only reads the database
 * (or --help) must not load the server, the platform clients or the feed reader. Each of those
 * packages took 50-160 ms of CPU at every start, and the tests start the CLI hundreds of times.
 * Node itself reports what was loaded: a resolve hook records every package bantin's own code
 * imports, and the CommonJS cache at exit what was required.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { newSqliteUrl, runCli, scratchDir, spawnCli } from "../helpers/cli";

/** Packages only `start`, `ingest`, `import`, `source add`, `channel` and sends need. */
const HEAVY = [
  "linkedom",
  "@mozilla/readability",
  "grammy",
  "@grammyjs/auto-retry",
  "undici",
  "fast-xml-parser",
  "fastify",
  "@fastify/helmet",
  "prom-client",
  "node-cron",
  "cli-progress",
  "chardet",
  "iconv-lite",
  // Only for a postgres:// database and for pretty lines on a terminal.
  "pg",
  "pino-pretty",
];

const HOOKS = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (!/^(node:|file:|data:|\\.|\\/)/.test(specifier) && !parent.includes("/node_modules/")) {
    appendFileSync(process.env.LOAD_LOG, specifier + "\\n");
  }
  return next(specifier, context);
}`;

const RECORDER = `
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(HOOKS)}));
process.on("exit", () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  appendFileSync(process.env.LOAD_LOG, required.join("\\n") + "\\n");
});`;

/** "grammy/out/mod.js", "/x/node_modules/@fastify/helmet/index.js" -> the package's name. */
function packageOf(line: string): string {
  const path = line.includes("/node_modules/") ? line.split("/node_modules/").at(-1) : line;
  const parts = (path ?? "").split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? "");
}

let recorder: string;
let databaseUrl: string;

/** The packages `bantin <args>` loaded, run as a real process from the bundle (it must succeed). */
async function packagesLoadedBy(args: string[]): Promise<Set<string>> {
  const log = join(scratchDir(), "loaded.txt");
  writeFileSync(log, "");
  const result = await spawnCli(args, {
    DATABASE_URL: databaseUrl,
    LOAD_LOG: log,
    NODE_OPTIONS: `--import ${pathToFileURL(recorder).href}`,
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return new Set(readFileSync(log, "utf8").split("\n").filter(Boolean).map(packageOf));
}

describe("what a bantin process loads", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    recorder = join(scratchDir(), "recorder.mjs");
    writeFileSync(recorder, RECORDER);
    databaseUrl = newSqliteUrl();
    expect((await runCli(["migrate"], { DATABASE_URL: databaseUrl })).code).toBe(0);
  });

  it("--help loads the command line's parser, none of the heavy packages", async () => {
    const loaded = await packagesLoadedBy(["--help"]);
    expect(loaded).toContain("commander");
    expect(HEAVY.filter((name) => loaded.has(name))).toEqual([]);
  });

  it("stats reads the database without loading the heavy packages", async () => {
    const loaded = await packagesLoadedBy(["stats"]);
    expect(loaded).toContain("better-sqlite3");
    expect(HEAVY.filter((name) => loaded.has(name))).toEqual([]);
  });

  it("the recorder sees a heavy package when a command uses it", async () => {
    // `bantin import` of a local page reads it with the extractor (linkedom), fetch guard made.
    const page = join(import.meta.dirname, "../fixtures/articles/generic-blog.html");
    const topic = ["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "News"];
    expect((await runCli(topic, { DATABASE_URL: databaseUrl })).code).toBe(0);
    const loaded = await packagesLoadedBy(["import", page, "--category", "thoi-su"]);
    expect(loaded).toContain("linkedom");
    expect(loaded).toContain("undici");
  });
});
