import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logging";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080 */
  url: string;
  server: Server;
  /**
   * Requests are coming in a burst (a thousand a second or more), and it began less than half a
   * second ago: work that can wait (handling stored updates) lets the answers go first. Under
   * steady traffic it no longer waits.
   */
  inBurst(): boolean;
  close(): Promise<void>;
}

export interface Routes {
  [methodAndPath: string]: RouteHandler; // "POST /telegram/webhook"
}

/** Requests closer together than this belong together. */
const ARRIVAL_GAP_MS = 5;
/** A burst: at least BURST_REQUESTS requests within BURST_WINDOW_MS (a thousand a second). */
const BURST_REQUESTS = 10;
const BURST_WINDOW_MS = 10;
/** For this long a burst's requests are answered before work that can wait; then they share. */
const BURST_FIRST_MS = 500;

/** A small router on node:http: exact method + path, 404 otherwise, errors as 500. */
export async function startHttpServer(
  options: { host: string; port: number; routes: Routes },
  logger: Logger,
): Promise<HttpServer> {
  const log = logger.child({ subsystem: "http" });
  let lastArrival = Number.NEGATIVE_INFINITY;
  let burstStart = Number.NEGATIVE_INFINITY;
  const recent: number[] = []; // arrival times within BURST_WINDOW_MS
  const server = createServer(async (req, res) => {
    const now = performance.now();
    if (now - lastArrival > ARRIVAL_GAP_MS) burstStart = now;
    lastArrival = now;
    recent.push(now);
    while ((recent[0] ?? now) < now - BURST_WINDOW_MS) recent.shift();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const handler = options.routes[`${req.method} ${path}`];
    if (!handler) {
      const knownPath = Object.keys(options.routes).some((k) => k.endsWith(` ${path}`));
      res.writeHead(knownPath ? 405 : 404, { "content-type": "text/plain; charset=utf-8" });
      res.end(knownPath ? "method not allowed\n" : "not found\n");
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      log.error({ path, error: (error as Error).message }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("internal error\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  log.info({ port: address.port, host: address.address }, "http server listening");
  return {
    url: `http://${host}:${address.port}`,
    server,
    inBurst() {
      const now = performance.now();
      if (now - burstStart > BURST_FIRST_MS) return false; // steady traffic: share the time
      while ((recent[0] ?? now) < now - BURST_WINDOW_MS) recent.shift();
      return recent.length >= BURST_REQUESTS;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/**
 * Reads a request body up to a limit; a larger body rejects with status 413, leaving the
 * connection open for the answer (the caller closes it).
 */
export async function readBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
