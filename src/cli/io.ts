/**
 * What a CLI run talks to: its arguments' environment, folder and streams. The `bantin` process
 * hands in its own (cli/main.ts); tests hand in strings and collectors and run commands
 * in-process, so a command is a function call, not a child process.
 */
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { DestinationStream } from "pino";

export type Interrupt = "SIGINT" | "SIGTERM";

export interface CliIo {
  /** The environment the configuration is read from (with `.env` in `cwd` below it). */
  env: Record<string, string | undefined>;
  /** The folder relative paths (`.env`, `sqlite:./x.db`, files to import) are read from. */
  cwd: string;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /**
   * Calls `listener` on Ctrl-C or SIGTERM (or only those `signals`) until the returned function
   * is called.
   */
  onInterrupt(listener: (signal: Interrupt) => void, signals?: Interrupt[]): () => void;
  /** Where log lines go; unset, to stderr's file descriptor (pretty on a terminal). */
  logTo?: DestinationStream;
  /** Ends the process once a long-running command (`start`) has stopped; unset in-process. */
  exit?(code: number): void;
}

/** A path as the user meant it: relative to the run's folder. */
export function pathIn(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** The `bantin` process's own environment, folder, streams and signals. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(listener, signals = ["SIGINT", "SIGTERM"]) {
      const handlers = signals.map((signal) => [signal, () => listener(signal)] as const);
      for (const [signal, handler] of handlers) process.once(signal, handler);
      return () => {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      };
    },
    exit: (code) => process.exit(code),
  };
}
