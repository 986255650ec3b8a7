/**
 * The HTTP server, on Fastify: each part of bantin contributes a plugin (the health routes, a
 * platform's webhook, the web console), registered in its own encapsulated context so
 * that its body parsers, hooks and schemas stay its own. Around them: 404 and 405 answered
 * before any body is read, 4xx errors as `{ ok: false, description }`, a handler's error as a 500
 * with one log line, Fastify's logger bridged to ours with no per-request lines, and a close that
 * lets the requests in flight finish.
 */
import type { Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from "fastify";
import type { Logger } from "../logging";

/** A part of the HTTP surface: registers its routes (and parsers, hooks) on its own context. */
export type HttpPlugin = (app: FastifyInstance) => Promise<void>;

export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080 */
  url: string;
  /** The Fastify instance (ready, listening). */
  app: FastifyInstance;
  server: Server;
  /**
   * Requests are coming in a burst (a thousand a second or more), and it began less than half a
   * second ago: work that can wait (handling stored updates) lets the answers go first. Under
   * steady traffic it no longer waits.
   */
  inBurst(): boolean;
  /** Takes no new requests, lets those in flight finish (at most `closeDeadlineMs`), then ends. */
  close(): Promise<void>;
}

/** Requests closer together than this belong together. */
const ARRIVAL_GAP_MS = 5;
/** A burst: at least BURST_REQUESTS requests within BURST_WINDOW_MS (a thousand a second). */
const BURST_REQUESTS = 10;
const BURST_WINDOW_MS = 10;
/** For this long a burst's requests are answered before work that can wait; then they share. */
const BURST_FIRST_MS = 500;

/** The largest body any route reads unless it says otherwise. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** How long a close waits for requests in flight before it cuts their connections. */
const CLOSE_DEADLINE_MS = 5_000;

/**
 * How long a start waits for its port to be free: a restart that does not wait for the process
 * it replaces finds the port held for the moment that process takes to let it go.
 */
const PORT_WAIT_MS = 10_000;
const PORT_RETRY_MS = 200;

/** Resolves once `host:port` can be listened on, or with "in use" after `waitMs`. */
async function portFree(host: string, port: number, waitMs: number): Promise<"free" | "in use"> {
  const until = Date.now() + waitMs;
  for (;;) {
    const outcome = await new Promise<string>((resolve) => {
      const probe = createServer();
      probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve("free")));
    });
    // Any other error (a host not on this machine, a port not allowed) shows at the real listen.
    if (outcome !== "EADDRINUSE") return "free";
    if (Date.now() >= until) return "in use";
    await new Promise((resolve) => setTimeout(resolve, PORT_RETRY_MS));
  }
}

/** What a refused request is told, in plain words. */
function describe(error: FastifyError): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "the body is larger than 1 MiB";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "this content type is not accepted here";
    default:
      return error.message;
  }
}

export async function startHttpServer(
  options: {
    host: string;
    port: number;
    /** Each registered in its own context, in this order. */
    plugins: HttpPlugin[];
    closeDeadlineMs?: number;
    /** How long to wait for a port held by another process (PORT_WAIT_MS). */
    portWaitMs?: number;
  },
  logger: Logger,
): Promise<HttpServer> {
  const log = logger.child({ subsystem: "http" });
  if (options.port !== 0) {
    const waitMs = options.portWaitMs ?? PORT_WAIT_MS;
    if ((await portFree(options.host, options.port, 0)) === "in use" && waitMs > 0) {
      log.warn(
        { port: options.port, waitMs },
        `HTTP_PORT ${options.port} is in use; waiting for it (a bantin that is stopping lets it go)`,
      );
      await portFree(options.host, options.port, waitMs);
    }
  }
  const app = Fastify({
    loggerInstance: log,
    // No line per request; a handler's error gets one line (the error handler below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }) as unknown as FastifyInstance;

  let lastArrival = Number.NEGATIVE_INFINITY;
  let burstStart = Number.NEGATIVE_INFINITY;
  const recent: number[] = []; // arrival times within BURST_WINDOW_MS
  /** Paths served, each with its methods (405 for the others). */
  const paths = new Map<string, Set<string>>();

  app.addHook("onRoute", (route) => {
    const methods = paths.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    paths.set(route.url, methods);
  });

  function notFound(path: string, reply: FastifyReply): FastifyReply {
    const methods = paths.get(path);
    if (methods) reply.header("allow", [...methods].join(", "));
    const known = methods !== undefined;
    return reply
      .code(known ? 405 : 404)
      .type("text/plain; charset=utf-8")
      .send(known ? "method not allowed\n" : "not found\n");
  }

  // First of all: count the arrival; answer 404 and 405 before a body is read.
  app.addHook("onRequest", async (request, reply) => {
    const now = performance.now();
    if (now - lastArrival > ARRIVAL_GAP_MS) burstStart = now;
    lastArrival = now;
    recent.push(now);
    while ((recent[0] ?? now) < now - BURST_WINDOW_MS) recent.shift();
    if (request.is404) return notFound(request.url.split("?")[0] ?? "/", reply);
  });
  // While closing, each answer ends its connection: a keep-alive socket is not left open.
  let shuttingDown = false;
  app.addHook("onSend", async (_request, reply) => {
    if (shuttingDown) reply.header("connection", "close");
  });
  app.setNotFoundHandler((request, reply) => notFound(request.url.split("?")[0] ?? "/", reply));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A body refused as too large is not read on: the connection ends after the answer.
      if (status === 413) reply.header("connection", "close");
      return reply.code(status).send({ ok: false, description: describe(error) });
    }
    log.error(
      { method: request.method, path: request.url.split("?")[0], error: error.message },
      "request failed",
    );
    return reply.code(500).type("text/plain; charset=utf-8").send("internal error\n");
  });

  for (const plugin of options.plugins) await app.register(plugin);
  try {
    await app.listen({
      host: options.host,
      port: options.port,
      listenTextResolver: (address) => `http server listening on ${address}`,
    });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `HTTP_PORT: ${options.host}:${options.port} is already in use (another bantin?); give each process a port of its own, or HTTP_PORT=0 for any free one`,
      );
    }
    if (code === "EACCES") {
      throw new Error(
        `HTTP_PORT: ${options.host}:${options.port} may not be used by this user; choose a port above 1023`,
      );
    }
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const closeDeadlineMs = options.closeDeadlineMs ?? CLOSE_DEADLINE_MS;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    app,
    server: app.server,
    inBurst() {
      const now = performance.now();
      if (now - burstStart > BURST_FIRST_MS) return false; // steady traffic: share the time
      while ((recent[0] ?? now) < now - BURST_WINDOW_MS) recent.shift();
      return recent.length >= BURST_REQUESTS;
    },
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), closeDeadlineMs);
        });
        shuttingDown = true;
        const closed = app.close();
        if ((await Promise.race([closed, deadline])) === "late") {
          log.warn("requests still in flight at close; their connections are cut");
          app.server.closeAllConnections();
          await closed;
        }
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
