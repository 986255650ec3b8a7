import type { Generated, Selectable } from "kysely";

/** What a chat was last shown: its numbered story list and numbered choices (0005). */
export interface ChatMemoryTable {
  platform: string;
  chat_id: string;
  /** JSON [[number, articleId], ...]: the last list's items by the number they were shown with. */
  list_items: string | null;
  list_at: string | null;
  /** JSON [[number, encodedAction], ...]: the last message that offered choices. */
  choices: string | null;
  choices_at: string | null;
  updated_at: Generated<string>;
}
export type ChatMemoryRow = Selectable<ChatMemoryTable>;
