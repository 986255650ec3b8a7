import type { Generated, Selectable } from "kysely";

export interface InboxUpdatesTable {
  id: Generated<number>;
  platform: string;
  /** The platform's own id of the update (Telegram update_id, Zalo message id). */
  update_key: string;
  /** Updates of one chat are handled in order. */
  chat_key: string;
  /** The update, JSON. */
  body: string;
  state: Generated<string>;
  /** Times claimed: an update that keeps a process from finishing it is given up. */
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  received_at: Generated<string>;
  handled_at: string | null;
}
export type InboxUpdateRow = Selectable<InboxUpdatesTable>;
