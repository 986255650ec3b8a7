import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateToLatest, openDatabase } from "../src/db";
import { silentLogger } from "../src/logging";
import { addFeed } from "../src/news/feeds";
import { createFetcher } from "../src/news/fetch/http-fetch";
import { type IngestDeps, runIngest } from "../src/news/ingest";
import { addTopic } from "../src/news/topics";
import { seededRandom } from "../test/fakes/base/random";
import {
  CATEGORY_NAMES,
  CATEGORY_SLUGS,
  type CategorySlug,
  startFakeNewsSite,
} from "../test/fakes/news-site";
import { machine, writeSection } from "./results";

/** Stories in the feed-only case: five feeds (topics) of 800 each. */
const FEED_STORIES = 4_000;
/** Stories in the full-text case: each page fetched and extracted. */
const PAGE_STORIES = 300;
const ROUNDS = 3;
/** The URLs of the stories this benchmark adds to the site (ids 700000 and up). */
const OURS = /post7\d{5}\.html/;

const WORDS = [
  "Lào Cai",
  "hội nghị",
  "tỉnh",
  "nông thôn mới",
  "du lịch",
  "Sa Pa",
  "mưa lớn",
  "giao thông",
  "học sinh",
  "y tế",
  "đầu tư",
  "biên giới",
  "văn hóa",
  "lễ hội",
  "cao tốc",
];

interface Row {
  case: string;
  stories: number;
  stored: number;
  seconds: number;
  perSecond: number;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  const text = out.join(" ");
  return `${text[0]?.toUpperCase()}${text.slice(1)}.`;
}

/** One round: a fresh site and a fresh temp-file SQLite database, one feed, one ingest pass. */
async function round(kind: "feed" | "pages", seed: number): Promise<Row> {
  const stories = kind === "feed" ? FEED_STORIES : PAGE_STORIES;
  const random = seededRandom(seed);
  const site = await startFakeNewsSite();
  for (let i = 0; i < stories; i++) {
    site.addArticle({
      id: 700_000 + i,
      title: `${sentence(random, 5)} Số ${i + 1}`,
      lead: sentence(random, 18),
      body: [sentence(random, 60), sentence(random, 60), sentence(random, 40)],
      categories: [
        kind === "feed" ? (CATEGORY_SLUGS[i % CATEGORY_SLUGS.length] as CategorySlug) : "kinh-te",
      ],
      author: "Phóng viên",
      publishedAt: `${String(1 + (i % 28)).padStart(2, "0")}/01/2026 ${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`,
      image: `/uploads/2026/01/${i}.jpg`,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-ingest-"));
  const { db } = openDatabase({ kind: "sqlite", path: join(dir, "bench.db") });
  const fetcher = createFetcher({ allowPrivate: ["127.0.0.1"] });
  try {
    await migrateToLatest(db);
    for (const slug of CATEGORY_SLUGS)
      await addTopic(db, { slug, name: { vi: CATEGORY_NAMES[slug], en: slug } });
    const slugs = kind === "feed" ? CATEGORY_SLUGS : (["kinh-te"] as const);
    for (const slug of slugs) {
      await addFeed(db, {
        url: site.feedUrl(slug),
        topicId: CATEGORY_SLUGS.indexOf(slug) + 1,
        fullText: kind === "pages",
      });
    }
    // Stories already on the fake site (its own sample news) are not counted.
    const before = new Set(
      (await db.selectFrom("articles").select("url").execute()).map((a) => a.url),
    );
    const deps: IngestDeps = {
      db,
      fetcher,
      clock: () => new Date(),
      // The pass over all pages must fit in one check's deadline.
      policy: { intervalMinutes: 15, maxBackoffMinutes: 360, deadlineSeconds: 600 },
      logger: silentLogger(),
    };
    const started = performance.now();
    const summaries = await runIngest(deps);
    const failed = summaries.filter((x) => x.status !== "ok").length;
    if (failed > 0) throw new Error(`ingest bench: ${failed} feed check(s) did not end ok`);
    if (process.env.BENCH_DEBUG)
      console.error(
        summaries.map((x) => [x.status, x.new, x.failed, x.error, x.warnings.slice(0, 2)]),
      );
    const seconds = (performance.now() - started) / 1000;
    const stored = (await db.selectFrom("articles").select(["url", "full_text"]).execute()).filter(
      (a) => OURS.test(a.url) && !before.has(a.url) && (kind === "feed" || a.full_text === 1),
    ).length;
    return {
      case: kind === "feed" ? "stories from five feeds (feed text only)" : "full-text pages",
      stories,
      stored,
      seconds,
      perSecond: stored / seconds,
    };
  } finally {
    await fetcher.close();
    await db.destroy();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchIngest(): Promise<string> {
  const rows: Row[] = [];
  for (const kind of ["feed", "pages"] as const)
    for (let r = 0; r < ROUNDS; r++) rows.push(await round(kind, 11 + r));
  const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });
  const table = [
    "| case | round | stories in the feed | stored | time | stored per second |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r, i) =>
        `| ${r.case} | ${(i % ROUNDS) + 1} | ${fmt(r.stories)} | ${fmt(r.stored)} | ${r.seconds.toFixed(2)} s | ${fmt(r.perSecond)} |`,
    ),
  ].join("\n");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

One ingest pass (\`runIngest\`, as the scheduler's ingest job runs it) over one feed of the fake
news site (real HTTP on 127.0.0.1, in this process), into a temp-file SQLite database (WAL),
${ROUNDS} rounds each on a fresh site and database. First five feeds listing ${fmt(FEED_STORIES)} stories
(800 each), checked at once as the pass does, stored from the feed's own text (title, lead, link): fetch, parse, canonical URL, the
already-seen check, store once and index for search. Then a full-text feed of ${PAGE_STORIES} stories, each
page fetched (at most one request at a time to the site, as for any one host) and extracted
(site rules, then Readability) before it is stored; "stored" counts stories stored with their
full text. Time is \`performance.now()\` around the pass. Aims: 2,000 stories a second from a
feed, 50 full-text pages a second.

${table}`;
  writeSection("Ingest: stories stored per second", body);
  return body;
}
