import { Api } from "grammy";
import type { Transport } from "../../delivery/transport";
import type { RenderedPart } from "../../message/parts";
import { telegramFetch } from "./fetch";
import { deleteMessages, editPart, sendPart, telegramOutcome } from "./parts";

/**
 * A part as a channel post: a channel's readers press buttons anonymously and a reply would go
 * to the whole channel, so action buttons are dropped (links stay; the text links each story).
 */
function forChannel(part: RenderedPart): RenderedPart {
  if (!("buttons" in part) || !part.buttons) return part;
  const rows = part.buttons
    .map((row) => row.filter((button) => "url" in button))
    .filter((row) => row.length > 0);
  const { buttons: _dropped, ...rest } = part;
  return rows.length > 0 ? { ...rest, buttons: rows } : rest;
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
    fetch: telegramFetch,
  });
  const paid = options.paidBroadcast ? { allow_paid_broadcast: true } : {};
  return {
    platform: "telegram",
    async send(to, part) {
      try {
        const out = to.chatType === "channel" ? forChannel(part) : part;
        return { kind: "sent", messageIds: await sendPart(api, to.chatId, out, paid) };
      } catch (error) {
        return telegramOutcome(error);
      }
    },
    async remove(to, messageIds) {
      try {
        await deleteMessages(api, to.chatId, messageIds);
        return { kind: "sent" };
      } catch (error) {
        return telegramOutcome(error);
      }
    },
    async edit(to, messageId, part) {
      try {
        await editPart(
          api,
          to.chatId,
          messageId,
          to.chatType === "channel" ? forChannel(part) : part,
        );
        return { kind: "sent" };
      } catch (error) {
        return telegramOutcome(error);
      }
    },
  };
}
