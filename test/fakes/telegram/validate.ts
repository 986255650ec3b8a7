/** How the fake Telegram checks what a bot sends: chat ids, reply markup, formatted text. */
import type { MessageEntity } from "grammy/types";
import { type ErrorReply, err } from "../base/call-log";
import { parseTelegramHtml } from "./html";
import type { ChatType } from "./types";

export const badRequest = (what: string): ErrorReply => err(400, `Bad Request: ${what}`);

/** Normalised key for a chat id: "123", "-100123", "@channel". */
export function chatKeyOf(chatId: unknown): string | undefined {
  if (typeof chatId === "number" && Number.isFinite(chatId)) return String(chatId);
  if (typeof chatId === "string") {
    const s = chatId.trim();
    if (/^-?\d+$/.test(s)) return String(Number(s));
    if (s.startsWith("@") && s.length > 1) return s.toLowerCase();
  }
  return undefined;
}

/** Default chat type from the shape of its id. */
export function typeOfChatId(id: number): ChatType {
  if (id > 0) return "private";
  if (id <= -1_000_000_000_000) return "supergroup";
  return "group";
}

export const stableJson = (value: unknown): string => JSON.stringify(value ?? null);

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

export function validateReplyMarkup(markup: unknown): ErrorReply | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== "object")
    return badRequest("can't parse reply keyboard markup JSON object");
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) return undefined;
  if (!Array.isArray(keyboard)) {
    return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  }
  for (const row of keyboard) {
    if (!Array.isArray(row)) {
      return badRequest(
        'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays',
      );
    }
    for (const button of row) {
      if (!button || typeof button !== "object") {
        return badRequest(
          "can't parse inline keyboard button: InlineKeyboardButton must be an Object",
        );
      }
      const b = button as Record<string, unknown>;
      if (typeof b.text !== "string") {
        return badRequest(
          'can\'t parse inline keyboard button: Field "text" must be of type String',
        );
      }
      if (!BUTTON_ACTIONS.some((k) => b[k] !== undefined)) {
        return badRequest("text buttons are unallowed in the inline keyboard");
      }
      if (b.callback_data !== undefined) {
        const data = b.callback_data;
        if (typeof data !== "string" || utf8Length(data) < 1 || utf8Length(data) > 64) {
          return badRequest("BUTTON_DATA_INVALID");
        }
      }
      if (b.url !== undefined) {
        let valid = false;
        if (typeof b.url === "string") {
          try {
            valid = ["http:", "https:", "tg:", "ton:"].includes(new URL(b.url).protocol);
          } catch {
            valid = false;
          }
        }
        if (!valid) return badRequest("BUTTON_URL_INVALID");
      }
    }
  }
  return undefined;
}

/** Visible text of a text or caption after parse_mode, or the error the API gives. */
export function parseFormatted(
  text: string,
  parseMode: unknown,
): { ok: true; text: string; entities: MessageEntity[] } | { ok: false; reply: ErrorReply } {
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    return { ok: true, text, entities: [] };
  }
  if (typeof parseMode === "string" && parseMode.toLowerCase() === "html") {
    const parsed = parseTelegramHtml(text);
    if (!parsed.ok) {
      return { ok: false, reply: badRequest(`can't parse entities: ${parsed.error}`) };
    }
    return { ok: true, text: parsed.text, entities: parsed.entities };
  }
  if (parseMode === "Markdown" || parseMode === "MarkdownV2") {
    // Not validated: counted raw.
    return { ok: true, text, entities: [] };
  }
  return { ok: false, reply: badRequest("unsupported parse_mode") };
}

/** The error for a missing or malformed chat_id, if it is one. */
export function requireChat(params: Record<string, unknown>): ErrorReply | undefined {
  if (params.chat_id === undefined || params.chat_id === "") return badRequest("chat_id is empty");
  if (chatKeyOf(params.chat_id) === undefined) return badRequest("chat not found");
  return undefined;
}
