import { renderPlain } from "../channels/plain-text";
import { renderForTelegram } from "../channels/telegram/render";
import type { OutMessage } from "../chat/messages";
import { splitPlainText } from "../text/split";
import type { OutboxPayload } from "./transport";

/** Zalo's text limit, which plain-text platforms share. */
export const PLAIN_TEXT_LIMIT = 2000;

export type PlainPart =
  | { kind: "text"; text: string }
  | { kind: "photo"; url: string; caption: string };

/**
 * Renders a message once for a platform, into the parts its sender will send one by one:
 * Telegram HTML within 4096/1024, plain text within 2000 for everything else.
 */
export function renderPayload(
  platform: string,
  message: OutMessage,
  photoLabel: string,
): OutboxPayload {
  if (platform === "telegram") return { messages: renderForTelegram(message) };
  const plain = renderPlain(message, { photo: photoLabel });
  if (plain.photo) {
    const [caption = "", ...rest] = splitPlainText(plain.photo.caption, PLAIN_TEXT_LIMIT);
    return {
      messages: [
        { kind: "photo", url: plain.photo.url, caption } satisfies PlainPart,
        ...rest.map((text) => ({ kind: "text", text }) satisfies PlainPart),
      ],
    };
  }
  return {
    messages: splitPlainText(plain.text, PLAIN_TEXT_LIMIT).map(
      (text) => ({ kind: "text", text }) satisfies PlainPart,
    ),
  };
}
