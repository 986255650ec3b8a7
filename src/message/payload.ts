/**
 * Rendering a message once for one platform into its payload (see parts.ts), and reading a
 * stored payload back.
 */
import { splitPlainText } from "../text/split";
import type { Locale } from "./i18n";
import type { OutMessage } from "./model";
import { shownBy } from "./numbering";
import type {
  PartFormat,
  PayloadButton,
  PayloadShown,
  RenderedPart,
  RenderedPayload,
} from "./parts";
import { type PlatformTraits, traitsOf } from "./platforms";
import { renderPlain } from "./render/plain";
import { renderTelegramHtml } from "./render/telegram-html";

/** Zalo's text limit, which plain-text platforms share. */
export const PLAIN_TEXT_LIMIT = 2000;

/**
 * Renders a message once for a platform, as its traits say: Telegram HTML within 4096/1024 with
 * its buttons, or plain text within 2,000 with numbered choices.
 */
export function renderPayload(
  platform: string,
  message: OutMessage,
  locale: Locale,
): RenderedPayload {
  const traits = traitsOf(platform);
  const payload = renderParts(traits, message, locale);
  const shown = payloadShown(message, traits);
  return shown ? { ...payload, shown } : payload;
}

/** What the message shows, by the one numbering rule, in the payload's compact form. */
function payloadShown(message: OutMessage, traits: PlatformTraits): PayloadShown | undefined {
  const shown = shownBy(message, traits);
  const compact: PayloadShown = {};
  if (shown.items) compact.items = shown.items.map((i) => [i.number, i.articleId]);
  if (shown.choices) compact.choices = shown.choices.map((c) => [c.number, c.action]);
  return compact.items || compact.choices ? compact : undefined;
}

function renderParts(traits: PlatformTraits, message: OutMessage, locale: Locale): RenderedPayload {
  if (traits.markup === "html") return { parts: renderTelegramHtml(message) };
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
  const format: PartFormat = traitsOf(platform).markup;
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
