/**
 * Full-story extraction from an article page's HTML: pure (HTML in, story out), never throws.
 *
 * Order of attempts: the source's own selectors, then the selectors of the Vietnamese news CMS
 * family (site-rules.ts), then Mozilla Readability. Whatever found the body, the same stages turn
 * it into the story: blocks.ts prunes the furniture and collects paragraphs and photos,
 * finish.ts assembles them; page-meta.ts reads author and publication time.
 */
import { Readability } from "@mozilla/readability";
import { cleanLine, dropLoneSurrogates } from "../../text/normalize";
import { collectBlocks, pruneBody } from "./blocks";
import {
  bodyOf,
  type DomDocument,
  type DomElement,
  hasClassWord,
  parseDocument,
  safeQueryAll,
  tagOf,
  textStats,
  visibleText,
} from "./dom";
import { finish, sameText } from "./finish";
import { nameFromLine } from "./lines";
import {
  agreesWithTitle,
  authorFromPage,
  fallbackTitle,
  headlineOf,
  judgePublishedTime,
  type PageMeta,
  publishedFromPage,
  readMeta,
  resolveBase,
} from "./page-meta";
import {
  BODY_REMOVALS,
  CMS_SELECTORS,
  COMMENTS_OR_TEASERS,
  type SelectorLists,
} from "./site-rules";
import type { ExtractedStory, ExtractOptions, ExtractorSelectors } from "./types";

/**
 * Within readers' comments, a box of other stories, an aside, a footer or a menu: a body
 * selector's match there is not the story. (Not every furniture word: a main column may be
 * classed "sidebar-1".)
 */
function insideCommentsOrTeasers(el: DomElement): boolean {
  for (let up = el.parentElement; up; up = up.parentElement) {
    const tag = tagOf(up);
    if (tag === "aside" || tag === "footer" || tag === "nav") return true;
    if (hasClassWord(up, COMMENTS_OR_TEASERS)) return true;
  }
  return false;
}

/** "(Dân trí) - ", "(VTC News) - ", "VOV.VN - ": the newsroom's tag before a sapo. */
const NEWSROOM_TAG = /^(?:\([^()]{2,30}\)|[\p{Lu}0-9][\p{Lu}0-9.]{1,15}\.VN)\s*[-–—:]\s*/u;

function withoutNewsroomTag(lead: string): string {
  const rest = lead.replace(NEWSROOM_TAG, "");
  return rest.length >= 20 ? rest : lead;
}

/** Title selectors that name no layout: any h1 (headlineOf chooses among them). */
const ANY_HEADING = new Set(["article h1", "h1"]);

/** Pages beyond this many characters are cut: a news story fits well inside. */
const MAX_HTML_CHARS = 3_000_000;
/** Deeper than this, a document is treated as hostile and yields nothing. */
const MAX_DEPTH = 1_000;
/** Readability is quadratic-ish in nesting depth; pathological pages skip it. */
const READABILITY_MAX_DEPTH = 200;
const READABILITY_MAX_ELEMENTS = 15_000;
const ANY_TAG = /<\/?[a-z][a-z0-9-]*[\s/>]/i;

interface Context {
  /** Set once an attempt has started pruning the document. */
  dirty: boolean;
  base: string;
  now: Date;
  meta: PageMeta;
  remove: string[];
}

/** The first element a selector finds that has visible text. */
function firstMatch(doc: DomDocument, selectors: string[]): DomElement | null {
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector)) {
      if (visibleText(el)) return el;
    }
  }
  return null;
}

/**
 * The body element; `strict` wants real text (at least `minChars` letters) that is not mostly
 * links (built-in selectors).
 */
function bodyMatch(
  doc: DomDocument,
  selectors: string[],
  strict: boolean,
  minChars = 100,
): DomElement | null {
  for (const selector of selectors) {
    for (const el of safeQueryAll(doc, selector).slice(0, 5)) {
      // A reader's comment or a teaser may carry the story's class; the story is not in there.
      if (strict && insideCommentsOrTeasers(el)) continue;
      const stats = textStats(el);
      if (!strict && stats.chars > 0) return el;
      if (stats.chars >= minChars && stats.linkChars / stats.chars < 0.5) return el;
    }
  }
  return null;
}

/** A story found by selectors, and whether the layout's headline and lead were both there. */
interface LayoutStory {
  story: ExtractedStory;
  knownLayout: boolean;
}

function extractWithSelectors(
  doc: DomDocument,
  selectors: SelectorLists,
  strict: boolean,
  ctx: Context,
): LayoutStory | null {
  // A layout's own headline class first; a bare h1 may be the site's name, so the page's title
  // decides which heading is the headline (headlineOf).
  const layoutTitle = firstMatch(
    doc,
    selectors.title.filter((s) => !ANY_HEADING.has(s)),
  );
  // A layout's class can also sit on the site's name ("h1.title" on a blog's banner): another
  // heading that the page's title agrees with is the headline then.
  const agreeing =
    layoutTitle && !selectors.trusted && !agreesWithTitle(visibleText(layoutTitle), ctx.meta)
      ? headlineOf(doc, ctx.meta)
      : null;
  const specific = agreeing?.el ? null : layoutTitle;
  const headline = specific ? null : (agreeing ?? headlineOf(doc, ctx.meta));
  const titleEl = specific ?? headline?.el ?? null;
  let leadEl = firstMatch(doc, selectors.lead);
  // A known layout with its headline and lead in place: a body of any length is a story (a
  // short brief), where a page without them needs a body long enough to be one.
  const layout = titleEl !== null && leadEl !== null;
  const bodyEl =
    bodyMatch(doc, selectors.body, strict) ??
    (layout ? bodyMatch(doc, selectors.body, strict, 1) : null);
  if (!bodyEl) return null;
  if (leadEl && (leadEl.contains(bodyEl) || leadEl === bodyEl)) leadEl = null;

  const titleText = specific ? visibleText(specific) : (headline?.text ?? fallbackTitle(ctx.meta));
  const leadText = leadEl ? withoutNewsroomTag(visibleText(leadEl)) : "";
  const author = authorFromPage(doc, ctx.meta);
  const publishedAt = publishedFromPage(doc, ctx.meta, titleEl, ctx.now);

  ctx.dirty = true;
  if (titleEl && bodyEl.contains(titleEl)) titleEl.remove();
  if (leadEl && bodyEl.contains(leadEl)) leadEl.remove();
  pruneBody(bodyEl, ctx.remove);

  const knownLayout = titleEl !== null && leadEl !== null;
  const story = finish({
    title: titleText,
    lead: leadText,
    blocks: collectBlocks(bodyEl, ctx.base),
    author,
    publishedAt,
    description: ctx.meta.description,
    knownLayout,
  });
  return story ? { story, knownLayout } : null;
}

function extractWithReadability(doc: DomDocument, ctx: Context): ExtractedStory | null {
  const body = bodyOf(doc);
  if (!body) return null;
  const stats = textStats(body);
  if (stats.maxDepth > READABILITY_MAX_DEPTH || stats.elements > READABILITY_MAX_ELEMENTS) {
    return null;
  }
  // Read what Readability would destroy first.
  const headline = headlineOf(doc, ctx.meta);
  const titleEl = headline.el;
  const pageAuthor = authorFromPage(doc, ctx.meta);
  let publishedAt = publishedFromPage(doc, ctx.meta, titleEl, ctx.now);

  const article = new Readability(doc as never, {
    keepClasses: true,
    maxElemsToParse: READABILITY_MAX_ELEMENTS,
  }).parse();
  const content = typeof article?.content === "string" ? article.content : "";
  if (!article || !content) return null;

  const contentDoc = parseDocument(`<!doctype html><html><body>${content}</body></html>`);
  const root = contentDoc && bodyOf(contentDoc);
  if (!root) return null;

  const title = headline.text || cleanLine(article.title ?? "");
  const author =
    pageAuthor ??
    (article.byline ? nameFromLine(article.byline.split(/\s*[|•·]\s*/u)[0] ?? "") : null);
  if (publishedAt.kind === "none") publishedAt = judgePublishedTime(article.publishedTime, ctx.now);

  for (const h of safeQueryAll(root, "h1,h2")) {
    if (sameText(visibleText(h), title)) h.remove();
  }
  pruneBody(root, []);
  return finish({
    title,
    lead: "",
    blocks: collectBlocks(root, ctx.base),
    author,
    publishedAt,
    description: ctx.meta.description,
  });
}

/** The source's selectors first, each list falling back to the CMS family's. */
function sourceSelectors(selectors: ExtractorSelectors): SelectorLists {
  return {
    // An editor's own selectors are taken at their word.
    trusted: true,
    title: selectors.title ? [selectors.title, ...CMS_SELECTORS.title] : CMS_SELECTORS.title,
    lead: selectors.lead ? [selectors.lead, ...CMS_SELECTORS.lead] : CMS_SELECTORS.lead,
    body: selectors.body ? [selectors.body] : CMS_SELECTORS.body,
  };
}

function hasAny(selectors: ExtractorSelectors | null | undefined): selectors is ExtractorSelectors {
  return Boolean(selectors && (selectors.title || selectors.lead || selectors.body));
}

function extractUnsafe(
  input: string,
  pageUrl: string,
  selectors: ExtractorSelectors | null | undefined,
  now: Date,
): ExtractedStory | null {
  if (typeof input !== "string") return null;
  const html = dropLoneSurrogates(
    input.length > MAX_HTML_CHARS ? input.slice(0, MAX_HTML_CHARS) : input,
  );
  if (!html.trim() || !ANY_TAG.test(html.slice(0, 65_536))) return null;

  const remove = (selectors?.remove ?? []).filter((s) => typeof s === "string" && s.trim());
  const base = resolveBase(null, pageUrl);
  let page: { doc: DomDocument; ctx: Context } | null = null;
  // Attempts prune the tree they work on; a pruned tree is parsed afresh for the next one.
  const clean = (): { doc: DomDocument; ctx: Context } | null => {
    if (page && !page.ctx.dirty) return page;
    const doc = parseDocument(html);
    if (!doc?.documentElement) return null;
    // No real page nests this deep; such markup is hostile and every query on it is slow.
    if (textStats(doc.documentElement).maxDepth > MAX_DEPTH) return null;
    const meta = readMeta(doc);
    for (const el of safeQueryAll(doc, "script, style, noscript, template")) el.remove();
    for (const selector of [...BODY_REMOVALS, ...remove]) {
      for (const el of safeQueryAll(doc, selector)) el.remove();
    }
    page = { doc, ctx: { base: resolveBase(doc, base), now, meta, remove, dirty: false } };
    return page;
  };

  if (hasAny(selectors)) {
    const p = clean();
    if (!p) return null;
    const found = extractWithSelectors(p.doc, sourceSelectors(selectors), !selectors.body, p.ctx);
    if (found) return found.story;
  }

  const p = clean();
  if (!p) return null;
  const found = extractWithSelectors(p.doc, CMS_SELECTORS, true, p.ctx);
  // A page in the news CMS family's layout (its headline and sapo in place) is read by it.
  if (found?.knownLayout) return found.story;
  const q = clean();
  const generic = q ? extractWithReadability(q.doc, q.ctx) : null;
  return found && generic ? theFuller(found.story, generic) : (found?.story ?? generic);
}

/** The words a reader gets of a story: lead, paragraphs, captions. */
function storyWords(story: ExtractedStory): string[] {
  const text = [story.lead, ...story.body, ...story.photos.map((p) => p.caption)].join(" ");
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The generic reader's story must have this many times the words to be taken instead… */
const FULLER_BY = 1.3;
/** …and hold this share of the known layout's words (so it is the same story, and more). */
const SAME_STORY_SHARE = 0.8;

/**
 * A known layout's selectors can find a block that is only part of the story (the first of two
 * `.entry-content`, a gallery's `[itemprop=articleBody]`): when the generic reader found the
 * same story with much more to it, its story is taken, with the layout's headline, lead, author
 * and time where it had them.
 */
function theFuller(layout: ExtractedStory, generic: ExtractedStory): ExtractedStory {
  const ours = storyWords(layout);
  const theirs = storyWords(generic);
  if (theirs.length < ours.length * FULLER_BY) return layout;
  const available = new Map<string, number>();
  for (const word of theirs) available.set(word, (available.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of ours) {
    const left = available.get(word) ?? 0;
    if (left > 0) {
      shared++;
      available.set(word, left - 1);
    }
  }
  if (shared < ours.length * SAME_STORY_SHARE) return layout;
  return {
    ...generic,
    title: layout.title || generic.title,
    author: layout.author ?? generic.author,
    publishedAt: layout.publishedAt ?? generic.publishedAt,
  };
}

/**
 * The story on an article page, or null when the page holds no recognisable body (a section
 * front, an error page, a page of links). Never throws.
 *
 * @param pageUrl the page's own URL, for resolving relative image URLs.
 * @param selectors per-source overrides, tried before the built-in selectors.
 */
export function extractArticlePage(
  html: string,
  pageUrl: string,
  selectors?: ExtractorSelectors | null,
  options: ExtractOptions = {},
): ExtractedStory | null {
  try {
    return extractUnsafe(html, pageUrl, selectors, options.now ?? new Date());
  } catch {
    return null;
  }
}
