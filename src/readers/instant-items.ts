/**
 * What goes to readers as it happens (instant_items): one row per reader and story, so a story
 * reaches a reader once whether a topic, a keyword or both matched it. A row waits (sent_at
 * null) through the batch window and quiet hours, and is marked sent by the message, or the
 * digest, that carried it.
 */
import type { Db } from "../db/schema";

export type InstantReason = "topic" | "keyword" | "topic+keyword";

export interface InstantItem {
  readerId: number;
  articleId: number;
  reason: InstantReason;
  /** The reader's keyword follows that matched, as they typed them. */
  keywords?: string[];
}

const CHUNK = 300; // rows per statement, well under SQLite's bound-parameter limit

/** Queues stories for readers; a pair already queued (or sent) stays as it is. */
export async function queueInstantItems(
  db: Db,
  items: InstantItem[],
  now: string,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < items.length; i += CHUNK) {
    const result = await db
      .insertInto("instant_items")
      .values(
        items.slice(i, i + CHUNK).map((item) => ({
          reader_id: item.readerId,
          article_id: item.articleId,
          reason: item.reason,
          keywords: item.keywords?.length ? JSON.stringify(item.keywords) : null,
          queued_at: now,
          sent_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(["reader_id", "article_id"]).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** A reader with stories waiting, and what decides whether they may go now. */
export interface WaitingReader {
  readerId: number;
  platform: string;
  chatType: string;
  locale: string;
  timeZone: string;
  quietFrom: string;
  quietUntil: string;
  lastInstantAt: string | null;
}

/**
 * Active readers with stories waiting (found through the index of waiting items), by id: at most
 * `limit` after reader `afterReaderId`.
 */
export async function readersWithWaitingItems(
  db: Db,
  page: { afterReaderId: number; limit: number },
): Promise<WaitingReader[]> {
  return db
    .selectFrom("readers as r")
    .innerJoin(
      (eb) =>
        eb
          .selectFrom("instant_items")
          .select("reader_id")
          .distinct()
          .where("sent_at", "is", null)
          .as("w"),
      (join) => join.onRef("w.reader_id", "=", "r.id"),
    )
    .select([
      "r.id as readerId",
      "r.platform",
      "r.chat_type as chatType",
      "r.locale",
      "r.time_zone as timeZone",
      "r.quiet_from as quietFrom",
      "r.quiet_until as quietUntil",
      "r.last_instant_at as lastInstantAt",
    ])
    .where("r.status", "=", "active")
    .where("r.id", ">", page.afterReaderId)
    .orderBy("r.id")
    .limit(page.limit)
    .execute();
}

/** The stories waiting for one reader, oldest first. */
export async function waitingArticleIds(db: Db, readerId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("instant_items")
    .select("article_id")
    .where("reader_id", "=", readerId)
    .where("sent_at", "is", null)
    .orderBy("article_id")
    .execute();
  return rows.map((r) => r.article_id);
}

/**
 * The keyword follows that matched each of these stories waiting for one reader, as the reader
 * typed them (stories only a topic matched are left out).
 */
export async function matchedKeywords(
  db: Db,
  readerId: number,
  articleIds: number[],
): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (let i = 0; i < articleIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("instant_items")
      .select(["article_id", "keywords"])
      .where("reader_id", "=", readerId)
      .where("article_id", "in", articleIds.slice(i, i + CHUNK))
      .where("keywords", "is not", null)
      .execute();
    for (const row of rows) {
      try {
        const list = JSON.parse(row.keywords ?? "[]") as unknown;
        if (Array.isArray(list)) {
          const words = list.filter((w): w is string => typeof w === "string" && w !== "");
          if (words.length > 0) found.set(row.article_id, words);
        }
      } catch {
        // A list that cannot be read says nothing: the story goes without it.
      }
    }
  }
  return found;
}

/** Marks stories as carried to a reader (by a message as it happens or by the digest). */
export async function markInstantItemsSent(
  db: Db,
  readerId: number,
  articleIds: number[],
  at: string,
): Promise<void> {
  for (let i = 0; i < articleIds.length; i += CHUNK) {
    await db
      .updateTable("instant_items")
      .set({ sent_at: at })
      .where("reader_id", "=", readerId)
      .where("article_id", "in", articleIds.slice(i, i + CHUNK))
      .where("sent_at", "is", null)
      .execute();
  }
}

/**
 * Takes waiting stories for one message as it happens: marks them sent and returns the ones this
 * call marked. Another sender (the digest, a second process) that marked one first keeps it, so
 * a story is carried once however the two race.
 */
export async function claimInstantItems(
  db: Db,
  readerId: number,
  articleIds: number[],
  at: string,
): Promise<Set<number>> {
  const claimed = new Set<number>();
  for (let i = 0; i < articleIds.length; i += CHUNK) {
    const rows = await db
      .updateTable("instant_items")
      .set({ sent_at: at })
      .where("reader_id", "=", readerId)
      .where("article_id", "in", articleIds.slice(i, i + CHUNK))
      .where("sent_at", "is", null)
      .returning("article_id")
      .execute();
    for (const r of rows) claimed.add(r.article_id);
  }
  return claimed;
}

/**
 * Of these stories, the ones the reader's last digest already looked at: stored before its
 * cut-off, in a topic the reader gets in the digest. A story stored just before a digest slot
 * can be matched as it happens only after the digest went (the instant job runs every few
 * seconds behind); it was in that digest, or in its "+k more", and is not pushed again.
 */
export async function seenByLastDigest(
  db: Db,
  readerId: number,
  articleIds: number[],
): Promise<Set<number>> {
  if (articleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("article_categories as ac")
    .innerJoin("articles as a", "a.id", "ac.article_id")
    .innerJoin("reader_topics as rt", "rt.category_id", "ac.category_id")
    .innerJoin("digest_marks as m", "m.reader_id", "rt.reader_id")
    .select("ac.article_id")
    .distinct()
    .where("rt.reader_id", "=", readerId)
    .where("rt.mode", "<>", "instant")
    .where("ac.article_id", "in", articleIds)
    .whereRef("a.fetched_at", "<=", "m.last_digest_cutoff")
    .execute();
  return new Set(rows.map((r) => r.article_id));
}

/** Whether any story was queued after `since` (the digest skips its look-up when none was). */
export async function anyInstantItemSince(db: Db, since: string): Promise<boolean> {
  const row = await db
    .selectFrom("instant_items")
    .select("reader_id")
    .where("queued_at", ">", since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * For the digest: per reader, the stories queued after `since` that were already pushed
 * (`sent`) and those still waiting (`waiting`).
 */
export async function instantItemsOfReaders(
  db: Db,
  readerIds: number[],
  since: string,
): Promise<Map<number, { sent: Set<number>; waiting: Set<number> }>> {
  const byReader = new Map<number, { sent: Set<number>; waiting: Set<number> }>();
  for (let i = 0; i < readerIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("instant_items")
      .select(["reader_id", "article_id", "sent_at"])
      .where("reader_id", "in", readerIds.slice(i, i + CHUNK))
      .where("queued_at", ">", since)
      .execute();
    for (const row of rows) {
      let entry = byReader.get(row.reader_id);
      if (!entry) {
        entry = { sent: new Set(), waiting: new Set() };
        byReader.set(row.reader_id, entry);
      }
      (row.sent_at === null ? entry.waiting : entry.sent).add(row.article_id);
    }
  }
  return byReader;
}

/** Every item of a reader, pushed or waiting, dropped (erasure). */
export async function deleteInstantItemsOf(db: Db, readerId: number): Promise<void> {
  await db.deleteFrom("instant_items").where("reader_id", "=", readerId).execute();
}

/** Forgets what was carried before `before` (the nightly clean-up). */
export async function purgeInstantItems(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom("instant_items")
    .where("sent_at", "is not", null)
    .where("sent_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
