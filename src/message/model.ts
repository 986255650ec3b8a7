/**
 * What bantin says, before any platform has its say: lines of spans with a little emphasis,
 * buttons carrying typed actions, an optional photo or album of photos. The renderers turn it
 * into Telegram HTML with inline keyboards, or plain text with numbered choices.
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

/** A photo of an album, with its own caption (lines, possibly none). */
export interface AlbumPhoto {
  url: string;
  caption: Line[];
}

export interface OutMessage {
  lines: Line[];
  buttons?: Button[][];
  /** When set, the message is this photo and the lines are its caption. */
  photo?: { url: string };
  /**
   * Photos shown before the lines, in order, each with its caption: a story's pictures. Telegram
   * sends them as albums; platforms without albums send them one by one.
   */
  album?: AlbumPhoto[];
  /**
   * Sound and film to play after the lines, where the platform can play them from an address
   * (Telegram: sendAudio / sendVideo); the lines carry their links for every platform.
   */
  media?: PlayableMedia[];
}

/** A file a platform may fetch and play: MP3/M4A audio or MP4 video within its size limit. */
export interface PlayableMedia {
  url: string;
  kind: "audio" | "video";
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

/**
 * The numbered choices of a message, as platforms without buttons show them ("[n] label") and
 * read them back: the number shown is the number typed. A list item's choice keeps its item
 * number (page 2's "Đọc 6" is [6], so "6", "đọc 6" and "/doc 6" agree); the other choices
 * (paging, topics, yes/no) follow after the highest item number, in reading order.
 */
export function numberedChoices(message: OutMessage): { number: number; button: ActionButton }[] {
  const buttons = actionButtons(message);
  const taken = new Set<number>();
  for (const b of buttons) if (b.item !== undefined && b.item > 0) taken.add(b.item);
  let next = Math.max(0, ...taken) + 1;
  const used = new Set<number>();
  return buttons.map((button) => {
    let number = button.item;
    if (number === undefined || number <= 0 || used.has(number)) number = next++;
    used.add(number);
    return { number, button };
  });
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
