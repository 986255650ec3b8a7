import type { PlainPart } from "../../delivery/payload";
import type { SendOutcome, Transport } from "../../delivery/transport";
import { type ZaloClient, zaloOutcome } from "./client";

/** Bulk sends to Zalo: one plain-text part per call; the delivery engine owns limits and retries. */
export function createZaloTransport(client: ZaloClient): Transport {
  return {
    platform: "zalo",
    async send(to, message): Promise<SendOutcome> {
      const part = message as PlainPart;
      try {
        if (part.kind === "photo") {
          try {
            await client.sendPhoto(to.chatId, part.url, part.caption || undefined);
            return { kind: "sent" };
          } catch (error) {
            const outcome = zaloOutcome(error);
            // The picture could not be fetched: the caption still goes, as text.
            if (outcome.kind !== "permanent" || !part.caption) return outcome;
          }
          await client.sendMessage(to.chatId, part.caption);
          return { kind: "sent" };
        }
        await client.sendMessage(to.chatId, part.text);
        return { kind: "sent" };
      } catch (error) {
        return zaloOutcome(error);
      }
    },
  };
}
