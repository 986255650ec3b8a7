import type { ConsoleCatalogue } from "./console";

/** Every sentence the bot says to readers. One catalogue per language, same shape. */
export interface Catalogue {
  /** The web console (/admin). */
  console: ConsoleCatalogue;
  /** The /start greeting, naming the newsroom. */
  welcome(name: string | null, newsroom: string): string;
  welcomeBack(name: string | null, newsroom: string): string;
  pickTopics: string;
  pickTopicsGroup: string;
  topicsTitle: string;
  topicsHint: string;
  topicsDone: string;
  topicsSaved(names: string[]): string;
  topicsNone: string;
  topicSubscribed(name: string): string;
  topicUnsubscribed(name: string): string;
  unknownTopic(slug: string, known: string[]): string;
  noTopicsYet: string;
  latestTitle(topic: string | null): string;
  latestEmpty(topic: string | null): string;
  searchAsk: string;
  searchTitle(query: string): string;
  searchNone(query: string): string;
  searchSuggest(examples: string[]): string;
  readButton: string;
  previous: string;
  next: string;
  pageOf(page: number, pages: number): string;
  storyNotFound(id: string): string;
  readUsage: string;
  original: string;
  /** A story's sound and film: "🎧 Nghe chương trình", "🎬 Xem video". */
  listen: string;
  watch: string;
  photo: string;
  digestTitle: string;
  /** Title of the daily digest; `date` is "DD/MM". */
  digestDailyTitle(date: string, newsroom: string): string;
  digestEmpty: string;
  digestNoTopics: string;
  digestMore(count: number, command: string): string;
  timeCurrent(time: string, zone: string, enabled: boolean): string;
  timeUsage: string;
  timeSet(time: string, zone: string): string;
  timeOff: string;
  timeInvalid(text: string): string;
  timeZoneInvalid(zone: string): string;
  langAsk: string;
  langSet: string;
  stopAsk: string;
  stopYes: string;
  stopNo: string;
  stopped: string;
  stopCancelled: string;
  groupAdminsOnly: string;
  unknownCommand(command: string): string;
  expired: string;
  help: string[];
  commands: Record<
    | "latest"
    | "search"
    | "read"
    | "topics"
    | "digest"
    | "time"
    | "lang"
    | "stop"
    | "help"
    | "start"
    | "follow"
    | "unfollow"
    | "quiet"
    | "mydata"
    | "deleteme",
    string
  >;
  inlineNoResults: string;
  textOnly: string;
  noChoices: string;
  /** A number typed that the last choices do not have; they run from `first` to `last`. */
  choiceOutOfRange(n: number, first: number, last: number): string;
  breakingTitle(newsroom: string): string;
  broadcastNotAdmin: string;
  broadcastUsage: string;
  /** /admin: a one-time link to the web console. */
  consoleLinkTitle: string;
  consoleLinkHint(minutes: number): string;
  consolePrivateOnly: string;
  consoleUnavailable: string;
  broadcastTooLong(max: number): string;
  broadcastNotDraft(id: number): string;
  broadcastPreviewTitle(id: number): string;
  broadcastRecipients(count: number): string;
  broadcastAudience(topic: string | null, platform: string | null): string;
  broadcastSend(count: number): string;
  broadcastCancel: string;
  broadcastDiscarded(id: number): string;
  broadcastSendingTitle(id: number): string;
  broadcastDoneTitle(id: number): string;
  broadcastCancelledTitle(id: number): string;
  broadcastCounts(sent: number, blocked: number, failed: number, left: number): string;
  broadcastStop: string;
  /** Sending later and testing first (issue 21). */
  broadcastTestButton: string;
  broadcastTested(chats: string): string;
  /** `time`: local "HH:MM DD/MM" in the newsroom's zone. */
  broadcastAt(time: string): string;
  broadcastSchedule(count: number): string;
  broadcastScheduled(id: number, time: string): string;
  broadcastPastTime: string;
  // News as it happens: topic modes, keyword alerts, quiet hours (src/instant/, features).
  /** Title of a message of stories as they happen. */
  instantTitle: string;
  /** Under a story pushed for a keyword follow: which follow(s) it matched. */
  instantFollowMatched(keywords: string[]): string;
  modesButton: string;
  modesTitle: string;
  modesHint: string;
  modesNone: string;
  modeAsk(topic: string): string;
  modeDigest: string;
  modeInstant: string;
  modeBoth: string;
  modeSet(topic: string, mode: string): string;
  back: string;
  followTitle: string;
  followNone: string;
  followUsage: string;
  followAdded(words: string, count: number, max: number): string;
  followExists(words: string): string;
  followLimit(max: number): string;
  followEmpty(text: string): string;
  followTooLong(max: number): string;
  unfollowDone(words: string): string;
  unfollowNotFound(text: string): string;
  unfollowUsage: string;
  quietCurrent(from: string, until: string, zone: string): string;
  quietNone: string;
  quietUsage: string;
  quietSet(from: string, until: string, zone: string): string;
  quietOff: string;
  quietInvalid(text: string): string;
  /** Channel posts (src/message/channel-post.ts). */
  channelReadMore: string;
  // One numbering rule and read counts (src/chat/choices.ts, src/news/reads.ts).
  /** "/doc N" with no list shown in the chat yet. */
  readNoList: string;
  /** "/doc N" where the last list (count items, numbered first…last) has no item N. */
  readNotInList(n: number, count: number, first: number, last: number): string;
  /** The read command's name in a story's own-id form, "/<this>_1234" ("doc", "read"). */
  readOwnCommand: string;
  /** The digest's line of the most-read stories. */
  digestMostRead: string;
  /** The editor's picks atop a digest ("📌 " is added). */
  digestPinned: string;
  /** Beside a story struck from a message already sent (a retraction). */
  storyRetractedMark: string;
  /** The one notice to Zalo readers who got a story that was retracted. */
  storyRetractedNotice: (title: string) => string;
  // Alerts to the editors (src/alerts/message.ts); `platform` is "Telegram" or "Zalo".
  alertFeedFailing(url: string, failures: number, error: string): string;
  alertFeedRecovered(url: string): string;
  alertDeadLetters(platform: string, count: number, minutes: number): string;
  alertDeadLettersCleared(platform: string, minutes: number): string;
  alertOutboxLag(platform: string, minutes: number, waiting: number): string;
  alertOutboxCaughtUp(platform: string): string;
  /** `variable` is the setting to check, e.g. TELEGRAM_BOT_TOKEN. */
  alertTokenRefused(platform: string, reason: string, variable: string): string;
  alertTokenWorks(platform: string): string;
  // A reader's own data: /dulieu and /xoadulieu (src/chat/features/data.ts).
  dataTitle: string;
  dataJoined(date: string): string;
  dataLanguage: string;
  dataDigest(time: string | null, zone: string): string;
  dataQuiet(from: string | null, until: string | null): string;
  /** Each followed topic with how its news comes (the mode's label). */
  dataTopics(topics: { name: string; mode: string }[]): string;
  dataFollows(words: string[]): string;
  dataSent(messages: number, pushed: number, days: number): string;
  dataFileNote: string;
  /** Above the JSON, as a file's caption or (Zalo) the first line of the messages carrying it. */
  dataFileCaption: string;
  eraseAsk: string;
  eraseYes: string;
  eraseNo: string;
  erased: string;
  eraseCancelled: string;
  /** Told once to a topic's followers when an editor removes it (services/topics.ts). */
  topicRemoved(name: string): string;
}
