/** How far a job has read a growing table (job_cursors): the instant matcher's last story id. */
import type { Db } from "../db/schema";

export async function readCursor(db: Db, job: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("job_cursors")
    .select("position")
    .where("job", "=", job)
    .executeTakeFirst();
  return row?.position;
}

export async function writeCursor(
  db: Db,
  job: string,
  position: string,
  now: string,
): Promise<void> {
  await db
    .insertInto("job_cursors")
    .values({ job, position, updated_at: now })
    .onConflict((oc) => oc.column("job").doUpdateSet({ position, updated_at: now }))
    .execute();
}
