import { PostgresAdapter } from "kysely";
import type { Db } from "./schema";

/** Which store a handle talks to. */
export type StoreKind = "sqlite" | "postgres";

/**
 * True when `db` (the database or a transaction) is PostgreSQL. For the few queries whose SQL must
 * differ between the stores (search); everything else is written once for both. Costs one
 * property read and an `instanceof`, nothing per row.
 */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function storeKind(db: Db): StoreKind {
  return isPostgres(db) ? "postgres" : "sqlite";
}
