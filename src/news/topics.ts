import { isPostgres } from "../db/dialect";
import { DuplicateError, isUniqueViolation, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { CategoryRow } from "../db/tables/categories";
import { inTransaction } from "../db/transaction";
import { cleanLine } from "../text/normalize";

export interface Topic {
  id: number;
  slug: string;
  name: { vi: string; en: string };
  position: number;
}

export interface TopicInput {
  slug: string;
  name: { vi: string; en: string };
  position?: number;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * What was wrong with a topic's input: its slug (its form or its length), a missing name, a
 * name too long, or a position that is not a whole number from 0.
 */
export type InvalidTopicReason = "slug" | "names" | "length" | "position";

export class InvalidTopicError extends Error {
  override name = "InvalidTopicError";
  constructor(
    message: string,
    /** For callers that say it in their own words (the console). */
    readonly reason: InvalidTopicReason = "slug",
  ) {
    super(message);
  }
}

/** Names longer than this are refused. */
export const TOPIC_NAME_MAX = 100;
/** A slug goes into deep links, `start=topic_<slug>`, which Telegram keeps to 64 characters. */
export const TOPIC_SLUG_MAX = 58;
/** Positions are whole numbers from 0 up to this. */
export const TOPIC_POSITION_MAX = 100_000;

function toTopic(row: CategoryRow): Topic {
  return {
    id: row.id,
    slug: row.slug,
    name: { vi: row.name_vi, en: row.name_en },
    position: row.position,
  };
}

function validate(input: TopicInput): { slug: string; vi: string; en: string } {
  if (!SLUG.test(input.slug)) {
    throw new InvalidTopicError(
      `topic slug "${input.slug.slice(0, 80)}" must be lower-case letters, digits and dashes (e.g. thoi-su)`,
      "slug",
    );
  }
  if (input.slug.length > TOPIC_SLUG_MAX) {
    throw new InvalidTopicError(
      `a topic slug is at most ${TOPIC_SLUG_MAX} characters (it goes into links), not ${input.slug.length}`,
      "slug",
    );
  }
  const { position } = input;
  if (
    position !== undefined &&
    (!Number.isInteger(position) || position < 0 || position > TOPIC_POSITION_MAX)
  ) {
    throw new InvalidTopicError(
      `a topic's position is a whole number from 0 to ${TOPIC_POSITION_MAX}, not ${position}`,
      "position",
    );
  }
  return { slug: input.slug, ...validateNames(input.slug, input.name) };
}

function validateNames(slug: string, name: { vi: string; en: string }): { vi: string; en: string } {
  const vi = cleanLine(name.vi);
  const en = cleanLine(name.en);
  if (!vi || !en) throw new InvalidTopicError(`topic "${slug}" needs a name in vi and en`, "names");
  if (vi.length > TOPIC_NAME_MAX || en.length > TOPIC_NAME_MAX) {
    throw new InvalidTopicError(
      `topic "${slug}": names are at most ${TOPIC_NAME_MAX} characters`,
      "length",
    );
  }
  return { vi, en };
}

async function nextPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom("categories")
    .select((eb) => eb.fn.max("position").as("max"))
    .executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

/** Adds a topic; a slug already taken is a DuplicateError. New ones go last unless placed. */
export async function addTopic(db: Db, input: TopicInput): Promise<Topic> {
  const { slug, vi, en } = validate(input);
  const position = input.position ?? (await nextPosition(db));
  try {
    const row = await db
      .insertInto("categories")
      .values({ slug, name_vi: vi, name_en: en, position })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTopic(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(`topic "${slug}" already exists`);
    throw error;
  }
}

/** Adds or updates by slug (for SOURCES_FILE): names and position follow the input. */
export async function upsertTopic(db: Db, input: TopicInput): Promise<Topic> {
  const { slug, vi, en } = validate(input);
  const existing = await findTopicBySlug(db, slug);
  if (!existing) return addTopic(db, input);
  const row = await db
    .updateTable("categories")
    .set({
      name_vi: vi,
      name_en: en,
      ...(input.position !== undefined ? { position: input.position } : {}),
    })
    .where("id", "=", existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTopic(row);
}

export async function listTopics(db: Db): Promise<Topic[]> {
  const rows = await db
    .selectFrom("categories")
    .selectAll()
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toTopic);
}

export async function findTopicBySlug(db: Db, slug: string): Promise<Topic | undefined> {
  const row = await db
    .selectFrom("categories")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirst();
  return row && toTopic(row);
}

export async function getTopicBySlug(db: Db, slug: string): Promise<Topic> {
  const topic = await findTopicBySlug(db, slug);
  if (!topic) throw new NotFoundError(`no topic "${slug}"; see \`bantin category list\``);
  return topic;
}

export async function findTopicById(db: Db, id: number): Promise<Topic | undefined> {
  const row = await db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toTopic(row);
}

/** Gives a topic new names (cleaned and checked as when it was added); its slug stays. */
export async function renameTopic(
  db: Db,
  id: number,
  name: { vi: string; en: string },
): Promise<Topic> {
  return inTransaction(db, async (trx) => {
    const existing = await findTopicById(trx, id);
    if (!existing) throw new NotFoundError(`no topic with id ${id}`);
    const { vi, en } = validateNames(existing.slug, name);
    const row = await trx
      .updateTable("categories")
      .set({ name_vi: vi, name_en: en })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTopic(row);
  });
}

export type MoveDirection = "up" | "down";

/**
 * Moves a topic one place up or down in the listing order (position, then id), by swapping
 * positions with its neighbour; positions that tie are first made 0..n-1 in that order, so that a
 * swap always changes the order. The first cannot go up nor the last down: then nothing changes
 * and `moved` is false.
 */
export async function moveTopic(
  db: Db,
  id: number,
  direction: MoveDirection,
): Promise<{ topic: Topic; moved: boolean }> {
  return inTransaction(db, async (trx) => {
    // On PostgreSQL the rows stay locked until the end, so that two moves at once do not mix.
    const rows = await trx
      .selectFrom("categories")
      .selectAll()
      .orderBy("position")
      .orderBy("id")
      .$if(isPostgres(trx), (q) => q.forUpdate())
      .execute();
    const index = rows.findIndex((r) => r.id === id);
    const current = rows[index];
    if (!current) throw new NotFoundError(`no topic with id ${id}`);
    const other = rows[direction === "up" ? index - 1 : index + 1];
    if (!other) return { topic: toTopic(current), moved: false };

    const ties = rows.some((r, i) => i > 0 && r.position === rows[i - 1]?.position);
    if (ties) {
      for (const [i, row] of rows.entries()) {
        if (row.position === i) continue;
        await trx.updateTable("categories").set({ position: i }).where("id", "=", row.id).execute();
        row.position = i;
      }
    }
    const [mine, theirs] = [current.position, other.position];
    await trx
      .updateTable("categories")
      .set({ position: theirs })
      .where("id", "=", current.id)
      .execute();
    await trx
      .updateTable("categories")
      .set({ position: mine })
      .where("id", "=", other.id)
      .execute();
    return { topic: toTopic({ ...current, position: theirs }), moved: true };
  });
}

/** A topic with what hangs on it, for the console's topics page. */
export interface TopicFigures extends Topic {
  /** Active readers following it (channels are counted apart). */
  readers: number;
  /** Stories filed under it. */
  stories: number;
  /** Feeds whose stories go to it. */
  feeds: number;
}

/** Every topic in listing order, each with its readers, stories and feeds. */
export async function listTopicFigures(db: Db): Promise<TopicFigures[]> {
  const rows = await db
    .selectFrom("categories as c")
    .selectAll("c")
    .select((eb) => [
      eb
        .selectFrom("reader_topics as rt")
        .innerJoin("readers as r", "r.id", "rt.reader_id")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("rt.category_id", "=", "c.id")
        .where("r.status", "=", "active")
        .where("r.chat_type", "<>", "channel")
        .as("readers"),
      eb
        .selectFrom("article_categories as ac")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("ac.category_id", "=", "c.id")
        .as("stories"),
      eb
        .selectFrom("sources as s")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("s.category_id", "=", "c.id")
        .as("feeds"),
    ])
    .orderBy("c.position")
    .orderBy("c.id")
    .execute();
  return rows.map((row) => ({
    ...toTopic(row),
    readers: Number(row.readers ?? 0),
    stories: Number(row.stories ?? 0),
    feeds: Number(row.feeds ?? 0),
  }));
}

/** Deletes a topic; who followed it stops following it, and its story listings go with it. */
export async function removeTopic(db: Db, id: number): Promise<void> {
  const result = await db.deleteFrom("categories").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new NotFoundError(`no topic with id ${id}`);
}
