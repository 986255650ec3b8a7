import {
  type ActionButton,
  isLinkButton,
  type Line,
  type OutMessage,
  spanText,
} from "../chat/messages";

/** A message rendered for a platform without markup: text, plus the buttons as numbered choices. */
export interface PlainRendering {
  text: string;
  /** Choice n (1-based) presses choices[n-1]. */
  choices: ActionButton[];
  photo?: { url: string; caption: string };
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

export function renderPlain(message: OutMessage, labels: { photo: string }): PlainRendering {
  const text = linesToPlainText(message.lines);
  const choices: ActionButton[] = [];
  const links: string[] = [];
  for (const row of message.buttons ?? []) {
    for (const button of row) {
      if (isLinkButton(button)) links.push(`${button.label}: ${button.url}`);
      else choices.push(button);
    }
  }
  const menu = choices.map((c, i) => `[${i + 1}] ${c.label}`);
  const body = [text, ...links, ...(menu.length ? ["", ...menu] : [])].join("\n").trim();
  if (message.photo) {
    return {
      text: body,
      choices,
      photo: { url: message.photo.url, caption: text || labels.photo },
    };
  }
  return { text: body, choices };
}
