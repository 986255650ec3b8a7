import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface ArticlesTable {
  id: Generated<number>;
  url: string;
  guid: string | null;
  content_hash: string;
  feed_hash: string | null;
  title: string;
  lead: Generated<string>;
  body: Generated<string>;
  /** JSON array of { url, caption }. */
  photos: Generated<string>;
  /** JSON array of { url, kind: "audio" | "video", type, bytes } (migration 0009). */
  media: Generated<string>;
  author: string | null;
  full_text: Generated<number>;
  published_at: string;
  fetched_at: string;
  updated_at: string;
  category_id: number;
  source_id: number | null;
  /** Set while an editor hides the story (0011). */
  hidden_at: string | null;
  /** Set when an editor retracts the story (0015); hidden_at is set with it. */
  retracted_at: string | null;
  /** An editor's pick until then (0015). */
  pinned_until: string | null;
}
export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;

export interface ArticleCategoriesTable {
  article_id: number;
  category_id: number;
  published_at: string;
}

/** FTS5 table; rowid is the article id. Holds accent-folded text. */
export interface ArticleSearchTable {
  rowid: number;
  title: string;
  lead: string;
  body: string;
}
