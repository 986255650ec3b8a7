/** One request to a fake bot API, as recorded. */
export interface ApiCall {
  /** The method name from the URL (a fake may normalise its case). */
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request had been read. */
  at: number;
  /** The token from the URL (may be wrong: such calls are answered 401 and still recorded). */
  token: string;
  /** Set once the fake decided the answer; undefined while a long poll or a hang holds it. */
  ok?: boolean;
  errorCode?: number;
  description?: string;
  /** `result` of a successful answer. */
  result?: unknown;
}

export interface ErrorReply {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}
export type Reply = { ok: true; result: unknown } | ErrorReply;

export const ok = (result: unknown): Reply => ({ ok: true, result });

export function err(
  error_code: number,
  description: string,
  parameters?: ErrorReply["parameters"],
): ErrorReply {
  return parameters
    ? { ok: false, error_code, description, parameters }
    : { ok: false, error_code, description };
}

interface Waiter {
  predicate: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
}

/** The calls a fake has seen, and promises for calls still to come. */
export class CallLog {
  readonly calls: ApiCall[] = [];
  private readonly waiters = new Set<Waiter>();

  /**
   * `name` ("Telegram") and `describeKeys` (the params worth showing) make the message of a
   * waitFor that timed out.
   */
  constructor(
    private readonly name: string,
    private readonly describeKeys: readonly string[],
  ) {}

  record(method: string, params: Record<string, unknown>, token: string): ApiCall {
    const call: ApiCall = { method, params, at: Date.now(), token };
    this.calls.push(call);
    return call;
  }

  /** Stores the answer on the call and wakes the waiters it satisfies. */
  settle(call: ApiCall, reply: Reply): void {
    call.ok = reply.ok;
    if (reply.ok) {
      call.result = reply.result;
    } else {
      call.errorCode = reply.error_code;
      call.description = reply.description;
    }
    this.notify(call);
  }

  notify(call: ApiCall): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(call)) waiter.resolve(call);
    }
  }

  /** The first call, past or future, that meets the predicate (a throwing predicate is false). */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const test = (call: ApiCall) => {
      try {
        return predicate(call);
      } catch {
        return false;
      }
    };
    const found = this.calls.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate: test,
        resolve: (call) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const recent = this.calls.slice(-15).map((c) => `  ${this.describe(c)}`);
        reject(
          new Error(
            `fake ${this.name}: no matching call within ${timeoutMs} ms; ${this.calls.length} calls so far, the last ones:\n${recent.join("\n") || "  (none)"}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private describe(call: ApiCall): string {
    const bits: string[] = [];
    for (const key of this.describeKeys) {
      const v = call.params[key];
      if (typeof v === "number") bits.push(`${key}=${v}`);
      if (typeof v === "string") {
        bits.push(`${key}=${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`);
      }
    }
    const outcome =
      call.ok === undefined ? "pending" : call.ok ? "ok" : `${call.errorCode} ${call.description}`;
    return `${call.method}(${bits.join(", ")}) -> ${outcome}`;
  }
}
