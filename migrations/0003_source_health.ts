import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

// Frozen: a migration never imports application code.
//
// 1. Source health keeps a feed's own error apart from problems with its stories' pages:
//    `last_error` is the feed's (fetch or parse), and page problems get their own count (those
//    of the latest check that read the feed) and last text. Page problems stored as the feed's
//    last error by the old code are moved over.
// 2. Format characters (Unicode Cf: zero-width space and joiners, BOM, soft hyphen, bidi marks)
//    are dropped from stored stories, and the search index of the stories that had any is
//    rebuilt the way the application folds text (accents off, đ -> d, lower case, words only),
//    so a zero-width joiner inside a word no longer splits it in the index.
//
// On PostgreSQL the same repairs are written in its SQL (ILIKE for SQLite's ASCII-caseless LIKE,
// regular expressions for GLOB); on SQLite every statement is what it always was.

const PAGE_PROBLEM_PATTERNS = [
  "item skipped: %",
  'item "%" has a link that is not a URL',
  "no story text found on %",
  "story page %",
  "% problems; first: %",
];

/** Every format character of this Node's Unicode tables, as a GLOB character class. */
function formatCharacterClass(): string {
  const ranges: [number, number][] = [];
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (!/\p{Cf}/u.test(String.fromCodePoint(c))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  const part = ([a, b]: [number, number]) =>
    a === b ? String.fromCodePoint(a) : `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`;
  return `[${ranges.map(part).join("")}]`;
}

const FORMAT = /\p{Cf}/gu;
/** Format characters in stored text, except the ones that glue an emoji (👨‍👩‍👧, 🏴 England). */
const STORED_FORMAT =
  /(?!(?<=\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200D(?=\p{Extended_Pictographic})|(?<=\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0020}-\u{E007F}])\p{Cf}/gu;

/** The application's index text at the time of this migration: folded words, one space apart. */
function indexText(text: string): string {
  const folded = text
    .replace(FORMAT, "")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐÐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .normalize("NFC")
    .toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");
}

interface StoryRow {
  id: number;
  title: string;
  lead: string;
  body: string;
  photos: string;
  author: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("sources")
    .addColumn("page_problems", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("sources").addColumn("last_page_problem", "text").execute();
  await db.schema.alterTable("sources").addColumn("last_page_problem_at", "text").execute();
  const pg = isPostgres(db);
  if (pg) {
    const looksLikePageProblem = sql.join(
      PAGE_PROBLEM_PATTERNS.map((p) => sql`last_error ILIKE ${p}`),
      sql` OR `,
    );
    await sql`UPDATE sources SET
        last_page_problem = last_error,
        last_page_problem_at = last_error_at,
        page_problems = CASE WHEN last_error ~ '^[0-9].* problems; first: '
          THEN CAST(substring(last_error from '^[0-9]+') AS INTEGER) ELSE 1 END,
        last_error = NULL,
        last_error_at = NULL
      WHERE last_error IS NOT NULL AND (${looksLikePageProblem})`.execute(db);
  } else {
    const looksLikePageProblem = sql.join(
      PAGE_PROBLEM_PATTERNS.map((p) => sql`last_error LIKE ${p}`),
      sql` OR `,
    );
    await sql`UPDATE sources SET
      last_page_problem = last_error,
      last_page_problem_at = last_error_at,
      page_problems = CASE WHEN last_error GLOB '[0-9]* problems; first: *'
        THEN CAST(last_error AS INTEGER) ELSE 1 END,
      last_error = NULL,
      last_error_at = NULL
    WHERE last_error IS NOT NULL AND (${looksLikePageProblem})`.execute(db);
  }

  const formatClass = formatCharacterClass();
  const pattern = `*${formatClass}*`;
  const clean = (text: string) => text.replace(STORED_FORMAT, "");
  let after = 0;
  for (;;) {
    const { rows } = pg
      ? await sql<StoryRow>`SELECT id, title, lead, body, photos, author
      FROM articles
      WHERE id > ${after} AND (title ~ ${formatClass} OR lead ~ ${formatClass}
        OR body ~ ${formatClass} OR photos ~ ${formatClass} OR coalesce(author, '') ~ ${formatClass})
      ORDER BY id LIMIT 500`.execute(db)
      : await sql<StoryRow>`SELECT id, title, lead, body, photos, author
      FROM articles
      WHERE id > ${after} AND (title GLOB ${pattern} OR lead GLOB ${pattern}
        OR body GLOB ${pattern} OR photos GLOB ${pattern} OR coalesce(author, '') GLOB ${pattern})
      ORDER BY id LIMIT 500`.execute(db);
    if (rows.length === 0) break;
    for (const row of rows) {
      after = row.id;
      const photos = (JSON.parse(row.photos) as { url: string; caption: string }[]).map((p) => ({
        ...p,
        caption: clean(p.caption),
      }));
      const title = clean(row.title);
      const lead = clean(row.lead);
      const body = clean(row.body);
      await sql`UPDATE articles SET title = ${title}, lead = ${lead}, body = ${body},
        photos = ${JSON.stringify(photos)}, author = ${row.author === null ? null : clean(row.author)}
        WHERE id = ${row.id}`.execute(db);
      const captions = photos.map((p) => p.caption).filter(Boolean);
      await sql`DELETE FROM article_search WHERE rowid = ${row.id}`.execute(db);
      await sql`INSERT INTO article_search (rowid, title, lead, body) VALUES (${row.id},
        ${indexText(title)}, ${indexText(lead)},
        ${indexText([...body.split("\n\n"), ...captions].join(" "))})`.execute(db);
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  // Page problems go back to being the feed's last error; dropped format characters stay dropped.
  await sql`UPDATE sources SET last_error = last_page_problem,
      last_error_at = last_page_problem_at
    WHERE last_page_problem IS NOT NULL AND failures_in_row = 0
      AND (last_error_at IS NULL OR last_error_at < last_page_problem_at)`.execute(db);
  await db.schema.alterTable("sources").dropColumn("last_page_problem_at").execute();
  await db.schema.alterTable("sources").dropColumn("last_page_problem").execute();
  await db.schema.alterTable("sources").dropColumn("page_problems").execute();
}
