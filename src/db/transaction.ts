import type { Transaction } from "kysely";
import type { Database, Db } from "./schema";

/** Runs fn in the caller's transaction when there is one, otherwise in a new one. */
export async function inTransaction<T>(
  db: Db,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}
