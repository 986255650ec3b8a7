/**
 * The one numbering rule on every platform. A story list shows its items 1…N (page 2 goes on
 * from 6); "/doc N", "/read N", "đọc N" and a bare number open item N of the last list shown in
 * the chat. On platforms without buttons (traits.buttons false) the buttons of a message are also
 * numbered choices "[n] label": a list item's choice keeps its item number and the other choices
 * (paging) follow after the last item, so a bare number means the same thing whichever way it is
 * read. This says what a message shows; the chat keeps it (readers/chat-memory.ts).
 */
import { encodeAction } from "./actions";
import { actionButtons, numberedChoices, type OutMessage } from "./model";
import type { PlatformTraits } from "./platforms";

/** A list item: the number shown beside it, the story it opens. */
export interface ShownItem {
  number: number;
  articleId: number;
}

/** A numbered choice: the number shown beside it, its action encoded as callback data. */
export interface ShownChoice {
  number: number;
  action: string;
}

/** What a message shows that the chat should remember: its story list, its numbered choices. */
export interface Shown {
  items?: ShownItem[];
  choices?: ShownChoice[];
}

/** The story list and (where the platform shows no buttons) the choices a message offers. */
export function shownBy(message: OutMessage, traits: Pick<PlatformTraits, "buttons">): Shown {
  const shown: Shown = {};
  const items: ShownItem[] = [];
  for (const button of actionButtons(message)) {
    if (button.item !== undefined && button.action.kind === "read") {
      items.push({ number: button.item, articleId: button.action.articleId });
    }
  }
  if (items.length > 0) shown.items = items;
  if (!traits.buttons) {
    const choices = numberedChoices(message).map((c) => ({
      number: c.number,
      action: encodeAction(c.button.action),
    }));
    if (choices.length > 0) shown.choices = choices;
  }
  return shown;
}

/** What several messages show: the last list and the last choices among them win. */
export function shownByAll(messages: OutMessage[], traits: Pick<PlatformTraits, "buttons">): Shown {
  const all: Shown = {};
  for (const message of messages) {
    const shown = shownBy(message, traits);
    if (shown.items) all.items = shown.items;
    if (shown.choices) all.choices = shown.choices;
  }
  return all;
}
