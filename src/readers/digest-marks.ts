/**
 * A reader's last digest: the local day it was composed for and up to when it carried stories.
 * A reader without a mark has had no digest yet (a first digest carries the last day).
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
  if (readerIds.length === 0) return;
  // One statement for the page: a new mark, or the old one overwritten in place.
  const { localDate, cutoff } = slot;
  if (isPostgres(db)) {
    // Most readers have a mark: a plain UPDATE of those, and an upsert of the rest only. An
    // upsert of a row that is there locks it first and logs the lock (a million marks: 123 MB of
    // the slot's 787 MB of WAL, pg_waldump).
    await sql`with updated as (
        update digest_marks set last_digest_date = ${localDate}, last_digest_cutoff = ${cutoff}
        where reader_id = any(${readerIds}::integer[]) returning reader_id)
      insert into digest_marks (reader_id, last_digest_date, last_digest_cutoff)
      select r, ${localDate}, ${cutoff} from unnest(${readerIds}::integer[]) as r
      where r not in (select reader_id from updated)
      on conflict (reader_id) do update set last_digest_date = excluded.last_digest_date,
        last_digest_cutoff = excluded.last_digest_cutoff`.execute(db);
    return;
  }
  const rows = sql`select value, ${localDate}, ${cutoff} from json_each(${JSON.stringify(readerIds)}) where true`;
  await db
    .insertInto("digest_marks")
    .columns(["reader_id", "last_digest_date", "last_digest_cutoff"])
    .expression(rows)
    .onConflict((oc) =>
      oc.column("reader_id").doUpdateSet((eb) => ({
        last_digest_date: eb.ref("excluded.last_digest_date"),
        last_digest_cutoff: eb.ref("excluded.last_digest_cutoff"),
      })),
    )
    .execute();
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
