import { NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { ReaderRow } from "../db/tables/readers";

/** Where a reader chats: Telegram, Zalo, or the terminal of the demo. */
export type ReaderPlatform = "telegram" | "zalo" | "terminal";
export type ReaderStatus = "active" | "stopped" | "blocked";
export type ChatType = "private" | "group" | "supergroup" | "channel";

export interface Reader {
  id: number;
  platform: ReaderPlatform;
  chatId: string;
  chatType: ChatType;
  displayName: string | null;
  locale: "vi" | "en";
  timeZone: string;
  digestTime: string;
  digestEnabled: boolean;
  status: ReaderStatus;
  /** Quiet hours, local "HH:MM" to "HH:MM"; equal times mean none. */
  quietFrom: string;
  quietUntil: string;
  createdAt: string;
}

export interface ReaderDefaults {
  locale: "vi" | "en";
  timeZone: string;
  digestTime: string;
  /** Quiet hours of new readers (QUIET_HOURS); the database's 22:00-06:00 when unset. */
  quietHours?: { from: string; until: string };
}

export function toReader(row: ReaderRow): Reader {
  return {
    id: row.id,
    platform: row.platform as ReaderPlatform,
    chatId: row.chat_id,
    chatType: row.chat_type as ChatType,
    displayName: row.display_name,
    locale: row.locale as "vi" | "en",
    timeZone: row.time_zone,
    digestTime: row.digest_time,
    digestEnabled: row.digest_enabled === 1,
    status: row.status as ReaderStatus,
    quietFrom: row.quiet_from,
    quietUntil: row.quiet_until,
    createdAt: row.created_at,
  };
}

export async function findReader(
  db: Db,
  platform: ReaderPlatform,
  chatId: string,
): Promise<Reader | undefined> {
  const row = await db
    .selectFrom("readers")
    .selectAll()
    .where("platform", "=", platform)
    .where("chat_id", "=", chatId)
    .executeTakeFirst();
  return row && toReader(row);
}

export async function getReader(db: Db, id: number): Promise<Reader> {
  const row = await db.selectFrom("readers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`no reader with id ${id}`);
  return toReader(row);
}

/**
 * Registers a chat as a reader (or welcomes one back): a new reader gets the defaults; a
 * returning one keeps its preferences and becomes active again. A first digest carries the
 * last 24 hours (see digest/run.ts and digest-marks.ts).
 */
export async function registerReader(
  db: Db,
  chat: {
    platform: ReaderPlatform;
    chatId: string;
    chatType: ChatType;
    displayName?: string | null;
  },
  defaults: ReaderDefaults,
  now: string,
): Promise<{ reader: Reader; isNew: boolean }> {
  const existing = await findReader(db, chat.platform, chat.chatId);
  if (existing) {
    const row = await db
      .updateTable("readers")
      .set({
        status: "active",
        display_name: chat.displayName ?? existing.displayName,
        chat_type: chat.chatType,
        updated_at: now,
      })
      .where("id", "=", existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { reader: toReader(row), isNew: false };
  }
  return insertReader(db, chat, defaults, now);
}

/**
 * A new reader with the defaults; when another update registered the chat at the same moment,
 * that reader (not new).
 */
async function insertReader(
  db: Db,
  chat: {
    platform: ReaderPlatform;
    chatId: string;
    chatType: ChatType;
    displayName?: string | null;
  },
  defaults: ReaderDefaults,
  now: string,
): Promise<{ reader: Reader; isNew: boolean }> {
  const row = await db
    .insertInto("readers")
    .values({
      platform: chat.platform,
      chat_id: chat.chatId,
      chat_type: chat.chatType,
      display_name: chat.displayName ?? null,
      locale: defaults.locale,
      time_zone: defaults.timeZone,
      digest_time: defaults.digestTime,
      ...(defaults.quietHours
        ? { quiet_from: defaults.quietHours.from, quiet_until: defaults.quietHours.until }
        : {}),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["platform", "chat_id"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return { reader: toReader(row), isNew: true };
  const reader = await findReader(db, chat.platform, chat.chatId);
  if (!reader) throw new Error("reader vanished while registering");
  return { reader, isNew: false };
}

/**
 * The reader of a chat, made with the defaults when the chat has none yet (an admin's private
 * chat, for alerts, before the admin ever wrote to the bot). An existing reader is returned as
 * it is: one who stopped or blocked the bot stays so.
 */
export async function ensureReader(
  db: Db,
  chat: { platform: ReaderPlatform; chatId: string; chatType: ChatType },
  defaults: ReaderDefaults,
  now: string,
): Promise<Reader> {
  const existing = await findReader(db, chat.platform, chat.chatId);
  if (existing) return existing;
  return (await insertReader(db, chat, defaults, now)).reader;
}

export interface ReaderPreferences {
  locale?: "vi" | "en";
  timeZone?: string;
  digestTime?: string;
  digestEnabled?: boolean;
}

export async function updatePreferences(
  db: Db,
  readerId: number,
  prefs: ReaderPreferences,
  now: string,
): Promise<Reader> {
  const row = await db
    .updateTable("readers")
    .set({
      ...(prefs.locale ? { locale: prefs.locale } : {}),
      ...(prefs.timeZone ? { time_zone: prefs.timeZone } : {}),
      ...(prefs.digestTime ? { digest_time: prefs.digestTime } : {}),
      ...(prefs.digestEnabled !== undefined ? { digest_enabled: prefs.digestEnabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where("id", "=", readerId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no reader with id ${readerId}`);
  return toReader(row);
}

/** Sets a reader's quiet hours ("HH:MM" each; equal times turn them off). */
export async function setQuietHours(
  db: Db,
  readerId: number,
  quiet: { from: string; until: string },
  now: string,
): Promise<Reader> {
  const row = await db
    .updateTable("readers")
    .set({ quiet_from: quiet.from, quiet_until: quiet.until, updated_at: now })
    .where("id", "=", readerId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no reader with id ${readerId}`);
  return toReader(row);
}

/** Records when readers last got a message as it happens (the batch window starts there). */
export async function markInstantSent(db: Db, readerIds: number[], at: string): Promise<void> {
  for (let i = 0; i < readerIds.length; i += 500) {
    await db
      .updateTable("readers")
      .set({ last_instant_at: at })
      .where("id", "in", readerIds.slice(i, i + 500))
      .execute();
  }
}

export async function setReaderStatus(
  db: Db,
  readerId: number,
  status: ReaderStatus,
  now: string,
): Promise<void> {
  await db
    .updateTable("readers")
    .set({ status, updated_at: now })
    .where("id", "=", readerId)
    .execute();
}

/** Erases a reader's row (its own data rights: services/reader-data.ts erases the rest first). */
export async function deleteReader(db: Db, readerId: number): Promise<void> {
  await db.deleteFrom("readers").where("id", "=", readerId).execute();
}

/**
 * A Telegram group upgraded to a supergroup gets a new chat id: the reader moves with it.
 * If the new chat already has a reader (it wrote to us meanwhile), the old one is dropped.
 */
export async function moveReaderChat(
  db: Db,
  platform: ReaderPlatform,
  fromChatId: string,
  toChatId: string,
  now: string,
): Promise<Reader | undefined> {
  const target = await findReader(db, platform, toChatId);
  const source = await findReader(db, platform, fromChatId);
  if (!source) return target;
  if (target) {
    await db.deleteFrom("readers").where("id", "=", source.id).execute();
    return target;
  }
  const row = await db
    .updateTable("readers")
    .set({ chat_id: toChatId, chat_type: "supergroup", updated_at: now })
    .where("id", "=", source.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toReader(row);
}

/** Where a message to a reader goes, and whether it may go. */
export interface ReaderTarget {
  chatId: string;
  chatType: string;
  status: string;
}

/** Targets of many readers at once (the sender reads them once per claim). */
export async function readerTargets(
  db: Db,
  readerIds: number[],
): Promise<Map<number, ReaderTarget>> {
  const targets = new Map<number, ReaderTarget>();
  const ids = [...new Set(readerIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("readers")
      .select(["id", "chat_id as chatId", "chat_type as chatType", "status"])
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
    for (const { id, ...target } of rows) targets.set(id, target);
  }
  return targets;
}

/** The Telegram channels the bot posts to (readers with chat_type 'channel'), oldest first. */
export async function channelReaders(db: Db): Promise<Reader[]> {
  const rows = await db
    .selectFrom("readers")
    .selectAll()
    .where("platform", "=", "telegram")
    .where("chat_type", "=", "channel")
    .orderBy("id")
    .execute();
  return rows.map(toReader);
}
