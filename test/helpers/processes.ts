/** `bantin start` as a real child process, and what tests and benches do around one. */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { BIN, scratchDir } from "./cli";
import { startHeapFlags } from "./heap-flags";

export interface RunningBot {
  child: ChildProcess;
  /** Its HTTP address, e.g. http://127.0.0.1:34567 */
  url: string;
  /** What it has written to stderr so far (the last 64 KB), to explain a failure. */
  stderr: () => string;
}

/**
 * Starts `bantin start [args]` with these settings and `npm start`'s heap flags; resolves once
 * it says where it serves HTTP and, unless `ready` is false, once /readyz says its platforms are
 * connected (they connect in the background).
 */
export async function startBotProcess(
  env: Record<string, string>,
  args: string[] = [],
  options: { ready?: boolean } = {},
): Promise<RunningBot> {
  const child = spawn(process.execPath, [...startHeapFlags(), BIN, "start", ...args], {
    cwd: scratchDir(),
    env: { PATH: process.env.PATH ?? "", HTTP_PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-65_536);
  });
  const stderr = () => errors;
  const bot = await new Promise<RunningBot>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /HTTP on (http:\/\/[^\s(]+)/.exec(out)?.[1];
      if (url) resolve({ child, url, stderr });
    });
    child.once("exit", (code) =>
      reject(new Error(`bantin exited (${code}) before serving: ${out}${errors}`)),
    );
  });
  if (options.ready !== false) {
    await waitUntil(
      async () => (await fetch(`${bot.url}/readyz`).catch(() => null))?.status === 200,
      20_000,
      "bantin's platforms to connect (/readyz 200)",
    );
  }
  return bot;
}

/** Resolves with the exit code once the process has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** POSTs a body (sent as is) and resolves with the status and the answer's text. */
export function postRaw(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
