import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface SourcesTable {
  id: Generated<number>;
  url: string;
  category_id: number;
  full_text: Generated<number>;
  /** JSON of per-source extractor selectors, or null. */
  selectors: string | null;
  etag: string | null;
  last_modified: string | null;
  next_check_at: Generated<string>;
  failures_in_row: Generated<number>;
  last_error: string | null;
  last_error_at: string | null;
  last_success_at: string | null;
  /** Page problems in the latest check that read the feed (0003). */
  page_problems: Generated<number>;
  last_page_problem: string | null;
  last_page_problem_at: string | null;
  /** Set while an editor has paused the feed (0008). */
  paused_at: string | null;
  created_at: Generated<string>;
}
export type SourceRow = Selectable<SourcesTable>;
export type NewSourceRow = Insertable<SourcesTable>;
export type SourceUpdate = Updateable<SourcesTable>;
