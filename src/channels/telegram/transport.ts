import { Api } from "grammy";
import type { Transport } from "../../delivery/transport";
import { sendPart, telegramOutcome } from "./parts";

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
    async send(to, part) {
      try {
        await sendPart(api, to.chatId, part, paid);
        return { kind: "sent" };
      } catch (error) {
        return telegramOutcome(error);
      }
    },
  };
}
