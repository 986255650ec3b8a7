/** The public shapes and constants of the fake news site (see ../news-site.ts). */

export const CATEGORY_SLUGS = ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "the-thao"] as const;
export type CategorySlug = (typeof CATEGORY_SLUGS)[number];

export const CATEGORY_NAMES: Record<CategorySlug, string> = {
  "thoi-su": "Thời sự",
  "kinh-te": "Kinh tế",
  "xa-hoi": "Xã hội",
  "van-hoa": "Văn hóa",
  "the-thao": "Thể thao",
};

/** The seed article (fixtures/articles/seed-baolaocai.txt), in thoi-su. */
export const SEED_ARTICLE_ID = 370001;
/** A story meant to be changed with editArticle between fetches. */
export const EDITABLE_ARTICLE_ID = 480102;
/** A story in both thoi-su and xa-hoi; the xa-hoi feed links it with utm_* parameters. */
export const SHARED_ARTICLE_ID = 480103;

/** A paragraph, or a photo with its caption. */
export type BodyBlock = string | { src: string; caption: string };

export interface FakeArticleInput {
  id: number;
  title: string;
  lead: string;
  body: BodyBlock[];
  /** The first is the section the page belongs to; the story is in each one's feed. */
  categories: CategorySlug[];
  author: string;
  /** Vietnamese local time, day first: "26/01/2026 08:27". */
  publishedAt: string;
  /** Site path of the lead picture. */
  image: string;
  /** Query string appended to the link in the named feed, e.g. { "xa-hoi": "utm_source=rss" }. */
  feedQuery?: Partial<Record<CategorySlug | "home", string>>;
  /** URL slug; derived from the title when absent. */
  slug?: string;
  /** "Tin cùng chuyên mục" entries; taken from the same section when absent. */
  related?: { title: string; lead: string; id: number }[];
}

export interface FakeArticle extends FakeArticleInput {
  slug: string;
  /** Bumped by each edit; feeds' ETag and Last-Modified follow it. */
  revision: number;
  /** Site clock tick of the last change. */
  changedAt: number;
}

export type FailMode =
  | { kind: "status"; status: number }
  | { kind: "redirect"; to: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: "delay"; ms: number }
  | { kind: "huge"; mib?: number; declareLength?: boolean }
  /** Never answer; the socket is destroyed on close(). */
  | "timeout"
  /** Send headers and part of the body, then hang. */
  | "stall-body"
  | "redirect-loop"
  /** Stream 8 MiB without Content-Length. */
  | "huge"
  | "gzip"
  | "deflate"
  | "br"
  /** 16 MiB of XML that gzips to a few KiB. */
  | "gzip-bomb"
  | "malformed-xml"
  | "html-as-feed"
  | "entity-bomb"
  | "external-entity"
  /** The path's feed encoded in windows-1258, declared only in the XML prolog. */
  | "windows-1258"
  | "item-no-link"
  | "huge-item"
  | "no-body-article";

export interface RecordedRequest {
  method: string;
  /** Path with query, as requested. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeNewsSite {
  /** Base URL, no trailing slash. */
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  /** In-flight requests now, and the most seen at once since start or resetStats(). */
  readonly stats: { inFlight: number; maxInFlight: number };
  resetStats(): void;
  /** RSS 2.0 feed of a category, or "home" for everything. */
  feedUrl(slug: CategorySlug | "home" | string): string;
  atomUrl(slug: CategorySlug | "home" | string): string;
  jsonFeedUrl(slug: CategorySlug | "home" | string): string;
  articleUrl(id: number | string): string;
  articlePath(id: number | string): string;
  /** Make a path (or full URL) misbehave until clearFailures(). */
  fail(path: string, mode: FailMode): void;
  clearFailures(): void;
  articles(): FakeArticle[];
  getArticle(id: number): FakeArticle;
  addArticle(input: FakeArticleInput): FakeArticle;
  editArticle(id: number, patch: Partial<Omit<FakeArticleInput, "id">>): FakeArticle;
}
