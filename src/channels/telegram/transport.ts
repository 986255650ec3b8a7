import { Api, GrammyError, HttpError } from "grammy";
import type { SendOutcome, Transport } from "../../delivery/transport";
import type { TelegramPart } from "./render";

/** Maps a failed Bot API call to what the delivery engine should do. */
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
 * Bulk sends through the Bot API: one pre-rendered part per call. No retries here: the delivery
 * engine owns rate limits, 429 pauses and backoff.
 */
export function createTelegramTransport(options: {
  token: string;
  apiRoot: string;
  paidBroadcast: boolean;
  /** A call not answered within this long counts as a network error (retried later). */
  timeoutSeconds?: number;
}): Transport {
  const api = new Api(options.token, {
    apiRoot: options.apiRoot,
    timeoutSeconds: options.timeoutSeconds ?? 30,
  });
  const paid = options.paidBroadcast ? { allow_paid_broadcast: true } : {};
  return {
    platform: "telegram",
    async send(to, message) {
      const part = message as TelegramPart;
      try {
        if (part.kind === "photo") {
          try {
            await api.sendPhoto(to.chatId, part.url, {
              ...(part.caption ? { caption: part.caption, parse_mode: "HTML" } : {}),
              ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
              ...paid,
            });
            return { kind: "sent" };
          } catch (error) {
            const outcome = telegramOutcome(error);
            // Telegram could not fetch the picture: the caption still goes, as text.
            if (outcome.kind !== "permanent" || !part.caption) return outcome;
          }
          await api.sendMessage(to.chatId, part.caption, { parse_mode: "HTML", ...paid });
          return { kind: "sent" };
        }
        await api.sendMessage(to.chatId, part.html, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
          ...paid,
        });
        return { kind: "sent" };
      } catch (error) {
        return telegramOutcome(error);
      }
    },
  };
}
