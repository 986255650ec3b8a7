/**
 * What the extractor knows about news sites, as data: where the Vietnamese news CMS family keeps
 * headline, sapo and body, which tags and class words are never story text, and the words of the
 * furniture lines (related-story headings, share bars, bylines, datelines) found inside bodies.
 */

import {
  LAYOUT_AUTHORS,
  LAYOUT_BODIES,
  LAYOUT_LEADS,
  LAYOUT_REMOVALS,
  LAYOUT_TITLES,
} from "./newsroom-layouts";

export interface SelectorLists {
  title: string[];
  lead: string[];
  body: string[];
  /** A source's own selectors (an editor's): its headline is not second-guessed. */
  trusted?: boolean;
}

/**
 * The Vietnamese newsrooms' layouts (newsroom-layouts.ts), then the generic names many news CMSs
 * share, most specific first.
 */
export const CMS_SELECTORS: SelectorLists = {
  title: [
    ...LAYOUT_TITLES,
    ".detail-title",
    ".title-detail",
    "h1.detail__title",
    "h1.title",
    "h1.post-title",
    "h1.entry-title",
    "article h1",
    "h1",
  ],
  lead: [
    ...LAYOUT_LEADS,
    ".sapo-detail",
    ".detail__summary",
    "h2.sapo",
    ".sapo",
    ".article__lead",
    ".lead",
  ],
  body: [
    ...LAYOUT_BODIES,
    ".detail-content",
    ".content-detail",
    ".detail__content",
    ".detail-body",
    ".article-content",
    ".article__content",
    "[itemprop=articleBody]",
    ".entry-content",
    ".post-content",
    "#content",
  ],
};

/** Boxes inside a body no layout keeps (they are removed before the story is read). */
export const BODY_REMOVALS = LAYOUT_REMOVALS;

/** Where the headline is on a page no CMS rule fits (read before Readability rewrites it). */

/** Bylines on the page, when the metadata names no author. */
export const AUTHOR_SELECTORS = [
  ...LAYOUT_AUTHORS,
  ".article__author",
  ".detail-author",
  ".author-name",
  ".author",
  '[rel="author"]',
  '[itemprop="author"]',
  ".byline",
];

/** Never content, anywhere. */
export const JUNK_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "svg",
  "canvas",
  "form",
  "button",
  "input",
  "select",
  "textarea",
  "nav",
  "aside",
  "footer",
  "dialog",
  "audio",
  "video",
  "map",
  "head",
  "title",
  "meta",
  "link",
]);

/** Tags that start a new paragraph. */
export const BLOCK_TAGS = new Set([
  "address",
  "figure",
  "article",
  "blockquote",
  "body",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/** class / id words that mark page furniture (matched per token, on word boundaries). */
/**
 * Furniture by class or id: each word must be a whole part of a class name, between its start or
 * end and a "-" or "_" ("share-buttons", "box_related"); a word inside a longer one does not count
 * ("post-shared-content" and "advertorial-free" are not furniture).
 */
export const FURNITURE_WORDS =
  /(?:^|[-_])(?:ads?|adv|adverts?|advertising|advertisement|adsbygoogle|banners?|qc|quangcao|quang-cao|sponsors?|sponsored|share|shares|sharebar|sharing|social|socials|addthis|sharethis|likebox|related|relate[sd]?|lienquan|lien-quan|tinlienquan|tincungchuyenmuc|samecat|same-cat|morenews|more-news|othernews|other-news|xemthem|xem-them|docthem|doc-them|recommend|recommended|recommendations?|suggest|suggested|suggestions?|comments?|comment-\w+|binhluan|binh-luan|disqus|breadcrumbs?|navbar|menu|sidebar|footer|pagination|newsletter|subscribe|popup|modal|cookies?|cookie-\w+|tags?|keywords?|print|toolbar|vjs|video-js|jwplayer|player-controls)(?:$|[-_])/i;

/**
 * Readers' comments and boxes of other stories: a body selector's match inside one is not the
 * story (fewer words than FURNITURE_WORDS: a main column may be classed "sidebar-1").
 */
export const COMMENTS_OR_TEASERS =
  /(?:^|[-_])(?:comments?|comment-\w+|replies|binhluan|binh-luan|disqus|related|relate[sd]?|lienquan|lien-quan|tinlienquan|othernews|other-news)(?:$|[-_])/i;

/** A slideshow: "gallery", "slideshow", "carousel", "slider", "swiper". */
export const GALLERY_WORDS =
  /(?:^|[-_])(?:gallery|galleries|slideshow|slide-show|carousel|slider|swiper)(?:$|[-_])/i;

/** Datelines and bylines inside the body block (removed when short). */
export const META_WORDS =
  /(?:^|[-_\s])(?:meta|post-meta|entry-meta|byline|dateline|author|authors|date|time|publish-date|published)(?:$|[-_\s])/i;

export const CAPTION_WORDS =
  /(?:^|[-_])(?:caption|captions|pcaption|figcaption|image_desc|image-desc|img-desc|desc|chu-thich|chuthich|photo-caption|note-img|expnote)(?:$|[-_])/i;

/** A table of this class holding a few pictures is a photo with its caption. */
export const IMAGE_TABLE_WORDS =
  /(?:^|[-_\s])(?:image|tplcaption|picture|photo|img|figure)(?:$|[-_\s])/i;

/** Right-aligned blocks: where a closing byline stands. */
export const RIGHT_ALIGNED_WORDS = /(?:^|[-_\s])(?:right|text-right|author)(?:$|[-_\s])/i;

/** class / id of elements that may hold the publication time. */
export const DATE_CLASS = /(?:date|time|publish|posted|ngay-?dang|thoi-?gian|meta)/i;

/** Lazy-loading attributes that hold a picture's real address, before src. */
export const LAZY_IMAGE_ATTRIBUTES = [
  "data-src",
  "data-original",
  "data-lazy-src",
  "data-lazy",
  "data-url",
  "data-full",
  "data-srcset",
];

/** File names of the stand-in pictures lazy loaders put in src. */
export const PLACEHOLDER_SRC =
  /(?:blank|placeholder|spacer|1x1|pixel|transparent|loading|lazy|grey|gray)\b/i;

/** Headings of related-story blocks, compared lower-case, without trailing punctuation. */
export const FURNITURE_MARKERS = new Set([
  "có thể bạn quan tâm",
  "bạn có thể quan tâm",
  "tin cùng chuyên mục",
  "cùng chuyên mục",
  "tin cùng danh mục",
  "tin liên quan",
  "tin tức liên quan",
  "bài liên quan",
  "bài viết liên quan",
  "đọc thêm",
  "xem thêm",
  "tin khác",
  "các tin khác",
  "tin mới",
  "tin mới nhất",
  "tin mới cập nhật",
  "tin nổi bật",
  "tin đọc nhiều",
  "đọc nhiều",
  "xem nhiều",
  "related",
  "related news",
  "related stories",
  "related articles",
  "related posts",
  "read more",
  "more stories",
  "more from this section",
  "you may also like",
  "you might also like",
  "recommended",
]);

/** "Đọc thêm: <another story>". */
export const READ_MORE_PREFIX =
  /^(?:đọc thêm|xem thêm|tin liên quan|bài liên quan|read more|related|see also)\s*[:>»›\-–—]\s*\S/i;

export const SOCIAL_PHRASES = [
  "chia sẻ bài viết",
  "chia sẻ",
  "sao chép liên kết",
  "sao chép link",
  "copy link",
  "bình luận",
  "theo dõi",
  "in bài",
  "gửi bài",
  "lưu bài",
  "quảng cáo",
  "advertisement",
];
export const SOCIAL_TOKENS = new Set([
  "fb",
  "facebook",
  "yt",
  "youtube",
  "zl",
  "zalo",
  "tw",
  "twitter",
  "x",
  "in",
  "li",
  "linkedin",
  "ig",
  "instagram",
  "tiktok",
  "telegram",
  "pinterest",
  "rss",
  "email",
  "e-mail",
  "mail",
  "print",
  "share",
  "tweet",
  "like",
  "gửi",
  "lưu",
  "copy",
  "link",
]);

/** "Bài, ảnh: Lê Nam", "Theo TTXVN", "By Jane Doe": what stands before a byline's name. */
export const AUTHOR_PREFIX =
  /^(?:tác giả|người viết|bài và ảnh|bài, ảnh|bài & ảnh|bài|ảnh|theo|nguồn|phóng viên|pv|by|author|written by)\s*[:\-–]?\s+/iu;

/** The prefixes that make a line a byline on its own (no date beside it) in a plain-text page. */
export const BYLINE_PREFIX =
  /^(?:tác giả|người viết|bài và ảnh|bài, ảnh|bài & ảnh|bài|ảnh|phóng viên|pv)\s*[:\-–]/iu;

/** Words joining two names in a byline ("Minh Anh và Thu Hà"). */
export const NAME_CONNECTORS = new Set(["và", "and"]);

/** Words around a date on a dateline ("Thứ hai, 26/01/2026 08:27 (GMT+7)", "Cập nhật lúc ..."). */
export const DATE_FILLER = [
  "chủ nhật",
  "thứ hai",
  "thứ ba",
  "thứ tư",
  "thứ năm",
  "thứ sáu",
  "thứ bảy",
  "thứ",
  "cập nhật",
  "cập nhật lúc",
  "đăng lúc",
  "đăng ngày",
  "ngày đăng",
  "xuất bản",
  "ngày",
  "lúc",
  "giờ",
  "gmt+7",
  "gmt +7",
  "utc+7",
  "published",
  "updated",
];
