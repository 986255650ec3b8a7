// Longer than 400 lines because it is the type of everything the console says, one entry per
// text: splitting it would only scatter one catalogue.
import type { BroadcastReportText } from "./console-report";

/**
 * What the newsroom's web console (/admin) says, one part per page. Each language's catalogue
 * (vi.ts, en.ts) holds it under `console`, beside what the bot says in chat.
 */
/** What a feed's fetch error means, in words an editor reads (see http/console/feed-errors.ts). */
export type FeedErrorGist =
  | "notFound"
  | "denied"
  | "busy"
  | "server"
  | "http"
  | "timeout"
  | "network"
  | "tooLarge"
  | "redirect"
  | "refused"
  | "stopped"
  | "badUrl"
  /** The address is a web page (HTML), not a feed. */
  | "htmlPage"
  | "empty"
  /** A document, but not RSS, Atom or JSON Feed. */
  | "notAFeed"
  /** A feed that cannot be read (broken XML or JSON). */
  | "badFeed"
  /** bantin's own machine: its disk is full, its database read-only or not its to write. */
  | "diskFull"
  | "storage";

export type NavKey =
  | "overview"
  | "feeds"
  | "topics"
  | "stories"
  | "broadcasts"
  | "deliveries"
  | "audit";

export interface ConsoleCatalogue {
  common: {
    /** The console's name, after the newsroom's: "bantin · Bàn điều hành". */
    title: string;
    nav: Record<NavKey, string>;
    signedInAs(admin: string): string;
    /** Actors that are not a person's platform id, in the audit log and the header. */
    actor: { cli: string; token: string; reader: string };
    signOut: string;
    /** The link to the other language, in that language. */
    otherLanguage: string;
    platform: { telegram: string; zalo: string; terminal: string };
    allPlatforms: string;
    allTopics: string;
    none: string;
    never: string;
    /** A time that is due already ("a new feed's next check: now"). */
    now: string;
    save: string;
    back: string;
    /** A form posted without its CSRF token, or with an old one. */
    csrfRefused: string;
    notFound: string;
    /** A request the console cannot read (a bad id or query in the address, a bad form field). */
    badRequest: string;
    /** A form sent after the session ended: nothing was done. */
    sessionEnded: string;
    signInAgain: string;
    tooManyAttempts: string;
    serverError: string;
    /** Times shown in the newsroom's zone, e.g. "(giờ Việt Nam)". */
    zoneNote(zone: string): string;
  };
  signIn: {
    title: string;
    /** How to get in when not signed in. */
    howTo: string;
    linkTitle: string;
    linkIntro: string;
    linkButton: string;
    linkExpired: string;
    tokenLabel: string;
    tokenButton: string;
    tokenWrong: string;
    signedOut: string;
    /** A link to the console, for one signed in whose cookie a link from elsewhere did not carry. */
    alreadyIn: string;
  };
  overview: OverviewText;
  feeds: FeedsText;
  topics: TopicsText;
  stories: StoriesText;
  broadcasts: BroadcastsText;
  deliveries: DeliveriesText;
  audit: AuditText;
  broadcastReport: BroadcastReportText;
}

export interface DeliveriesText {
  intro: string;
  countsTitle: string;
  platformColumn: string;
  state: { pending: string; sent: string; blocked: string; dead: string; cancelled: string };
  total: string;
  noMessages: string;
  deadTitle: string;
  /** How many dead letters there are, newest first. */
  deadCount(n: string): string;
  noDead: string;
  /** A page past the last one. */
  emptyPage: string;
  column: {
    id: string;
    platform: string;
    kind: string;
    reader: string;
    attempts: string;
    error: string;
    lastTry: string;
    action: string;
  };
  kind: {
    digest: string;
    broadcast: string;
    instant: string;
    reply: string;
    alert: string;
    notice: string;
    withdraw: string;
    edit: string;
  };
  /** The reader row is gone. */
  readerGone: string;
  retry: string;
  retryAll: string;
  retryAllConfirm(n: string): string;
  /** After a retry: how many rows are pending again. */
  retried(n: number): string;
  noSuchMessage(id: number): string;
  notDead(id: number, state: string): string;
  pageOf(page: string, pages: string): string;
  previous: string;
  next: string;
}

export interface AuditText {
  intro: string;
  actorLabel: string;
  allActors: string;
  actionLabel: string;
  actionHint: string;
  sinceLabel: string;
  sinceHint(zone: string): string;
  filter: string;
  clear: string;
  column: { time: string; actor: string; action: string; details: string };
  empty: string;
  noMatch: string;
  /** "Entries 51–100 of 230". */
  shown(from: string, to: string, total: string): string;
  badSince: string;
  badFilter: string;
  pageOf(page: string, pages: string): string;
  previous: string;
  next: string;
  /** Each action's details in plain words (editors/audit-actions.ts says which is which). */
  say: AuditWords;
}

/** An audit entry's details in plain words, one function per kind of action. */
export interface AuditWords {
  feedAdd(feedId: number, url: string, topic: string, fullText: boolean): string;
  feedCheck(feedId: number, status: string, fresh: number, error: string | null): string;
  feedChange(
    action: "feed.pause" | "feed.resume" | "feed.remove",
    feedId: number,
    url: string,
  ): string;
  topicAdd(slug: string, vi: string, en: string): string;
  topicRename(slug: string, vi: string, en: string): string;
  topicMove(slug: string, up: boolean): string;
  deliveryRetry(ids: number[] | "all", count: number): string;
  channelSave(
    added: boolean,
    title: string,
    chatId: string,
    topics: string,
    mode: string,
    digestTime: string | null,
  ): string;
  channelRemove(title: string, chatId: string): string;
  broadcastPrepare(
    id: number,
    audience: number,
    topic: string | null,
    platform: string | null,
    articleId: number | null,
  ): string;
  broadcastConfirm(id: number, total: number): string;
  broadcastCancel(id: number, held: number): string;
  /** `sendAt` as stored (ISO, UTC). */
  broadcastSchedule(id: number, sendAt: string): string;
  broadcastChange(id: number, sendAt: string | null, text: boolean): string;
  broadcastTest(id: number, chats: number): string;
  signIn(withToken: boolean): string;
  /** `platform` as stored: "telegram", "zalo" or "terminal". */
  readerErase(platform: string): string;
  topicRemove(
    slug: string,
    name: string,
    told: number,
    feeds: { movedTo: string | null; count: number },
  ): string;
  storyHide(id: number, title: string, hidden: boolean): string;
  storyRetract(
    id: number,
    title: string,
    reason: string,
    done: { deleted: number; edited: number; tooOld: number; zaloNotices: number },
  ): string;
  storyRefresh(id: number, title: string, edited: number, tooOld: number): string;
  /** `until`: the pin's end as the console shows times; null: unpinned. */
  storyPin(id: number, title: string, until: string | null): string;
}

export interface OverviewText {
  activeReaders: string;
  storiesToday: string;
  sentToday: string;
  deadLetters: string;
  /** The feeds in one line: "12 nguồn tin: 10 ổn, 1 lỗi, 1 tạm dừng". */
  feedsLine(counts: { total: string; ok: string; failing: string; paused: string }): string;
  feedsLink: string;
  readersTitle: string;
  platformColumn: string;
  readerStatus: { active: string; stopped: string; blocked: string };
  total: string;
  topicsTitle: string;
  topicColumn: string;
  readersColumn: string;
  storiesColumn: string;
  deliveriesTitle: string;
  outboxState: { pending: string; sent: string; blocked: string; dead: string; cancelled: string };
  chartsTitle(days: number): string;
  charts: {
    storiesStored: string;
    messagesSent: string;
    newReaders: string;
    storiesOpened: string;
  };
  chartSummary(total: string, days: number): string;
  noTopics: string;
  noReaders: string;
  /** Readers who erased their data (/xoadulieu), per month: only the count is kept. */
  erasuresTitle: string;
  erasuresNote(months: number): string;
  monthColumn: string;
  erasuresColumn: string;
  /** "2026-01" as the console writes a month. */
  month(month: string): string;
}

export interface FeedsText {
  /** What a fetch error means, put before its technical words ("other": one none of these). */
  errorGist: Record<FeedErrorGist | "other", string>;
  /** The label of a failing feed's technical error words, folded away. */
  technical: string;
  intro: string;
  empty: string;
  health: { new: string; ok: string; "page problems": string; failing: string; paused: string };
  topic: string;
  fullText: string;
  lastSuccess: string;
  lastError: string;
  failuresInRow(n: number): string;
  pageProblems(n: number): string;
  nextCheck: string;
  pausedSince: string;
  checkNow: string;
  pause: string;
  resume: string;
  remove: string;
  removeConfirm(url: string): string;
  addTitle: string;
  urlLabel: string;
  urlHint: string;
  fullTextLabel: string;
  addButton: string;
  noTopicsYet: string;
  badUrl: string;
  /** The address typed is longer than a feed's address may be. */
  urlTooLong(max: number): string;
  duplicate: string;
  noSuchTopic: string;
  added: string;
  paused: string;
  resumed: string;
  removed: string;
  /** After "check now": what the check found. */
  checked(summary: { new: number; updated: number; failed: number; notModified: boolean }): string;
  checkFailed(error: string): string;
  /** Adding: the address answered with something that is not a feed. */
  notAFeed: string;
  /** Adding: nothing could be read there (what went wrong, explained). */
  unreachable(why: string): string;
  /** Adding: a web page that names its feeds, listed after this. */
  pageWithFeeds: string;
  addThisFeed: string;
  /** The form's box to add a feed without reading it first. */
  noCheckLabel: string;
}

export interface TopicsText {
  intro: string;
  empty: string;
  slugColumn: string;
  viColumn: string;
  enColumn: string;
  readersColumn: string;
  storiesColumn: string;
  feedsColumn: string;
  actionsColumn: string;
  moveUp: string;
  moveDown: string;
  /** Button labels for screen readers: "Chuyển Thời sự lên". */
  moveUpNamed(name: string): string;
  moveDownNamed(name: string): string;
  rename: string;
  addTitle: string;
  slugLabel: string;
  slugHint: string;
  viLabel: string;
  enLabel: string;
  addButton: string;
  badSlug: string;
  namesRequired: string;
  namesTooLong(max: number): string;
  duplicate(slug: string): string;
  added: string;
  renamed: string;
  moved: string;
  remove: string;
  /** The remove form's summary for screen readers: "Gỡ chủ đề “Thời sự”". */
  removeNamed(name: string): string;
  removeHint: string;
  /** The feeds' fate, asked when the topic has some. */
  feedsChoice(count: string): string;
  moveFeedsTo: string;
  withFeeds: string;
  removeButton: string;
  /** Refusals: feeds and no choice (`feeds` names them), the topic itself, the last topic. */
  hasFeeds(feeds: string): string;
  sameTopic: string;
  lastTopic: string;
  removed: string;
}

export interface BroadcastsText {
  intro: string;
  composeTitle: string;
  topicLabel: string;
  platformLabel: string;
  textLabel: string;
  textHint(max: string): string;
  storyLabel: string;
  /** The story select's first choice: no story. */
  noStory: string;
  /** Before the audience is counted (and without script). */
  audienceHint: string;
  /** The live count while composing: "Sẽ gửi cho 1.234 bạn đọc". */
  audienceCount(n: string): string;
  /** The audience by platform: "Telegram 1.000 · Zalo 234". */
  audienceByPlatform(parts: string): string;
  previewButton: string;
  recentTitle: string;
  noBroadcasts: string;
  column: {
    id: string;
    created: string;
    author: string;
    audience: string;
    message: string;
    state: string;
    sent: string;
  };
  state: { draft: string; scheduled: string; sending: string; done: string; cancelled: string };
  /** Who a broadcast reaches, in words: topic and platform, or everyone. */
  audience(topic: string | null, platform: string | null): string;
  draftTitle(id: number): string;
  sendingTitle(id: number): string;
  doneTitle(id: number): string;
  cancelledTitle(id: number): string;
  previewIntro: string;
  previewTelegram: string;
  previewZalo: string;
  /** Readers get the message in their own language; the preview's language switch. */
  previewLanguage: string;
  photo: string;
  story: string;
  createdBy(author: string, time: string): string;
  startedAt(time: string): string;
  finishedAt(time: string): string;
  /** How fast it reached the readers it could, per platform (seconds; null: not yet). */
  reachLabel: string;
  reach(platform: string, half: string, ninety: string, all: string): string;
  seconds(n: number | null): string;
  send(n: string): string;
  sendConfirm(n: string): string;
  discard: string;
  discarded(id: number): string;
  /** Sending to an audience of nobody. */
  nobody: string;
  /** `held`: messages a stop held back, given only when there are some. */
  counts(counts: {
    sent: string;
    blocked: string;
    failed: string;
    held?: string;
    left: string;
  }): string;
  /** Percent done, for screen readers beside the bar. */
  progressLabel: string;
  liveHint: string;
  stop: string;
  stopConfirm: string;
  stopped(held: string): string;
  alreadyFinished(id: number): string;
  noSuchBroadcast(id: number): string;
  problem: {
    empty: string;
    tooLong(max: string): string;
    noStory(id: number): string;
    noTopic(slug: string): string;
    badPlatform(platform: string): string;
    notDraft(id: number): string;
    badLocale(locale: string): string;
    badMode(mode: string): string;
    badTime(text: string): string;
    pastTime(time: string): string;
    /** `why`: refused (a private address), not-image, bad-url, unreachable (with `reason`). */
    badPhoto(why: string, reason: string): string;
    notScheduled(id: number): string;
    noEditorChat: string;
  };
  pageOf(page: string, pages: string): string;
  previous: string;
  next: string;
  /** Sending later, testing first, a photo, narrower audiences (issue 21). */
  desk: {
    topicsHint: string;
    languageLabel: string;
    allLanguages: string;
    language: { vi: string; en: string };
    modeLabel: string;
    allModes: string;
    mode: { digest: string; instant: string };
    /** Language and mode added to the audience's words ("" when neither narrows it). */
    audienceMore(language: string | null, mode: string | null): string;
    photoLabel: string;
    photoHint: string;
    atLabel: string;
    atHint(zone: string): string;
    scheduledTitle(id: number): string;
    sendAtLabel: string;
    schedule(time: string, n: string): string;
    scheduleConfirm(time: string, n: string): string;
    scheduledNotice(time: string): string;
    changeTitle: string;
    textLabel: string;
    save: string;
    changed: string;
    cancel: string;
    cancelConfirm: string;
    test: string;
    testHint: string;
    tested(chats: string): string;
    /** Said on the progress page once it has ended, instead of the live hint. */
    endedAt(done: boolean, time: string): string;
  };
}

/** The stories page: recent stories, searched, hidden, pinned, retracted. */
export interface StoriesText {
  intro: string;
  searchLabel: string;
  searchButton: string;
  empty: string;
  column: { id: string; title: string; published: string; state: string; actions: string };
  shown: string;
  hidden: string;
  retracted(at: string): string;
  pinnedUntil(at: string): string;
  hide: string;
  unhide: string;
  pin: string;
  pinUntilLabel: string;
  pinHint: string;
  unpin: string;
  retract: string;
  reasonLabel: string;
  retractHint: string;
  retractButton: string;
  refresh: string;
  done: {
    hidden: string;
    unhidden: string;
    pinned: string;
    unpinned: string;
    retracted: (deleted: number, edited: number, tooOld: number, zalo: number) => string;
    refreshed: (edited: number, tooOld: number) => string;
  };
  problem: {
    noReason: string;
    reasonTooLong: (max: number) => string;
    badTime: string;
    past: string;
    retracted: string;
    hidden: string;
  };
}
