/**
 * Keyword alerts: words or a phrase a reader follows (keyword_follows). A follow is kept as the
 * reader typed it (NFC, one line) and folded the way search folds, as the words search would
 * look for: a story matches when every one of those words appears in its headline, lead, body
 * or captions, in any order and not necessarily side by side (exactly what /tim would find).
 * Nothing the reader types is ever a pattern or query syntax: it is cut into plain words.
 */
import type { Db } from "../db/schema";
import { cleanLine } from "../text/normalize";
import { searchTokens } from "../text/tokens";

/** Follows one reader may keep. */
export const MAX_FOLLOWS = 10;
/** Characters of one follow, as typed. */
export const MAX_FOLLOW_LENGTH = 100;
/** Words of one follow (as a search query takes at most 12). */
export const MAX_FOLLOW_WORDS = 12;

export interface KeywordFollow {
  id: number;
  readerId: number;
  /** As the reader typed it. */
  words: string;
  /** Folded words separated by single spaces: "bao lu". */
  folded: string;
}

/** The folded words of a follow ("Bão  LŨ!" -> "bao lu"), or "" when nothing is left. */
export function foldFollow(words: string): string {
  return [...new Set(searchTokens(words))].slice(0, MAX_FOLLOW_WORDS).join(" ");
}

export type FollowOutcome =
  | { kind: "added"; follow: KeywordFollow }
  | { kind: "empty" }
  | { kind: "tooLong" }
  | { kind: "exists"; follow: KeywordFollow }
  | { kind: "limit" };

export async function listFollows(db: Db, readerId: number): Promise<KeywordFollow[]> {
  const rows = await db
    .selectFrom("keyword_follows")
    .select(["id", "reader_id", "words", "folded"])
    .where("reader_id", "=", readerId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, readerId: r.reader_id, words: r.words, folded: r.folded }));
}

/** Every keyword follow of a reader, dropped (erasure). */
export async function deleteFollowsOf(db: Db, readerId: number): Promise<void> {
  await db.deleteFrom("keyword_follows").where("reader_id", "=", readerId).execute();
}

/** Follows words for a reader: refused when empty once folded, too long, or over the limit. */
export async function follow(
  db: Db,
  readerId: number,
  typed: string,
  now: string,
): Promise<FollowOutcome> {
  const words = cleanLine(typed);
  if (words.length > MAX_FOLLOW_LENGTH) return { kind: "tooLong" };
  const folded = foldFollow(words);
  if (!folded) return { kind: "empty" };
  const mine = await listFollows(db, readerId);
  const same = mine.find((f) => f.folded === folded);
  if (same) return { kind: "exists", follow: same };
  if (mine.length >= MAX_FOLLOWS) return { kind: "limit" };
  const row = await db
    .insertInto("keyword_follows")
    .values({ reader_id: readerId, words, folded, created_at: now })
    .onConflict((oc) => oc.columns(["reader_id", "folded"]).doNothing())
    .returning(["id"])
    .executeTakeFirst();
  if (!row) {
    const again = (await listFollows(db, readerId)).find((f) => f.folded === folded);
    if (again) return { kind: "exists", follow: again };
    throw new Error("keyword follow vanished while adding");
  }
  return { kind: "added", follow: { id: row.id, readerId, words, folded } };
}

/**
 * Stops following: `which` is the number in the reader's list (1-based) or the words themselves
 * (matched folded). Returns what was removed, or undefined when nothing matched.
 */
export async function unfollow(
  db: Db,
  readerId: number,
  which: string,
): Promise<KeywordFollow | undefined> {
  const mine = await listFollows(db, readerId);
  const text = which.trim();
  const target = /^\d{1,3}$/.test(text)
    ? mine[Number(text) - 1]
    : mine.find((f) => f.folded === foldFollow(text));
  if (!target) return undefined;
  await db
    .deleteFrom("keyword_follows")
    .where("id", "=", target.id)
    .where("reader_id", "=", readerId)
    .execute();
  return target;
}

/** Every follow of active readers on these platforms (what new stories are matched against). */
export async function activeFollows(
  db: Db,
  platforms: readonly string[],
): Promise<{ readerId: number; folded: string; words: string }[]> {
  const rows = await db
    .selectFrom("keyword_follows as k")
    .innerJoin("readers as r", "r.id", "k.reader_id")
    .select(["k.reader_id", "k.folded", "k.words"])
    .orderBy("k.id") // a reader's follows in the order they were made, as pushes name them
    .where("r.status", "=", "active")
    .where("r.platform", "in", [...platforms])
    .execute();
  return rows.map((r) => ({ readerId: r.reader_id, folded: r.folded, words: r.words }));
}
