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

/** Topics a page of readers get in the digest, keyed by reader: grouped from reader_topics. */
async function digestTopicsOf(db: Db, readerIds: number[]): Promise<Map<number, string>> {
  const topics = new Map<number, string>();
  if (readerIds.length === 0) return topics;
  const postgres = isPostgres(db);
  const aggregate = postgres
    ? sql<string>`string_agg(category_id::text, ',' order by category_id)`
    : sql<string>`group_concat(category_id, ',' order by category_id)`;
  let low = readerIds[0] as number;
  let high = low;
  for (const id of readerIds) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  // A page of readers close together in id (a slot everyone shares) is read as one range of the
  // primary key: measured on PostgreSQL at a million readers, 9-13 ms a page of 5,000 against
  // 36-61 ms for a lookup per reader beside the page's query. Scattered readers (a minute's
  // stragglers) are looked up one by one, not through every reader between them.
  const dense = high - low < readerIds.length * 2;
  const rows = await db
    .selectFrom("reader_topics")
    .select(["reader_id as readerId", aggregate.as("topics")])
    .where("mode", "<>", "instant")
    .$if(dense, (q) => q.where("reader_id", ">=", low).where("reader_id", "<=", high))
    .$if(!dense, (q) =>
      q.where(
        "reader_id",
        "in",
        postgres
          ? sql<number>`(select unnest(${readerIds}::integer[]))`
          : sql<number>`(select value from json_each(${JSON.stringify(readerIds)}))`,
      ),
    )
    .groupBy("reader_id")
    .execute();
  for (const row of rows) topics.set(row.readerId, row.topics);
  return topics;
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
      "time_zone as timeZone",
      "digest_time as digestTime",
      "last_digest_date as lastDigestDate",
      "last_digest_cutoff as lastDigestCutoff",
      "created_at as createdAt",
    ])
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
  if (!page) return withTopics(db, await query.execute());
  const after = page.after;
  // PostgreSQL's planner does best by id (measured: 0.8 s against 7.6 s for 300,000 readers in
  // pages of 5,000).
  if (isPostgres(db)) {
    return withTopics(
      db,
      await query
        .$if(after !== null, (q) => q.where("id", ">", after?.id ?? 0))
        .orderBy("id")
        .limit(page.limit)
        .execute(),
    );
  }
  // SQLite walks readers_digest_due in its order (digest time, then the rowid it ends with), but
  // cannot seek to a (digest_time, id) pair: the rest of the page's digest time is read first
  // (an equality then a rowid range), then later times from their start (measured: a page deep
  // into 300,000 readers at one time took 170 ms with the pair, 2.5 ms this way).
  const rows: Omit<DigestCandidate, "digestTopics">[] = [];
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
  return withTopics(db, rows);
}

/**
 * The readers with their digest topics, read apart from them: beside the page's query, a
 * subquery per reader cost twice the page's own time.
 */
async function withTopics(
  db: Db,
  readers: Omit<DigestCandidate, "digestTopics">[],
): Promise<DigestCandidate[]> {
  const topics = await digestTopicsOf(
    db,
    readers.map((r) => r.id),
  );
  // Completed in place: a copy of each reader would double what the page allocates.
  const complete = readers as DigestCandidate[];
  for (const r of complete) r.digestTopics = topics.get(r.id) ?? "";
  return complete;
}
