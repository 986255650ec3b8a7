import { type RawBuilder, sql } from "kysely";
import { isPostgres } from "../db/dialect";
import type { Db } from "../db/schema";
import { searchTokens } from "../text/tokens";
import { type Article, toArticle } from "./articles";

const MAX_QUERY_TOKENS = 12;
const MAX_TOKEN_LENGTH = 40;

/** The words of a user's query, folded, in order, as typed (repeats kept). */
function typedTokens(query: string): string[] {
  return searchTokens(query)
    .filter((t) => t.length <= MAX_TOKEN_LENGTH)
    .slice(0, MAX_QUERY_TOKENS);
}

/** The words of a user's query, folded: "Đối  ngoại!" -> ["doi", "ngoai"]. */
export function queryTokens(query: string): string[] {
  return [...new Set(typedTokens(query))];
}

export interface SearchOptions {
  limit: number;
  offset?: number;
}

/**
 * The tiers of a search, best first. A story is in the first tier whose test it passes, and
 * every tier's stories are also in the last one (every word somewhere in the story).
 */
type Tier = "phrase in headline" | "headline" | "lead" | "anywhere";

const TIERS: Tier[] = ["phrase in headline", "headline", "lead", "anywhere"];

/** What one query looks for: its words (each once) and, for two words or more, the phrase. */
interface Wanted {
  words: string[];
  /** The words as typed, in order, when there are at least two; else null. */
  phrase: string[] | null;
  tiers: Tier[];
}

function wanted(query: string): Wanted | null {
  const typed = typedTokens(query);
  const words = [...new Set(typed)];
  if (words.length === 0) return null;
  const phrase = typed.length >= 2 ? typed : null;
  return { words, phrase, tiers: phrase ? TIERS : TIERS.slice(1) };
}

/**
 * Accent-insensitive search: every word must appear in the story (headline, lead, body or photo
 * captions). Stories come in tiers: the words as typed, one after the other, in the headline
 * (for queries of two words or more); every word in the headline; every word in the lead; the
 * rest. Newest first within each tier (by the second of publication, then the later stored).
 *
 * No query sorts all the matches of a word most stories have (docs/BENCHMARKS.md, "Search at
 * 200,000 stories"): on SQLite each tier is one FTS5 query that reads its index newest first and
 * stops at the end of the page; on PostgreSQL the newest stories are read first, and GIN is asked
 * only for the tiers they cannot fill.
 */
export async function searchArticles(
  db: Db,
  query: string,
  options: SearchOptions,
): Promise<Article[]> {
  const want = wanted(query);
  const offset = Math.max(0, options.offset ?? 0);
  const limit = Math.max(0, options.limit);
  if (!want || limit === 0) return [];
  // Hidden stories are left out after the index answers: asking it for as many more ids as
  // there are hidden stories (a few) keeps every page full.
  const hidden = await countHiddenArticles(db);
  const need = offset + limit + hidden;
  const found = isPostgres(db)
    ? await postgresIds(db, want, need)
    : await sqliteIds(db, want, need);
  const hiddenIds = hidden > 0 ? await hiddenArticleIds(db, found) : new Set<number>();
  const ids = found.filter((id) => !hiddenIds.has(id)).slice(offset, offset + limit);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("articles").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toArticle(row)] : [];
  });
}

/** The ids among `ids` of hidden stories. */
async function hiddenArticleIds(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("articles")
    .select("id")
    .where("id", "in", ids)
    .where("hidden_at", "is not", null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** How many stories are hidden (a few: the partial index articles_hidden holds them). */
async function countHiddenArticles(db: Db): Promise<number> {
  const row = await db
    .selectFrom("articles")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("hidden_at", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** recency = published second * 2^31 + article id (migration 0004): the id is its low bits. */
const ID_BITS = 2147483647;

// SQLite: one contentless FTS5 table per part, whose rowid is minus the story's recency
// (migration 0010), so newest first is the order FTS5 reads its index in.

/** FTS5 strings: each word quoted (so no user text is FTS syntax). */
const ftsWords = (words: string[]) => words.map((w) => `"${w}"`).join(" ");

/** The headline's word pairs of a phrase, in order: "tinh lao cai" -> tinh_lao, lao_cai. */
function pairs(phrase: string[]): string[] {
  return phrase.slice(1).map((w, i) => `${phrase[i]}_${w}`);
}

const SQLITE_TIERS: Record<Tier, { table: string; match: (w: Wanted) => string }> = {
  // The pairs one after the other: one FTS5 phrase of tokens most headlines do not have.
  "phrase in headline": {
    table: "article_search_title",
    match: (w) => `"${pairs(w.phrase ?? []).join(" ")}"`,
  },
  headline: { table: "article_search_title", match: (w) => ftsWords(w.words) },
  lead: { table: "article_search_lead", match: (w) => ftsWords(w.words) },
  anywhere: { table: "article_search_words", match: (w) => ftsWords(w.words) },
};

/**
 * The first `need` ids in tier order. A tier's query asks for `need` rows newest first, which
 * is enough: at most `found` of them were in an earlier tier, and the tier needs `need - found`.
 */
async function sqliteIds(db: Db, want: Wanted, need: number): Promise<number[]> {
  const found: number[] = [];
  const seen = new Set<number>();
  for (const tier of want.tiers) {
    const { table, match } = SQLITE_TIERS[tier];
    const { rows } = await sql<{ id: number }>`SELECT -rowid & ${sql.lit(ID_BITS)} AS id
      FROM ${sql.table(table)} WHERE ${sql.table(table)} MATCH ${match(want)}
      ORDER BY rowid LIMIT ${need}`.execute(db);
    for (const { id } of rows) {
      if (seen.has(id)) continue;
      seen.add(id);
      found.push(id);
    }
    if (found.length >= need) break;
  }
  return found;
}

// PostgreSQL: article_search has title_words (words and pairs, with places), lead_words and
// all_words under GIN, and a btree on recency. Each vector also holds "~<period>", the story's
// 30-day period (recency / PERIOD).

const PERIOD = 2592000 * 2147483648;
/** The newest stories read first, in recency order, for words many stories have ... */
const WINDOW = 500;
/** ... until this many of them match: enough to fill a page from one tier of many. */
const WINDOW_HITS = 200;
/** The most rows one GIN fetch returns. */
const CAP = 500;

/** A quoted tsquery literal (quote and backslash escaped), so no user text is tsquery syntax. */
const literal = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** Tests of one row, by tier as numbered in TIERS (0 phrase in headline ... 3 anywhere). */
interface PgTests {
  /** Tier t's own test: it passes, and no earlier tier's does. */
  only: RawBuilder<boolean>[];
  /** Every word somewhere: every tier's rows pass it. */
  anywhere: RawBuilder<boolean>;
  /** The tier of a row that passes `anywhere`. */
  tier: RawBuilder<number>;
  /** The vector each tier's test reads, where its period words are too. */
  columns: string[];
}

function pgTests(want: Wanted): PgTests {
  const all = sql`to_tsquery('simple', ${want.words.map(literal).join(" & ")})`;
  // The pairs are lexemes as they are: no text parser (it would split them at "_").
  const phrase = want.phrase
    ? sql<boolean>`title_words @@ ${pairs(want.phrase).map(literal).join(" <-> ")}::tsquery`
    : sql<boolean>`false`;
  const headline = sql<boolean>`title_words @@ ${all}`;
  const lead = sql<boolean>`lead_words @@ ${all}`;
  const anywhere = sql<boolean>`all_words @@ ${all}`;
  return {
    only: [
      phrase,
      sql<boolean>`${headline} AND NOT (${phrase})`,
      sql<boolean>`${lead} AND NOT (${headline})`,
      sql<boolean>`${anywhere} AND NOT (${headline}) AND NOT (${lead})`,
    ],
    anywhere,
    tier: sql<number>`CASE WHEN ${phrase} THEN 0 WHEN ${headline} THEN 1 WHEN ${lead} THEN 2 ELSE 3 END`,
    columns: ["title_words", "title_words", "lead_words", "all_words"],
  };
}

interface Hit {
  id: number;
  tier: number;
}

/**
 * What one query found, newest first. `complete`: every row of its test is there; otherwise
 * every such row newer than the last one given. `tiers`: the tiers its test covers.
 */
interface Source {
  hits: Hit[];
  complete: boolean;
  tiers: number[];
  /** Of the last two periods only. */
  recent: boolean;
}

/**
 * The newest WINDOW stories, read by the recency btree, with the tier of each that matches (the
 * first WINDOW_HITS matches): for words many stories have, this alone fills the page. Also says
 * whether the window reaches back past the last two periods (then asking GIN for those periods
 * would find nothing new).
 */
async function windowSource(db: Db, t: PgTests): Promise<Source & { deep: boolean }> {
  const period = (recency: RawBuilder<unknown>) => sql`(${recency}) / ${sql.lit(PERIOD)}`;
  const { rows } = await sql<Hit & { deep: boolean }>`SELECT w.rowid AS id, ${t.tier} AS tier,
      ${period(sql`SELECT recency FROM article_search ORDER BY recency DESC
        OFFSET ${sql.lit(WINDOW - 1)} LIMIT 1`)}
        < ${period(sql`SELECT max(recency) FROM article_search`)} - 1 AS deep
    FROM (SELECT rowid, recency, title_words, lead_words, all_words FROM article_search
      ORDER BY recency DESC LIMIT ${sql.lit(WINDOW)}) w
    WHERE ${t.anywhere} ORDER BY w.recency DESC LIMIT ${sql.lit(WINDOW_HITS)}`.execute(db);
  const hits = rows.map(({ id, tier }) => ({ id, tier }));
  return {
    hits,
    complete: false,
    tiers: [0, 1, 2, 3],
    recent: false,
    deep: rows[0]?.deep ?? false,
  };
}

/**
 * Rows of one tier (or of every tier: `tier` null) from GIN, newest first: of the last two
 * 30-day periods, or of all time. `recency + 0` keeps the planner from walking the recency btree
 * and testing row after row, its choice for words it thinks common, and slow when they are not.
 */
async function ginSource(
  db: Db,
  t: PgTests,
  tier: number | null,
  recent: boolean,
): Promise<Source> {
  let test = tier === null ? t.anywhere : (t.only[tier] as RawBuilder<boolean>);
  if (recent) {
    // The periods are in the same vector as the words, so GIN intersects them itself.
    const column = sql.ref(t.columns[tier ?? 3] as string);
    test = sql<boolean>`${test} AND ${column} @@ (SELECT (quote_literal('~' || p::text)
      || ' | ' || quote_literal('~' || (p - 1)::text))::tsquery
      FROM (SELECT max(recency) / ${sql.lit(PERIOD)} AS p FROM article_search) newest)`;
  }
  const { rows } = await sql<Hit>`SELECT rowid AS id, ${t.tier} AS tier FROM article_search
    WHERE ${test} ORDER BY recency + 0 DESC LIMIT ${CAP}`.execute(db);
  return {
    hits: rows,
    complete: !recent && rows.length < CAP,
    tiers: tier === null ? [0, 1, 2, 3] : [tier],
    recent,
  };
}

/** The newest `wanted` ids of `tier` if the source can tell them, else null. */
function resolve(source: Source, tier: number, wanted: number): number[] | null {
  if (!source.tiers.includes(tier)) return null;
  const ids = source.hits.filter((h) => h.tier === tier).map((h) => h.id);
  if (source.complete || ids.length >= wanted) return ids.slice(0, wanted);
  return null;
}

/**
 * The first `need` ids in tier order. The window answers for words many stories have. A tier it
 * cannot fill is asked of GIN for the last two periods first (the period words are rarer than
 * common words, so GIN intersects fewer entries, and a tier with a page there is done), then for
 * all time: what is left for all time is a tier with few matches. When the window has no match
 * at all, the words are rare: one GIN query finds every tier of the last two periods, and one
 * more every tier of all time if those were not a page.
 */
async function postgresIds(db: Db, want: Wanted, need: number): Promise<number[]> {
  const t = pgTests(want);
  const window = await windowSource(db, t);
  const sources: Source[] = [window];
  const recentFirst = !window.deep;
  if (window.hits.length === 0) {
    const recent = recentFirst ? await ginSource(db, t, null, true) : null;
    if (recent) sources.push(recent);
    if (!recent || recent.hits.length < need) sources.push(await ginSource(db, t, null, false));
  }
  const found: number[] = [];
  for (const tier of want.tiers.map((name) => TIERS.indexOf(name))) {
    const wanted = need - found.length;
    if (wanted <= 0) break;
    let ids: number[] | null = null;
    for (const source of sources) ids ??= resolve(source, tier, wanted);
    const asked = (recent: boolean) =>
      sources.some((s) => s !== window && s.recent === recent && s.tiers.includes(tier));
    for (const recent of recentFirst ? [true, false] : [false]) {
      if (ids) break;
      if (asked(recent)) continue;
      const source = await ginSource(db, t, tier, recent);
      sources.push(source);
      ids = resolve(source, tier, wanted);
    }
    // Only for a page past the first CAP stories of the tier.
    ids ??= await tierPage(db, t, tier, wanted);
    found.push(...ids);
  }
  return found;
}

async function tierPage(db: Db, t: PgTests, tier: number, wanted: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT rowid AS id FROM article_search
    WHERE ${t.only[tier] as RawBuilder<boolean>} ORDER BY recency + 0 DESC LIMIT ${wanted}`.execute(
    db,
  );
  return rows.map((r) => r.id);
}
