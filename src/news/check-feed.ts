/**
 * One feed check: conditional GET, parse, and for each item store the story once (with its full
 * text when the feed asks for it), all under one deadline. What was found before the deadline
 * is stored and the rest waits for the next check; a shutdown stops the check and records
 * nothing, so the feed is due again at the next start.
 */
import type { Clock } from "../clock";
import { describeError } from "../db/errors";
import type { Db } from "../db/schema";
import type { Logger } from "../logging";
import { findArticleByUrl, linkArticleToTopic } from "./articles";
import { canonicalUrl, contentHash } from "./canonical";
import {
  type CheckPolicy,
  DEFAULT_DEADLINE_SECONDS,
  nextCheckAfterFailure,
  nextCheckAfterSuccess,
} from "./check-schedule";
import { type ExtractedStory, extractArticlePage } from "./extract";
import { type FeedItem, parseFeed } from "./feed/parse-feed";
import { type Feed, recordFetchFailure, recordFetchSuccess } from "./feeds";
import { FetchError } from "./fetch/fetch-error";
import { HostLimiter } from "./fetch/host-limiter";
import type { Fetcher } from "./fetch/http-fetch";
import { createStoreBatch, type StoreBatch } from "./store-batch";

export interface IngestDeps {
  db: Db;
  fetcher: Fetcher;
  clock: Clock;
  policy: CheckPolicy;
  logger: Logger;
  /** Per-request limits for feeds and story pages (the fetcher's defaults otherwise). */
  fetchLimits?: { timeoutMs?: number; maxBytes?: number };
  /** Shutdown: aborting it stops every fetch in flight and starts no new check. */
  signal?: AbortSignal;
}

export interface FeedSummary {
  feedId: number;
  url: string;
  /**
   * ok: the feed was read (some pages may have failed); not-modified: it answered 304; failed:
   * the feed itself could not be fetched or read; interrupted: stopped by shutdown.
   */
  status: "ok" | "not-modified" | "failed" | "interrupted";
  /** The feed answered 304: nothing to do. */
  notModified: boolean;
  new: number;
  updated: number;
  unchanged: number;
  /** Items or story pages that could not be read (each stored from the feed if possible). */
  failed: number;
  /** Items the feed gave without a link or title. */
  skipped: number;
  /** Items left for the next check: the deadline or shutdown came first. */
  waiting: number;
  /** Why the whole feed failed, in plain words; null when it did not. */
  error: string | null;
  /** Problems with single items or pages, in plain words (the feed's page problems). */
  warnings: string[];
}

const MAX_TITLE_CHARS = 500;
/** Story pages fetched at once for one feed. */
const PAGE_CONCURRENCY = 4;
/**
 * Items of a feed read from the feed's own text at once: no page to wait for, so as many as a
 * stored batch holds, and they go into one transaction together.
 */
const FEED_ITEM_CONCURRENCY = 200;
/**
 * Story pages of one feed check in flight to one site at once. The fetcher allows 2 per site,
 * so a feed whose pages hang holds one and the site's other feeds keep the other.
 */
const PAGES_PER_HOST = 1;
const PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/** An error in plain words: a full disk or a read-only database named as such. */
const message = describeError;

/** Never in the future, and never later than the first time we saw it. */
function publishedTime(item: FeedItem, page: ExtractedStory | null, now: Date): string {
  const nowIso = now.toISOString();
  const candidate = item.publishedAt ?? page?.publishedAt ?? null;
  if (!candidate || candidate > nowIso) return nowIso;
  return candidate;
}

/** The check's own signal: its deadline, or shutdown, whichever comes first. */
function startCheck(shutdown: AbortSignal | undefined, deadlineSeconds: number) {
  const controller = new AbortController();
  let cut: "deadline" | "shutdown" | null = null;
  const onShutdown = () => {
    cut ??= "shutdown";
    controller.abort(new FetchError("aborted", "stopped: bantin is shutting down"));
  };
  const timer = setTimeout(() => {
    cut ??= "deadline";
    controller.abort(
      new FetchError("aborted", `stopped at the feed check's ${deadlineSeconds} s deadline`),
    );
  }, deadlineSeconds * 1000);
  if (shutdown?.aborted) onShutdown();
  else shutdown?.addEventListener("abort", onShutdown, { once: true });
  return {
    signal: controller.signal,
    cut: () => cut,
    dispose() {
      clearTimeout(timer);
      shutdown?.removeEventListener("abort", onShutdown);
    },
  };
}

export async function forEachLimited<T>(
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

/**
 * Checks one feed. Never throws for the feed's sake: the outcome, good or bad, is recorded on
 * the feed's health (the feed's own error apart from page problems) and returned.
 */
export async function ingestFeed(deps: IngestDeps, feed: Feed): Promise<FeedSummary> {
  const log = deps.logger.child({ feedId: feed.id });
  const summary: FeedSummary = {
    feedId: feed.id,
    url: feed.url,
    status: "ok",
    notModified: false,
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    waiting: 0,
    error: null,
    warnings: [],
  };
  const deadlineSeconds = deps.policy.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS;
  const check = startCheck(deps.signal, deadlineSeconds);
  const started = Date.now();
  try {
    if (check.cut() === "shutdown") {
      summary.status = "interrupted";
      return summary;
    }
    const result = await deps.fetcher.fetchText(feed.url, {
      ...deps.fetchLimits,
      etag: feed.etag,
      lastModified: feed.lastModified,
      signal: check.signal,
    });
    if (result.status === "not-modified") {
      summary.status = "not-modified";
      summary.notModified = true;
      await recordFetchSuccess(deps.db, feed.id, {
        at: deps.clock().toISOString(),
        nextCheckAt: nextCheckAfterSuccess(deps.clock(), deps.policy),
      });
      return summary;
    }
    const parsed = parseFeed(result.body, result.url);
    summary.skipped = parsed.skipped.length;
    for (const skipped of parsed.skipped) summary.warnings.push(`item skipped: ${skipped.reason}`);

    const pageHosts = new HostLimiter(PAGES_PER_HOST);
    const batch = createStoreBatch(deps.db, FEED_ITEM_CONCURRENCY);
    const concurrency = feed.fullText ? PAGE_CONCURRENCY : FEED_ITEM_CONCURRENCY;
    await forEachLimited(parsed.items, concurrency, async (item) => {
      if (check.signal.aborted) {
        summary.waiting++;
        return;
      }
      const outcome = await ingestItem(deps, feed, item, {
        warnings: summary.warnings,
        signal: check.signal,
        pageHosts,
        batch,
      });
      summary[outcome]++;
    });

    if (check.cut() === "shutdown") {
      summary.status = "interrupted";
      return summary;
    }
    const cutByDeadline = check.cut() === "deadline";
    if (cutByDeadline) {
      summary.warnings.push(
        `the check stopped at its ${deadlineSeconds} s deadline; ${summary.waiting} ${summary.waiting === 1 ? "story waits" : "stories wait"} for the next check`,
      );
    }
    await recordFetchSuccess(deps.db, feed.id, {
      at: deps.clock().toISOString(),
      nextCheckAt: nextCheckAfterSuccess(deps.clock(), deps.policy),
      // A check cut short keeps the old validators, so the next one reads the whole feed again.
      ...(cutByDeadline ? {} : { etag: result.etag, lastModified: result.lastModified }),
      pageProblems: { count: summary.warnings.length, last: summary.warnings.at(-1) ?? null },
    });
    log.info(
      {
        new: summary.new,
        updated: summary.updated,
        failed: summary.failed,
        waiting: summary.waiting,
        ms: Date.now() - started,
      },
      "feed checked",
    );
  } catch (error) {
    if (check.cut() === "shutdown") {
      summary.status = "interrupted";
      return summary;
    }
    summary.status = "failed";
    summary.error = message(error);
    const now = deps.clock();
    await recordFetchFailure(deps.db, feed.id, {
      at: now.toISOString(),
      error: summary.error,
      nextCheckAt: nextCheckAfterFailure(now, feed.failuresInRow + 1, deps.policy),
    });
    log.warn({ error: summary.error }, "feed failed");
  } finally {
    check.dispose();
  }
  return summary;
}

type ItemOutcome = "new" | "updated" | "unchanged" | "failed" | "waiting";

interface ItemContext {
  warnings: string[];
  signal: AbortSignal;
  pageHosts: HostLimiter;
  batch: StoreBatch;
}

/** The story page, read; null when it has no story text. Throws what the fetch throws. */
async function fetchPage(
  deps: IngestDeps,
  feed: Feed,
  link: string,
  ctx: ItemContext,
): Promise<ExtractedStory | null | "not-modified"> {
  const release = await ctx.pageHosts.acquire(new URL(link).host, ctx.signal);
  try {
    const fetched = await deps.fetcher.fetchText(link, {
      ...deps.fetchLimits,
      accept: PAGE_ACCEPT,
      signal: ctx.signal,
    });
    if (fetched.status !== "ok") return "not-modified";
    return extractArticlePage(fetched.body, fetched.url, feed.selectors);
  } finally {
    release();
  }
}

async function ingestItem(
  deps: IngestDeps,
  feed: Feed,
  item: FeedItem,
  ctx: ItemContext,
): Promise<ItemOutcome> {
  const { warnings } = ctx;
  let url: string;
  try {
    url = canonicalUrl(item.link);
  } catch {
    warnings.push(`item "${item.title.slice(0, 80)}" has a link that is not a URL`);
    return "failed";
  }
  const feedHash = contentHash({ title: item.title, lead: item.lead, body: [item.link] });
  const known = await findArticleByUrl(deps.db, url);
  if (known && known.feedHash === feedHash && (known.fullText || !feed.fullText)) {
    // Seen before, unchanged in the feed: only make sure it is listed in this feed's topic.
    await linkArticleToTopic(deps.db, known.id, feed.topicId, known.publishedAt);
    return "unchanged";
  }

  let page: ExtractedStory | null = null;
  let pageFailed = false;
  if (feed.fullText) {
    try {
      const read = await fetchPage(deps, feed, item.link, ctx);
      if (read !== "not-modified") page = read;
      if (read === null)
        warnings.push(`no story text found on ${item.link}; kept the feed's summary`);
    } catch (error) {
      // Cut by the deadline or shutdown: nothing stored, the story waits for the next check.
      if (ctx.signal.aborted) return "waiting";
      warnings.push(`story page ${item.link}: ${message(error)}`);
      // A refused address is never fetched nor stored: the feed pointed somewhere it must not.
      if (error instanceof FetchError && error.kind === "refused") return "failed";
      pageFailed = true;
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
  const { outcome } = await ctx.batch.store({
    url,
    guid: item.guid,
    contentHash: contentHash({ title, lead, body }),
    feedHash,
    title,
    lead,
    body,
    photos,
    media: item.media,
    author: page?.author ?? item.author,
    fullText: page !== null && body.length > 0,
    publishedAt: publishedTime(item, page, now),
    fetchedAt: now.toISOString(),
    topicId: feed.topicId,
    feedId: feed.id,
  });
  return pageFailed ? "failed" : outcome;
}
