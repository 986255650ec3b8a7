import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface ReadersTable {
  id: Generated<number>;
  platform: string;
  chat_id: string;
  chat_type: Generated<string>;
  display_name: string | null;
  locale: Generated<string>;
  time_zone: Generated<string>;
  digest_time: Generated<string>;
  digest_enabled: Generated<number>;
  status: Generated<string>;
  /** Quiet hours, local "HH:MM" to "HH:MM" (equal: none) (0006). */
  quiet_from: Generated<string>;
  quiet_until: Generated<string>;
  /** When the last message as it happens went (0006). */
  last_instant_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  /**
   * Digest topics (mode digest or both) by id in order, "1,3,7" ("" for none): set by the
   * database's triggers on reader_topics, never written by code (0020).
   */
  digest_topics: Generated<string>;
}
export type ReaderRow = Selectable<ReadersTable>;
export type NewReaderRow = Insertable<ReadersTable>;
export type ReaderUpdate = Updateable<ReadersTable>;

export interface ReaderTopicsTable {
  reader_id: number;
  category_id: number;
  /** digest | instant | both (0006). */
  mode: Generated<string>;
  created_at: Generated<string>;
}

/** A reader's last digest (0017): none until their first; kept apart so that marking is cheap. */
export interface DigestMarksTable {
  reader_id: number;
  /** Local "YYYY-MM-DD" of the last digest slot. */
  last_digest_date: string | null;
  /** Stories up to here were in a digest. */
  last_digest_cutoff: string | null;
}
