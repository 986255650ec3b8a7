import { execFile } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import SqliteDatabase from "better-sqlite3";
import type { CliIo, Interrupt } from "../../src/cli/io";
import { run } from "../../src/cli/run";

export const BIN = resolve(import.meta.dirname, "../../bin/bantin.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/** A stream that keeps what is written to it, as text. */
class Collected extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** Ctrl-C and SIGTERM a test can send to an in-process run. */
export class Interrupts extends EventEmitter {
  send(signal: Interrupt): void {
    this.emit(signal, signal);
  }
}

/**
 * Runs `bantin <args>` in this process, as the `bantin` command would run them: its own
 * environment (only `env`, no .env unless `cwd` holds one), a scratch folder, stdin from
 * `input`, and stdout and stderr collected. For pipes, signals, exit codes and crashes use
 * spawnCli.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: CliOptions & { interrupts?: Interrupts } = {},
): Promise<CliResult> {
  const stdout = new Collected();
  const stderr = new Collected();
  const stdin = options.input === undefined ? Readable.from([]) : Readable.from([options.input]);
  const interrupts = options.interrupts ?? new Interrupts();
  const io: CliIo = {
    // As a child process would see it: a variable set to undefined is not there at all.
    env: Object.fromEntries(
      Object.entries({ LOG_LEVEL: "warn", ...env }).filter(([, value]) => value !== undefined),
    ),
    cwd: options.cwd ?? scratchDir(),
    stdin,
    stdout,
    stderr,
    logTo: { write: (line: string) => void stderr.write(line) },
    onInterrupt(listener, signals = ["SIGINT", "SIGTERM"]) {
      for (const signal of signals) interrupts.once(signal, listener);
      return () => {
        for (const signal of signals) interrupts.off(signal, listener);
      };
    },
  };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `bantin <args>` as a real child process, in a scratch folder with no .env. */
export function spawnCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: CliOptions = {},
): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? scratchDir(),
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          LOG_LEVEL: "warn",
          ...env,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "bantin-cli-"));
}

/**
 * `sqlite:<path>` of a new, empty SQLite file in a scratch folder. The CLI refuses a missing file
 * other than the default (a typo must not start an empty database), so tests make it first, as
 * an operator's `bantin migrate` would.
 */
export function newSqliteUrl(name = "bantin.db"): string {
  const path = join(scratchDir(), name);
  new SqliteDatabase(path).close();
  return `sqlite:${path}`;
}
