import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import type { Logger } from "../logging";
import { findArticleByUrl, linkArticleToCategory, storeArticle } from "./articles";
import { canonicalUrl, contentHash } from "./canonical";
import { type CheckPolicy, nextCheckAfterFailure, nextCheckAfterSuccess } from "./check-schedule";
import { type ExtractedStory, extractArticlePage } from "./extract";
import { type FeedItem, parseFeed } from "./feed/parse-feed";
import type { Fetcher } from "./fetch/http-fetch";
import {
  findDueSources,
  getSource,
  listSources,
  recordFetchFailure,
  recordFetchSuccess,
  recordItemProblem,
  type Source,
} from "./sources";

export interface IngestDeps {
  db: Db;
  fetcher: Fetcher;
  clock: Clock;
  policy: CheckPolicy;
  logger: Logger;
  /** Per-request limits for feeds and story pages (the fetcher's defaults otherwise). */
  fetchLimits?: { timeoutMs?: number; maxBytes?: number };
}

export interface SourceSummary {
  sourceId: number;
  url: string;
  /** The feed answered 304: nothing to do. */
  notModified: boolean;
  new: number;
  updated: number;
  unchanged: number;
  /** Items or story pages that could not be read (each stored from the feed if possible). */
  failed: number;
  /** Items the feed gave without a link or title. */
  skipped: number;
  /** Why the whole feed failed, in plain words; null when it did not. */
  error: string | null;
  /** Problems with single items or pages, in plain words. */
  warnings: string[];
}

const MAX_TITLE_CHARS = 500;
/** Story pages fetched at once for one feed (the fetcher also limits per host). */
const PAGE_CONCURRENCY = 4;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Never in the future, and never later than the first time we saw it. */
function publishedTime(item: FeedItem, page: ExtractedStory | null, now: Date): string {
  const nowIso = now.toISOString();
  const candidate = item.publishedAt ?? page?.publishedAt ?? null;
  if (!candidate || candidate > nowIso) return nowIso;
  return candidate;
}

/**
 * Checks one feed: conditional GET, parse, and for each item store the story once (with its
 * full text when the source asks for it). Never throws: the outcome, good or bad, is recorded on
 * the source's health and returned.
 */
export async function ingestSource(deps: IngestDeps, source: Source): Promise<SourceSummary> {
  const log = deps.logger.child({ sourceId: source.id });
  const summary: SourceSummary = {
    sourceId: source.id,
    url: source.url,
    notModified: false,
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    error: null,
    warnings: [],
  };
  const started = deps.clock();
  try {
    const result = await deps.fetcher.fetchText(source.url, {
      ...deps.fetchLimits,
      etag: source.etag,
      lastModified: source.lastModified,
    });
    if (result.status === "not-modified") {
      summary.notModified = true;
      await recordFetchSuccess(deps.db, source.id, {
        at: deps.clock().toISOString(),
        nextCheckAt: nextCheckAfterSuccess(deps.clock(), deps.policy),
      });
      return summary;
    }
    const feed = parseFeed(result.body, result.url);
    summary.skipped = feed.skipped.length;
    for (const skipped of feed.skipped) summary.warnings.push(`item skipped: ${skipped.reason}`);

    await forEachLimited(feed.items, PAGE_CONCURRENCY, async (item) => {
      const outcome = await ingestItem(deps, source, item, summary.warnings);
      summary[outcome]++;
    });

    await recordFetchSuccess(deps.db, source.id, {
      at: deps.clock().toISOString(),
      nextCheckAt: nextCheckAfterSuccess(deps.clock(), deps.policy),
      etag: result.etag,
      lastModified: result.lastModified,
    });
    if (summary.warnings.length > 0) {
      await recordWarning(deps, source.id, summary.warnings);
    }
    log.info(
      {
        new: summary.new,
        updated: summary.updated,
        failed: summary.failed,
        ms: Date.now() - started.getTime(),
      },
      "feed checked",
    );
  } catch (error) {
    summary.error = message(error);
    const now = deps.clock();
    await recordFetchFailure(deps.db, source.id, {
      at: now.toISOString(),
      error: summary.error,
      nextCheckAt: nextCheckAfterFailure(now, source.failuresInRow + 1, deps.policy),
    });
    log.warn({ error: summary.error }, "feed failed");
  }
  return summary;
}

async function recordWarning(deps: IngestDeps, sourceId: number, warnings: string[]) {
  const text =
    warnings.length === 1 ? warnings[0] : `${warnings.length} problems; first: ${warnings[0]}`;
  if (!text) return;
  await recordItemProblem(deps.db, sourceId, { at: deps.clock().toISOString(), error: text });
}

type ItemOutcome = "new" | "updated" | "unchanged" | "failed";

async function ingestItem(
  deps: IngestDeps,
  source: Source,
  item: FeedItem,
  warnings: string[],
): Promise<ItemOutcome> {
  let url: string;
  try {
    url = canonicalUrl(item.link);
  } catch {
    warnings.push(`item "${item.title.slice(0, 80)}" has a link that is not a URL`);
    return "failed";
  }
  const feedHash = contentHash({ title: item.title, lead: item.lead, body: [item.link] });
  const known = await findArticleByUrl(deps.db, url);
  if (known && known.feedHash === feedHash && (known.fullText || !source.fullText)) {
    // Seen before, unchanged in the feed: only make sure it is listed in this feed's category.
    await linkArticleToCategory(deps.db, known.id, source.categoryId, known.publishedAt);
    return "unchanged";
  }

  let page: ExtractedStory | null = null;
  let pageFailed = false;
  if (source.fullText) {
    try {
      const fetched = await deps.fetcher.fetchText(item.link, {
        ...deps.fetchLimits,
        accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
      });
      if (fetched.status === "ok") {
        page = extractArticlePage(fetched.body, fetched.url, source.selectors);
        if (!page) warnings.push(`no story text found on ${item.link}; kept the feed's summary`);
      }
    } catch (error) {
      pageFailed = true;
      warnings.push(`story page ${item.link}: ${message(error)}`);
    }
  }

  const now = deps.clock();
  const title = (page?.title || item.title).slice(0, MAX_TITLE_CHARS);
  const lead = page?.lead || item.lead;
  const body = page?.body ?? [];
  const photos =
    page && page.photos.length > 0
      ? page.photos
      : item.imageUrl
        ? [{ url: item.imageUrl, caption: "" }]
        : [];
  const { outcome } = await storeArticle(deps.db, {
    url,
    guid: item.guid,
    contentHash: contentHash({ title, lead, body }),
    feedHash,
    title,
    lead,
    body,
    photos,
    author: page?.author ?? item.author,
    fullText: page !== null && body.length > 0,
    publishedAt: publishedTime(item, page, now),
    fetchedAt: now.toISOString(),
    categoryId: source.categoryId,
    sourceId: source.id,
  });
  return pageFailed ? "failed" : outcome;
}

async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

export interface IngestRunOptions {
  /** Every source, due or not. */
  all?: boolean;
  /** Only this source. */
  sourceId?: number;
  /** Feeds checked at once. */
  concurrency?: number;
  /** Called after each source, for progress bars. */
  onSourceDone?: (summary: SourceSummary, done: number, total: number) => void;
  /** Called once the list of sources is known. */
  onStart?: (total: number) => void;
}

/** One ingest run: the due feeds (or all, or one), a few at a time; one bad feed stops nothing. */
export async function runIngest(
  deps: IngestDeps,
  options: IngestRunOptions = {},
): Promise<SourceSummary[]> {
  const sources =
    options.sourceId !== undefined
      ? [await getSource(deps.db, options.sourceId)]
      : options.all
        ? await listSources(deps.db)
        : await findDueSources(deps.db, deps.clock().toISOString());
  options.onStart?.(sources.length);
  const summaries: SourceSummary[] = [];
  await forEachLimited(sources, options.concurrency ?? 4, async (source) => {
    const summary = await ingestSource(deps, source);
    summaries.push(summary);
    options.onSourceDone?.(summary, summaries.length, sources.length);
  });
  return summaries.sort((a, b) => a.sourceId - b.sourceId);
}
