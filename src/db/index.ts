export { DatabaseOpenError, type OpenedDatabase, openDatabase } from "./database";
export { DuplicateError, isUniqueViolation, NotFoundError } from "./errors";
export { bundledMigrations, MigrationError, migrateToLatest } from "./migrate";
export type { Database, Db, DbHandle } from "./schema";
export { inTransaction } from "./transaction";
