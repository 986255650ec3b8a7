import { sql, type Transaction } from "kysely";
import { isPostgres } from "./dialect";
import { isUniqueViolation } from "./errors";
import type { Database, Db } from "./schema";

/**
 * Runs fn in the caller's transaction when there is one, otherwise in a new one, committed when
 * fn returns and rolled back when it throws. When the rollback fails too, fn's error is the one
 * thrown: on a full disk SQLite may already have rolled the transaction back by itself, and its
 * "cannot rollback - no transaction is active" must not hide why.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  const trx = await db.startTransaction().execute();
  let result: T;
  try {
    result = await fn(trx);
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {
        // Rolled back already, or the connection is gone: either way, nothing was kept.
      });
    throw error;
  }
  await trx.commit().execute();
  return result;
}

/**
 * PostgreSQL: an insert whose rows are new in all but rare cases (a retried step, a race), first
 * without ON CONFLICT (`plain`), then, only if a key was there, `skipping` the rows present.
 * ON CONFLICT inserts each row speculatively and logs a confirmation of it: psql took 6.0 s for
 * a million outbox rows so and 4.6 s plainly. In a transaction the plain try runs in a savepoint,
 * so that its failure leaves the rest standing. SQLite: `skipping` alone, as cheap there.
 */
export async function insertNewFirst<T>(
  db: Db,
  plain: () => Promise<T>,
  skipping: () => Promise<T>,
): Promise<T> {
  if (!isPostgres(db)) return skipping();
  const savepoint = db.isTransaction;
  if (savepoint) await sql`savepoint insert_new_first`.execute(db);
  try {
    const result = await plain();
    if (savepoint) await sql`release savepoint insert_new_first`.execute(db);
    return result;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    if (savepoint) await sql`rollback to savepoint insert_new_first`.execute(db);
    return skipping();
  }
}

/**
 * PostgreSQL: the transaction `trx` commits without waiting for the disk. Only for writes that
 * a crash may lose because a later, waiting commit records them done (WAL is flushed in order,
 * so that commit makes them durable too), or because the next run makes them again.
 */
export async function commitWithoutWaiting(trx: Db): Promise<void> {
  if (isPostgres(trx)) await sql`set local synchronous_commit = off`.execute(trx);
}
