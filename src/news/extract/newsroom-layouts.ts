/**
 * Vietnamese newsrooms' article layouts, as data: where each keeps its headline, sapo, body and
 * byline, and which boxes inside its body are not the story. Most sites run on one of two CMSs
 * (VCCorp's, with `data-role` attributes and `PhotoCMS_Caption`; EPI's, with `article__*` and
 * `cms-*` classes, also behind many provincial papers such as Báo Lào Cai), the rest have their
 * own. Selectors are tried in this order, after a source's own; class names are distinct enough
 * across sites that one list serves every page.
 */

export interface NewsroomLayout {
  name: string;
  title: string[];
  lead: string[];
  body: string[];
  /** Boxes inside the body that are never story text (related stories, embeds, ads). */
  remove?: string[];
  /** Where the byline is, when the story does not close with it. */
  author?: string[];
}

export const NEWSROOM_LAYOUTS: NewsroomLayout[] = [
  {
    name: "VnExpress",
    title: ["h1.title-detail"],
    lead: ["p.description"],
    body: ["article.fck_detail", ".fck_detail"],
    // The place the story is from, shown before the sapo by the page's style.
    remove: [".location-stamp"],
    author: ["p.author_mail strong"],
  },
  {
    name: "VCCorp CMS (Tuổi Trẻ, Thanh Niên, Người Lao Động …)",
    title: ['h1[data-role="title"]', "h1.detail-title"],
    lead: ['[data-role="sapo"]', ".detail-sapo"],
    body: ['[data-role="content"]', ".detail-content.afcbc-body", "#main-detail-body"],
    remove: [
      // Boxes the editor embeds among the paragraphs; only a photo is story.
      '.VCSortableInPreviewMode:not([type="Photo"])',
      ".box-category-link-detail",
      ".PhotoCMS_Author",
      ".detail__related",
    ],
    author: ['[data-role="author"]', ".author-info .name", ".detail-author"],
  },
  {
    name: "Dân trí",
    title: ["h1.title-page.detail", "article.singular-container h1", ".e-magazine__title"],
    lead: ["h2.singular-sapo", ".e-magazine__sapo"],
    body: ["div.singular-content", ".e-magazine__body"],
    author: [".author-wrap .author-name"],
  },
  {
    name: "VietNamNet",
    title: ["h1.content-detail-title"],
    lead: ["h2.content-detail-sapo"],
    body: ["#maincontent", "div.maincontent"],
    author: [".article-detail-author__main a[title]", ".article-detail-author__info .name"],
  },
  {
    name: "ZNews",
    title: ["h1.the-article-title"],
    lead: ["p.the-article-summary"],
    body: ["div.the-article-body"],
    author: [".the-article-credit .author", "p.the-article-author"],
  },
  {
    name: "Lao Động",
    title: ["article.article-detail h1.title", ".article-detail h1"],
    lead: ["div.chappeau"],
    body: ["#gallery-ctt", "div.art-body"],
    remove: [".tin-lien-quan"],
    author: ["span.author"],
  },
  {
    name: "VOV",
    title: [".article-title h1", ".row.article-title"],
    lead: [".row.article-summary", ".article-summary"],
    body: [".article-content .text-long", "div.text-long"],
    remove: [".block-ads", ".insert_ads"],
  },
  {
    name: "VTV",
    title: ["h1.title_detail"],
    lead: ["h2.sapo"],
    body: ["#entry-body", "div.ta-justify"],
  },
  {
    name: "VTC News",
    title: ["section.nd-detail h1"],
    lead: ["section.nd-detail h2"],
    body: ["div.edittor-content"],
    remove: ["p.expEdit"],
  },
  {
    name: "EPI CMS (Nhân Dân, Báo Lào Cai and provincial papers)",
    title: ["h1.article__title", "h1.cms-title", ".article__title"],
    lead: [".article__sapo", ".cms-desc"],
    body: [".article__body", ".cms-body", ".zce-content-body"],
    remove: [".notebox"],
    author: [".article__author", ".cms-author"],
  },
  {
    name: "Provincial longform (Công Lý, Báo Tin tức, Hải Phòng, Đà Nẵng, Hà Nội Mới)",
    title: [".sc-longform-header-title"],
    lead: [".sc-longform-header-sapo"],
    body: ["div.b-maincontent", ".boxdetail"],
    author: [".sc-longform-header-author"],
  },
  {
    name: "Provincial (#dcontent, #newscontents)",
    title: [],
    lead: [],
    body: ["#dcontent", "#newscontents"],
  },
];

const all = (pick: (layout: NewsroomLayout) => string[] | undefined) =>
  NEWSROOM_LAYOUTS.flatMap((layout) => pick(layout) ?? []);

/** Every layout's selectors of one kind, in order. */
export const LAYOUT_TITLES = all((l) => l.title);
export const LAYOUT_LEADS = all((l) => l.lead);
export const LAYOUT_BODIES = all((l) => l.body);
export const LAYOUT_REMOVALS = all((l) => l.remove);
export const LAYOUT_AUTHORS = all((l) => l.author);
