/**
 * Read counts: how often each story was opened through the bot (a read command, a read button,
 * a deep link), per story and day, with no reader kept beside the count. The day is the
 * newsroom's local date (DEFAULT_TIMEZONE), so "today's most read" follows the newsroom's day.
 */
import { sql } from "kysely";
import type { Db } from "../db/schema";
import { localParts } from "../text/time";

export interface MostReadStory {
  articleId: number;
  title: string;
  url: string;
  reads: number;
}

/** The newsroom's date ("YYYY-MM-DD") of an instant. */
export function readDay(at: Date, timeZone: string): string {
  return localParts(at, timeZone).date;
}

/** The date `days` before `day` ("YYYY-MM-DD", calendar arithmetic in UTC). */
export function dayBefore(day: string, days = 1): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid day (want YYYY-MM-DD): ${day}`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/**
 * Counts one opening of a story on `day`: nothing when the story does not exist, and safe when
 * many processes count at once (one upsert adds one).
 */
export async function countRead(db: Db, articleId: number, day: string): Promise<void> {
  await db
    .insertInto("story_reads")
    .columns(["article_id", "day", "count"])
    .expression((eb) =>
      eb
        .selectFrom("articles")
        .select(["id", sql<string>`cast(${day} as text)`.as("day"), sql<number>`1`.as("count")])
        .where("id", "=", articleId),
    )
    .onConflict((oc) =>
      oc
        .columns(["article_id", "day"])
        .doUpdateSet({ count: sql<number>`${sql.ref("story_reads.count")} + 1` }),
    )
    .execute();
}

/** The most-read stories of the days from `fromDay` to `toDay` (both included), most first. */
export async function mostRead(
  db: Db,
  range: { fromDay: string; toDay: string; limit: number },
): Promise<MostReadStory[]> {
  const rows = await db
    .selectFrom("story_reads as r")
    .innerJoin("articles as a", "a.id", "r.article_id")
    .select(["a.id", "a.title", "a.url", (eb) => eb.fn.sum<number | string>("r.count").as("reads")])
    .where("a.hidden_at", "is", null)
    .where("r.day", ">=", range.fromDay)
    .where("r.day", "<=", range.toDay)
    .groupBy(["a.id", "a.title", "a.url"])
    .orderBy("reads", "desc")
    .orderBy("a.id", "desc")
    .limit(range.limit)
    .execute();
  return rows.map((r) => ({ articleId: r.id, title: r.title, url: r.url, reads: Number(r.reads) }));
}

/** Readings of one story on one day (0 when none). */
export async function readsOn(db: Db, articleId: number, day: string): Promise<number> {
  const row = await db
    .selectFrom("story_reads")
    .select("count")
    .where("article_id", "=", articleId)
    .where("day", "=", day)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Forgets the reading counts of days before `day` ("YYYY-MM-DD"; the nightly clean-up). */
export async function purgeReadsBefore(db: Db, day: string): Promise<number> {
  const result = await db.deleteFrom("story_reads").where("day", "<", day).executeTakeFirst();
  return Number(result.numDeletedRows);
}
