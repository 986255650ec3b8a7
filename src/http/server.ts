import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logging";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080 */
  url: string;
  server: Server;
  /**
   * Requests are being answered, or others came after `since` (performance.now()) a moment ago
   * and more may follow: work that can wait (handling stored updates) lets the answers go first.
   */
  busySince(since: number): boolean;
  close(): Promise<void>;
}

export interface Routes {
  [methodAndPath: string]: RouteHandler; // "POST /telegram/webhook"
}

/** Requests closer together than this are one burst. */
const ARRIVAL_GAP_MS = 5;

/** A small router on node:http: exact method + path, 404 otherwise, errors as 500. */
export async function startHttpServer(
  options: { host: string; port: number; routes: Routes },
  logger: Logger,
): Promise<HttpServer> {
  const log = logger.child({ subsystem: "http" });
  let inFlight = 0;
  let lastArrival = Number.NEGATIVE_INFINITY;
  const server = createServer(async (req, res) => {
    lastArrival = performance.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const handler = options.routes[`${req.method} ${path}`];
    if (!handler) {
      const knownPath = Object.keys(options.routes).some((k) => k.endsWith(` ${path}`));
      res.writeHead(knownPath ? 405 : 404, { "content-type": "text/plain; charset=utf-8" });
      res.end(knownPath ? "method not allowed\n" : "not found\n");
      return;
    }
    inFlight++;
    try {
      await handler(req, res);
    } catch (error) {
      log.error({ path, error: (error as Error).message }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("internal error\n");
    } finally {
      inFlight--;
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
    busySince: (since) =>
      inFlight > 0 || (lastArrival > since && performance.now() - lastArrival < ARRIVAL_GAP_MS),
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
