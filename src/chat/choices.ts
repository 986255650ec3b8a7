/**
 * Numbered choices, for platforms that show no buttons (Zalo, the console): the buttons of the
 * last message that had any become choices 1…n, and story lists answer "đọc N". Kept per chat,
 * in memory, for the most recent chats.
 */
import type { Action } from "../message/actions";
import { actionButtons, type OutMessage } from "../message/model";

export interface Choices {
  /** Choice n (1-based) is actions[n-1]. */
  actions: Action[];
  /** List items by the number the text shows them with ("đọc 2"). */
  items: Map<number, Action>;
}

const MAX_CHATS = 10_000;

export class ChoiceMemory {
  private readonly byChat = new Map<string, Choices>();

  /** Remembers the message's buttons as the chat's choices, if it has any. */
  offer(chatKey: string, message: OutMessage): void {
    const buttons = actionButtons(message);
    if (buttons.length === 0) return;
    const items = new Map<number, Action>();
    for (const button of buttons)
      if (button.item !== undefined) items.set(button.item, button.action);
    this.byChat.delete(chatKey); // most recent last, so the oldest goes first
    this.byChat.set(chatKey, { actions: buttons.map((b) => b.action), items });
    if (this.byChat.size > MAX_CHATS) this.byChat.delete(this.byChat.keys().next().value as string);
  }

  get(chatKey: string): Choices | undefined {
    return this.byChat.get(chatKey);
  }
}
