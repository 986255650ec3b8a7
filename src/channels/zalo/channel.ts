import { createHash, timingSafeEqual } from "node:crypto";
import type { ChatContext, Reply } from "../../chat/context";
import type { ChatCore, ChatInput, ChatOutput } from "../../chat/core";
import type { Config } from "../../config";
import type { RateLimiter } from "../../delivery/limiter";
import { type Routes, readBody, sendJson } from "../../http/server";
import type { Logger } from "../../logging";
import type { Locale } from "../../message/i18n";
import type { RenderedPart } from "../../message/parts";
import { renderPayload } from "../../message/payload";
import { ZaloApiError, type ZaloClient, zaloOutcome } from "./client";
import { sendPart } from "./parts";

export interface ZaloChannel {
  client: ZaloClient;
  routes: Routes;
  /** getMe, then the webhook or long polling. Throws when the token is refused. */
  start(): Promise<void>;
  stop(): Promise<void>;
  isRunning(): boolean;
  /** Why the channel stopped on its own (a refused token), if it did. */
  failure(): string | null;
  /** Handles one update body (either payload shape); exposed for the webhook and polling. */
  handleUpdate(body: unknown): Promise<void>;
  /** Resolves when no webhook update is being handled (updates are answered before handling). */
  idle(): Promise<void>;
}

interface ZaloMessage {
  from?: { id?: string | number; display_name?: string; is_bot?: boolean };
  chat?: { id?: string | number; chat_type?: string };
  text?: string;
  message_id?: string | number;
  date?: number;
}

interface ZaloEvent {
  event_name?: string;
  message?: ZaloMessage;
}

const NOT_TEXT = new Set([
  "message.image.received",
  "message.sticker.received",
  "message.unsupported.received",
]);

/** Compares secrets in constant time, whatever their lengths. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Accepts `{ ok, result: { event_name, message } }` and bare `{ event_name, message }`. */
export function unwrapEvent(body: unknown): ZaloEvent | null {
  if (!body || typeof body !== "object") return null;
  const outer = body as { ok?: unknown; result?: unknown; event_name?: unknown };
  const event =
    "result" in outer && outer.result && typeof outer.result === "object" ? outer.result : body;
  const e = event as ZaloEvent;
  return typeof e.event_name === "string" ? e : null;
}

/** The platform's own id of an update, so one delivered twice is handled once. */
function updateKey(event: ZaloEvent): string {
  const id = event.message?.message_id;
  return id !== undefined
    ? `m:${id}`
    : `h:${createHash("sha256").update(JSON.stringify(event)).digest("hex")}`;
}

function chatInput(event: ZaloEvent): ChatInput | null {
  if (event.event_name === "message.text.received") {
    return typeof event.message?.text === "string"
      ? { kind: "text", text: event.message.text }
      : null;
  }
  return NOT_TEXT.has(event.event_name ?? "") ? { kind: "other" } : null; // others are ignored
}

/**
 * The Zalo adapter: events in as chat input, replies out as plain text in Zalo's idiom: buttons
 * are numbered choices (the chat reads the numbers typed back), messages are cut under 2,000
 * characters and photos go through sendPhoto. Every feature is the chat's.
 */
export function createZaloChannel(options: {
  config: Config["zalo"];
  publicUrl?: string;
  core: ChatCore;
  client: ZaloClient;
  limiter: RateLimiter;
  logger: Logger;
  pollTimeoutSeconds?: number;
}): ZaloChannel {
  const { config, core, client, limiter } = options;
  const log = options.logger.child({ subsystem: "zalo" });
  let running = false;
  let failure: string | null = null;
  let pollAbort = false;
  const inFlight = new Set<Promise<void>>();

  /** Sends one part in its turn, ahead of bulk sends; waits out a 429, retries a 5xx twice. */
  async function send(chat: ChatContext, part: RenderedPart): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire({ key: chat.chatId, group: chat.chatType !== "private" }, 0);
      try {
        await sendPart(client, chat.chatId, part);
        return;
      } catch (error) {
        const outcome = zaloOutcome(error);
        if (outcome.kind === "retryAfter" && attempt < 2) {
          limiter.pauseFor(outcome.seconds * 1000);
          continue;
        }
        if (outcome.kind === "unreachable") {
          await core.handleReachability(chat, false);
          return;
        }
        if (outcome.kind === "transient" && attempt < 2) continue;
        throw error;
      }
    }
  }

  async function deliver(chat: ChatContext, output: ChatOutput): Promise<void> {
    for (const reply of output.replies) {
      for (const part of partsOf(reply, output.locale)) await send(chat, part);
      if (reply.type === "edit" && reply.follow) {
        // Zalo cannot edit a message: the admin gets a summary once the broadcast is finished.
        core.followBroadcast(chat, reply.follow.broadcastId, async (view) => {
          if (view.finished) {
            await deliver(chat, {
              locale: output.locale,
              replies: [{ type: "send", message: view.message }],
            });
          }
        });
      }
    }
  }

  function partsOf(reply: Reply, locale: Locale): RenderedPart[] {
    if (reply.type === "notice") {
      return reply.text ? [{ kind: "text", format: "plain", text: reply.text }] : [];
    }
    return renderPayload("zalo", reply.message, locale).parts;
  }

  async function handleUpdate(body: unknown): Promise<void> {
    const event = unwrapEvent(body);
    const message = event?.message;
    if (!event || !message?.chat?.id || message.from?.is_bot) return;
    const input = chatInput(event);
    if (!input) return;
    const chat: ChatContext = {
      platform: "zalo",
      chatId: String(message.chat.id),
      chatType: String(message.chat.chat_type).toUpperCase() === "GROUP" ? "group" : "private",
      user: {
        id: String(message.from?.id ?? message.chat.id),
        name: message.from?.display_name ?? null,
      },
      // Zalo does not tell who administers a group; groups keep the defaults.
      isGroupAdmin: async () => false,
      buttons: false,
    };
    try {
      await deliver(chat, await core.handle(chat, input, { updateKey: updateKey(event) }));
    } catch (error) {
      if (error instanceof ZaloApiError && error.code === 401) stopForToken(error);
      log.error({ chatId: chat.chatId, error: (error as Error).message }, "update failed");
    }
  }

  function stopForToken(error: ZaloApiError) {
    if (failure) return;
    failure = `Zalo refused the token (${error.code} ${error.description}): the Zalo channel is stopped; check ZALO_BOT_TOKEN`;
    log.error(failure);
    running = false;
    pollAbort = true;
  }

  async function pollLoop(): Promise<void> {
    let backoff = 1000;
    while (!pollAbort) {
      try {
        const updates = await client.getUpdates(options.pollTimeoutSeconds ?? 30);
        backoff = 1000;
        for (const update of updates) await handleUpdate(update);
      } catch (error) {
        if (error instanceof ZaloApiError && error.code === 401) {
          stopForToken(error);
          return;
        }
        if (pollAbort) return;
        log.warn({ error: (error as Error).message, retryInMs: backoff }, "getUpdates failed");
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  const routes: Routes = {};
  if (config.mode === "webhook") {
    routes["POST /zalo/webhook"] = async (req, res) => {
      const header = req.headers["x-bot-api-secret-token"];
      const given = typeof header === "string" ? header : undefined;
      if (!sameSecret(given, config.webhookSecret ?? "")) {
        sendJson(res, 401, { ok: false, description: "wrong secret token" });
        return;
      }
      if (!running) {
        sendJson(res, 503, { ok: false, description: "the Zalo channel is not running" });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)).toString("utf8"));
      } catch {
        sendJson(res, 400, { ok: false, description: "the body is not JSON" });
        return;
      }
      if (!unwrapEvent(body)) {
        sendJson(res, 400, { ok: false, description: "not a Zalo event" });
        return;
      }
      // Answer at once; the work is done after.
      sendJson(res, 200, { ok: true });
      const work = handleUpdate(body).catch((error: unknown) =>
        log.error({ error: (error as Error).message }, "webhook update failed"),
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    };
  }

  return {
    client,
    routes,
    handleUpdate,
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    failure: () => failure,
    isRunning: () => running,
    async start() {
      try {
        const me = await client.getMe();
        if (config.mode === "webhook") {
          if (options.publicUrl && config.webhookSecret) {
            await client.setWebhook(`${options.publicUrl}/zalo/webhook`, config.webhookSecret);
          } else {
            log.warn("PUBLIC_URL is not set: the webhook was not registered with Zalo");
          }
        } else {
          pollAbort = false;
          void pollLoop(); // a long poll in progress ends by itself within its timeout
        }
        running = true;
        log.info(
          { mode: config.mode, bot: me.account_name ?? me.display_name ?? me.id },
          "zalo channel started",
        );
      } catch (error) {
        if (error instanceof ZaloApiError && error.code === 401) {
          stopForToken(error);
          throw new Error(failure ?? "Zalo refused the token");
        }
        throw error;
      }
    },
    async stop() {
      pollAbort = true;
      running = false;
    },
  };
}
