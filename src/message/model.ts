/**
 * What bantin says, before any platform has its say: lines of spans with a little emphasis,
 * buttons carrying typed actions, an optional photo. The renderers turn it into Telegram HTML
 * with inline keyboards, or plain text with numbered choices.
 */
import type { Action } from "./actions";

export type Span = string | { text: string; bold?: boolean; italic?: boolean; link?: string };

export type Line = Span[];

export interface ActionButton {
  label: string;
  action: Action;
  /** For an item of a numbered list (a story), its number as the text shows it. */
  item?: number;
}

export interface LinkButton {
  label: string;
  url: string;
}

export type Button = ActionButton | LinkButton;

export interface OutMessage {
  lines: Line[];
  buttons?: Button[][];
  /** When set, the message is this photo and the lines are its caption. */
  photo?: { url: string };
}

export function isLinkButton(button: Button): button is LinkButton {
  return "url" in button;
}

/**
 * The message's action buttons in reading order: on platforms without buttons these are the
 * numbered choices, choice n being the n-th of this list.
 */
export function actionButtons(message: OutMessage): ActionButton[] {
  return (message.buttons ?? []).flat().filter((b): b is ActionButton => !isLinkButton(b));
}

/** The visible text of a span, for platforms without markup. */
export function spanText(span: Span): string {
  return typeof span === "string" ? span : span.text;
}

export const bold = (text: string): Span => ({ text, bold: true });
export const italic = (text: string): Span => ({ text, italic: true });
export const link = (text: string, url: string): Span => ({ text, link: url });

/** A message of plain lines, one string each. */
export function textMessage(...lines: string[]): OutMessage {
  return { lines: lines.map((line) => [line]) };
}
