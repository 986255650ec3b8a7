import type { Generated } from "kysely";

/** How often a story was opened on one day (the newsroom's date), no reader kept (0005). */
export interface StoryReadsTable {
  article_id: number;
  /** "YYYY-MM-DD" in the newsroom's time zone. */
  day: string;
  count: Generated<number>;
}
