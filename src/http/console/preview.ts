/**
 * A rendered message shown as the chat will show it: the very payload the outbox stores, part by
 * part. Telegram's parts are HTML made by our renderer (text escaped, only <b>, <i>, <u>, <s>,
 * <code>, <pre>, <blockquote> and <a href>); those tags are let through and anything else is
 * shown as text, so even a renderer bug cannot put markup of its own on the page. Zalo's parts are
 * plain text, shown as text.
 */
import type { PayloadButton, RenderedPart, RenderedPayload } from "../../message/parts";
import { escapeHtml, escapeHtmlAttribute } from "../../text/html";
import { type Html, html, isWebAddress, raw } from "./html";

const TAG_NAME = /^<\/?(b|i|u|s|code|pre|blockquote|a)>$/;
const LINK_OPEN = /^<a href="([^"<>]*)">$/;
const HTML_ENTITY = /&(amp|lt|gt|quot|#39);/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/**
 * Telegram HTML as page markup: its few known tags kept, balanced (a closing tag with no match is
 * dropped, what is left open is closed at the end), everything else escaped.
 */
export function telegramHtmlToPage(telegramHtml: string): Html {
  let out = "";
  const open: string[] = [];
  const decodeEntities = (text: string) =>
    text.replace(HTML_ENTITY, (_m, name: string) => ENTITIES[name] ?? "");
  for (const piece of telegramHtml.split(/(<[^>]*>)/)) {
    if (!piece) continue;
    if (!piece.startsWith("<")) {
      // Text the renderer escaped: decodeEntities and escape again, so a stray "<" or "&" stays text.
      out += escapeHtml(decodeEntities(piece));
      continue;
    }
    const tag = TAG_NAME.exec(piece)?.[1];
    const link = LINK_OPEN.exec(piece);
    if (link) {
      const href = decodeEntities(link[1] ?? "");
      open.push("a");
      out += isWebAddress(href)
        ? `<a href="${escapeHtmlAttribute(href)}" rel="noopener noreferrer" target="_blank">`
        : "<a>";
    } else if (tag && !piece.startsWith("</") && tag !== "a") {
      open.push(tag);
      out += `<${tag}>`;
    } else if (tag && piece.startsWith("</")) {
      // Close what was opened inside it too, then it; a closing tag nothing opened is dropped.
      if (open.includes(tag)) {
        let last: string | undefined;
        do {
          last = open.pop();
          out += `</${last}>`;
        } while (last !== tag);
      }
    } else {
      out += escapeHtml(piece);
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return raw(out);
}

function buttonsPreview(buttons: PayloadButton[][] | undefined): Html {
  if (!buttons || buttons.length === 0) return html``;
  return html`<div class="preview-buttons">${buttons.map(
    (row) =>
      html`<div class="preview-button-row">${row.map((b) => html`<span class="preview-button">${b.label}</span>`)}</div>`,
  )}</div>`;
}

function partText(part: { format: "html" | "plain" }, text: string): Html {
  return part.format === "html" ? telegramHtmlToPage(text) : html`${text}`;
}

function partPreview(part: RenderedPart, photoLabel: string): Html {
  switch (part.kind) {
    case "text":
      return html`<div class="preview-part">${partText(part, part.text)}${buttonsPreview(part.buttons)}</div>`;
    case "photo":
      return html`<div class="preview-part"><span class="preview-photo">${photoLabel}</span>
${partText(part, part.caption)}${buttonsPreview(part.buttons)}</div>`;
    case "media":
      return html`<div class="preview-part"><span class="preview-photo">${part.media === "audio" ? "🎧" : "🎬"}</span> ${part.url}</div>`;
    case "album":
      return html`<div class="preview-part">${part.photos.map(
        (photo) =>
          html`<div><span class="preview-photo">${photoLabel}</span>
${partText(part, photo.caption)}</div>`,
      )}</div>`;
  }
}

/** Every part of a payload, as consecutive chat bubbles. */
export function payloadPreview(payload: RenderedPayload, photoLabel: string): Html {
  return html`${payload.parts.map((part) => partPreview(part, photoLabel))}`;
}
