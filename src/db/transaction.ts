import type { Transaction } from "kysely";
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
