/**
 * A newsroom's day, compressed (issue 20): who the readers are and what happens when, as pure
 * rules of the reader's index and the day's length, so that seeding and counting agree without
 * keeping 200,000 readers in memory twice.
 */

export interface SoakSize {
  /** Telegram readers, each following one topic, each due a digest during the day. */
  readers: number;
  /** The day's length in seconds (broadcasts, stories, updates and faults are placed on it). */
  daySeconds: number;
  /** Digests fall due over this many whole minutes (1: all at the first minute's turn). */
  digestMinutes: number;
  /**
   * The share of the day at which the first digests fall due (their digest time is the minute
   * then begun; 0 unless set: the day's start). Made at the digest job's next tick: the next
   * minute's turn, or within tickSeconds.
   */
  digestsAt?: number;
  /**
   * BANTIN_TICK_SECONDS of the processes (unset unless set): the clock's jobs ask every this many
   * seconds, so digests and news as it happens go within seconds of falling due, not at the next
   * minute's turn (or 20 s), and the day need not be minutes long.
   */
  tickSeconds?: number;
  /** Stories stored during the day (for news as it happens and keyword follows). */
  stories: number;
  /** Webhook updates (a "/trogiup") a second, from many chats. */
  updatesPerSecond: number;
  /** Messages a second the fake Bot API allows (paid broadcasts) and TELEGRAM_RATE. */
  rate: number;
  /** DELIVERY_CONCURRENCY of each process: the sends in flight at a fault. */
  concurrency: number;
  /** INSTANT_BATCH_MINUTES: at most one message of news as it happens a reader per this long. */
  instantBatchMinutes: number;
  /**
   * DELIVERY_LEASE_SECONDS (60 unless set): rows in flight when PostgreSQL went away wait this
   * long before they are tried again.
   */
  leaseSeconds?: number;
  /** How long PostgreSQL stays down (stop, wait, start). */
  downSeconds: number;
  /** How long the end may take to drain once the day is over. */
  drainSeconds: number;
}

export const TOPICS = 4;
export const FIRST_CHAT = 5_000_000;
/** Every 100th reader (from the 8th) follows their topic as it happens as well. */
export const isInstantFollower = (i: number) => i % 100 === 7;
/** Every 250th reader (from the 12th) follows the keyword. */
export const isKeywordFollower = (i: number) => i % 250 === 11;
export const KEYWORD = "xâm nhập mặn";
export const topicOf = (i: number) => i % TOPICS;
export const chatOf = (i: number) => String(FIRST_CHAT + i);
export const indexOf = (chat: string) => Number(chat) - FIRST_CHAT;

/** When things happen, as shares of the day. */
export const AT = {
  broadcasts: [0.02, 0.3, 0.55],
  /** SIGKILL of the process leading send:telegram: a few seconds into broadcast 2. */
  kill: 0.32,
  /** PostgreSQL stopped: a few seconds into broadcast 3. */
  restartDatabase: 0.57,
  middle: 0.5,
  storiesFrom: 0.05,
  storiesUntil: 0.85,
  updatesUntil: 0.9,
};

/** Broadcast k goes to the readers of topic k. */
export const broadcastTopic = (k: number) => k % TOPICS;
export const broadcastMark = (k: number) => `SOAK-B${k + 1}`;
export const storyMark = (n: number) => `SOAK-S${n + 1}`;
/** Every third story carries the keyword; story n is filed under topic n % TOPICS. */
export const storyHasKeyword = (n: number) => n % 3 === 2;
export const storyTopic = (n: number) => n % TOPICS;

export const DIGEST_MARK = "Bản tin ngày";
export const INSTANT_MARK = "⚡ Tin mới";
/** Only the answer to /trogiup lists /yenlang. */
export const REPLY_MARK = "/yenlang";
/** What the counting needs of a sent text. */
export const MARKS = /SOAK-[BS]\d+|Bản tin ngày|⚡ Tin mới|\/yenlang/gu;

export function marksOf(text: string): string[] {
  return text.match(MARKS) ?? [];
}
