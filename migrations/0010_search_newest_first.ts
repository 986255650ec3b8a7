import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// SQLite: the three FTS5 indexes of search (0004) are keyed by `recency`, and every search reads
// them newest first, ORDER BY rowid DESC: FTS5 walks its doclists backwards, page by page, which
// for a query of several common words (an eight-word pasted headline) costs several times what
// the same walk forwards costs, and grows with the number of stories. So the indexes are keyed
// by -recency instead: newest first is FTS5's own order. The indexes are made again from
// article_search (each story's folded text is there), in the migration's transaction; on a large
// database this takes minutes (a million stories: see docs/BENCHMARKS.md), once.
// PostgreSQL: nothing changes.

/**
 * SQLite: the pairs of neighbouring words of `text` (folded words one space apart), one space
 * apart, in order: "a b c" -> "a_b b_c" ('' for fewer than two words). As in 0004.
 */
function sqlitePairs(text: string): string {
  const words = `'["' || replace(${text}, ' ', '","') || '"]'`;
  return `coalesce((SELECT group_concat(a.value || '_' || b.value, ' ' ORDER BY a.key)
    FROM json_each(${words}) a JOIN json_each(${words}) b ON b.key = a.key + 1), '')`;
}

/** As in 0004: folded words cut at spaces only (see there). */
const TOKENIZE = `tokenize = "ascii"`;

const INDEXES: { table: string; column: string; text: string; options: string }[] = [
  {
    table: "article_search_title",
    column: "title",
    text: `title || ' ' || ${sqlitePairs("title")}`,
    options: `tokenize = "ascii tokenchars '_'"`,
  },
  {
    table: "article_search_lead",
    column: "lead",
    text: "lead",
    options: `detail = none, ${TOKENIZE}`,
  },
  {
    table: "article_search_words",
    column: "words",
    text: "title || ' ' || lead || ' ' || body",
    options: `detail = none, ${TOKENIZE}`,
  },
];

const TRIGGERS = ["article_search_insert", "article_search_delete", "article_search_update"];

/** 2^31: recency = published second * 2^31 + article id (0004). */
const ID_SPAN = 2147483648;

/** The FTS5 rowid of a story: `recency` (0004), or -recency (this migration). */
type Key = (recency: string) => string;

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
async function rebuild(db: Kysely<any>, key: Key): Promise<void> {
  for (const trigger of TRIGGERS) await sql`DROP TRIGGER ${sql.id(trigger)}`.execute(db);
  for (const index of INDEXES) {
    await sql`DROP TABLE ${sql.table(index.table)}`.execute(db);
    await sql`CREATE VIRTUAL TABLE ${sql.table(index.table)} USING fts5(${sql.raw(index.column)},
      content = '', contentless_delete = 1, ${sql.raw(index.options)})`.execute(db);
    await sql`INSERT INTO ${sql.table(index.table)} (rowid, ${sql.raw(index.column)})
      SELECT ${sql.raw(key("recency"))}, ${sql.raw(index.text)} FROM article_search`.execute(db);
  }
  const recency =
    sql.raw(`coalesce((SELECT min(max(CAST(strftime('%s', published_at) AS INTEGER), 0),
      4294967295) FROM articles WHERE id = new.rowid), 0) * ${ID_SPAN} + new.rowid`);
  const setRecency = sql`UPDATE article_search SET recency = ${recency} WHERE rowid = new.rowid;`;
  const insertIndexes = sql.join(
    INDEXES.map(
      (i) => sql`INSERT INTO ${sql.table(i.table)} (rowid, ${sql.raw(i.column)})
        SELECT ${sql.raw(key("recency"))}, ${sql.raw(i.text)} FROM article_search
        WHERE rowid = new.rowid;`,
    ),
    sql` `,
  );
  const deleteIndexes = sql.join(
    INDEXES.map(
      (i) => sql`DELETE FROM ${sql.table(i.table)} WHERE rowid = ${sql.raw(key("old.recency"))};`,
    ),
    sql` `,
  );
  await sql`CREATE TRIGGER article_search_insert AFTER INSERT ON article_search BEGIN
    ${setRecency} ${insertIndexes}
  END`.execute(db);
  await sql`CREATE TRIGGER article_search_delete AFTER DELETE ON article_search BEGIN
    ${deleteIndexes}
  END`.execute(db);
  // Setting recency itself (above) is not one of these columns, so it sets off nothing.
  await sql`CREATE TRIGGER article_search_update AFTER UPDATE OF rowid, title, lead, body
    ON article_search BEGIN
    ${deleteIndexes} ${setRecency} ${insertIndexes}
  END`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await rebuild(db, (recency) => `-${recency}`);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await rebuild(db, (recency) => recency);
}
