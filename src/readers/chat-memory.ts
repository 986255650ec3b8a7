/**
 * What each chat was last shown, kept in the database so that it holds after a restart and on
 * every process sharing it: the last numbered list of stories (item number -> story id), which
 * "/doc N", "đọc N" and a bare number open, and, on platforms without buttons, the numbered
 * choices of the last message that offered any. One row per chat (platform, chat id).
 */
import type { Db } from "../db/schema";

/** A list item: the number the list showed it with, and its story. */
export interface ListItem {
  number: number;
  articleId: number;
}

/** A numbered choice: the number shown beside it and its encoded action (the button codec). */
export interface StoredChoice {
  number: number;
  action: string;
}

/** Lists and choices are kept at this size at most (a digest shows up to 100 items). */
const MAX_ENTRIES = 200;
const MAX_ACTION_LENGTH = 64;

async function upsert(
  db: Db,
  chat: { platform: string; chatId: string },
  values: { list_items?: string; list_at?: string; choices?: string; choices_at?: string },
  now: string,
): Promise<void> {
  await db
    .insertInto("chat_memory")
    .values({ platform: chat.platform, chat_id: chat.chatId, ...values, updated_at: now })
    .onConflict((oc) =>
      oc.columns(["platform", "chat_id"]).doUpdateSet({ ...values, updated_at: now }),
    )
    .execute();
}

/**
 * Remembers what a chat was just shown: a story list (replacing the one before) and/or the
 * numbered choices offered (replacing the ones before), in one statement.
 */
export async function rememberShown(
  db: Db,
  chat: { platform: string; chatId: string },
  memory: { items?: ListItem[]; choices?: StoredChoice[] },
  now: string,
): Promise<void> {
  const values: { list_items?: string; list_at?: string; choices?: string; choices_at?: string } =
    {};
  if (memory.items) {
    const pairs = memory.items.slice(0, MAX_ENTRIES).map((i) => [i.number, i.articleId]);
    Object.assign(values, { list_items: JSON.stringify(pairs), list_at: now });
  }
  if (memory.choices) {
    const pairs = memory.choices.slice(0, MAX_ENTRIES).map((c) => [c.number, c.action]);
    Object.assign(values, { choices: JSON.stringify(pairs), choices_at: now });
  }
  if (Object.keys(values).length > 0) await upsert(db, chat, values, now);
}

/** Reads stored JSON pairs, dropping anything malformed (the column is only ever ours). */
function pairs<T>(json: string | null, valid: (value: unknown) => value is T): [number, T][] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (p): p is [number, T] =>
      Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && valid(p[1]),
  );
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isAction = (v: unknown): v is string =>
  typeof v === "string" && v.length > 0 && v.length <= MAX_ACTION_LENGTH;

async function row(db: Db, chat: { platform: string; chatId: string }) {
  return db
    .selectFrom("chat_memory")
    .select(["list_items", "choices"])
    .where("platform", "=", chat.platform)
    .where("chat_id", "=", chat.chatId)
    .executeTakeFirst();
}

/** The chat's last story list, in the order shown; null when it has been shown none. */
export async function lastList(
  db: Db,
  chat: { platform: string; chatId: string },
): Promise<ListItem[] | null> {
  const found = await row(db, chat);
  if (!found?.list_items) return null;
  return pairs(found.list_items, isId).map(([number, articleId]) => ({ number, articleId }));
}

/** The numbered choices last offered to the chat; null when it has been offered none. */
export async function lastChoices(
  db: Db,
  chat: { platform: string; chatId: string },
): Promise<StoredChoice[] | null> {
  const found = await row(db, chat);
  if (!found?.choices) return null;
  return pairs(found.choices, isAction).map(([number, action]) => ({ number, action }));
}

/** Forgets everything the chat was shown (erasure). */
export async function forgetChat(
  db: Db,
  chat: { platform: string; chatId: string },
): Promise<void> {
  await db
    .deleteFrom("chat_memory")
    .where("platform", "=", chat.platform)
    .where("chat_id", "=", chat.chatId)
    .execute();
}
