/**
 * Readers as they change themselves in chat, and as the platforms report them: registering on
 * first contact, their topics and how each one's news comes, keyword follows, digest time and
 * zone, quiet hours, language, stopping; blocked and back. Each change is checked once here and
 * made through the readers' own modules. (A reader's own choices are not editors' changes: they
 * are not in the audit log.)
 */
import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import {
  type FollowOutcome,
  follow,
  type KeywordFollow,
  listFollows,
  unfollow,
} from "../readers/keywords";
import {
  readerTopicIds,
  readerTopicModes,
  setTopicMode,
  subscribe,
  type TopicMode,
  toggleTopic,
} from "../readers/reader-topics";
import {
  type ChatType,
  findReader,
  type Reader,
  type ReaderDefaults,
  type ReaderPlatform,
  registerReader,
  setQuietHours,
  setReaderStatus,
  updatePreferences,
} from "../readers/readers";
import { parseQuietHours } from "../text/quiet-hours";
import { formatClockTime, isValidTimeZone, parseClockTime } from "../text/time";

/** A chat as a platform names it. */
export interface ReaderChat {
  platform: ReaderPlatform;
  chatId: string;
  chatType: ChatType;
  displayName?: string | null;
}

/** A setting refused, and which part of it. */
export type SettingProblem = "time" | "zone" | "span";

export type SettingOutcome = { ok: true; reader: Reader } | { ok: false; problem: SettingProblem };

export interface ReaderService {
  find(platform: ReaderPlatform, chatId: string): Promise<Reader | undefined>;
  /** Registers a chat, or welcomes one back: active again, its preferences kept. */
  register(chat: ReaderChat): Promise<{ reader: Reader; isNew: boolean }>;
  /** The chat's reader, registered on first contact; otherwise as it is (stopped stays stopped). */
  forChat(chat: ReaderChat): Promise<{ reader: Reader; isNew: boolean }>;
  /** The platform says the bot was blocked or removed (false), or allowed again (true). */
  setReachable(chat: ReaderChat, reachable: boolean): Promise<void>;
  /** The daily digest at "HH:MM", in `zone` (an IANA name, any case) or the reader's own. */
  setDigestTime(reader: Reader, time: string, zone?: string): Promise<SettingOutcome>;
  turnDigestOff(reader: Reader): Promise<Reader>;
  /** Quiet hours as typed ("22:00-06:00", "22h-6h"); null turns them off. */
  setQuietHours(reader: Reader, span: string | null): Promise<SettingOutcome>;
  setLanguage(reader: Reader, locale: "vi" | "en"): Promise<Reader>;
  /** Stops everything until the reader comes back with /start. */
  stop(reader: Reader): Promise<void>;
  topicIds(reader: Reader): Promise<number[]>;
  topicModes(reader: Reader): Promise<{ topicId: number; mode: TopicMode }[]>;
  followTopic(reader: Reader, topicId: number): Promise<void>;
  /** Follows a topic or stops following it; true when it is followed now. */
  toggleTopic(reader: Reader, topicId: number): Promise<boolean>;
  setTopicMode(reader: Reader, topicId: number, mode: TopicMode): Promise<void>;
  follows(reader: Reader): Promise<KeywordFollow[]>;
  /** Follows words (plain words only, never a pattern); says how it went. */
  follow(reader: Reader, words: string): Promise<FollowOutcome>;
  /** Stops following follow number `ref` of the list, or those words. */
  unfollow(reader: Reader, ref: string): Promise<KeywordFollow | undefined>;
}

/** An IANA zone as the runtime spells it ("asia/bangkok" -> "Asia/Bangkok"), or null. */
function canonicalZone(text: string): string | null {
  if (!isValidTimeZone(text)) return null;
  return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
}

export function readerService(deps: {
  db: Db;
  clock: Clock;
  defaults: ReaderDefaults;
}): ReaderService {
  const { db, defaults } = deps;
  const now = () => deps.clock().toISOString();
  const register = (chat: ReaderChat) => registerReader(db, chat, defaults, now());

  return {
    find: (platform, chatId) => findReader(db, platform, chatId),
    register,
    async forChat(chat) {
      const existing = await findReader(db, chat.platform, chat.chatId);
      return existing ? { reader: existing, isNew: false } : register(chat);
    },
    async setReachable(chat, reachable) {
      const reader = await findReader(db, chat.platform, chat.chatId);
      if (reachable) {
        if (!reader) await register(chat);
        else if (reader.status === "blocked") await setReaderStatus(db, reader.id, "active", now());
        return;
      }
      if (reader) await setReaderStatus(db, reader.id, "blocked", now());
    },
    async setDigestTime(reader, time, zone) {
      const minutes = parseClockTime(time);
      if (minutes === null) return { ok: false, problem: "time" };
      const timeZone = zone === undefined ? reader.timeZone : canonicalZone(zone);
      if (!timeZone) return { ok: false, problem: "zone" };
      const updated = await updatePreferences(
        db,
        reader.id,
        { digestTime: formatClockTime(minutes), digestEnabled: true, timeZone },
        now(),
      );
      return { ok: true, reader: updated };
    },
    turnDigestOff: (reader) => updatePreferences(db, reader.id, { digestEnabled: false }, now()),
    async setQuietHours(reader, text) {
      // Equal ends mean no quiet hours.
      const span = text === null ? { from: "00:00", until: "00:00" } : parseQuietHours(text);
      if (!span) return { ok: false, problem: "span" };
      return { ok: true, reader: await setQuietHours(db, reader.id, span, now()) };
    },
    setLanguage: (reader, locale) => updatePreferences(db, reader.id, { locale }, now()),
    stop: (reader) => setReaderStatus(db, reader.id, "stopped", now()),
    topicIds: (reader) => readerTopicIds(db, reader.id),
    topicModes: (reader) => readerTopicModes(db, reader.id),
    followTopic: (reader, topicId) => subscribe(db, reader.id, topicId),
    toggleTopic: (reader, topicId) => toggleTopic(db, reader.id, topicId),
    setTopicMode: (reader, topicId, mode) => setTopicMode(db, reader.id, topicId, mode),
    follows: (reader) => listFollows(db, reader.id),
    follow: (reader, words) => follow(db, reader.id, words, now()),
    unfollow: (reader, ref) => unfollow(db, reader.id, ref),
  };
}
