import type { SendOutcome, Transport } from "../../delivery/transport";
import { type ZaloClient, zaloOutcome } from "./client";
import { sendPart } from "./parts";

/** Bulk sends to Zalo: one plain-text part per call; the delivery engine owns limits and retries. */
export function createZaloTransport(client: ZaloClient): Transport {
  return {
    platform: "zalo",
    async send(to, part): Promise<SendOutcome> {
      try {
        await sendPart(client, to.chatId, part);
        return { kind: "sent" };
      } catch (error) {
        return zaloOutcome(error);
      }
    },
  };
}
