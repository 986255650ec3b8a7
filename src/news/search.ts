import { sql } from "kysely";
import { isPostgres } from "../db/dialect";
import type { Db } from "../db/schema";
import { searchTokens } from "../text/tokens";
import { type Article, toArticle } from "./articles";

const MAX_QUERY_TOKENS = 12;
const MAX_TOKEN_LENGTH = 40;

/** The words of a user's query, folded: "Đối  ngoại!" -> ["doi", "ngoai"]. */
export function queryTokens(query: string): string[] {
  return [...new Set(searchTokens(query))]
    .filter((t) => t.length <= MAX_TOKEN_LENGTH)
    .slice(0, MAX_QUERY_TOKENS);
}

/** Builds an FTS5 expression from plain tokens: each quoted, so no user text is FTS syntax. */
function ftsExpression(tokens: string[]): string {
  return tokens.map((t) => `"${t}"`).join(" ");
}

/**
 * Builds a tsquery from plain tokens: every token must appear (`&`), each a quoted literal (quote
 * and backslash escaped), so no user text is tsquery syntax; `weight` (A headline, B lead, C body)
 * asks for it in that part only.
 */
function tsqueryText(tokens: string[], weight?: "A" | "B" | "C"): string {
  const literal = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  return tokens.map((t) => `${literal(t)}${weight ? `:${weight}` : ""}`).join(" & ");
}

export interface SearchOptions {
  limit: number;
  offset?: number;
}

/**
 * Accent-insensitive search: every word must appear in the headline, lead or body. Stories whose
 * headline has every word come first, then the lead, then the body; newest first within each.
 */
export async function searchArticles(
  db: Db,
  query: string,
  options: SearchOptions,
): Promise<Article[]> {
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  if (isPostgres(db)) return searchPostgres(db, tokens, options);
  const inColumn = (column: "title" | "lead") =>
    sql.join(
      tokens.map((t) => sql`instr(' ' || s.${sql.ref(column)} || ' ', ${` ${t} `}) > 0`),
      sql` AND `,
    );
  const rows = await db
    .selectFrom("article_search as s")
    .innerJoin("articles", "articles.id", "s.rowid")
    .selectAll("articles")
    .where(sql<boolean>`article_search MATCH ${ftsExpression(tokens)}`)
    .orderBy(sql`CASE WHEN ${inColumn("title")} THEN 0 WHEN ${inColumn("lead")} THEN 1 ELSE 2 END`)
    .orderBy("articles.published_at", "desc")
    .orderBy("articles.id", "desc")
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toArticle);
}

/**
 * The same search on PostgreSQL: article_search holds the same folded text with a weighted
 * tsvector ('simple': words as they are); the GIN index finds the stories with every word, and
 * the weights rank headline, then lead, then body, as the SQLite query does.
 */
async function searchPostgres(
  db: Db,
  tokens: string[],
  options: SearchOptions,
): Promise<Article[]> {
  const matches = (weight?: "A" | "B") =>
    sql<boolean>`s.document @@ to_tsquery('simple', ${tsqueryText(tokens, weight)})`;
  const rows = await db
    .selectFrom("article_search as s")
    .innerJoin("articles", "articles.id", "s.rowid")
    .selectAll("articles")
    .where(matches())
    .orderBy(sql`CASE WHEN ${matches("A")} THEN 0 WHEN ${matches("B")} THEN 1 ELSE 2 END`)
    .orderBy("articles.published_at", "desc")
    .orderBy("articles.id", "desc")
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toArticle);
}
