/**
 * Telegram channels the bot posts to. A channel is a reader (platform telegram, chat_type
 * channel) whose topics all have one mode: "instant" (one post per story, by the instant engine)
 * or "digest" (the daily digest at its digest time). Its title, and its @username when it has
 * one, are kept in the reader's display name as "Title (@username)".
 */
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { recordAudit } from "../editors/audit";
import { listTopics, type Topic } from "../news/topics";
import { readerTopicModes, setTopicsInMode } from "../readers/reader-topics";
import {
  channelReaders,
  type Reader,
  type ReaderDefaults,
  type ReaderStatus,
  registerReader,
  setReaderStatus,
  updatePreferences,
} from "../readers/readers";
import { formatClockTime, parseClockTime } from "../text/time";

export type ChannelMode = "instant" | "digest";
export const CHANNEL_MODES: readonly ChannelMode[] = ["instant", "digest"];

/** A mistake in what the operator asked: one line, said plainly. */
export class ChannelError extends Error {
  override name = "ChannelError";
}

export type ChannelRef = { kind: "username"; username: string } | { kind: "id"; id: string };

/** "@kenh" or a chat id such as "-1001234567890". */
export function parseChannelRef(text: string): ChannelRef {
  const value = text.trim();
  const username = /^@([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(value);
  if (username) return { kind: "username", username: username[1] as string };
  if (/^-\d{1,20}$/.test(value)) return { kind: "id", id: value };
  throw new ChannelError(
    `"${text}" is not a channel: give its @username (e.g. @kenh) or its id (e.g. -1001234567890)`,
  );
}

export function formatChannelRef(ref: ChannelRef): string {
  return ref.kind === "username" ? `@${ref.username}` : ref.id;
}

export function parseChannelMode(text: string): ChannelMode {
  if (text === "instant" || text === "digest") return text;
  throw new ChannelError(`--mode must be instant or digest, got "${text}"`);
}

/** "7:30" -> "07:30"; anything that is not a clock time is refused. */
export function parseDigestTime(text: string): string {
  const minutes = parseClockTime(text);
  if (minutes === null) throw new ChannelError(`--time must be HH:MM (e.g. 07:30), got "${text}"`);
  return formatClockTime(minutes);
}

/** The topics of these slugs, in the order given; unknown ones are refused, naming the known. */
export async function resolveTopics(db: Db, slugs: string[]): Promise<Topic[]> {
  const wanted = [...new Set(slugs.map((s) => s.trim()).filter(Boolean))];
  const topics = await listTopics(db);
  if (topics.length === 0) {
    throw new ChannelError("there are no topics yet: add one first with bantin category add");
  }
  if (wanted.length === 0) {
    throw new ChannelError(
      `--topics needs at least one topic; known topics: ${topics.map((c) => c.slug).join(", ")}`,
    );
  }
  const bySlug = new Map(topics.map((c) => [c.slug, c]));
  const unknown = wanted.filter((s) => !bySlug.has(s));
  if (unknown.length > 0) {
    throw new ChannelError(
      `unknown topic${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known topics: ${topics.map((c) => c.slug).join(", ")}`,
    );
  }
  return wanted.map((s) => bySlug.get(s) as Topic);
}

function displayName(title: string, username: string | null): string {
  return username ? `${title} (@${username})` : title;
}

function splitDisplayName(name: string | null): { title: string; username: string | null } {
  const match = /^(.*) \(@([A-Za-z0-9_]+)\)$/s.exec(name ?? "");
  if (match) return { title: match[1] as string, username: match[2] as string };
  return { title: name ?? "", username: null };
}

export interface ChannelSettings {
  channel: { id: string; title: string; username: string | null };
  topics: Topic[];
  mode: ChannelMode;
  /** Digest mode: the local time of the daily digest (default: the reader default). */
  digestTime?: string;
  locale?: "vi" | "en";
}

/**
 * Registers a channel, or updates one added before (it becomes active again): its topics, all
 * in the mode asked; digests on only in digest mode. (The instant engine posts to a channel at
 * once, story by story, without batching or quiet hours.)
 */
export async function saveChannel(
  db: Db,
  settings: ChannelSettings,
  defaults: ReaderDefaults,
  actor: string,
  now: string,
): Promise<{ reader: Reader; isNew: boolean }> {
  return inTransaction(db, async (trx) => {
    const { reader, isNew } = await registerReader(
      trx,
      {
        platform: "telegram",
        chatId: settings.channel.id,
        chatType: "channel",
        displayName: displayName(settings.channel.title, settings.channel.username),
      },
      defaults,
      now,
    );
    const updated = await updatePreferences(
      trx,
      reader.id,
      {
        digestEnabled: settings.mode === "digest",
        ...(settings.digestTime ? { digestTime: settings.digestTime } : {}),
        ...(settings.locale ? { locale: settings.locale } : {}),
      },
      now,
    );
    await setTopicsInMode(
      trx,
      reader.id,
      settings.topics.map((t) => t.id),
      settings.mode,
    );
    await recordAudit(trx, {
      actor,
      action: isNew ? "channel.add" : "channel.update",
      detail: {
        chatId: settings.channel.id,
        title: settings.channel.title,
        topics: settings.topics.map((t) => t.slug),
        mode: settings.mode,
        digestTime: updated.digestTime,
      },
      at: now,
    });
    return { reader: updated, isNew };
  });
}

export interface ChannelSummary {
  readerId: number;
  chatId: string;
  title: string;
  username: string | null;
  topics: string[];
  mode: ChannelMode | "mixed" | "none";
  /** The daily digest's local time, in digest mode; null otherwise. */
  digestTime: string | null;
  timeZone: string;
  locale: "vi" | "en";
  status: ReaderStatus;
  /** Messages delivered to the channel (outbox rows sent). */
  posts: number;
  lastPostAt: string | null;
}

/** Delivered posts per channel reader, with the time of the last. */
export async function channelPostCounts(
  db: Db,
  readerIds: number[],
): Promise<Map<number, { posts: number; lastPostAt: string | null }>> {
  const counts = new Map<number, { posts: number; lastPostAt: string | null }>();
  for (let i = 0; i < readerIds.length; i += 500) {
    const rows = await db
      .selectFrom("outbox")
      .select((eb) => [
        "reader_id",
        eb.fn.countAll<number>().as("n"),
        eb.fn.max("sent_at").as("last"),
      ])
      .where("state", "=", "sent")
      .where("reader_id", "in", readerIds.slice(i, i + 500))
      .groupBy("reader_id")
      .execute();
    for (const row of rows) {
      counts.set(row.reader_id, { posts: Number(row.n), lastPostAt: row.last ?? null });
    }
  }
  return counts;
}

export async function listChannels(db: Db): Promise<ChannelSummary[]> {
  const readers = await channelReaders(db);
  if (readers.length === 0) return [];
  const slugs = new Map((await listTopics(db)).map((c) => [c.id, c.slug]));
  const counts = await channelPostCounts(
    db,
    readers.map((r) => r.id),
  );
  const summaries: ChannelSummary[] = [];
  for (const reader of readers) {
    const topics = await readerTopicModes(db, reader.id);
    const modes = new Set(topics.map((t) => t.mode));
    const mode: ChannelSummary["mode"] =
      modes.size === 0
        ? "none"
        : modes.size === 1 && (modes.has("instant") || modes.has("digest"))
          ? ([...modes][0] as ChannelMode)
          : "mixed";
    const { title, username } = splitDisplayName(reader.displayName);
    const count = counts.get(reader.id);
    summaries.push({
      readerId: reader.id,
      chatId: reader.chatId,
      title,
      username,
      topics: topics.map((t) => slugs.get(t.topicId) ?? String(t.topicId)),
      mode,
      digestTime: reader.digestEnabled ? reader.digestTime : null,
      timeZone: reader.timeZone,
      locale: reader.locale,
      status: reader.status,
      posts: count?.posts ?? 0,
      lastPostAt: count?.lastPostAt ?? null,
    });
  }
  return summaries;
}

/** The channel a @username or id names, among those added. */
export async function findChannel(db: Db, ref: ChannelRef): Promise<ChannelSummary | undefined> {
  const channels = await listChannels(db);
  if (ref.kind === "id") return channels.find((c) => c.chatId === ref.id);
  const name = ref.username.toLowerCase();
  return channels.find((c) => c.username?.toLowerCase() === name);
}

/** Stops posting to a channel (its settings stay, so `channel add` brings it back). */
export async function removeChannel(
  db: Db,
  ref: ChannelRef,
  actor: string,
  now: string,
): Promise<ChannelSummary> {
  const channel = await findChannel(db, ref);
  if (!channel) {
    throw new ChannelError(
      `no channel ${formatChannelRef(ref)} has been added (see bantin channel list)`,
    );
  }
  await inTransaction(db, async (trx) => {
    await setReaderStatus(trx, channel.readerId, "stopped", now);
    await recordAudit(trx, {
      actor,
      action: "channel.remove",
      detail: { chatId: channel.chatId, title: channel.title },
      at: now,
    });
  });
  return { ...channel, status: "stopped" };
}
