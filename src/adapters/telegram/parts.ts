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

/**
 * The answer of a send, which must carry what was sent: `{"ok":true}` without a result delivered
 * nothing that can be shown (a broken proxy, a misbehaving Bot API server), so it is a failure
 * to try again, never a delivery.
 */
function delivered<T>(result: T): NonNullable<T> {
  if (result === undefined || result === null) {
    throw new Error("the Bot API answered ok without a result; nothing counts as sent");
  }
  return result;
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
    // A channel whose admins took the bot's right to post: 400 "need administrator rights in
    // the channel chat" (or "not enough rights"): stop, as for a blocked chat.
    const unreachable =
      /chat not found|user is deactivated|PEER_ID_INVALID|need administrator rights|not enough rights|have no rights to send/i;
    if (code === 400 && unreachable.test(description)) {
      return { kind: "unreachable", reason: description };
    }
    if (code === 401 || code === 404) return { kind: "unauthorized", error: description };
    if (code >= 500) return { kind: "transient", error: `${code} ${description}` };
    return { kind: "permanent", error: `${code} ${description}` };
  }
  if (error instanceof HttpError) return { kind: "transient", error: error.message };
  return { kind: "transient", error: error instanceof Error ? error.message : String(error) };
}

type AlbumPart = Extract<RenderedPart, { kind: "album" }>;
type SendExtra = { allow_paid_broadcast?: boolean };

/**
 * Sends an album in one call (sendMediaGroup). Telegram refuses the whole album when it cannot
 * fetch one picture, without saying which: then the photos go one by one, a refused one as its
 * caption (or not at all without one). Any other failure is thrown for the caller to judge.
 */
async function sendAlbum(
  api: Api,
  chatId: number | string,
  part: AlbumPart,
  extra: SendExtra,
): Promise<number[]> {
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const captioned = (caption: string) => (caption ? { caption, ...parseMode } : {});
  try {
    const sent = delivered(
      await api.sendMediaGroup(
        chatId,
        part.photos.map((p) => ({ type: "photo" as const, media: p.url, ...captioned(p.caption) })),
        extra,
      ),
    );
    return sent.map((m) => m.message_id);
  } catch (error) {
    if (telegramOutcome(error).kind !== "permanent") throw error;
  }
  const ids: number[] = [];
  for (const photo of part.photos) {
    try {
      ids.push(
        ...(await sendPart(api, chatId, { kind: "photo", format: part.format, ...photo }, extra)),
      );
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent") throw error;
    }
  }
  return ids;
}

/**
 * Sends one rendered part. A photo Telegram refuses (it could not fetch the picture) goes as its
 * caption instead, in an album too; any other failure is thrown for the caller to judge.
 */
export async function sendPart(
  api: Api,
  chatId: number | string,
  part: RenderedPart,
  extra: SendExtra = {},
): Promise<number[]> {
  if (part.kind === "album") return sendAlbum(api, chatId, part, extra);
  const markup = inlineKeyboard(part.buttons);
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const keyboard = markup ? { reply_markup: markup } : {};
  if (part.kind === "media") {
    // Telegram fetches the file itself; one it cannot fetch or play is left out (the story's
    // text links to it).
    try {
      const options = { ...keyboard, ...extra };
      const sent = delivered(
        part.media === "audio"
          ? await api.sendAudio(chatId, part.url, options)
          : await api.sendVideo(chatId, part.url, options),
      );
      return [sent.message_id];
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent") throw error;
    }
    return [];
  }
  if (part.kind === "photo") {
    try {
      const sent = delivered(
        await api.sendPhoto(chatId, part.url, {
          ...(part.caption ? { caption: part.caption, ...parseMode } : {}),
          ...keyboard,
          ...extra,
        }),
      );
      return [sent.message_id];
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent" || !part.caption) throw error;
    }
    const sent = delivered(await api.sendMessage(chatId, part.caption, { ...parseMode, ...extra }));
    return [sent.message_id];
  }
  const sent = delivered(
    await api.sendMessage(chatId, part.text, {
      ...parseMode,
      link_preview_options: { is_disabled: true },
      ...keyboard,
      ...extra,
    }),
  );
  return [sent.message_id];
}

/**
 * Replaces a sent message with `part`: its text (a text part) or its caption (a photo or media
 * part), and its buttons. Telegram's "message is not modified" (the same content) is no failure.
 * An album cannot be edited as one message; it is left as it is.
 */
export async function editPart(
  api: Api,
  chatId: number | string,
  messageId: number,
  part: RenderedPart,
): Promise<void> {
  if (part.kind === "album") return;
  const markup = inlineKeyboard(part.buttons);
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const keyboard = markup ? { reply_markup: markup } : {};
  try {
    if (part.kind === "text") {
      await api.editMessageText(chatId, messageId, part.text, {
        ...parseMode,
        link_preview_options: { is_disabled: true },
        ...keyboard,
      });
    } else if (part.kind === "photo") {
      await api.editMessageCaption(chatId, messageId, {
        caption: part.caption,
        ...parseMode,
        ...keyboard,
      });
    } else {
      await api.editMessageReplyMarkup(chatId, messageId, keyboard);
    }
  } catch (error) {
    if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
    throw error;
  }
}

/** Deletes sent messages; one already gone ("message to delete not found") counts as deleted. */
export async function deleteMessages(
  api: Api,
  chatId: number | string,
  messageIds: number[],
): Promise<void> {
  for (const id of messageIds) {
    try {
      await api.deleteMessage(chatId, id);
    } catch (error) {
      if (error instanceof GrammyError && /message to delete not found/i.test(error.description)) {
        continue;
      }
      throw error;
    }
  }
}
