import { migrateToLatest, openDatabase } from "../src/db";
import { silentLogger } from "../src/logging";
import { addFeed, recordFetchSuccess } from "../src/news/feeds";
import { createFetcher } from "../src/news/fetch/http-fetch";
import { type IngestDeps, runIngest } from "../src/news/ingest";
import { addTopic } from "../src/news/topics";
import { CATEGORY_NAMES, CATEGORY_SLUGS, startFakeNewsSite } from "../test/fakes/news-site";
import { machine, percentile, writeSection } from "./results";

const HANGING_PAGES = 20;
const ROUNDS = 5;
/** The second healthy feed falls due this long after the pass started (one per round). */
const FALLS_DUE_MS = [3_100, 3_300, 3_500, 3_700, 3_900];
/** Shutdown comes this long after the pass started, with the slow check still in flight. */
const SHUTDOWN_MS = 6_000;

interface Round {
  /** A healthy feed due with the slow one: from the pass's start to its check's end. */
  together: number;
  /** A healthy feed that falls due during the pass: from its due time to its check's end. */
  fallsDue: number;
  /** From abort() to runIngest returning and the fetcher closed. */
  shutdown: number;
  /** The slow check's stories left for the next check. */
  waiting: number;
}

/** A healthy feed's check alone: the baseline the delays are measured against. */
async function aloneMs(): Promise<number> {
  const { deps, site, close } = await setUp();
  try {
    await addFeed(deps.db, { url: site.feedUrl("kinh-te"), topicId: 2, fullText: true });
    const started = performance.now();
    await runIngest(deps);
    return performance.now() - started;
  } finally {
    await close();
  }
}

async function setUp() {
  const site = await startFakeNewsSite();
  for (let i = 0; i < HANGING_PAGES; i++) {
    site.addArticle({
      id: 590_000 + i,
      title: `Giải bóng đá phong trào số ${i + 1} khai mạc tại sân vận động tỉnh`,
      lead: `Trận thứ ${i + 1} của giải phong trào thu hút đông đảo người hâm mộ.`,
      body: ["Ban tổ chức cho biết giải năm nay có nhiều đội bóng trẻ tham dự hơn mọi năm."],
      categories: ["the-thao"],
      author: "Minh Khôi",
      publishedAt: "27/01/2026 09:00",
      image: "/uploads/2026/01/27/bong-da.jpg",
    });
    site.fail(site.articlePath(590_000 + i), "timeout");
  }
  const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
  await migrateToLatest(db);
  for (const slug of CATEGORY_SLUGS) {
    await addTopic(db, { slug, name: { vi: CATEGORY_NAMES[slug], en: slug } });
  }
  const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });
  const deps: IngestDeps = {
    db,
    fetcher,
    clock: () => new Date(),
    // The defaults: FEED_CONCURRENCY 8, FEED_DEADLINE_SECONDS 60, a 15 s timeout per request.
    policy: { intervalMinutes: 15, maxBackoffMinutes: 360 },
    logger: silentLogger(),
  };
  return {
    deps,
    site,
    close: async () => {
      await fetcher.close();
      await db.destroy();
      await site.close();
    },
  };
}

/**
 * One pass as the scheduler starts it: the slow feed (20 story pages that never answer) and a
 * healthy feed of the same site are due; a second healthy feed falls due 3 s later; shutdown
 * comes at 6 s, while the slow check still waits on its pages.
 */
async function round(fallsDueMs: number): Promise<Round> {
  const { deps, site, close } = await setUp();
  try {
    const slow = await addFeed(deps.db, {
      url: site.feedUrl("the-thao"),
      topicId: 5,
      fullText: true,
    });
    const healthy = await addFeed(deps.db, {
      url: site.feedUrl("kinh-te"),
      topicId: 2,
      fullText: true,
    });
    const later = await addFeed(deps.db, {
      url: site.feedUrl("van-hoa"),
      topicId: 4,
      fullText: true,
    });
    const started = performance.now();
    const dueAt = new Date(Date.now() + fallsDueMs).toISOString();
    await recordFetchSuccess(deps.db, later.id, {
      at: new Date().toISOString(),
      nextCheckAt: dueAt,
    });
    const ended = new Map<number, number>();
    const stop = new AbortController();
    let stoppedAt = 0;
    const shutdown = setTimeout(() => {
      stoppedAt = performance.now();
      stop.abort();
    }, SHUTDOWN_MS);
    const summaries = await runIngest(
      { ...deps, signal: stop.signal },
      { onFeedDone: (s) => ended.set(s.feedId, performance.now() - started) },
    );
    await deps.fetcher.close();
    const shutdownMs = performance.now() - stoppedAt;
    clearTimeout(shutdown);
    const slowSummary = summaries.find((s) => s.feedId === slow.id);
    if (slowSummary?.status !== "interrupted") throw new Error("the slow check ended early");
    const together = ended.get(healthy.id);
    const fallsDue = ended.get(later.id);
    if (together === undefined || fallsDue === undefined) throw new Error("a feed was not checked");
    return {
      together,
      fallsDue: fallsDue - fallsDueMs,
      shutdown: shutdownMs,
      waiting: slowSummary.waiting,
    };
  } finally {
    await close();
  }
}

export async function benchFeedPool(): Promise<string> {
  await aloneMs(); // warm-up: JIT, first connections
  const alone: number[] = [];
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    alone.push(await aloneMs());
    rounds.push(await round(FALLS_DUE_MS[i % FALLS_DUE_MS.length] as number));
  }
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const worst = (values: number[]) => Math.max(...values);
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const base = median(alone);
  const delays = [...rounds.map((r) => r.together - base), ...rounds.map((r) => r.fallsDue - base)];
  const table = [
    `| measure | median | worst of ${ROUNDS} |`,
    "| --- | --- | --- |",
    `| healthy feed checked alone (baseline) | ${ms(base)} | ${ms(worst(alone))} |`,
    `| healthy feed due with the slow feed: due -> checked | ${ms(median(rounds.map((r) => r.together)))} | ${ms(worst(rounds.map((r) => r.together)))} |`,
    `| healthy feed falling due mid-pass: due -> checked | ${ms(median(rounds.map((r) => r.fallsDue)))} | ${ms(worst(rounds.map((r) => r.fallsDue)))} |`,
    `| **delay the slow feed adds to a healthy feed's due check** | ${ms(median(delays))} | **${ms(worst(delays))}** |`,
    `| shutdown: abort -> pass returned, connections closed | ${ms(median(rounds.map((r) => r.shutdown)))} | ${ms(worst(rounds.map((r) => r.shutdown)))} |`,
  ].join("\n");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

One ingest pass (\`runIngest\`, as the scheduler's ingest job runs it) against the fake news site
(real HTTP on 127.0.0.1) with the default settings: 8 feeds at once, 2 connections per site, a
60 s deadline per feed check and a 15 s timeout per request. The slow feed lists
${HANGING_PAGES} stories whose pages never answer; two healthy full-text feeds live on the same
site (the worst case: they share its 2 connections). One healthy feed is due with the slow one;
the other falls due 3.1 to 3.9 s into the pass, while the slow check waits on its pages (the
pass wakes when the next feed falls due, and looks again at least every second); shutdown comes
at ${SHUTDOWN_MS / 1000} s. "Delay" is a healthy feed's time from due to
checked, less the median of the same check with no slow feed around (after one warm-up).
${ROUNDS} rounds, each on a fresh site and database; the slow check left ${rounds[0]?.waiting ?? 0} stories waiting for
the next check when shutdown stopped it.

${table}`;
  writeSection("Feed checks: a slow feed beside healthy ones", body);
  return table;
}
