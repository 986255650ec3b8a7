import { type ChatContext, fileAsMessage, type Reply } from "../../chat/context";
import type { ChatCore, ChatInput, ChatOutput } from "../../chat/core";
import type { UpdateSink } from "../../chat/inbox";
import { pause } from "../../clock";
import type { Config } from "../../config";
import type { RateLimiter } from "../../delivery/limiter";
import type { HttpPlugin } from "../../http/server";
import { webhookRoute } from "../../http/webhook";
import type { Logger } from "../../logging";
import type { Locale } from "../../message/i18n/index";
import type { RenderedPart } from "../../message/parts";
import { renderPayload } from "../../message/payload";
import { ZaloApiError, type ZaloClient, zaloOutcome } from "./client";
import { readZaloEvent, type ZaloEvent } from "./event-schema";
import { sendPart } from "./parts";

export interface ZaloAdapter {
  client: ZaloClient;
  /** Routes this adapter serves on the HTTP server (the webhook, in webhook mode). */
  routes: HttpPlugin[];
  /** Updates come by long polling (one process polls at a time), not by webhook. */
  polls: boolean;
  /** getMe, and the webhook in webhook mode. Throws when the token is refused. */
  start(signal?: AbortSignal): Promise<void>;
  /** Long polling, while this process is the one that polls. */
  startPolling(): void;
  stopPolling(): Promise<void>;
  /** Stops taking updates (the inbox finishes what it stored). */
  stop(): Promise<void>;
  isRunning(): boolean;
  /** Why the adapter stopped on its own (a refused token), if it did. */
  failure(): string | null;
  /** Zalo refused the token to a sender (revoked while running): the adapter stops, as at start. */
  tokenRefused(description: string): void;
}

function chatInput(event: ZaloEvent): ChatInput | null {
  if (event.event_name === "message.text.received") {
    return typeof event.message.text === "string"
      ? { kind: "text", text: event.message.text }
      : null;
  }
  return { kind: "other" }; // a picture, a sticker, something Zalo could not show us
}

/**
 * The Zalo adapter: events in as chat input, replies out as plain text in Zalo's idiom: buttons
 * are numbered choices (the chat reads the numbers typed back), messages are cut under 2,000
 * characters and photos go through sendPhoto. Every feature is the chat's.
 */
/** Tries after a failed reply (5xx, network, 429), the first REPLY_RETRY_FIRST_MS later. */
const REPLY_RETRIES = 3;
const REPLY_RETRY_FIRST_MS = 1_000;

export function createZaloAdapter(options: {
  config: Config["zalo"];
  publicUrl?: string;
  core: ChatCore;
  inbox: UpdateSink;
  client: ZaloClient;
  limiter: RateLimiter;
  logger: Logger;
  pollTimeoutSeconds?: number;
}): ZaloAdapter {
  const { config, core, inbox, client, limiter } = options;
  const log = options.logger.child({ subsystem: "zalo" });
  let running = false;
  let failure: string | null = null;
  let pollAbort = false;
  let polling: Promise<void> | null = null;
  let pollController: AbortController | undefined;

  /**
   * Sends one part in its turn, ahead of bulk sends: waits out a 429, and tries again after a
   * 5xx or a network error 1 s, 2 s and 4 s later (a brief outage costs a reply seconds, not
   * the reply).
   */
  async function send(chat: ChatContext, part: RenderedPart): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire({ key: chat.chatId, group: chat.chatType !== "private" }, 0);
      try {
        await sendPart(client, chat.chatId, part);
        return;
      } catch (error) {
        const outcome = zaloOutcome(error);
        if (outcome.kind === "retryAfter" && attempt < REPLY_RETRIES) {
          limiter.pauseFor(outcome.seconds * 1000);
          continue;
        }
        if (outcome.kind === "unreachable") {
          await core.handleReachability(chat, false);
          return;
        }
        if (outcome.kind === "transient" && attempt < REPLY_RETRIES) {
          await pause(REPLY_RETRY_FIRST_MS * 2 ** attempt);
          continue;
        }
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
    // Zalo's Bot API sends no files: the file comes as text, split into messages at its lines.
    if (reply.type === "file") return renderPayload("zalo", fileAsMessage(reply), locale).parts;
    return renderPayload("zalo", reply.message, locale).parts;
  }

  /** Handles one stored event (the inbox's handler for Zalo). */
  async function handleEvent(event: ZaloEvent): Promise<void> {
    const { message } = event;
    const input = chatInput(event);
    if (!input || message.from?.is_bot) return;
    const chat: ChatContext = {
      platform: "zalo",
      chatId: String(message.chat.id),
      chatType: String(message.chat.chat_type).toUpperCase() === "GROUP" ? "group" : "private",
      user: {
        id: String(message.from?.id ?? message.chat.id),
        name: message.from?.display_name ?? null,
      },
      // Zalo's Bot API does not tell who administers a group: there, the ADMINS editors do.
      isGroupAdmin: async () => false,
      buttons: false,
    };
    try {
      await deliver(chat, await core.handle(chat, input));
    } catch (error) {
      if (error instanceof ZaloApiError && error.code === 401) stopForToken(error);
      throw error;
    }
  }

  /** Checks a webhook or poll body and stores it; the reason when it is refused. */
  async function accept(body: unknown): Promise<string | null> {
    const checked = readZaloEvent(body);
    if ("error" in checked) return checked.error;
    if ("update" in checked) await inbox.accept([checked.update]);
    return null;
  }

  function stopForToken(error: { code: number; description: string }) {
    if (failure) return;
    failure = `Zalo refused the token (${error.code} ${error.description}): bantin stopped serving Zalo; check ZALO_BOT_TOKEN`;
    log.error(failure);
    running = false;
    pollAbort = true;
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let backoff = 1000;
    while (!pollAbort) {
      try {
        const updates = await client.getUpdates(options.pollTimeoutSeconds ?? 30, signal);
        backoff = 1000;
        for (const update of updates) {
          const refused = await accept(update);
          if (refused) log.warn({ error: refused }, "update refused");
        }
      } catch (error) {
        if (error instanceof ZaloApiError && error.code === 401) {
          stopForToken(error);
          return;
        }
        if (pollAbort) return;
        log.warn({ error: (error as Error).message, retryInMs: backoff }, "getUpdates failed");
        await pause(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  const routes: HttpPlugin[] = [];
  if (config.mode === "webhook") {
    routes.push(
      webhookRoute({
        path: "/zalo/webhook",
        secretHeader: "x-bot-api-secret-token",
        secret: config.webhookSecret ?? "",
        running: () => running,
        notRunning: "bantin is not serving Zalo",
        check: (body) => {
          const checked = readZaloEvent(body);
          if ("error" in checked) return checked;
          return { value: "update" in checked ? checked.update : null }; // null: not for us
        },
        store: async (update) => {
          if (update) await inbox.accept([update]);
        },
      }),
    );
  }

  return {
    client,
    routes,
    failure: () => failure,
    isRunning: () => running,
    tokenRefused: (description) => stopForToken({ code: 401, description }),
    async start() {
      try {
        const me = await client.getMe();
        if (config.mode === "webhook") {
          if (options.publicUrl && config.webhookSecret) {
            await client.setWebhook(`${options.publicUrl}/zalo/webhook`, config.webhookSecret);
          } else {
            log.warn("PUBLIC_URL is not set: the webhook was not registered with Zalo");
          }
        }
        running = true;
        inbox.on("zalo", (body) => handleEvent(body as ZaloEvent));
        log.info(
          { mode: config.mode, bot: me.account_name ?? me.display_name ?? me.id },
          "serving zalo",
        );
      } catch (error) {
        if (error instanceof ZaloApiError && error.code === 401) {
          stopForToken(error);
          throw new Error(failure ?? "Zalo refused the token");
        }
        throw error;
      }
    },
    polls: config.mode === "polling",
    startPolling() {
      if (polling || config.mode !== "polling" || failure) return;
      pollAbort = false;
      const controller = new AbortController();
      pollController = controller;
      polling = pollLoop(controller.signal).finally(() => {
        polling = null;
      });
    },
    async stopPolling() {
      // The long poll in progress is cut: Zalo keeps no offset, so an event it handed to a poll
      // nobody reads any more would be lost. One that already came is stored first.
      pollAbort = true;
      pollController?.abort();
      await polling;
    },
    async stop() {
      pollAbort = true;
      running = false;
      pollController?.abort();
      await polling;
    },
  };
}
