import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatContext, ChatCore } from "../../chat/core";
import { catalogue } from "../../chat/i18n";
import type { ActionButton, Reply } from "../../chat/messages";
import type { Clock } from "../../clock";
import type { Config } from "../../config";
import type { Db } from "../../db/schema";
import type { RateLimiter } from "../../delivery/limiter";
import { PLAIN_TEXT_LIMIT } from "../../delivery/payload";
import { type RouteHandler, readBody, sendJson } from "../../http/server";
import type { Logger } from "../../logging";
import { findReader } from "../../readers/readers";
import { foldForSearch } from "../../text/fold";
import { splitPlainText } from "../../text/split";
import { renderPlain } from "../plain-text";
import { ZaloApiError, type ZaloClient, zaloOutcome } from "./client";

export interface ZaloChannel {
  client: ZaloClient;
  routes: Record<string, RouteHandler>;
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

/** What the reader was last offered: numbered choices, and story numbers for "đọc N". */
interface Menu {
  choices: ActionButton[];
  stories: Map<number, string>;
}

const MAX_MENUS = 10_000;
const NUMBERS = /^\d{1,3}(?:[\s,;]+\d{1,3})*$/;

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

/**
 * The Zalo adapter: plain text in Zalo's idiom. Buttons become numbered choices answered by
 * numbers ("1 3 5"), story lists answer "đọc 2", messages are cut under 2,000 characters and
 * photos go through sendPhoto. Every feature is the chat core's.
 */
export function createZaloChannel(options: {
  config: Config["zalo"];
  publicUrl?: string;
  core: ChatCore;
  db: Db;
  client: ZaloClient;
  limiter: RateLimiter;
  logger: Logger;
  clock: Clock;
  progressIntervalMs?: number;
  pollTimeoutSeconds?: number;
}): ZaloChannel {
  const { config, core, db, client, limiter } = options;
  const log = options.logger.child({ subsystem: "zalo" });
  const menus = new Map<string, Menu>();
  const watchers = new Set<NodeJS.Timeout>();
  let running = false;
  let failure: string | null = null;
  let polling: Promise<void> | null = null;
  let pollAbort = false;
  const inFlight = new Set<Promise<void>>();

  function remember(chatId: string, menu: Menu) {
    menus.delete(chatId);
    menus.set(chatId, menu);
    if (menus.size > MAX_MENUS) menus.delete(menus.keys().next().value as string);
  }

  /** Sends one text or photo to a chat, in its turn, ahead of bulk sends. */
  async function send(
    chat: ChatContext,
    part: { text: string } | { photo: string; caption: string },
  ) {
    for (let attempt = 0; attempt < 3; attempt++) {
      await limiter.acquire({ key: chat.chatId, group: chat.chatType !== "private" }, 0);
      try {
        if ("photo" in part)
          await client.sendPhoto(chat.chatId, part.photo, part.caption || undefined);
        else await client.sendMessage(chat.chatId, part.text);
        return;
      } catch (error) {
        const outcome = zaloOutcome(error);
        if (outcome.kind === "retryAfter") {
          limiter.pauseFor(outcome.seconds * 1000);
          continue;
        }
        if (outcome.kind === "unreachable") {
          await core.handleReachability(chat, false);
          return;
        }
        if ("photo" in part && outcome.kind === "permanent" && part.caption) {
          part = { text: part.caption };
          continue;
        }
        if (outcome.kind === "transient" && attempt < 2) continue;
        throw error;
      }
    }
  }

  async function deliver(chat: ChatContext, replies: Reply[]): Promise<void> {
    const t = catalogue((await findReader(db, "zalo", chat.chatId))?.locale ?? "vi");
    for (const reply of replies) {
      if (reply.type === "notice") {
        if (reply.text) await send(chat, { text: reply.text });
        continue;
      }
      const rendered = renderPlain(reply.message, { photo: t.photo });
      if (rendered.choices.length > 0) {
        const stories = new Map<number, string>();
        for (const choice of rendered.choices) {
          const number = /^📖\D*(\d+)/.exec(choice.label)?.[1];
          if (number && choice.data.startsWith("r:")) stories.set(Number(number), choice.data);
        }
        remember(chat.chatId, { choices: rendered.choices, stories });
      }
      if (rendered.photo) {
        const [caption = "", ...rest] = splitPlainText(rendered.photo.caption, PLAIN_TEXT_LIMIT);
        await send(chat, { photo: rendered.photo.url, caption });
        for (const text of rest) await send(chat, { text });
      } else {
        for (const text of splitPlainText(rendered.text, PLAIN_TEXT_LIMIT))
          await send(chat, { text });
      }
      if (reply.type === "edit" && reply.follow) follow(chat, reply.follow.broadcastId);
    }
  }

  /** Zalo cannot edit a message: the admin gets a summary once the broadcast is finished. */
  function follow(chat: ChatContext, broadcastId: number) {
    const timer = setInterval(async () => {
      try {
        const view = await core.broadcastView(chat, broadcastId);
        if (!view.finished) return;
        clearInterval(timer);
        watchers.delete(timer);
        await deliver(chat, [{ type: "send", message: view.message }]);
      } catch (error) {
        log.warn({ broadcastId, error: (error as Error).message }, "broadcast summary failed");
      }
    }, options.progressIntervalMs ?? 3000);
    watchers.add(timer);
  }

  async function handleText(chat: ChatContext, text: string): Promise<void> {
    const menu = menus.get(chat.chatId);
    const reader = await findReader(db, "zalo", chat.chatId);
    const t = catalogue(reader?.locale ?? "vi");
    const trimmed = text.trim();

    if (NUMBERS.test(trimmed)) {
      const numbers = trimmed.split(/[\s,;]+/).map(Number);
      if (!menu) {
        await deliver(chat, [{ type: "notice", text: t.noChoices }]);
        return;
      }
      const wrong = numbers.find((n) => n < 1 || n > menu.choices.length);
      if (wrong !== undefined) {
        await deliver(chat, [
          { type: "notice", text: t.choiceOutOfRange(wrong, menu.choices.length) },
        ]);
        return;
      }
      // Several numbers at once ("1 3 5"): press each; show the notices and the final screen.
      const collected: Reply[] = [];
      for (const n of numbers) {
        const replies = await core.handleButton(chat, (menu.choices[n - 1] as ActionButton).data);
        for (const r of replies) {
          if (r.type === "edit") {
            const last = collected.findIndex((c) => c.type === "edit");
            if (last >= 0) collected.splice(last, 1);
          }
          collected.push(r);
        }
      }
      await deliver(chat, collected);
      return;
    }

    const read = /^doc\s+(\d{1,4})$/.exec(foldForSearch(trimmed));
    const storyData = read?.[1] ? menu?.stories.get(Number(read[1])) : undefined;
    if (storyData) {
      await deliver(chat, await core.handleButton(chat, storyData));
      return;
    }
    await deliver(chat, await core.handleText(chat, text));
  }

  /** Platforms deliver at least once: a message seen before is not handled again. */
  async function firstTime(key: string): Promise<boolean> {
    const result = await db
      .insertInto("processed_updates")
      .values({ platform: "zalo", update_key: key, at: options.clock().toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async function handleUpdate(body: unknown): Promise<void> {
    const event = unwrapEvent(body);
    const message = event?.message;
    if (!event || !message?.chat?.id) return;
    const key =
      message.message_id !== undefined
        ? `m:${message.message_id}`
        : `h:${createHash("sha256").update(JSON.stringify(event)).digest("hex")}`;
    if (!(await firstTime(key))) return;
    if (message.from?.is_bot) return;
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
    };
    try {
      switch (event.event_name) {
        case "message.text.received":
          if (typeof message.text === "string") await handleText(chat, message.text);
          return;
        case "message.image.received":
        case "message.sticker.received":
        case "message.unsupported.received": {
          if (chat.chatType !== "private") return;
          const reader = await findReader(db, "zalo", chat.chatId);
          await deliver(chat, [
            { type: "notice", text: catalogue(reader?.locale ?? "vi").textOnly },
          ]);
          return;
        }
        default:
          return; // events we do not know are ignored
      }
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

  const routes: Record<string, RouteHandler> = {};
  if (config.mode === "webhook") {
    routes["POST /zalo/webhook"] = async (req: IncomingMessage, res: ServerResponse) => {
      const header = req.headers["x-bot-api-secret-token"];
      if (
        !sameSecret(typeof header === "string" ? header : undefined, config.webhookSecret ?? "")
      ) {
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
          running = true;
        } else {
          running = true;
          pollAbort = false;
          polling = pollLoop();
        }
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
      for (const timer of watchers) clearInterval(timer);
      watchers.clear();
      // A long poll in progress ends by itself within its timeout; do not wait for it.
      void polling;
    },
  };
}
