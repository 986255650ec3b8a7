/** A row that would break a uniqueness rule; the message says which, in plain words. */
export class DuplicateError extends Error {
  override name = "DuplicateError";
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    code === "23505"
  );
}

/**
 * What went wrong with storing, said first in plain words when it is the machine's doing (a full
 * disk, a read-only file, no permission), then the store's own words; any other error as it is.
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = String((error as { code?: unknown })?.code ?? "");
  const cause =
    code === "SQLITE_FULL" || code === "ENOSPC" || code === "53100"
      ? "the disk is full"
      : code.startsWith("SQLITE_READONLY") || code === "EROFS"
        ? "the database is read-only"
        : code === "EACCES" || code === "EPERM" || code === "SQLITE_PERM" || code === "42501"
          ? "permission denied"
          : null;
  return cause && !text.startsWith(cause) ? `${cause} (${text})` : text;
}
