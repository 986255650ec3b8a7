import { type Api, GrammyError, HttpError } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { SendOutcome } from "../../delivery/transport";
import type { PayloadButton, RenderedPart } from "../../message/parts";

/** The payload's buttons as Telegram's inline keyboard. */
export function inlineKeyboard(
  buttons: PayloadButton[][] | undefined,
): InlineKeyboardMarkup | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  return {
    inline_keyboard: buttons.map((row) =>
      row.map(
        (b): InlineKeyboardButton =>
          "url" in b ? { text: b.label, url: b.url } : { text: b.label, callback_data: b.data },
      ),
    ),
  };
}

/** Maps a failed Bot API call to what the sender should do. */
export function telegramOutcome(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    const { error_code: code, description, parameters } = error;
    if (code === 429) return { kind: "retryAfter", seconds: parameters?.retry_after ?? 1 };
    if (parameters?.migrate_to_chat_id) {
      return { kind: "migrated", toChatId: String(parameters.migrate_to_chat_id) };
    }
    if (code === 403) return { kind: "unreachable", reason: description };
    if (code === 400 && /chat not found|user is deactivated|PEER_ID_INVALID/i.test(description)) {
      return { kind: "unreachable", reason: description };
    }
    if (code === 401 || code === 404) return { kind: "unauthorized", error: description };
    if (code >= 500) return { kind: "transient", error: `${code} ${description}` };
    return { kind: "permanent", error: `${code} ${description}` };
  }
  if (error instanceof HttpError) return { kind: "transient", error: error.message };
  return { kind: "transient", error: error instanceof Error ? error.message : String(error) };
}

/**
 * Sends one rendered part. A photo Telegram refuses (it could not fetch the picture) goes as its
 * caption instead; any other failure is thrown for the caller to judge.
 */
export async function sendPart(
  api: Api,
  chatId: number | string,
  part: RenderedPart,
  extra: { allow_paid_broadcast?: boolean } = {},
): Promise<void> {
  const markup = inlineKeyboard(part.buttons);
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const keyboard = markup ? { reply_markup: markup } : {};
  if (part.kind === "photo") {
    try {
      await api.sendPhoto(chatId, part.url, {
        ...(part.caption ? { caption: part.caption, ...parseMode } : {}),
        ...keyboard,
        ...extra,
      });
      return;
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent" || !part.caption) throw error;
    }
    await api.sendMessage(chatId, part.caption, { ...parseMode, ...extra });
    return;
  }
  await api.sendMessage(chatId, part.text, {
    ...parseMode,
    link_preview_options: { is_disabled: true },
    ...keyboard,
    ...extra,
  });
}
