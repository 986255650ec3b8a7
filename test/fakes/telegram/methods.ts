/** The Bot API methods the fake Telegram answers, with the checks the real server makes. */
import type { MessageEntity, UserFromGetMe } from "grammy/types";
import type { FakeApiStats } from "../base/bot-api";
import { type ErrorReply, err, ok, type Reply } from "../base/call-log";
import { ChannelRegistry } from "./channels";
import type { ChatInfo, ChatStore } from "./chats";
import { unixNow } from "./chats";
import type { FloodLimits } from "./limits";
import { sendMediaGroup, UNFETCHABLE, unfetchable } from "./media-group";
import type { Params } from "./params";
import type { UpdateQueue } from "./updates";
import {
  badRequest,
  chatKeyOf,
  parseFormatted,
  requireChat,
  stableJson,
  utf8Length,
  validateReplyMarkup,
} from "./validate";

export type Handler = (params: Params) => Reply | Promise<Reply>;

/** A file uploaded in a multipart body, as params.ts reads it. */
export interface UploadedFile {
  filename: string;
  size: number;
  type: string;
  /** The bytes as UTF-8 text, for uploads up to 1 MB. */
  text?: string;
}

/**
 * The upload a media field names: the file itself, or "attach://<part>" naming another part of
 * the body (how grammY sends an InputFile); "missing" when it names no uploaded part; undefined
 * for a file id or URL.
 */
function uploaded(params: Params, media: unknown): UploadedFile | "missing" | undefined {
  const isFile = (v: unknown): v is UploadedFile =>
    typeof v === "object" && v !== null && "filename" in v && "size" in v;
  if (isFile(media)) return media;
  if (typeof media !== "string" || !media.startsWith("attach://")) return undefined;
  const part = params[media.slice("attach://".length)];
  return isFile(part) ? part : "missing";
}

export interface WebhookInfo {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

const MEDIA_METHODS = [
  ["sendPhoto", "photo"],
  ["sendDocument", "document"],
  ["sendVideo", "video"],
  ["sendAnimation", "animation"],
  ["sendAudio", "audio"],
  ["sendVoice", "voice"],
  ["sendSticker", "sticker"],
] as const;

const INVALID_QUERY = "query is too old and response timeout expired or query ID is invalid";

/** The visible text of sendMessage / editMessageText, or why the API refuses it. */
function checkText(params: Params): { text: string; entities: MessageEntity[] } | ErrorReply {
  if (typeof params.text !== "string") return badRequest("message text is empty");
  const parsed = parseFormatted(params.text, params.parse_mode);
  if (!parsed.ok) return parsed.reply;
  if (parsed.text.trim().length === 0) return badRequest("message text is empty");
  if (parsed.text.length > 4096) return badRequest("message is too long");
  return (
    validateReplyMarkup(params.reply_markup) ?? { text: parsed.text, entities: parsed.entities }
  );
}

export class TelegramMethods {
  /** By lower-cased name, since the Bot API takes method names in any case. */
  readonly handlers = new Map<string, { name: string; fn: Handler }>();
  webhook: WebhookInfo | undefined;
  private readonly commands = new Map<string, unknown[]>();

  constructor(
    private readonly botInfo: UserFromGetMe,
    private readonly chats: ChatStore,
    private readonly updates: UpdateQueue,
    private readonly limits: FloodLimits,
    private readonly stats: FakeApiStats,
    private readonly channels: ChannelRegistry = new ChannelRegistry(),
  ) {
    this.registerUpdates();
    this.registerMessages();
    this.registerQueries();
    this.registerChats();
  }

  /** The name as the API spells it, whatever the case it was asked with. */
  canonical(method: string): string {
    return this.handlers.get(method.toLowerCase())?.name ?? method;
  }

  private on(name: string, fn: Handler): void {
    this.handlers.set(name.toLowerCase(), { name, fn });
  }

  private admitSend(params: Params): ErrorReply | undefined {
    return this.limits.admit(params, this.chats.info(params.chat_id)?.type);
  }

  private registerUpdates(): void {
    const yes = () => ok(true);
    this.on("getMe", () => ok(this.botInfo));
    this.on("logOut", yes);
    this.on("close", yes);
    this.on("getUpdates", (params) => {
      if (this.webhook) {
        return err(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      return this.updates.poll(params);
    });
    this.on("setWebhook", (params) => {
      const url = typeof params.url === "string" ? params.url.trim() : "";
      if (url === "") {
        this.webhook = undefined;
        return ok(true);
      }
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
          return badRequest("bad webhook: HTTPS url must be provided for webhook");
        }
      } catch {
        return badRequest("bad webhook: invalid URL");
      }
      const secret = params.secret_token;
      if (
        secret !== undefined &&
        (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      ) {
        return badRequest("secret token contains unallowed characters");
      }
      if (params.drop_pending_updates === true) this.updates.clear();
      this.webhook = {
        url,
        secretToken: typeof secret === "string" ? secret : undefined,
        allowedUpdates: Array.isArray(params.allowed_updates)
          ? (params.allowed_updates as string[])
          : undefined,
      };
      return ok(true);
    });
    this.on("deleteWebhook", (params) => {
      this.webhook = undefined;
      if (params.drop_pending_updates === true) this.updates.clear();
      return ok(true);
    });
    this.on("getWebhookInfo", () => {
      const info: Record<string, unknown> = {
        url: this.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: this.updates.size,
      };
      if (this.webhook) {
        info.max_connections = 40;
        info.ip_address = "127.0.0.1";
        if (this.webhook.allowedUpdates) info.allowed_updates = this.webhook.allowedUpdates;
      }
      return ok(info);
    });
  }

  // --- sending and editing ---------------------------------------------------------------------

  private registerMessages(): void {
    this.on("sendMessage", (params) => this.sendText(params));
    for (const [method, field] of MEDIA_METHODS) {
      this.on(method, (params) => this.sendMedia(params, field, method));
    }
    this.on("copyMessage", (params) => {
      const refused = requireChat(params) ?? this.admitSend(params);
      if (refused) return refused;
      const message = this.chats.newMessage(
        params,
        { text: "(copy)" },
        stableJson(["(copy)", null]),
      );
      return ok({ message_id: message.message_id });
    });
    this.on(
      "sendMediaGroup",
      (params) =>
        requireChat(params) ??
        sendMediaGroup(params, {
          admit: (p) => this.admitSend(p),
          newMessage: (content, key) => this.chats.newMessage(params, content, key),
        }),
    );
    this.on("forwardMessage", (params) => {
      const refused = requireChat(params) ?? this.admitSend(params);
      if (refused) return refused;
      const content = {
        text: "(forwarded)",
        forward_origin: { type: "hidden_user", date: unixNow(), sender_user_name: "?" },
      };
      return ok(this.chats.newMessage(params, content, stableJson(["(forwarded)", null])));
    });

    this.on("editMessageText", (params) => {
      const target = this.chats.editTarget(params);
      if ("ok" in target) return target;
      const parsed = checkText(params);
      if ("ok" in parsed) return parsed;
      if (target.inline) return ok(true);
      const contentKey = stableJson([params.text, params.parse_mode ?? null]);
      return this.chats.applyEdit(target, params, contentKey, (m) => {
        m.text = parsed.text;
        delete m.caption;
        if (parsed.entities.length > 0) m.entities = parsed.entities;
        else delete m.entities;
      });
    });
    this.on("editMessageCaption", (params) => {
      const target = this.chats.editTarget(params);
      if ("ok" in target) return target;
      const caption = typeof params.caption === "string" ? params.caption : "";
      const parsed = parseFormatted(caption, params.parse_mode);
      if (!parsed.ok) return parsed.reply;
      if (parsed.text.length > 1024) return badRequest("message caption is too long");
      const markupError = validateReplyMarkup(params.reply_markup);
      if (markupError) return markupError;
      if (target.inline) return ok(true);
      const contentKey = stableJson([caption, params.parse_mode ?? null]);
      return this.chats.applyEdit(target, params, contentKey, (m) => {
        if (parsed.text) m.caption = parsed.text;
        else delete m.caption;
        if (parsed.entities.length > 0) m.caption_entities = parsed.entities;
        else delete m.caption_entities;
      });
    });
    this.on("editMessageReplyMarkup", (params) => {
      const target = this.chats.editTarget(params);
      if ("ok" in target) return target;
      const markupError = validateReplyMarkup(params.reply_markup);
      if (markupError) return markupError;
      if (target.inline) return ok(true);
      return this.chats.applyEdit(target, params, target.stored?.contentKey, () => {});
    });
    this.on("deleteMessage", (params) => this.chats.deleteMessage(params));
  }

  private sendText(params: Params): Reply {
    const missing = requireChat(params);
    if (missing) return missing;
    const parsed = checkText(params);
    if ("ok" in parsed) return parsed;
    const refused = this.admitSend(params);
    if (refused) return refused;
    const content: Record<string, unknown> = { text: parsed.text };
    if (parsed.entities.length > 0) content.entities = parsed.entities;
    const contentKey = stableJson([params.text, params.parse_mode ?? null]);
    return ok(this.chats.newMessage(params, content, contentKey));
  }

  private sendMedia(params: Params, field: string, method: string): Reply {
    const missing = requireChat(params);
    if (missing) return missing;
    const media = params[field];
    if (media === undefined || media === "") {
      return badRequest(`there is no ${field} in the request`);
    }
    if (unfetchable(media)) return badRequest(UNFETCHABLE);
    const upload = uploaded(params, media);
    if (upload === "missing") return badRequest(UNFETCHABLE);
    if (upload?.size === 0) return badRequest("file must be non-empty");
    const content: Record<string, unknown> = {};
    if (params.caption !== undefined && field !== "sticker") {
      if (typeof params.caption !== "string") return badRequest("can't parse caption");
      const parsed = parseFormatted(params.caption, params.parse_mode);
      if (!parsed.ok) return parsed.reply;
      if (parsed.text.length > 1024) return badRequest("message caption is too long");
      if (parsed.text.length > 0) content.caption = parsed.text;
      if (parsed.entities.length > 0) content.caption_entities = parsed.entities;
    }
    const refused = validateReplyMarkup(params.reply_markup) ?? this.admitSend(params);
    if (refused) return refused;
    const n = this.stats.sends;
    const file = {
      file_id: `${method}-${n}`,
      file_unique_id: `u${n}`,
      file_size: upload?.size ?? 1024,
      ...(upload && field === "document"
        ? { file_name: upload.filename, mime_type: upload.type }
        : {}),
    };
    content[field] =
      field === "photo"
        ? [
            { ...file, file_id: `${file.file_id}-s`, width: 90, height: 60 },
            { ...file, width: 1280, height: 853 },
          ]
        : file;
    const contentKey = stableJson([params.caption ?? "", params.parse_mode ?? null]);
    return ok(this.chats.newMessage(params, content, contentKey));
  }

  // --- queries and commands --------------------------------------------------------------------

  private registerQueries(): void {
    this.on("answerCallbackQuery", (params) => {
      if (!params.callback_query_id) return badRequest(INVALID_QUERY);
      if (typeof params.text === "string" && params.text.length > 200) {
        return badRequest("MESSAGE_TOO_LONG");
      }
      return ok(true);
    });
    this.on("answerInlineQuery", (params) => {
      if (!params.inline_query_id) return badRequest(INVALID_QUERY);
      if (!Array.isArray(params.results)) {
        return badRequest("can't parse inline query results JSON object");
      }
      if (params.results.length > 50) return badRequest("RESULTS_TOO_MUCH");
      const ids = new Set<unknown>();
      for (const r of params.results as Record<string, unknown>[]) {
        if (!r || typeof r !== "object" || typeof r.id !== "string" || r.id.length === 0) {
          return badRequest("RESULT_ID_EMPTY");
        }
        if (utf8Length(r.id) > 64) return badRequest("RESULT_ID_INVALID");
        if (ids.has(r.id)) return badRequest("RESULT_ID_DUPLICATE");
        ids.add(r.id);
        const markupError = validateReplyMarkup(r.reply_markup);
        if (markupError) return markupError;
      }
      return ok(true);
    });

    const commandsKey = (params: Params) =>
      `${stableJson(params.scope ?? { type: "default" })}|${typeof params.language_code === "string" ? params.language_code : ""}`;
    this.on("setMyCommands", (params) => {
      if (!Array.isArray(params.commands)) return badRequest("can't parse commands JSON object");
      if (params.commands.length > 100) return badRequest("BOT_COMMANDS_TOO_MUCH");
      for (const c of params.commands as Record<string, unknown>[]) {
        if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
          return badRequest("BOT_COMMAND_INVALID");
        }
        if (
          typeof c.description !== "string" ||
          c.description.length < 1 ||
          c.description.length > 256
        ) {
          return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      this.commands.set(commandsKey(params), params.commands);
      return ok(true);
    });
    this.on("getMyCommands", (params) => ok(this.commands.get(commandsKey(params)) ?? []));
    this.on("deleteMyCommands", (params) => {
      this.commands.delete(commandsKey(params));
      return ok(true);
    });
    for (const name of [
      "setMyDescription",
      "setMyShortDescription",
      "setMyName",
      "setMyDefaultAdministratorRights",
      "setChatMenuButton",
    ]) {
      this.on(name, () => ok(true));
    }
    this.on("getChatMenuButton", () => ok({ type: "commands" }));
  }

  // --- chats and members -----------------------------------------------------------------------

  private registerChats(): void {
    this.on("sendChatAction", (params) => {
      const missing = requireChat(params);
      if (missing) return missing;
      if (typeof params.action !== "string") return badRequest("wrong parameter action in request");
      return ok(true);
    });
    for (const name of ["leaveChat", "pinChatMessage", "unpinChatMessage", "setMessageReaction"]) {
      this.on(name, (params) => requireChat(params) ?? ok(true));
    }
    this.on("getChat", (params) => {
      const missing = requireChat(params) ?? this.channels.unknownUsername(params.chat_id);
      if (missing) return missing;
      const channel = this.channels.find(params.chat_id);
      if (channel) return ok({ ...channel.info, accent_color_id: 0, max_reaction_count: 11 });
      const info = this.chats.info(params.chat_id) as ChatInfo;
      return ok({ ...info, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} });
    });
    this.on("getChatMember", (params) => {
      const missing = requireChat(params);
      if (missing) return missing;
      const userId = Number(params.user_id);
      if (!Number.isInteger(userId) || userId <= 0) return badRequest("invalid user_id specified");
      const unknown = this.channels.unknownUsername(params.chat_id);
      if (unknown) return unknown;
      const channel = this.channels.find(params.chat_id);
      if (channel && userId === this.botInfo.id) {
        return ok(this.channels.botMember(channel, this.chats.botUser()));
      }
      const key = chatKeyOf(params.chat_id) as string;
      return ok(this.chats.chatMember(userId, this.chats.memberStatus(key, userId)));
    });
    this.on("getChatAdministrators", (params) => {
      const missing = requireChat(params);
      if (missing) return missing;
      const info = this.chats.info(params.chat_id) as ChatInfo;
      if (info.type === "private") {
        return badRequest("there are no administrators in the private chat");
      }
      return ok(this.chats.administrators(chatKeyOf(params.chat_id) as string));
    });
    this.on("getChatMemberCount", (params) => {
      const missing = requireChat(params);
      if (missing) return missing;
      return ok(this.chats.memberCount(chatKeyOf(params.chat_id) as string));
    });
  }
}
