/**
 * The digest and news as it happens, side by side: a story already pushed to a reader stays out
 * of their digest, and a story still waiting for them (quiet hours, the batch window) that the
 * digest shows is marked carried, so it is not pushed after it.
 */
import type { Db } from "../db/schema";
import { anyInstantItemSince, instantItemsOfReaders } from "../readers/instant-items";
import type { Digest } from "./compose";

export type ReaderInstantItems = Map<number, { sent: Set<number>; waiting: Set<number> }>;

/** What was pushed to (or waits for) these readers since their cut-offs; none in most ticks. */
export async function instantItemsSince(
  db: Db,
  readers: { id: number; cutoff: string }[],
): Promise<ReaderInstantItems> {
  if (readers.length === 0) return new Map();
  const since = readers.map((r) => r.cutoff).sort()[0] ?? "";
  if (!(await anyInstantItemSince(db, since))) return new Map();
  return instantItemsOfReaders(
    db,
    readers.map((r) => r.id),
    since,
  );
}

/** A key telling compositions apart that leave different stories out ("" for none). */
export function exclusionKey(sent: Set<number> | undefined): string {
  return sent?.size ? `|-${[...sent].sort((a, b) => a - b).join(",")}` : "";
}

/** The stories a digest shows that were waiting to be pushed to the reader. */
export function shownWaiting(digest: Digest, waiting: Set<number> | undefined): number[] {
  if (!waiting?.size) return [];
  return digest.sections
    .flatMap((s) => s.stories.map((story) => story.id))
    .filter((id) => waiting.has(id));
}
