/**
 * An ingest pass: feed checks as a pool. Up to FEED_CONCURRENCY feeds are checked at once, each
 * under its own deadline (check-feed.ts); a pass over the due feeds keeps asking the database
 * for feeds that fall due while it runs (waking when the next one is due), so a slow feed holds
 * one slot and nothing else. A pass ends when no feed is in flight and none is due; shutdown
 * (IngestDeps.signal) stops the fetches in flight and starts nothing new.
 */
import { type FeedSummary, type IngestDeps, ingestFeed } from "./check-feed";
import { DEFAULT_DEADLINE_SECONDS, DEFAULT_FEED_CONCURRENCY } from "./check-schedule";
import {
  claimDueFeeds,
  type Feed,
  getFeed,
  listFeeds,
  nextCheckTime,
  releaseFeedClaim,
} from "./feeds";

export { type FeedSummary, forEachLimited, type IngestDeps, ingestFeed } from "./check-feed";

export interface IngestRunOptions {
  /** Every feed, due or not, each once. */
  all?: boolean;
  /** Only this feed. */
  feedId?: number;
  /** Feeds checked at once; the policy's (FEED_CONCURRENCY) by default. */
  concurrency?: number;
  /** How often a pass over due feeds looks for more while checks are in flight. Default 1000. */
  pollMs?: number;
  /** Called after each feed, for progress bars; `total` grows as feeds fall due. */
  onFeedDone?: (summary: FeedSummary, done: number, total: number) => void;
  /** Called once the first list of feeds is known. */
  onStart?: (total: number) => void;
}

const DEFAULT_POLL_MS = 1000;
/** The shortest sleep between looks at the database, so nothing spins. */
const MIN_WAIT_MS = 5;

/** Resolves after `ms`, or at once when `signal` aborts; `cancel` drops the timer. */
function pause(ms: number, signal?: AbortSignal): { done: Promise<void>; cancel: () => void } {
  let cancel = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", finish);
      resolve();
    }
    signal?.addEventListener("abort", finish, { once: true });
    cancel = finish;
  });
  return { done, cancel };
}

/**
 * One ingest pass: the due feeds (or all, or one), a pool of checks at a time; one bad or slow
 * feed stops nothing. Summaries come back in feed order.
 */
export async function runIngest(
  deps: IngestDeps,
  options: IngestRunOptions = {},
): Promise<FeedSummary[]> {
  const limit = Math.max(
    1,
    options.concurrency ?? deps.policy.concurrency ?? DEFAULT_FEED_CONCURRENCY,
  );
  const signal = deps.signal;
  // A claimed feed is left alone this long: its check's deadline, and a minute to record it.
  const claimMs = ((deps.policy.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS) + 60) * 1000;
  const summaries: FeedSummary[] = [];
  const inFlight = new Map<number, Promise<void>>();
  /** Sources whose check threw (a database error): not tried again in this pass. */
  const broken = new Set<number>();
  let total = 0;

  const start = (feed: Feed) => {
    const run = ingestFeed(deps, feed)
      .then(async (summary) => {
        // Cut short by shutdown: due again as before, for whichever process checks next.
        if (summary.status === "interrupted") {
          await releaseFeedClaim(deps.db, feed);
        }
        summaries.push(summary);
        options.onFeedDone?.(summary, summaries.length, total);
      })
      .catch((error: unknown) => {
        broken.add(feed.id);
        deps.logger.error(
          { feedId: feed.id, error: error instanceof Error ? error.message : String(error) },
          "feed check failed",
        );
      })
      .finally(() => inFlight.delete(feed.id));
    inFlight.set(feed.id, run);
  };
  /** Waits until a check ends, the poll interval passes or shutdown comes. */
  const waitForAny = async (ms: number) => {
    const timer = pause(ms, signal);
    await Promise.race([timer.done, ...inFlight.values()]);
    timer.cancel();
  };

  if (options.feedId !== undefined || options.all) {
    const queue =
      options.feedId !== undefined
        ? [await getFeed(deps.db, options.feedId)]
        : (await listFeeds(deps.db)).filter((s) => !s.pausedAt); // asked by id: checked even paused
    total = queue.length;
    options.onStart?.(total);
    while (inFlight.size > 0 || (queue.length > 0 && !signal?.aborted)) {
      while (inFlight.size < limit && queue.length > 0 && !signal?.aborted) {
        start(queue.shift() as Feed);
      }
      await waitForAny(60_000);
    }
    return summaries.sort((a, b) => a.feedId - b.feedId);
  }

  let first = true;
  for (;;) {
    if (!signal?.aborted && inFlight.size < limit) {
      // Claimed, so that another process (all of them check feeds) takes other ones.
      const now = deps.clock();
      const starting = await claimDueFeeds(deps.db, {
        now: now.toISOString(),
        until: new Date(now.getTime() + claimMs).toISOString(),
        limit: limit - inFlight.size,
        except: [...inFlight.keys(), ...broken],
      });
      total += starting.length;
      if (first) options.onStart?.(total);
      first = false;
      for (const feed of starting) start(feed);
    }
    if (inFlight.size === 0) break;
    // Sleep until a check ends or the next feed falls due, and look again at least every pollMs
    // (a feed added by another process has no timer here).
    const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    let wait = pollMs;
    if (inFlight.size < limit && !signal?.aborted) {
      const next = await nextCheckTime(deps.db, [...inFlight.keys(), ...broken]);
      if (next !== null) {
        wait = Math.min(pollMs, Math.max(MIN_WAIT_MS, Date.parse(next) - deps.clock().getTime()));
      }
    }
    await waitForAny(wait);
  }
  return summaries.sort((a, b) => a.feedId - b.feedId);
}
