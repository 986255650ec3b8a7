/**
 * One numbering rule on every platform. A story list shows its items 1…N (page 2 goes on from
 * 6); "/doc N", "/read N", "đọc N" and a bare number open item N of the last list shown in the
 * chat. On platforms without buttons (Zalo, the terminal) the buttons of the last message that
 * had any are also numbered choices "[n] label": a list item's choice keeps its item number and
 * the other choices (paging) follow after the last item, so a bare number means the same thing
 * whichever way it is read. Both are kept in the database (readers/chat-memory.ts), so they hold
 * after a restart and on every process.
 */
import { type Action, decodeAction, encodeAction } from "../message/actions";
import { actionButtons, numberedChoices, type OutMessage } from "../message/model";
import type { ListItem, StoredChoice } from "../readers/chat-memory";

/** What a message shows that the chat should remember: its story list, its numbered choices. */
export interface Shown {
  items?: ListItem[];
  choices?: StoredChoice[];
}

/** The story list and (where the platform shows no buttons) the choices a message offers. */
export function shownBy(message: OutMessage, numbered: boolean): Shown {
  const shown: Shown = {};
  const items: ListItem[] = [];
  for (const button of actionButtons(message)) {
    if (button.item !== undefined && button.action.kind === "read") {
      items.push({ number: button.item, articleId: button.action.articleId });
    }
  }
  if (items.length > 0) shown.items = items;
  if (numbered) {
    const choices = numberedChoices(message).map((c) => ({
      number: c.number,
      action: encodeAction(c.button.action),
    }));
    if (choices.length > 0) shown.choices = choices;
  }
  return shown;
}

/** What several replies show: the last list and the last choices among them win. */
export function shownByAll(messages: OutMessage[], numbered: boolean): Shown {
  const all: Shown = {};
  for (const message of messages) {
    const shown = shownBy(message, numbered);
    if (shown.items) all.items = shown.items;
    if (shown.choices) all.choices = shown.choices;
  }
  return all;
}

/** The range of numbers a list or a set of choices shows, for "choose from … to …". */
export function numberRange(numbers: number[]): { first: number; last: number } {
  return { first: Math.min(...numbers), last: Math.max(...numbers) };
}

/** The actions of the numbers typed, or the first number that was not offered. */
export function pickChoices(
  offered: StoredChoice[],
  numbers: number[],
): { actions: (Action | null)[] } | { missing: number } {
  const byNumber = new Map(offered.map((c) => [c.number, c.action]));
  const missing = numbers.find((n) => !byNumber.has(n));
  if (missing !== undefined) return { missing };
  // A stored action decodes like callback data: anything stale decodes to null.
  return { actions: numbers.map((n) => decodeAction(byNumber.get(n) as string)) };
}
