import { catalogue, type Locale } from "../i18n";
import {
  type ActionButton,
  actionButtons,
  isLinkButton,
  type Line,
  numberedChoices,
  type OutMessage,
  spanText,
} from "../model";

/** A message rendered for a platform without markup: text, plus the buttons as numbered choices. */
export interface PlainRendering {
  text: string;
  /** The action buttons in reading order; their numbers are those of numberedChoices. */
  choices: ActionButton[];
  photo?: { url: string; caption: string };
  /** The album's photos, shown before the text, each with its caption ("" for none). */
  album?: { url: string; caption: string }[];
}

export function linesToPlainText(lines: Line[]): string {
  return lines
    .map((line) =>
      line
        .map((span) =>
          typeof span !== "string" && span.link ? `${span.text}: ${span.link}` : spanText(span),
        )
        .join(""),
    )
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The text of a message, its links written out and its action buttons listed as "[n] label". */
export function renderPlain(message: OutMessage, locale: Locale): PlainRendering {
  const text = linesToPlainText(message.lines);
  const choices = actionButtons(message);
  const links = (message.buttons ?? [])
    .flat()
    .filter(isLinkButton)
    .map((button) => `${button.label}: ${button.url}`);
  const menu = numberedChoices(message).map((c) => `[${c.number}] ${c.button.label}`);
  const body = [text, ...links, ...(menu.length ? ["", ...menu] : [])].join("\n").trim();
  const album = message.album?.map((p) => ({ url: p.url, caption: linesToPlainText(p.caption) }));
  if (album?.length) return { text: body, choices, album };
  if (message.photo) {
    return {
      text: body,
      choices,
      photo: { url: message.photo.url, caption: text || catalogue(locale).photo },
    };
  }
  return { text: body, choices };
}
