import { isPostgres } from "../db/dialect";
import { DuplicateError, isUniqueViolation, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { SourceRow } from "../db/tables/sources";
import { inTransaction } from "../db/transaction";

/** Optional CSS selectors for article pages the generic extractor gets wrong. */
export interface ExtractorSelectors {
  title?: string;
  lead?: string;
  body?: string;
  remove?: string[];
}

export interface Feed {
  id: number;
  url: string;
  topicId: number;
  fullText: boolean;
  selectors: ExtractorSelectors | null;
  etag: string | null;
  lastModified: string | null;
  nextCheckAt: string;
  /** Failed checks of the feed itself in a row (0 when its last check read it). */
  failuresInRow: number;
  /** The feed's own last error (fetch or parse), in plain words; kept after it recovers. */
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
  /** Story pages (or items) that could not be read in the latest check that read the feed. */
  pageProblems: number;
  /** The latest such problem, in plain words. */
  lastPageProblem: string | null;
  lastPageProblemAt: string | null;
  /** Set while an editor has paused the feed: it is not checked until resumed. */
  pausedAt: string | null;
  createdAt: string;
}

/** A feed's health in one word: never checked, fine, fine but pages fail, failing, or paused. */
export type FeedHealth = "new" | "ok" | "page problems" | "failing" | "paused";

export function feedHealth(feed: Feed): FeedHealth {
  if (feed.pausedAt) return "paused";
  if (feed.failuresInRow > 0) return "failing";
  if (!feed.lastSuccessAt) return "new";
  return feed.pageProblems > 0 ? "page problems" : "ok";
}

export interface FeedInput {
  url: string;
  topicId: number;
  fullText?: boolean;
  selectors?: ExtractorSelectors | null;
}

function toFeed(row: SourceRow): Feed {
  return {
    id: row.id,
    url: row.url,
    topicId: row.category_id,
    fullText: row.full_text === 1,
    selectors: row.selectors ? (JSON.parse(row.selectors) as ExtractorSelectors) : null,
    etag: row.etag,
    lastModified: row.last_modified,
    nextCheckAt: row.next_check_at,
    failuresInRow: row.failures_in_row,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    lastSuccessAt: row.last_success_at,
    pageProblems: row.page_problems,
    lastPageProblem: row.last_page_problem,
    lastPageProblemAt: row.last_page_problem_at,
    pausedAt: row.paused_at,
    createdAt: row.created_at,
  };
}

export async function addFeed(db: Db, input: FeedInput): Promise<Feed> {
  try {
    const row = await db
      .insertInto("sources")
      .values({
        url: input.url,
        category_id: input.topicId,
        full_text: input.fullText ? 1 : 0,
        selectors: input.selectors ? JSON.stringify(input.selectors) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toFeed(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(`feed ${input.url} is already added`);
    throw error;
  }
}

/** Adds or updates by URL (for SOURCES_FILE); fetch state is kept. */
export async function upsertFeed(db: Db, input: FeedInput): Promise<Feed> {
  const row = await db
    .insertInto("sources")
    .values({
      url: input.url,
      category_id: input.topicId,
      full_text: input.fullText ? 1 : 0,
      selectors: input.selectors ? JSON.stringify(input.selectors) : null,
    })
    .onConflict((oc) =>
      oc.column("url").doUpdateSet((eb) => ({
        category_id: eb.ref("excluded.category_id"),
        full_text: eb.ref("excluded.full_text"),
        selectors: eb.ref("excluded.selectors"),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFeed(row);
}

/** Writes a feed's address as it is checked now (a feed stored before addresses were). */
export async function setFeedUrl(db: Db, id: number, url: string): Promise<void> {
  await db.updateTable("sources").set({ url }).where("id", "=", id).execute();
}

export async function listFeeds(db: Db): Promise<Feed[]> {
  const rows = await db.selectFrom("sources").selectAll().orderBy("id").execute();
  return rows.map(toFeed);
}

export async function getFeed(db: Db, id: number): Promise<Feed> {
  const row = await db.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`no feed with id ${id}; see \`bantin source list\``);
  return toFeed(row);
}

/** Removes a feed; its articles stay (they lose the link to it). */
export async function removeFeed(db: Db, id: number): Promise<void> {
  const result = await db.deleteFrom("sources").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) {
    throw new NotFoundError(`no feed with id ${id}; see \`bantin source list\``);
  }
}

/**
 * Pauses a feed (it is not checked until resumed) or resumes it (checked at once). Its health is
 * kept. Answers the feed as it is now.
 */
export async function setFeedPaused(
  db: Db,
  id: number,
  paused: boolean,
  now: string,
): Promise<Feed> {
  const row = await db
    .updateTable("sources")
    .set(paused ? { paused_at: now } : { paused_at: null, next_check_at: now })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no feed with id ${id}; see \`bantin source list\``);
  return toFeed(row);
}

/** Sources whose next check time has come, most overdue first. The database decides. */
export async function findDueFeeds(db: Db, now: string, limit = 100): Promise<Feed[]> {
  const rows = await db
    .selectFrom("sources")
    .selectAll()
    .where("next_check_at", "<=", now)
    .where("paused_at", "is", null)
    .orderBy("next_check_at")
    .limit(limit)
    .execute();
  return rows.map(toFeed);
}

/**
 * Claims up to `limit` due feeds (other than `except`) for one check: each is marked due again
 * only at `until`, so that another process (or a later pass) leaves it alone meanwhile; the
 * check's outcome sets its real next check. On PostgreSQL rows another process is claiming are
 * skipped, not waited for.
 */
export async function claimDueFeeds(
  db: Db,
  claim: { now: string; until: string; limit: number; except?: number[] },
): Promise<Feed[]> {
  if (claim.limit <= 0) return [];
  return inTransaction(db, async (trx) => {
    let due = trx
      .selectFrom("sources")
      .selectAll()
      .where("next_check_at", "<=", claim.now)
      .where("paused_at", "is", null)
      .orderBy("next_check_at")
      .orderBy("id")
      .limit(claim.limit);
    if (claim.except?.length) due = due.where("id", "not in", claim.except);
    if (isPostgres(trx)) due = due.forUpdate().skipLocked();
    const rows = await due.execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable("sources")
      .set({ next_check_at: claim.until })
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map(toFeed); // as they were: a check cut short puts its due time back
  });
}

/** A claimed feed whose check was cut short (shutdown): due again when it was. */
export async function releaseFeedClaim(db: Db, feed: Feed): Promise<void> {
  await db
    .updateTable("sources")
    .set({ next_check_at: feed.nextCheckAt })
    .where("id", "=", feed.id)
    .execute();
}

/** When the next feed other than `except` falls due (null when there is none). */
export async function nextCheckTime(db: Db, except: number[] = []): Promise<string | null> {
  let query = db
    .selectFrom("sources")
    .select((eb) => eb.fn.min("next_check_at").as("next"))
    .where("paused_at", "is", null);
  if (except.length > 0) query = query.where("id", "not in", except);
  const row = await query.executeTakeFirst();
  return row?.next ?? null;
}

export async function recordFetchSuccess(
  db: Db,
  id: number,
  result: {
    at: string;
    nextCheckAt: string;
    etag?: string | null;
    lastModified?: string | null;
    /** Page problems of this check (leave out when the feed was not read again: a 304). */
    pageProblems?: { count: number; last: string | null };
  },
): Promise<void> {
  const problems = result.pageProblems;
  await db
    .updateTable("sources")
    .set({
      last_success_at: result.at,
      next_check_at: result.nextCheckAt,
      failures_in_row: 0,
      ...(result.etag !== undefined ? { etag: result.etag } : {}),
      ...(result.lastModified !== undefined ? { last_modified: result.lastModified } : {}),
      ...(problems ? { page_problems: problems.count } : {}),
      ...(problems?.last
        ? { last_page_problem: problems.last, last_page_problem_at: result.at }
        : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** The feed itself could not be fetched or read: its own error, and one more failure in a row. */
export async function recordFetchFailure(
  db: Db,
  id: number,
  failure: { at: string; error: string; nextCheckAt: string },
): Promise<void> {
  await db
    .updateTable("sources")
    .set((eb) => ({
      last_error: failure.error,
      last_error_at: failure.at,
      next_check_at: failure.nextCheckAt,
      failures_in_row: eb("failures_in_row", "+", 1),
    }))
    .where("id", "=", id)
    .execute();
}

/** The feeds of one topic, by id. */
export async function feedsOfTopic(db: Db, topicId: number): Promise<Feed[]> {
  const rows = await db
    .selectFrom("sources")
    .selectAll()
    .where("category_id", "=", topicId)
    .orderBy("id")
    .execute();
  return rows.map(toFeed);
}

/** Moves every feed of one topic to another; answers how many moved. */
export async function moveFeedsToTopic(db: Db, fromTopicId: number, toTopicId: number) {
  const result = await db
    .updateTable("sources")
    .set({ category_id: toTopicId })
    .where("category_id", "=", fromTopicId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes every feed of one topic (their stories stay); answers how many went. */
export async function removeFeedsOfTopic(db: Db, topicId: number): Promise<number> {
  const result = await db
    .deleteFrom("sources")
    .where("category_id", "=", topicId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
