import { request } from "undici";
import type { SendOutcome } from "../../delivery/transport";

/** A refusal from the Zalo Bot API, with its error code (401, 429, 5xx ...). */
export class ZaloApiError extends Error {
  override name = "ZaloApiError";
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
  ) {
    super(`Zalo ${method} failed: ${code} ${description}`);
  }
}

export interface ZaloMe {
  id: string;
  account_name?: string;
  display_name?: string;
}

export interface ZaloClient {
  call<T = unknown>(
    method: string,
    params?: Record<string, unknown>,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<T>;
  getMe(): Promise<ZaloMe>;
  /**
   * One long poll; resolves with the updates it brought (none on a quiet timeout, or when
   * `signal` aborts it first).
   */
  getUpdates(timeoutSeconds: number, signal?: AbortSignal): Promise<unknown[]>;
  setWebhook(url: string, secretToken: string): Promise<unknown>;
  deleteWebhook(): Promise<unknown>;
  getWebhookInfo(): Promise<unknown>;
  sendMessage(chatId: string, text: string): Promise<unknown>;
  sendPhoto(chatId: string, photo: string, caption?: string): Promise<unknown>;
  sendChatAction(chatId: string, action: "typing" | "upload_photo"): Promise<unknown>;
}

/** The Zalo Bot API over undici: POST JSON to <root>/bot<token>/<method>. No SDK. */
export function createZaloClient(options: {
  token: string;
  apiRoot: string;
  timeoutMs?: number;
}): ZaloClient {
  const base = `${options.apiRoot}/bot${options.token}`;
  const defaultTimeout = options.timeoutMs ?? 15_000;

  async function call<T>(
    method: string,
    params: Record<string, unknown> = {},
    timeoutMs = defaultTimeout,
    signal?: AbortSignal,
  ): Promise<T> {
    let status: number;
    let text: string;
    try {
      const response = await request(`${base}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(signal ? { signal } : {}),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new ZaloApiError(method, 0, `network error: ${(error as Error).message}`);
    }
    let body: { ok?: boolean; result?: T; error_code?: number; description?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw new ZaloApiError(method, status >= 400 ? status : 502, `not JSON (HTTP ${status})`);
    }
    if (body.ok !== true) {
      throw new ZaloApiError(
        method,
        body.error_code ?? status,
        body.description ?? `HTTP ${status}`,
      );
    }
    return body.result as T;
  }

  return {
    call,
    getMe: () => call<ZaloMe>("getMe"),
    async getUpdates(timeoutSeconds, signal) {
      try {
        const result = await call<unknown>(
          "getUpdates",
          { timeout: timeoutSeconds },
          (timeoutSeconds + 10) * 1000,
          signal,
        );
        if (result == null) return [];
        return Array.isArray(result) ? result : [result];
      } catch (error) {
        if (signal?.aborted) return [];
        // A long poll that ends with nothing new is answered 408.
        if (error instanceof ZaloApiError && error.code === 408) return [];
        throw error;
      }
    },
    setWebhook: (url, secretToken) => call("setWebhook", { url, secret_token: secretToken }),
    deleteWebhook: () => call("deleteWebhook"),
    getWebhookInfo: () => call("getWebhookInfo"),
    sendMessage: (chatId, text) => call("sendMessage", { chat_id: chatId, text }),
    sendPhoto: (chatId, photo, caption) =>
      call("sendPhoto", { chat_id: chatId, photo, ...(caption ? { caption } : {}) }),
    sendChatAction: (chatId, action) => call("sendChatAction", { chat_id: chatId, action }),
  };
}

/** Zalo publishes no retry-after: a 429 waits this long. */
export const ZALO_QUOTA_PAUSE_SECONDS = 5;

/** The same outcomes the Telegram sender has, from Zalo's errors. */
export function zaloOutcome(error: unknown): SendOutcome {
  if (!(error instanceof ZaloApiError)) {
    return { kind: "transient", error: error instanceof Error ? error.message : String(error) };
  }
  const { code, description } = error;
  if (code === 401) return { kind: "unauthorized", error: description };
  if (code === 429) return { kind: "retryAfter", seconds: ZALO_QUOTA_PAUSE_SECONDS };
  if (code === 0 || code === 408 || code >= 500)
    return { kind: "transient", error: `${code} ${description}` };
  if (
    code === 403 ||
    code === 404 ||
    /chat not found|not (a )?follow|blocked|unknown (chat|user)/i.test(description)
  ) {
    return { kind: "unreachable", reason: description };
  }
  return { kind: "permanent", error: `${code} ${description}` };
}
