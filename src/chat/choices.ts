/**
 * Numbers typed back: which choice of the ones last offered each number picks. What a message
 * shows and how it is numbered is the one numbering rule in message/numbering.ts; what a chat
 * was shown is kept in the database (readers/chat-memory.ts), so it holds after a restart and on
 * every process.
 */
import { type Action, decodeAction } from "../message/actions";
import type { StoredChoice } from "../readers/chat-memory";

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
