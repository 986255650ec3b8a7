import { sql } from "kysely";
import type { Db } from "./schema";

/** True when the database answers a trivial query (within `timeoutMs`, when given). */
export async function databaseAnswers(db: Db, timeoutMs?: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ping = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  if (timeoutMs === undefined) return ping;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}
