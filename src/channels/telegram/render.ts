import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import {
  type Button,
  isLinkButton,
  type Line,
  type OutMessage,
  type Span,
} from "../../chat/messages";
import { escapeHtml, escapeHtmlAttribute } from "../../text/html";
import { splitTelegramHtml, visibleLength } from "../../text/split";

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/** One Telegram call's worth: a text message or a photo with caption. */
export type TelegramPart =
  | { kind: "text"; html: string; keyboard?: InlineKeyboardMarkup }
  | { kind: "photo"; url: string; caption: string; keyboard?: InlineKeyboardMarkup };

function spanHtml(span: Span): string {
  if (typeof span === "string") return escapeHtml(span);
  let html = escapeHtml(span.text);
  if (span.link) html = `<a href="${escapeHtmlAttribute(span.link)}">${html}</a>`;
  if (span.italic) html = `<i>${html}</i>`;
  if (span.bold) html = `<b>${html}</b>`;
  return html;
}

export function linesToHtml(lines: Line[]): string {
  return lines.map((line) => line.map(spanHtml).join("")).join("\n");
}

export function keyboard(buttons: Button[][] | undefined): InlineKeyboardMarkup | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  return {
    inline_keyboard: buttons.map((row) =>
      row.map(
        (b): InlineKeyboardButton =>
          isLinkButton(b)
            ? { text: b.label, url: b.url }
            : { text: b.label, callback_data: b.data },
      ),
    ),
  };
}

/**
 * Renders a message as Telegram HTML, split on paragraph boundaries so each part fits
 * (4096 for text, 1024 for a caption); buttons go on the last part.
 */
export function renderForTelegram(message: OutMessage): TelegramPart[] {
  const html = linesToHtml(message.lines);
  const markup = keyboard(message.buttons);
  const parts: TelegramPart[] = [];
  if (message.photo) {
    const captionChunks =
      visibleLength(html) > CAPTION_LIMIT ? splitTelegramHtml(html, CAPTION_LIMIT) : [html];
    const [caption = "", ...rest] = captionChunks;
    parts.push({ kind: "photo", url: message.photo.url, caption });
    for (const chunk of splitTelegramHtml(rest.join("\n\n"), MESSAGE_LIMIT)) {
      parts.push({ kind: "text", html: chunk });
    }
  } else {
    const chunks =
      visibleLength(html) > MESSAGE_LIMIT ? splitTelegramHtml(html, MESSAGE_LIMIT) : [html];
    for (const chunk of chunks) if (chunk.trim()) parts.push({ kind: "text", html: chunk });
  }
  const last = parts.at(-1);
  if (last && markup) last.keyboard = markup;
  return parts;
}
