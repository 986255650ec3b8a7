import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// Search ranks in tiers (the words as typed, one after the other, in the headline; every word in
// the headline; in the lead; anywhere) and newest first within each, and must answer in
// milliseconds at hundreds of thousands of stories, also for words nearly every story has. So
// the index gets:
//
// - `recency`, one integer per story that sorts as "newest first" does: the second it was
//   published (Unix time, clamped to 1970..2106) times 2^31, plus the article id (ids are below
//   2^31, PostgreSQL's integer), so stories of the same second go by id. It is set from
//   articles.published_at by a trigger, so whatever writes article_search (the application, a
//   database copy) writes what it always wrote: rowid (the article id), title, lead, body.
// - The headline's word pairs ("tinh lao cai" has "tinh_lao lao_cai"): the phrase "tỉnh Lào Cai"
//   is the pairs tinh_lao, lao_cai one after the other, found as quickly as any rare word,
//   where matching a phrase of words nearly every headline has means reading all their places.
// - An index per part, read in recency order so that a tier stops at the page's end.
//   SQLite: article_search becomes a plain table, and triggers keep three contentless FTS5
//   tables whose rowid is `recency` (FTS5 walks rowids newest first and stops at the LIMIT):
//   the headline's words and pairs (with positions), the lead, and all the words of the story.
//   PostgreSQL: three generated tsvectors under GIN (the headline's words and pairs with
//   positions; the lead's and all the words' without) replace the weighted `document`, and a
//   btree on `recency` lets the newest stories be read first. GIN cannot give its matches newest
//   first, so each vector also holds a word for the 30-day period the story was published in
//   ("~20454", a form no word of a story takes): a query can ask for the last two periods only.

/** 2^31: recency = published second * 2^31 + article id. */
const ID_SPAN = 2147483648;
/** 30 days in seconds times 2^31: recency / PERIOD is the story's 30-day period. */
const PERIOD = 2592000 * ID_SPAN;

/**
 * The indexed text is already folded into words one space apart (the application's
 * searchTokens), so the index must cut it at the spaces and nowhere else: the ascii tokenizer
 * treats every non-ASCII character as part of a word. unicode61 would cut again where its older
 * Unicode tables disagree with Node's (U+19B0 was a mark in Unicode 6.1), turning one query word
 * into a phrase, which detail=none refuses.
 */
const TOKENIZE = `tokenize = "ascii"`;

/**
 * SQLite: the pairs of neighbouring words of `text` (folded words one space apart), one space
 * apart, in order: "a b c" -> "a_b b_c" ('' for fewer than two words).
 */
function sqlitePairs(text: string): string {
  const words = `'["' || replace(${text}, ' ', '","') || '"]'`;
  return `coalesce((SELECT group_concat(a.value || '_' || b.value, ' ' ORDER BY a.key)
    FROM json_each(${words}) a JOIN json_each(${words}) b ON b.key = a.key + 1), '')`;
}

const SQLITE_INDEXES: { table: string; column: string; text: string; options: string }[] = [
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

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE article_search_text (
    rowid INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    recency INTEGER
  )`.execute(db);
  for (const index of SQLITE_INDEXES) {
    await sql`CREATE VIRTUAL TABLE ${sql.table(index.table)} USING fts5(${sql.raw(index.column)},
      content = '', contentless_delete = 1, ${sql.raw(index.options)})`.execute(db);
  }
  const recency =
    sql.raw(`coalesce((SELECT min(max(CAST(strftime('%s', published_at) AS INTEGER), 0),
      4294967295) FROM articles WHERE id = new.rowid), 0) * ${ID_SPAN} + new.rowid`);
  const setRecency = sql`UPDATE article_search SET recency = ${recency} WHERE rowid = new.rowid;`;
  const insertIndexes = sql.join(
    SQLITE_INDEXES.map(
      (i) => sql`INSERT INTO ${sql.table(i.table)} (rowid, ${sql.raw(i.column)})
        SELECT recency, ${sql.raw(i.text)} FROM article_search WHERE rowid = new.rowid;`,
    ),
    sql` `,
  );
  const deleteIndexes = sql.join(
    SQLITE_INDEXES.map((i) => sql`DELETE FROM ${sql.table(i.table)} WHERE rowid = old.recency;`),
    sql` `,
  );

  // The stories indexed so far move over (those of articles that are gone stay behind), then
  // the plain table takes the name the application writes to, and the triggers fill the indexes.
  await sql`INSERT INTO article_search_text (rowid, title, lead, body)
    SELECT rowid, title, lead, body FROM article_search
    WHERE rowid IN (SELECT id FROM articles)`.execute(db);
  await sql`DROP TABLE article_search`.execute(db);
  await sql`ALTER TABLE article_search_text RENAME TO article_search`.execute(db);
  await sql`UPDATE article_search SET recency = coalesce((SELECT
      min(max(CAST(strftime('%s', published_at) AS INTEGER), 0), 4294967295)
      FROM articles WHERE id = article_search.rowid), 0) * ${sql.raw(String(ID_SPAN))} + rowid`.execute(
    db,
  );
  for (const i of SQLITE_INDEXES) {
    await sql`INSERT INTO ${sql.table(i.table)} (rowid, ${sql.raw(i.column)})
      SELECT recency, ${sql.raw(i.text)} FROM article_search`.execute(db);
  }
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
async function upPostgres(db: Kysely<any>): Promise<void> {
  const seconds = (publishedAt: string) =>
    `least(greatest(floor(extract(epoch from (${publishedAt})::timestamptz)), 0), 4294967295)::bigint`;
  await sql`CREATE FUNCTION article_search_recency() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.recency := (SELECT ${sql.raw(seconds("a.published_at"))} * ${sql.raw(String(ID_SPAN))}
        + a.id FROM articles a WHERE a.id = NEW.rowid);
      RETURN NEW;
    END
  $$`.execute(db);
  await sql`ALTER TABLE article_search ADD COLUMN recency bigint`.execute(db);
  await sql`UPDATE article_search s SET recency = ${sql.raw(seconds("a.published_at"))}
    * ${sql.raw(String(ID_SPAN))} + a.id FROM articles a WHERE a.id = s.rowid`.execute(db);
  await sql`ALTER TABLE article_search ALTER COLUMN recency SET NOT NULL`.execute(db);
  await sql`CREATE TRIGGER article_search_recency BEFORE INSERT OR UPDATE OF rowid
    ON article_search FOR EACH ROW EXECUTE FUNCTION article_search_recency()`.execute(db);

  // The headline's word pairs with their places, made without the text parser (which would
  // split them at "_"): 'tinh_lao':1 'lao_cai':2.
  await sql`CREATE FUNCTION article_search_pairs(words text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(string_agg(quote_literal(w || '_' || n) || ':' || i, ' '), '')::tsvector
      FROM (SELECT w, i, lead(w) OVER (ORDER BY i) AS n
        FROM unnest(string_to_array(words, ' ')) WITH ORDINALITY AS t (w, i)) p
      WHERE n IS NOT NULL
    $$`.execute(db);
  const period = sql.raw(`array_to_tsvector(ARRAY['~' || (recency / ${PERIOD})::text])`);
  // One rewrite of the table; the vectors stay in the row (compressed) rather than in TOAST,
  // so reading the newest stories' vectors costs no extra lookups.
  await sql`ALTER TABLE article_search
    DROP COLUMN document,
    ADD COLUMN title_words tsvector GENERATED ALWAYS AS
      (to_tsvector('simple', title) || article_search_pairs(title) || ${period}) STORED,
    ADD COLUMN lead_words tsvector GENERATED ALWAYS AS
      (strip(to_tsvector('simple', lead)) || ${period}) STORED,
    ADD COLUMN all_words tsvector GENERATED ALWAYS AS
      (strip(to_tsvector('simple', title || ' ' || lead || ' ' || body)) || ${period}) STORED,
    ALTER COLUMN title_words SET STORAGE MAIN,
    ALTER COLUMN lead_words SET STORAGE MAIN,
    ALTER COLUMN all_words SET STORAGE MAIN`.execute(db);
  for (const column of ["title_words", "lead_words", "all_words"]) {
    await sql`CREATE INDEX ${sql.id(`article_search_${column}`)} ON article_search
      USING gin (${sql.id(column)})`.execute(db);
  }
  await sql`CREATE UNIQUE INDEX article_search_recency ON article_search (recency)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER article_search_recency ON article_search`.execute(db);
    await sql`DROP FUNCTION article_search_recency()`.execute(db);
    await sql`ALTER TABLE article_search
      DROP COLUMN title_words, DROP COLUMN lead_words, DROP COLUMN all_words,
      DROP COLUMN recency,
      ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', lead), 'B') ||
        setweight(to_tsvector('simple', body), 'C')
      ) STORED`.execute(db);
    await sql`DROP FUNCTION article_search_pairs(text)`.execute(db);
    await sql`CREATE INDEX article_search_document ON article_search USING gin (document)`.execute(
      db,
    );
    return;
  }
  for (const trigger of ["article_search_insert", "article_search_delete", "article_search_update"])
    await sql`DROP TRIGGER ${sql.id(trigger)}`.execute(db);
  for (const i of SQLITE_INDEXES) await sql`DROP TABLE ${sql.table(i.table)}`.execute(db);
  await sql`ALTER TABLE article_search RENAME TO article_search_text`.execute(db);
  await sql`CREATE VIRTUAL TABLE article_search USING fts5(title, lead, body, ${sql.raw(`tokenize = "unicode61 remove_diacritics 2"`)})`.execute(
    db,
  );
  await sql`INSERT INTO article_search (rowid, title, lead, body)
    SELECT rowid, title, lead, body FROM article_search_text`.execute(db);
  await sql`DROP TABLE article_search_text`.execute(db);
}
