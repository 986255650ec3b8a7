/**
 * The readers a digest tick asks about: which time zones readers are in, which readers may be
 * due in one (a page at a time), and marking a slot served.
 */
import { sql } from "kysely";
import { isPostgres } from "../db/dialect";
import type { Db } from "../db/schema";

/** The time zones of active readers with digests on: each is checked once per tick. */
export async function digestTimeZones(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("readers")
    .select("time_zone")
    .distinct()
    .where("status", "=", "active")
    .where("digest_enabled", "=", 1)
    .execute();
  return rows.map((r) => r.time_zone);
}

export interface DigestCandidate {
  id: number;
  platform: string;
  chatType: string;
  locale: string;
  timeZone: string;
  digestTime: string;
  lastDigestDate: string | null;
  lastDigestCutoff: string | null;
  createdAt: string;
  /**
   * The topics the reader gets in the digest (mode digest or both), by topic id, as "1,3,7" (""
   * for none): equal strings for equal topic sets, so it keys compositions as is. The digest
   * puts them in the newsroom's order once per composition, not here once per reader.
   */
  digestTopics: string;
}

/** A candidate as read: its zone is the one asked about, and PostgreSQL reads topics apart. */
type CandidateRow = Omit<DigestCandidate, "timeZone" | "digestTopics"> & { digestTopics?: string };

/**
 * SQLite: the reader's digest topics as one string, by id, from a subquery beside each reader
 * (the primary key alone). Their order does not matter: a set's order is fixed when composed.
 */
const sqliteDigestTopics =
  sql<string>`coalesce((select group_concat(rt.category_id, ',') from reader_topics rt where rt.reader_id = readers.id and rt.mode <> 'instant'), '')`.as(
    "digestTopics",
  );

/** Sets the zone asked about on each candidate: a million readers need not read it as text. */
function inZone(rows: CandidateRow[], zone: string): DigestCandidate[] {
  for (const row of rows) (row as DigestCandidate).timeZone = zone;
  return rows as DigestCandidate[];
}

/**
 * PostgreSQL: a page's digest topics, grouped from reader_topics, set on its readers. Readers
 * close together in id (a slot everyone shares) are read as one range of the primary key:
 * at a million readers 9-13 ms a page of 5,000, against 36-61 ms for a subquery per reader
 * (psql). Scattered ones (a minute's stragglers) are looked up each, not every reader between.
 */
async function topicsOfPage(
  db: Db,
  page: CandidateRow[],
  zone: string,
): Promise<DigestCandidate[]> {
  const readers = inZone(page, zone);
  if (readers.length === 0) return readers;
  const ids = readers.map((r) => r.id);
  let low = ids[0] as number;
  let high = low;
  for (const id of ids) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  const dense = high - low < ids.length * 2;
  const rows = await db
    .selectFrom("reader_topics")
    .select([
      "reader_id as readerId",
      sql<string>`string_agg(category_id::text, ',' order by category_id)`.as("topics"),
    ])
    .where("mode", "<>", "instant")
    .$if(dense, (q) => q.where("reader_id", ">=", low).where("reader_id", "<=", high))
    .$if(!dense, (q) => q.where("reader_id", "=", sql<number>`any(${ids}::integer[])`))
    .groupBy("reader_id")
    .execute();
  const topics = new Map<number, string>();
  for (const row of rows) topics.set(row.readerId, row.topics);
  for (const r of readers) r.digestTopics = topics.get(r.id) ?? "";
  return readers;
}

/**
 * Active readers in one zone whose digest time has passed today (local) and who have had no
 * digest today: a coarse filter the index answers; the caller decides exactly.
 */
export async function digestCandidatesInZone(
  db: Db,
  at: {
    zone: string;
    localDate: string;
    localTime: string;
    platforms: readonly string[];
    /**
     * A page of the candidates: those after `after` (in the order each store reads fastest),
     * at most `limit`.
     */
    page?: { after: { digestTime: string; id: number } | null; limit: number };
  },
): Promise<DigestCandidate[]> {
  const page = at.page;
  // PostgreSQL pages by id: the marks are bounded the same way, or its merge join would read
  // every mark before the page again, page after page.
  const markedAfter = isPostgres(db) ? (page?.after?.id ?? 0) : 0;
  const query = db
    .selectFrom("readers")
    .leftJoin("digest_marks", (join) =>
      join
        .onRef("digest_marks.reader_id", "=", "readers.id")
        .on("digest_marks.reader_id", ">", markedAfter),
    )
    .select([
      "id",
      "platform",
      "chat_type as chatType",
      "locale",
      "digest_time as digestTime",
      "last_digest_date as lastDigestDate",
      "last_digest_cutoff as lastDigestCutoff",
      "created_at as createdAt",
    ])
    .$if(!isPostgres(db), (q) => q.select(sqliteDigestTopics))
    .where("status", "=", "active")
    .where("digest_enabled", "=", 1)
    .where("time_zone", "=", at.zone)
    .where("platform", "in", [...at.platforms])
    .where("digest_time", "<=", at.localTime)
    .where((eb) =>
      eb.or([
        eb("digest_marks.last_digest_date", "is", null),
        eb("digest_marks.last_digest_date", "<", at.localDate),
      ]),
    );
  if (!page) {
    const rows = await query.execute();
    return isPostgres(db) ? topicsOfPage(db, rows, at.zone) : inZone(rows, at.zone);
  }
  const after = page.after;
  // PostgreSQL's planner does best by id (measured: 0.8 s against 7.6 s for 300,000 readers in
  // pages of 5,000).
  if (isPostgres(db)) {
    const rows = await query
      .$if(after !== null, (q) => q.where("id", ">", after?.id ?? 0))
      .orderBy("id")
      .limit(page.limit)
      .execute();
    return topicsOfPage(db, rows, at.zone);
  }
  // SQLite walks readers_digest_due in its order (digest time, then the rowid it ends with), but
  // cannot seek to a (digest_time, id) pair: the rest of the page's digest time is read first
  // (an equality then a rowid range), then later times from their start (measured: a page deep
  // into 300,000 readers at one time took 170 ms with the pair, 2.5 ms this way).
  const rows: CandidateRow[] = [];
  if (after) {
    rows.push(
      ...(await query
        .where("digest_time", "=", after.digestTime)
        .where("id", ">", after.id)
        .orderBy("id")
        .limit(page.limit)
        .execute()),
    );
  }
  if (rows.length < page.limit) {
    rows.push(
      ...(await query
        .$if(after !== null, (q) => q.where("digest_time", ">", after?.digestTime ?? ""))
        .orderBy("digest_time")
        .orderBy("id")
        .limit(page.limit - rows.length)
        .execute()),
    );
  }
  return inZone(rows, at.zone);
}
