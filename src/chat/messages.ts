/**
 * What the chat core says, before any platform has its say: lines of spans with a little
 * emphasis, buttons carrying encoded actions, an optional photo. Each adapter renders this in its
 * own idiom (Telegram HTML and inline keyboards; plain text and numbered choices elsewhere).
 */
export type Span = string | { text: string; bold?: boolean; italic?: boolean; link?: string };

export type Line = Span[];

export interface ActionButton {
  label: string;
  /** An encoded Action (see actions.ts), at most 64 bytes. */
  data: string;
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

export type Reply =
  | { type: "send"; message: OutMessage }
  /**
   * Replace the message whose button was pressed (paging, ticking a topic). With `follow`, the
   * adapter keeps that message up to date with the broadcast's progress until it is finished.
   */
  | { type: "edit"; message: OutMessage; follow?: { broadcastId: number } }
  /** A short answer to a button press (a toast on Telegram). */
  | { type: "notice"; text: string };

export function isLinkButton(button: Button): button is LinkButton {
  return "url" in button;
}

/** The visible text of a line, for platforms without markup. */
export function spanText(span: Span): string {
  return typeof span === "string" ? span : span.text;
}

export const bold = (text: string): Span => ({ text, bold: true });
export const italic = (text: string): Span => ({ text, italic: true });
export const link = (text: string, url: string): Span => ({ text, link: url });
