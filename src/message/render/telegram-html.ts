import { escapeHtml, escapeHtmlAttribute } from "../../text/html";
import { splitTelegramHtml, visibleLength } from "../../text/split";
import { encodeAction } from "../actions";
import {
  type AlbumPhoto,
  type Button,
  isLinkButton,
  type Line,
  type OutMessage,
  type Span,
} from "../model";
import type { PayloadButton, RenderedPart } from "../parts";

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

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

/** Buttons as the payload keeps them: actions encoded as callback data (at most 64 bytes). */
export function payloadButtons(buttons: Button[][] | undefined): PayloadButton[][] | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  return buttons.map((row) =>
    row.map((b) =>
      isLinkButton(b)
        ? { label: b.label, url: b.url }
        : { label: b.label, data: encodeAction(b.action) },
    ),
  );
}

/** Telegram takes 2–10 media in one album. */
export const ALBUM_LIMIT = 10;

/** A caption within 1024 visible characters (cut on a paragraph, then sentence boundary). */
function captionHtml(lines: Line[]): string {
  const html = linesToHtml(lines);
  return visibleLength(html) > CAPTION_LIMIT
    ? (splitTelegramHtml(html, CAPTION_LIMIT)[0] ?? "")
    : html;
}

/**
 * Photos as albums of at most ten, as even as can be (11 photos: 6 and 5, never 10 and a lone
 * one); a single photo goes as a photo.
 */
export function albumParts(album: AlbumPhoto[]): RenderedPart[] {
  const parts: RenderedPart[] = [];
  const size = Math.ceil(album.length / Math.ceil(album.length / ALBUM_LIMIT));
  for (let i = 0; i < album.length; i += size) {
    const photos = album
      .slice(i, i + size)
      .map((p) => ({ url: p.url, caption: captionHtml(p.caption) }));
    const [only] = photos;
    if (photos.length === 1 && only) {
      parts.push({ kind: "photo", format: "html", url: only.url, caption: only.caption });
    } else {
      parts.push({ kind: "album", format: "html", photos });
    }
  }
  return parts;
}

/**
 * Renders a message as Telegram HTML, split on paragraph boundaries so each part fits
 * (4096 for text, 1024 for a caption); an album goes first; buttons go on the last part.
 */
export function renderTelegramHtml(message: OutMessage): RenderedPart[] {
  const html = linesToHtml(message.lines);
  const parts: RenderedPart[] = message.album ? albumParts(message.album) : [];
  if (message.photo) {
    const captionChunks =
      visibleLength(html) > CAPTION_LIMIT ? splitTelegramHtml(html, CAPTION_LIMIT) : [html];
    const [caption = "", ...rest] = captionChunks;
    parts.push({ kind: "photo", format: "html", url: message.photo.url, caption });
    for (const chunk of splitTelegramHtml(rest.join("\n\n"), MESSAGE_LIMIT)) {
      parts.push({ kind: "text", format: "html", text: chunk });
    }
  } else {
    const chunks =
      visibleLength(html) > MESSAGE_LIMIT ? splitTelegramHtml(html, MESSAGE_LIMIT) : [html];
    for (const chunk of chunks) {
      if (chunk.trim()) parts.push({ kind: "text", format: "html", text: chunk });
    }
  }
  for (const media of message.media ?? []) {
    parts.push({ kind: "media", format: "html", media: media.kind, url: media.url });
  }
  const buttons = payloadButtons(message.buttons);
  const last = parts.at(-1);
  if (last && last.kind !== "album" && buttons) last.buttons = buttons;
  return parts;
}
