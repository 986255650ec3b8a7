import type { RenderedPart } from "../../message/parts";
import { type ZaloClient, zaloOutcome } from "./client";

/**
 * The answer of a send, which must carry what was sent: `{"ok":true}` without a result delivered
 * nothing that can be shown, so it is a failure to try again, never a delivery.
 */
function delivered(result: unknown): void {
  if (result === undefined || result === null) {
    throw new Error("Zalo answered ok without a result; nothing counts as sent");
  }
}

/**
 * Sends one rendered (plain) part. A photo Zalo refuses (it could not fetch the picture) goes as
 * its caption instead; Zalo has no albums, so an album's photos go one by one, each the same way.
 * Any other failure is thrown for the caller to judge.
 */
export async function sendPart(
  client: ZaloClient,
  chatId: string,
  part: RenderedPart,
): Promise<void> {
  if (part.kind === "text") {
    delivered(await client.sendMessage(chatId, part.text));
    return;
  }
  // Zalo plays nothing from an address: the story's text carries the link.
  if (part.kind === "media") return;
  if (part.kind === "album") {
    for (const photo of part.photos) {
      try {
        await sendPart(client, chatId, { kind: "photo", format: part.format, ...photo });
      } catch (error) {
        if (zaloOutcome(error).kind !== "permanent") throw error;
      }
    }
    return;
  }
  try {
    delivered(await client.sendPhoto(chatId, part.url, part.caption || undefined));
    return;
  } catch (error) {
    if (zaloOutcome(error).kind !== "permanent" || !part.caption) throw error;
  }
  delivered(await client.sendMessage(chatId, part.caption));
}
