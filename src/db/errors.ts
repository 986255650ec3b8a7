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
