/**
 * pino loggers. On a terminal (stderr a TTY, and no `--json` asked for) lines are pretty
 * (pino-pretty); otherwise one JSON object a line, for log collectors. While a progress bar
 * shows on stderr, log lines wait and are written when it stops, so they never cut through it.
 */
import { writeSync } from "node:fs";
import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";
import type pretty from "pino-pretty";

export type { Logger };

/** Lines kept while held; past this, lines are counted and dropped. */
const MAX_HELD_LINES = 10_000;

let holds = 0;
let heldLines: { out: DestinationStream; line: string }[] = [];
let dropped = 0;

function release(): void {
  const lines = heldLines;
  heldLines = [];
  for (const { out, line } of lines) out.write(line);
  if (dropped > 0) {
    writeSync(2, `(${dropped} log lines dropped while the progress bar showed)\n`);
    dropped = 0;
  }
}

process.once("exit", () => {
  // Whatever still waits is written before the process ends.
  for (const { line } of heldLines) writeSync(2, line);
  heldLines = [];
});

/** A destination that holds its lines while a progress bar shows. */
function heldWhileBarShows(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      if (holds === 0) return out.write(line);
      if (heldLines.length < MAX_HELD_LINES) heldLines.push({ out, line });
      else dropped++;
    },
  };
}

/**
 * Holds log lines from the bar's start to its stop (a cli-progress bar emits both). Any number of
 * bars may hold at once; the lines come out when the last one stops.
 */
export function holdLogsDuring(bar: {
  on(event: "start" | "stop", listener: () => void): unknown;
}): void {
  let holding = false;
  bar.on("start", () => {
    if (holding) return;
    holding = true;
    holds++;
  });
  bar.on("stop", () => {
    if (!holding) return;
    holding = false;
    if (--holds === 0) release();
  });
}

/** Pretty lines on a terminal, unless the command prints JSON. */
function prettyByDefault(): boolean {
  return process.stderr.isTTY === true && !process.argv.includes("--json");
}

/**
 * The root logger; subsystems take `logger.child({ subsystem: "ingest" })`. Without a
 * destination it writes to stderr, pretty on a terminal and JSON otherwise; `pretty` decides
 * for any destination.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  options: { pretty?: boolean } = {},
): Logger {
  const usePretty = options.pretty ?? (destination === undefined && prettyByDefault());
  const out = usePretty
    ? // Loaded only here: most runs (services, tests, JSON output) never print pretty lines.
      (createRequire(import.meta.url)("pino-pretty") as typeof pretty)({
        destination: destination ?? 2,
        sync: true,
        colorize: destination === undefined,
        translateTime: "SYS:HH:MM:ss",
        ignore: "pid,hostname,app",
      })
    : // Synchronous: a log line lands before the CLI line written after it, and none is lost at exit.
      (destination ?? pino.destination({ dest: 2, sync: true }));
  return pino({ level, base: { app: "bantin" } }, heldWhileBarShows(out));
}

/** For tests and library use: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
