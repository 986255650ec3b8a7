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
): Promise<void> {
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const captioned = (caption: string) => (caption ? { caption, ...parseMode } : {});
  try {
    delivered(
      await api.sendMediaGroup(
        chatId,
        part.photos.map((p) => ({ type: "photo" as const, media: p.url, ...captioned(p.caption) })),
        extra,
      ),
    );
    return;
  } catch (error) {
    if (telegramOutcome(error).kind !== "permanent") throw error;
  }
  for (const photo of part.photos) {
    try {
      await sendPart(api, chatId, { kind: "photo", format: part.format, ...photo }, extra);
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent") throw error;
    }
  }
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
): Promise<void> {
  if (part.kind === "album") {
    await sendAlbum(api, chatId, part, extra);
    return;
  }
  const markup = inlineKeyboard(part.buttons);
  const parseMode = part.format === "html" ? { parse_mode: "HTML" as const } : {};
  const keyboard = markup ? { reply_markup: markup } : {};
  if (part.kind === "media") {
    // Telegram fetches the file itself; one it cannot fetch or play is left out (the story's
    // text links to it).
    try {
      const options = { ...keyboard, ...extra };
      delivered(
        part.media === "audio"
          ? await api.sendAudio(chatId, part.url, options)
          : await api.sendVideo(chatId, part.url, options),
      );
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent") throw error;
    }
    return;
  }
  if (part.kind === "photo") {
    try {
      delivered(
        await api.sendPhoto(chatId, part.url, {
          ...(part.caption ? { caption: part.caption, ...parseMode } : {}),
          ...keyboard,
          ...extra,
        }),
      );
      return;
    } catch (error) {
      if (telegramOutcome(error).kind !== "permanent" || !part.caption) throw error;
    }
    delivered(await api.sendMessage(chatId, part.caption, { ...parseMode, ...extra }));
    return;
  }
  delivered(
    await api.sendMessage(chatId, part.text, {
      ...parseMode,
      link_preview_options: { is_disabled: true },
      ...keyboard,
      ...extra,
    }),
  );
}
