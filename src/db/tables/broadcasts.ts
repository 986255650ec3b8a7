import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface BroadcastsTable {
  id: Generated<number>;
  author: string;
  text: Generated<string>;
  article_id: number | null;
  audience_category_id: number | null;
  audience_platform: string | null;
  state: Generated<string>;
  total: Generated<number>;
  created_at: Generated<string>;
  started_at: string | null;
  finished_at: string | null;
  /** When a scheduled broadcast goes (0013). */
  send_at: string | null;
  /** A photo sent with it, its caption the message (0013). */
  photo_url: string | null;
  /** JSON array of topic ids; supersedes audience_category_id when set (0013). */
  audience_topics: string | null;
  /** Only readers of this language: vi (any but English) or en (0013). */
  audience_locale: string | null;
  /** Only readers who follow (those) topics in this mode: digest or instant (0013). */
  audience_mode: string | null;
}
export type BroadcastRow = Selectable<BroadcastsTable>;
export type NewBroadcastRow = Insertable<BroadcastsTable>;
export type BroadcastUpdate = Updateable<BroadcastsTable>;

/** Opens of a broadcast's story through its button within 24 h, per platform; no reader (0014). */
export interface BroadcastOpensTable {
  broadcast_id: number;
  platform: string;
  count: Generated<number>;
}
