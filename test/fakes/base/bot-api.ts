import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApiCall, CallLog, err, type Reply } from "./call-log";
import { FaultPlan, type RandomFaults } from "./fault-plan";
import { LocalHttpServer, readBody } from "./http";

/** An answer that never comes: the socket stays open until the client or close() cuts it. */
export const HANG = Symbol("hang");
export type Outcome = Reply | Promise<Reply> | typeof HANG;

export interface FakeApiStats {
  /** Send-method calls answered ok. */
  sends: number;
  /** 429 answers, from limits and from injected faults. */
  tooManyRequests: number;
  /** Calls answered by an injected (explicit or random) fault, slow and never-answering included. */
  faults: number;
}

export interface FakeBotApiConfig<F, K extends string> {
  /** For messages: "Telegram". */
  name: string;
  /** Params shown for each recent call when waitFor times out. */
  describeKeys: readonly string[];
  /** Added to every answer, in ms. */
  latencyMs?: number;
  randomFaults?: RandomFaults<K>;
  /** The fault of a random kind for a call to that chat. */
  randomFault: (kind: K, chatKey: string) => F | undefined;
  /** The normalised key of a chat id, or undefined when the value is not one. */
  chatKey: (chatId: unknown) => string | undefined;
}

export interface AnswerOptions {
  /** Delay added by a "slow" fault. */
  slowMs?: number;
  /** Wait slowMs before the answer is settled on the call, instead of after. */
  slowBeforeSettle?: boolean;
  /** Runs when the client hangs up while a long poll holds the call. */
  onAbort?: () => void;
  /** Runs instead of sending when the client has gone by the time the answer is ready. */
  onLost?: (reply: Reply) => void;
}

/** A request to /bot<token>/<method>; token and method are absent when the path is not that. */
export interface BotRequest {
  body: Buffer;
  url: URL;
  token?: string;
  method?: string;
}

/**
 * What the fake Telegram and Zalo Bot APIs share: the HTTP server, the call log and waitFor,
 * the fault plan, latency, and the held requests and timers that close() ends. A subclass reads
 * its requests in handle() and gives each call to answer().
 */
export abstract class FakeBotApi<F, K extends string> {
  apiRoot = "";
  readonly calls: ApiCall[];
  readonly stats: FakeApiStats = { sends: 0, tooManyRequests: 0, faults: 0 };
  protected readonly log: CallLog;
  protected readonly faults: FaultPlan<F, K>;
  protected closed = false;

  private readonly name: string;
  private readonly latencyMs: number;
  private readonly chatKey: (chatId: unknown) => string | undefined;
  private readonly http = new LocalHttpServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      this.send(res, err(500, `Internal Server Error: ${String(error)}`));
    });
  });
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly hanging = new Set<ServerResponse>();

  constructor(config: FakeBotApiConfig<F, K>) {
    this.name = config.name;
    this.latencyMs = config.latencyMs ?? 0;
    this.chatKey = config.chatKey;
    this.log = new CallLog(config.name, config.describeKeys);
    this.calls = this.log.calls;
    this.faults = new FaultPlan(config.randomFaults, config.randomFault);
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Answers the long polls still held; close() calls it before anything else. */
  protected abstract endPolls(): void;

  async listen(): Promise<void> {
    this.apiRoot = await this.http.listen();
  }

  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  /** A fault for the next `times` (default: all) calls to that chat; "*": to any chat. */
  fault(chatId: number | string, fault: F, times?: number): void {
    const key = chatId === "*" ? "*" : this.chatKey(chatId);
    if (key === undefined) throw new Error(`fake ${this.name}: bad chat id ${String(chatId)}`);
    this.faults.add(key, fault, times);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The queued fault of the first of `keys` that has one, else maybe a random one for randomKey. */
  protected pickFault(keys: readonly string[], randomKey?: string): F | undefined {
    const fault =
      this.faults.take(keys) ?? (randomKey === undefined ? undefined : this.faults.roll(randomKey));
    if (fault) this.stats.faults++;
    return fault;
  }

  protected async readRequest(req: IncomingMessage): Promise<BotRequest> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (!match) return { body, url };
    return {
      body,
      url,
      token: decodeURIComponent(match[1] ?? ""),
      method: decodeURIComponent(match[2] ?? ""),
    };
  }

  protected send(res: ServerResponse, reply: Reply): void {
    if (res.writableEnded || res.destroyed) return;
    const body = JSON.stringify(reply);
    res.writeHead(reply.ok ? 200 : reply.error_code, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  /** Settles the recorded call with the outcome and sends it, after the latency and delays. */
  protected async answer(
    call: ApiCall,
    res: ServerResponse,
    outcome: Outcome,
    options: AnswerOptions = {},
  ): Promise<void> {
    if (outcome === HANG) {
      this.hanging.add(res);
      res.once("close", () => this.hanging.delete(res));
      this.log.notify(call);
      return;
    }
    const slowMs = options.slowMs ?? 0;
    if (options.slowBeforeSettle && slowMs > 0) await this.sleep(slowMs);
    let reply: Reply;
    if (outcome instanceof Promise) {
      // A long poll: waiters may want the call before it has an answer.
      this.log.notify(call);
      const { onAbort } = options;
      if (onAbort) res.once("close", onAbort);
      reply = await outcome;
      if (onAbort) res.off("close", onAbort);
    } else {
      reply = outcome;
    }
    this.log.settle(call, reply);
    await this.sleep(this.latencyMs + (options.slowBeforeSettle ? 0 : slowMs));
    if (options.onLost && (res.destroyed || res.writableEnded)) {
      options.onLost(reply);
      return;
    }
    this.send(res, reply);
  }

  /** A timer that close() cuts short. */
  protected sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** Stops the server: pending polls are answered, delays cut, held calls lose their socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endPolls();
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    // Let the answers just written reach the wire before the sockets go.
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await this.http.close();
  }
}

/** The fake, once its server listens (apiRoot is set). */
export async function listening<T extends { listen(): Promise<void> }>(fake: T): Promise<T> {
  await fake.listen();
  return fake;
}
