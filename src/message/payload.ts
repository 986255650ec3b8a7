/**
 * Rendering a message once for one platform into its payload (see parts.ts), and reading a
 * stored payload back.
 */
import { splitPlainText } from "../text/split";
import { encodeAction } from "./actions";
import type { Locale } from "./i18n";
import { actionButtons, numberedChoices, type OutMessage } from "./model";
import type {
  PartFormat,
  PayloadButton,
  PayloadShown,
  RenderedPart,
  RenderedPayload,
} from "./parts";
import { renderPlain } from "./render/plain";
import { renderTelegramHtml } from "./render/telegram-html";

/** Zalo's text limit, which plain-text platforms share. */
export const PLAIN_TEXT_LIMIT = 2000;

/**
 * Renders a message once for a platform: Telegram HTML within 4096/1024 with its buttons,
 * plain text within 2,000 with numbered choices for everything else.
 */
export function renderPayload(
  platform: string,
  message: OutMessage,
  locale: Locale,
): RenderedPayload {
  const payload = renderParts(platform, message, locale);
  const shown = shownBy(message, platform !== "telegram");
  return shown ? { ...payload, shown } : payload;
}

/** The story list and (on platforms without buttons) the numbered choices a message shows. */
function shownBy(message: OutMessage, numbered: boolean): PayloadShown | undefined {
  const shown: PayloadShown = {};
  const items: [number, number][] = [];
  for (const button of actionButtons(message)) {
    if (button.item !== undefined && button.action.kind === "read")
      items.push([button.item, button.action.articleId]);
  }
  if (items.length > 0) shown.items = items;
  if (numbered) {
    const choices = numberedChoices(message).map((c): [number, string] => [
      c.number,
      encodeAction(c.button.action),
    ]);
    if (choices.length > 0) shown.choices = choices;
  }
  return shown.items || shown.choices ? shown : undefined;
}

function renderParts(platform: string, message: OutMessage, locale: Locale): RenderedPayload {
  if (platform === "telegram") return { parts: renderTelegramHtml(message) };
  const plain = renderPlain(message, locale);
  if (plain.album) {
    // No albums on plain platforms: each photo with its caption, in order, then the text.
    const photos = plain.album.map(
      (p): RenderedPart => ({
        kind: "photo",
        format: "plain",
        url: p.url,
        caption: p.caption ? (splitPlainText(p.caption, PLAIN_TEXT_LIMIT)[0] ?? "") : "",
      }),
    );
    const text = plain.text
      ? splitPlainText(plain.text, PLAIN_TEXT_LIMIT).map(
          (chunk): RenderedPart => ({ kind: "text", format: "plain", text: chunk }),
        )
      : [];
    return { parts: [...photos, ...text] };
  }
  if (plain.photo) {
    const [caption = "", ...rest] = splitPlainText(plain.photo.caption, PLAIN_TEXT_LIMIT);
    return {
      parts: [
        { kind: "photo", format: "plain", url: plain.photo.url, caption },
        ...rest.map((text): RenderedPart => ({ kind: "text", format: "plain", text })),
      ],
    };
  }
  return {
    parts: splitPlainText(plain.text, PLAIN_TEXT_LIMIT).map(
      (text): RenderedPart => ({ kind: "text", format: "plain", text }),
    ),
  };
}

interface LegacyKeyboard {
  inline_keyboard?: { text: string; callback_data?: string; url?: string }[][];
}

interface LegacyPart {
  kind?: string;
  html?: string;
  text?: string;
  url?: string;
  caption?: string;
  keyboard?: LegacyKeyboard;
}

function fromLegacyKeyboard(keyboard: LegacyKeyboard | undefined): PayloadButton[][] | undefined {
  const rows = keyboard?.inline_keyboard;
  if (!rows?.length) return undefined;
  return rows.map((row) =>
    row.map(
      (b): PayloadButton =>
        b.url !== undefined
          ? { label: b.text, url: b.url }
          : { label: b.text, data: b.callback_data ?? "" },
    ),
  );
}

/**
 * A stored payload as parts. Rows written before the payload had its own shape
 * (`{ messages: [...] }`: Telegram parts with `html` and `keyboard`, plain parts with `text`)
 * are read too, so an upgrade leaves nothing waiting in the outbox undeliverable.
 */
export function readPayload(stored: unknown, platform: string): RenderedPayload {
  if (!stored || typeof stored !== "object") return { parts: [] };
  const value = stored as { parts?: unknown; messages?: unknown };
  if (Array.isArray(value.parts)) {
    const shown = (value as { shown?: PayloadShown }).shown;
    return shown && typeof shown === "object"
      ? { parts: value.parts as RenderedPart[], shown }
      : { parts: value.parts as RenderedPart[] };
  }
  if (!Array.isArray(value.messages)) return { parts: [] };
  const format: PartFormat = platform === "telegram" ? "html" : "plain";
  return {
    parts: (value.messages as LegacyPart[]).map((part): RenderedPart => {
      const buttons = fromLegacyKeyboard(part.keyboard);
      const extra = buttons ? { buttons } : {};
      if (part.kind === "photo") {
        return {
          kind: "photo",
          format,
          url: part.url ?? "",
          caption: part.caption ?? "",
          ...extra,
        };
      }
      return { kind: "text", format, text: part.html ?? part.text ?? "", ...extra };
    }),
  };
}
