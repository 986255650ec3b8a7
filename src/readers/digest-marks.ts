/**
 * A reader's last digest: the local day it was composed for and up to when it carried stories.
 * A reader without a mark, or with a day and no cut-off, has had no digest yet (a first digest
 * carries the last day): a day alone marks a slot passed over, the reader having signed up after
 * it, so that the digest stops asking about them until tomorrow.
 */
import { sql } from "kysely";
import { isPostgres } from "../db/dialect";
import type { Db } from "../db/schema";

export interface DigestMark {
  lastDigestDate: string | null;
  lastDigestCutoff: string | null;
}

/** Records that readers' digest for a local day was composed, up to a cut-off time. */
export async function markDigestComposed(
  db: Db,
  readerIds: readonly number[],
  slot: { localDate: string; cutoff: string },
): Promise<void> {
  await mark(db, readerIds, slot);
}

/**
 * Records that readers' slot of a local day passed without a digest (they signed up after it):
 * the day is theirs, any cut-off they had stays.
 */
export async function markDigestPassedOver(
  db: Db,
  readerIds: readonly number[],
  localDate: string,
): Promise<void> {
  await mark(db, readerIds, { localDate, cutoff: null });
}

/** A null cut-off keeps the one a reader has (none for a new mark). */
async function mark(
  db: Db,
  readerIds: readonly number[],
  slot: { localDate: string; cutoff: string | null },
): Promise<void> {
  if (readerIds.length === 0) return;
  if (isPostgres(db)) {
    await markOnPostgres(db, readerIds, slot);
    return;
  }
  // SQLite: one statement for the page, a new mark or the old one overwritten in place.
  const { localDate, cutoff } = slot;
  const rows = sql`select value, ${localDate}, ${cutoff} from json_each(${JSON.stringify(readerIds)}) where true`;
  await db
    .insertInto("digest_marks")
    .columns(["reader_id", "last_digest_date", "last_digest_cutoff"])
    .expression(rows)
    .onConflict((oc) =>
      oc.column("reader_id").doUpdateSet((eb) => ({
        last_digest_date: eb.ref("excluded.last_digest_date"),
        last_digest_cutoff: eb.fn.coalesce(
          eb.ref("excluded.last_digest_cutoff"),
          eb.ref("digest_marks.last_digest_cutoff"),
        ),
      })),
    )
    .execute();
}

/**
 * PostgreSQL: most readers have a mark, so a plain UPDATE of those comes first, and an upsert of
 * all only when some had none. An upsert of a row that is there locks it first and logs the lock
 * (a million marks: 123 MB of the slot's 787 MB of WAL, pg_waldump). Readers close together in id
 * (a slot everyone shares) are found by one range of the key, each checked against the page's
 * ids ("+ 0" keeps the array out of the index condition, so it is hashed, not probed 5,000 times).
 * A million marks in pages of 5,000 (psql): 2.3-2.6 s this way, 4.0 s as one upsert with the ids.
 */
async function markOnPostgres(
  db: Db,
  readerIds: readonly number[],
  slot: { localDate: string; cutoff: string | null },
): Promise<void> {
  const { localDate, cutoff } = slot;
  const ids = `{${readerIds.join(",")}}`;
  let low = readerIds[0] as number;
  let high = low;
  for (const id of readerIds) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  const dense = high - low < readerIds.length * 2;
  const these = dense
    ? sql`reader_id between ${low} and ${high} and reader_id + 0 = any(${ids}::integer[])`
    : sql`reader_id = any(${ids}::integer[])`;
  const { rows } = await sql<{ marked: string }>`with updated as (
      update digest_marks set last_digest_date = ${localDate},
        last_digest_cutoff = coalesce(${cutoff}::text, last_digest_cutoff)
      where ${these} returning 1)
    select count(*) as marked from updated`.execute(db);
  if (Number(rows[0]?.marked) === new Set(readerIds).size) return;
  await sql`insert into digest_marks (reader_id, last_digest_date, last_digest_cutoff)
    select distinct r, ${localDate}, ${cutoff}::text from unnest(${ids}::integer[]) as r
    on conflict (reader_id) do update set last_digest_date = excluded.last_digest_date,
      last_digest_cutoff = coalesce(excluded.last_digest_cutoff, digest_marks.last_digest_cutoff)`.execute(
    db,
  );
}

/** The reader's last digest, or none yet. */
export async function digestMarkOf(db: Db, readerId: number): Promise<DigestMark> {
  const row = await db
    .selectFrom("digest_marks")
    .select(["last_digest_date as lastDigestDate", "last_digest_cutoff as lastDigestCutoff"])
    .where("reader_id", "=", readerId)
    .executeTakeFirst();
  return row ?? { lastDigestDate: null, lastDigestCutoff: null };
}

/** Erases a reader's mark (their data rights). */
export async function deleteDigestMarkOf(db: Db, readerId: number): Promise<void> {
  await db.deleteFrom("digest_marks").where("reader_id", "=", readerId).execute();
}
