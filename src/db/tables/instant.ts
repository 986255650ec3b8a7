import type { Generated, Selectable } from "kysely";

/** Words or a phrase a reader follows (0006). */
export interface KeywordFollowsTable {
  id: Generated<number>;
  reader_id: number;
  words: string;
  folded: string;
  created_at: Generated<string>;
}
export type KeywordFollowRow = Selectable<KeywordFollowsTable>;

/** A story to push (or pushed) to a reader as it happens: one row per reader and story (0006). */
export interface InstantItemsTable {
  reader_id: number;
  article_id: number;
  /** topic | keyword | topic+keyword */
  reason: string;
  /** The keyword follows that matched, as the reader typed them: a JSON list, or null (0016). */
  keywords: string | null;
  queued_at: Generated<string>;
  sent_at: string | null;
}
export type InstantItemRow = Selectable<InstantItemsTable>;

/** How far a job has read a growing table (0006). */
export interface JobCursorsTable {
  job: string;
  position: string;
  updated_at: Generated<string>;
}
