import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { migrateToLatest, openDatabase } from "../src/db";
import { isPostgres } from "../src/db/dialect";
import type { DbHandle } from "../src/db/schema";
import { indexText } from "../src/news/articles";
import { searchArticles } from "../src/news/search";
import { addTopic } from "../src/news/topics";
import { seededRandom } from "../test/fakes/base/random";
import { chosenStores } from "./options";
import { type BenchDatabase, createBenchDatabase, postgresSkipped } from "./postgres";
import { machine, percentile, recordFigures, writeSection } from "./results";
import { CATEGORIES, type CorpusStory, ingestOrder } from "./search-corpus";

/** Stories seeded by default (`npm run bench -- search --stories N` sets another). */
const DEFAULT_STORIES = 200_000;
let STORIES = DEFAULT_STORIES;

/**
 * Stores the stories through the real tables in transactions of 1,000: articles, their topic,
 * and article_search rows made as storeArticle makes them (folded text of headline, lead and
 * body), whose triggers fill the search indexes.
 */
export async function seed(db: DbHandle, count: number): Promise<void> {
  const ginIndexes = isPostgres(db) ? await dropGinIndexes(db) : [];
  const topics: number[] = [];
  for (const slug of CATEGORIES) {
    topics.push((await addTopic(db, { slug, name: { vi: slug, en: slug } })).id);
  }
  let batch: { i: number; story: CorpusStory; fetchedAt: string; topic: number }[] = [];
  for (const { i, story } of ingestOrder(count)) {
    const fetched = new Date(Date.parse(story.publishedAt) + 300_000 + (i % 7) * 60_000);
    batch.push({
      i,
      story,
      fetchedAt: fetched.toISOString(),
      topic: topics[i % topics.length] as number,
    });
    if (batch.length === 1000) {
      await store(db, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store(db, batch);
  for (const definition of ginIndexes) await sql.raw(definition).execute(db);
}

/**
 * PostgreSQL: the search table's GIN indexes, dropped for the load and made again after it (as
 * a bulk load does), since filling them a row at a time takes most of an hour at a million
 * stories on this machine. The definitions, to make them again.
 */
async function dropGinIndexes(db: DbHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`SELECT indexname AS name,
      indexdef AS definition FROM pg_indexes
    WHERE tablename = 'article_search' AND indexdef LIKE '% USING gin %'`.execute(db);
  for (const { name } of rows) await sql`DROP INDEX ${sql.id(name)}`.execute(db);
  return rows.map((r) => r.definition);
}

async function store(
  db: DbHandle,
  batch: { i: number; story: CorpusStory; fetchedAt: string; topic: number }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ids = await trx
      .insertInto("articles")
      .values(
        batch.map(({ i, story, fetchedAt, topic }) => ({
          url: `https://baolaocai.vn/tin-${i}.html`,
          guid: `bench-${i}`,
          content_hash: `bench-${i}`,
          title: story.title,
          lead: story.lead,
          body: story.body.join("\n\n"),
          photos: "[]",
          author: null,
          full_text: 1,
          published_at: story.publishedAt,
          fetched_at: fetchedAt,
          updated_at: fetchedAt,
          category_id: topic as number,
          source_id: null,
        })),
      )
      .returning("id")
      .execute();
    const id = (k: number) => (ids[k] as { id: number }).id;
    await trx
      .insertInto("article_categories")
      .values(
        batch.map(({ story, topic }, k) => ({
          article_id: id(k),
          category_id: topic as number,
          published_at: story.publishedAt,
        })),
      )
      .execute();
    await trx
      .insertInto("article_search")
      .values(
        batch.map(({ story }, k) => ({
          rowid: id(k),
          title: indexText(story.title),
          lead: indexText(story.lead),
          body: indexText(story.body.join(" ")),
        })),
      )
      .execute();
  });
}

/** What readers type: kinds of query, each a few times over. */
export const QUERIES: { kind: string; query: string; offset?: number }[] = [
  { kind: "words most stories have", query: "Lào Cai" },
  { kind: "words most stories have", query: "tỉnh" },
  { kind: "words most stories have", query: "hội nghị" },
  { kind: "words most stories have", query: "tỉnh Lào Cai" },
  { kind: "typed without accents", query: "lao cai" },
  { kind: "typed without accents", query: "hoi nghi" },
  { kind: "typed without accents", query: "tinh lao cai" },
  { kind: "typed without accents", query: "chuyen doi so" },
  { kind: "typed without accents", query: "nong thon moi" },
  { kind: "phrases", query: "chuyển đổi số" },
  { kind: "phrases", query: "xây dựng nông thôn mới" },
  { kind: "phrases", query: "phòng chống thiên tai" },
  { kind: "phrases", query: "cao tốc Nội Bài – Lào Cai" },
  { kind: "phrases", query: "Bí thư Tỉnh ủy" },
  { kind: "words of leads and bodies, rarely of headlines", query: "kinh phí" },
  { kind: "words of leads and bodies, rarely of headlines", query: "suất quà" },
  { kind: "words of leads and bodies, rarely of headlines", query: "đại biểu thảo luận" },
  { kind: "words of leads and bodies, rarely of headlines", query: "ngân sách tỉnh" },
  { kind: "words of leads and bodies, rarely of headlines", query: "cai lao" },
  { kind: "rare words", query: "voọc mũi hếch" },
  { kind: "rare words", query: "vooc" },
  { kind: "rare words", query: "thiên thạch" },
  { kind: "rare words", query: "kỷ lục Guinness" },
  { kind: "rare words", query: "Lào Cai sơn dương" },
  { kind: "eight-word pasted headlines", query: "thong tin doi ngoai ve quyen con nguoi" },
  { kind: "eight-word pasted headlines", query: "Sa Pa đẩy mạnh giảm nghèo bền vững" },
  { kind: "eight-word pasted headlines", query: "Lào Cai làm việc về an toàn giao thông" },
  { kind: "eight-word pasted headlines", query: "đại biểu đã thảo luận về chuyển đổi số" },
  { kind: "no match", query: "khủng long" },
  { kind: "no match", query: "tỉnh khủng long" },
  { kind: "page 3 (offset 10)", query: "lao cai", offset: 10 },
  { kind: "page 3 (offset 10)", query: "hoi nghi", offset: 10 },
  { kind: "page 3 (offset 10)", query: "thien thach", offset: 10 },
];
const KINDS = [...new Set(QUERIES.map((q) => q.kind))];
/** A chat page: 5 stories and one more to know whether there is a next page. */
const LIMIT = 6;
const ROUNDS = 100;
const WARM_UP = 3;

interface StoreRun {
  store: "sqlite" | "postgres";
  /** Null when the stories were there already (a kept database). */
  seedSeconds: number | null;
  size: number;
  parts: DiskParts;
  /** The machine's load average (1 minute) when the queries began. */
  load: number;
  /** Milliseconds per query index. */
  timings: number[][];
  /** Ids found per query index. */
  found: number[][];
}

/** Bytes on disk of the stories' table and of search's table and its indexes. */
interface DiskParts {
  articles: number;
  /** article_search itself (the folded text, recency; PostgreSQL: with its vectors). */
  searchTable: number;
  /** SQLite: the three FTS5 indexes; PostgreSQL: the indexes of article_search. */
  searchIndexes: number;
}

async function diskParts(db: DbHandle): Promise<DiskParts> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ a: string; t: string; i: string }>`SELECT
        pg_total_relation_size('articles') AS a, pg_table_size('article_search') AS t,
        pg_indexes_size('article_search') AS i`.execute(db);
    const row = rows[0] as { a: string; t: string; i: string };
    return { articles: Number(row.a), searchTable: Number(row.t), searchIndexes: Number(row.i) };
  }
  const { rows } = await sql<{ name: string; bytes: number }>`SELECT
      coalesce(s.tbl_name, d.name) AS name, sum(d.pgsize) AS bytes
    FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name GROUP BY 1`.execute(db);
  const bytes = (test: (name: string) => boolean) =>
    rows.filter((r) => test(r.name)).reduce((sum, r) => sum + Number(r.bytes), 0);
  return {
    articles: bytes((n) => n === "articles"),
    searchTable: bytes((n) => n === "article_search"),
    searchIndexes: bytes((n) => /^article_search_(title|lead|words)/.test(n)),
  };
}

/** Every query ROUNDS times, in a seeded shuffled order each round, after a warm-up. */
export async function measure(db: DbHandle): Promise<Pick<StoreRun, "timings" | "found">> {
  const random = seededRandom(11);
  const timings: number[][] = QUERIES.map(() => []);
  const found: number[][] = QUERIES.map(() => []);
  const run = (q: (typeof QUERIES)[number]) =>
    searchArticles(db, q.query, { limit: LIMIT, offset: q.offset ?? 0 });
  for (let round = 0; round < WARM_UP; round++) {
    for (const [k, q] of QUERIES.entries()) found[k] = (await run(q)).map((a) => a.id);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = QUERIES.map((_, k) => k).sort(() => random() - 0.5);
    for (const k of order) {
      const t0 = performance.now();
      await run(QUERIES[k] as (typeof QUERIES)[number]);
      (timings[k] as number[]).push(performance.now() - t0);
    }
  }
  return { timings, found };
}

/**
 * Seeds the stories unless the database holds them already (a kept one, see benchSearch), then
 * times the queries.
 */
async function runStore(
  store: StoreRun["store"],
  db: DbHandle,
  size: () => Promise<number>,
): Promise<StoreRun> {
  await migrateToLatest(db);
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(db);
  const stored = Number(rows[0]?.n ?? 0);
  let seedSeconds: number | null = null;
  if (stored === 0) {
    const t0 = performance.now();
    await seed(db, STORIES);
    // What autovacuum does on a live server: statistics, and GIN's pending entries merged.
    if (store === "postgres") await sql`vacuum analyze`.execute(db);
    seedSeconds = (performance.now() - t0) / 1000;
  } else if (stored !== STORIES) {
    throw new Error(`the kept ${store} database holds ${stored} stories, not ${STORIES}`);
  }
  const load = loadavg()[0] ?? 0;
  const parts = await diskParts(db);
  return { store, seedSeconds, size: await size(), parts, load, ...(await measure(db)) };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))} / ${ms(percentile(sorted, 99))} / ${ms(sorted.at(-1) ?? 0)}`;
}

function slowest(run: StoreRun): string {
  const p95 = run.timings.map((t) =>
    percentile(
      [...t].sort((a, b) => a - b),
      95,
    ),
  );
  const k = p95.indexOf(Math.max(...p95));
  const q = QUERIES[k] as (typeof QUERIES)[number];
  return `"${q.query}"${q.offset ? ` (offset ${q.offset})` : ""}, p95 ${ms(p95[k] as number)} ms`;
}

/**
 * Search at 200,000 stories (or `--stories N`): the same seeded stories in a temp-file SQLite
 * database and in a fresh PostgreSQL database, then a mix of queries, each timed through
 * searchArticles. Seeding a million stories takes most of an hour here, so
 * BENCH_SEARCH_SQLITE=<file> and BENCH_SEARCH_POSTGRES=<url of an existing database> name
 * databases to keep: seeded on the first run, migrated and only measured on the next.
 */
export async function benchSearch(options: { stories?: number } = {}): Promise<string> {
  STORIES = options.stories ?? DEFAULT_STORIES;
  const stores = chosenStores(process.env.BENCH_SEARCH_STORES);
  const runs: StoreRun[] = [];
  if (stores.includes("sqlite"))
    runs.push(await runSqlite(process.env.BENCH_SEARCH_SQLITE?.trim()));
  let postgresNote = "";
  let pgVersion = "";
  let database: BenchDatabase | undefined;
  if (stores.includes("postgres")) {
    const keptPostgres = process.env.BENCH_SEARCH_POSTGRES?.trim();
    try {
      database = keptPostgres ? await keptDatabase(keptPostgres) : await createBenchDatabase();
      pgVersion = database.version;
    } catch (error) {
      postgresNote = postgresSkipped(error);
    }
  }
  if (database) {
    const pg = openDatabase({ kind: "postgres", url: database.url, poolSize: 4 }).db;
    try {
      const size = async () => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT pg_database_size(current_database()) AS n`.execute(pg);
        return Number(rows[0]?.n ?? 0);
      };
      runs.push(await runStore("postgres", pg, size));
    } finally {
      await pg.destroy();
      await database.drop();
    }
  }
  return report(runs, pgVersion, postgresNote);
}

/** A temp-file SQLite database, or the kept file named by BENCH_SEARCH_SQLITE. */
async function runSqlite(keptSqlite: string | undefined): Promise<StoreRun> {
  const dir = keptSqlite ? null : mkdtempSync(join(tmpdir(), "bantin-bench-search-"));
  const path = keptSqlite || join(dir as string, "bench.db");
  const sqlite = openDatabase({ kind: "sqlite", path }).db;
  try {
    const size = async () => {
      const { rows } = await sql<{ n: number }>`SELECT page_count * page_size AS n
        FROM pragma_page_count(), pragma_page_size()`.execute(sqlite);
      return Number(rows[0]?.n ?? 0);
    };
    return await runStore("sqlite", sqlite, size);
  } finally {
    await sqlite.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** An existing database named by BENCH_SEARCH_POSTGRES, which the run leaves in place. */
async function keptDatabase(url: string): Promise<BenchDatabase> {
  const db = openDatabase({ kind: "postgres", url, poolSize: 1 }).db;
  try {
    const { rows } = await sql<{ v: string }>`SELECT version() AS v`.execute(db);
    const version = /^PostgreSQL [\d.]+/.exec(rows[0]?.v ?? "")?.[0] ?? "PostgreSQL";
    return { name: new URL(url).pathname.slice(1), url, version, drop: async () => {} };
  } finally {
    await db.destroy();
  }
}

function report(runs: StoreRun[], pgVersion: string, postgresNote: string): string {
  const sqliteRun = runs.find((r) => r.store === "sqlite");
  const pgRun = runs.find((r) => r.store === "postgres");
  const label = (run: StoreRun) => (run.store === "sqlite" ? "SQLite" : "PostgreSQL");
  const header = `| queries | runs |${runs.map((r) => ` ${label(r)} median / p95 / p99 / max (ms) |`).join("")}`;
  const line = (title: string, pick: (k: number) => boolean) => {
    const all = (run: StoreRun) => run.timings.filter((_, k) => pick(k)).flat();
    const count = runs[0] ? all(runs[0]).length : 0;
    return `| ${title} | ${count} |${runs.map((r) => ` ${stats(all(r))} |`).join("")}`;
  };
  const table = [
    header,
    `| --- | --- |${runs.map(() => " --- |").join("")}`,
    line("**all**", () => true),
    ...KINDS.map((kind) => {
      const examples = QUERIES.filter((q) => q.kind === kind).map((q) => `"${q.query}"`);
      return line(`${kind}: ${examples.join(", ")}`, (k) => QUERIES[k]?.kind === kind);
    }),
  ].join("\n");
  const same =
    sqliteRun && pgRun
      ? QUERIES.filter((_, k) => sqliteRun.found[k]?.join() === pgRun.found[k]?.join()).length
      : null;
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(0)} MB`;
  const seeded = runs
    .map(
      (r) =>
        `${r.store} ${r.seedSeconds === null ? "earlier (a kept database)" : `in ${r.seedSeconds.toFixed(0)} s`} (${mb(r.size)} on disk)`,
    )
    .join(", ");
  const per100k = (bytes: number) => mb((bytes * 100_000) / STORIES);
  const sizes = runs
    .map(
      (r) =>
        `${r.store} ${per100k(r.parts.searchIndexes)} of search indexes, ${per100k(r.parts.searchTable)} of article_search itself, ${per100k(r.parts.articles)} of articles`,
    )
    .join("; ");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${pgVersion ? `, ${pgVersion} on the same machine` : ""}.

${STORIES.toLocaleString("en-US")} seeded stories of a provincial newsroom over three years
(headline, a two-sentence lead, 3-6 paragraphs of body; the province's name in nearly every
story, "tỉnh" in nearly all, "hội nghị" in most; a few things in about one story in a thousand),
stored through the real tables (articles, their topic, article_search, whose triggers fill the
indexes) in transactions of 1,000, in feed order (newest first per page of 50, one in fifty
late), so ids do not follow publication times. Seeded: ${seeded}; PostgreSQL then had
\`VACUUM ANALYZE\`, as autovacuum would. Each of the ${QUERIES.length} queries below went
${ROUNDS} times through \`searchArticles\` (limit ${LIMIT}, a chat page and one more), in a
shuffled order each round after ${WARM_UP} warm-up rounds, one at a time on one process; the
time is \`performance.now()\` around the call, so it includes reading the stories' rows.
SQLite is a temp file (WAL); PostgreSQL a fresh database (pool of 4, dropped after the run),
loaded with its GIN indexes dropped and then made again, as a bulk load does.
Load average when the queries began: ${runs.map((r) => `${r.load.toFixed(1)} (${r.store})`).join(", ")}.
${same !== null ? `Same stories in the same order on both stores: ${same} of ${QUERIES.length} queries.` : "One store only (BENCH_SEARCH_STORES)."}
On disk per 100,000 stories: ${sizes}.
Slowest query by p95: ${runs.map((r) => `${label(r)} ${slowest(r)}`).join("; ")}.${postgresNote ? `\n\n${postgresNote}` : ""}

${table}`;
  if (STORIES === DEFAULT_STORIES && same !== null) writeSection("Search at 200,000 stories", body);
  const at = (p: number) => (run: StoreRun, pick: (k: number) => boolean) =>
    Number(
      percentile(
        run.timings
          .filter((_, k) => pick(k))
          .flat()
          .sort((a, b) => a - b),
        p,
      ).toFixed(2),
    );
  const byKind = (run: StoreRun, p: number) =>
    Object.fromEntries([
      ["all", at(p)(run, () => true)],
      ...KINDS.map((kind) => [kind, at(p)(run, (k) => QUERIES[k]?.kind === kind)]),
    ]);
  recordFigures("search", {
    stories: STORIES,
    sameResults: same,
    stores: runs.map((run) => ({
      store: run.store,
      bytes: run.size,
      bytesPer100k: Object.fromEntries(
        Object.entries(run.parts).map(([k, v]) => [k, Math.round((v * 100_000) / STORIES)]),
      ),
      p50ms: byKind(run, 50),
      p95ms: byKind(run, 95),
    })),
  });
  return table;
}
