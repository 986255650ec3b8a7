// Longer than 400 lines because it is one language's whole console catalogue, one entry per
// text: splitting it would only scatter it.
import type { ConsoleCatalogue } from "./console";
import { broadcastReportEn } from "./console-report";

/** Platforms as the audit names them. */
const PLATFORM_NAMES: Record<string, string> = {
  telegram: "Telegram",
  zalo: "Zalo",
  terminal: "Terminal demo",
};

/** "1 reader", "2 readers". */
const nOf = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The web console in English. */
export const consoleEn: ConsoleCatalogue = {
  common: {
    title: "Console",
    nav: {
      overview: "Overview",
      feeds: "Feeds",
      topics: "Topics",
      stories: "Stories",
      broadcasts: "Breaking news",
      deliveries: "Deliveries",
      audit: "Audit log",
    },
    signedInAs: (admin) => `Signed in: ${admin}`,
    signOut: "Sign out",
    actor: { cli: "Command line", token: "Sign-in token (ADMIN_WEB_TOKEN)", reader: "A reader" },
    otherLanguage: "Tiếng Việt",
    platform: { telegram: "Telegram", zalo: "Zalo", terminal: "Terminal demo" },
    allPlatforms: "All platforms",
    allTopics: "All topics",
    none: "None",
    never: "Never",
    now: "now",
    save: "Save",
    back: "Back",
    csrfRefused:
      "This form is out of date or did not come from the console, so nothing was done. Reload the page and try again.",
    notFound: "No such page.",
    badRequest: "This address or form is not valid, so nothing was done.",
    sessionEnded:
      "Your session has ended, so that was not done. Sign in again, then do it once more.",
    signInAgain: "Sign in again",
    tooManyAttempts: "Too many sign-in attempts. Wait a minute and try again.",
    serverError: "Something failed on the server; it has been logged. Please try again later.",
    zoneNote: (zone) => `Times in ${zone}`,
  },
  signIn: {
    title: "Sign in",
    howTo:
      "Send /admin to the bot in a private chat (Telegram or Zalo) to get a one-time sign-in link.",
    linkTitle: "Sign in with the link from the bot",
    linkIntro: "Press the button below to sign in. The link works once.",
    linkButton: "Sign in",
    linkExpired: "This link has expired or was used already. Send /admin to the bot for a new one.",
    tokenLabel: "Admin token (ADMIN_WEB_TOKEN)",
    tokenButton: "Sign in with the token",
    tokenWrong: "That token is not right.",
    signedOut: "You are signed out.",
    alreadyIn: "Signed in already? Open the console",
  },
  overview: {
    activeReaders: "Readers receiving news",
    storiesToday: "New stories today",
    sentToday: "Messages sent today",
    deadLetters: "Messages that failed",
    feedsLine: (c) =>
      `${c.total} feeds: ${c.ok} working, ${c.failing} failing, ${c.paused} paused.`,
    feedsLink: "See the feeds",
    readersTitle: "Readers by platform",
    platformColumn: "Platform",
    readerStatus: { active: "Receiving", stopped: "Stopped", blocked: "Blocked the bot" },
    total: "Total",
    topicsTitle: "Readers by topic",
    topicColumn: "Topic",
    readersColumn: "Readers",
    storiesColumn: "Stories",
    deliveriesTitle: "Messages by state",
    outboxState: {
      pending: "Waiting to send",
      sent: "Sent",
      blocked: "Reader blocked the bot",
      dead: "Failed",
      cancelled: "Cancelled",
    },
    chartsTitle: (days) => `The last ${days} days`,
    charts: {
      storiesStored: "Stories stored",
      messagesSent: "Messages sent",
      newReaders: "New readers",
      storiesOpened: "Stories opened",
    },
    chartSummary: (total, days) => `${total} in ${days} days`,
    noTopics: "No topics yet.",
    noReaders: "No readers yet.",
    erasuresTitle: "Readers who erased their data",
    erasuresNote: (months) =>
      `Times a reader erased their data with /deleteme, in the last ${months} months. Only this count is kept, nothing of the reader.`,
    monthColumn: "Month",
    erasuresColumn: "Erasures",
    month: (month) =>
      `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`,
  },
  feeds: {
    intro: "The feeds (RSS, Atom, JSON Feed) the bot reads, with the health of each.",
    empty: "No feeds yet. Add the first one below.",
    health: {
      new: "Not read yet",
      ok: "Working",
      "page problems": "Some pages fail",
      failing: "Failing",
      paused: "Paused",
    },
    topic: "Topic",
    fullText: "full text",
    lastSuccess: "Last read",
    lastError: "Last error",
    errorGist: {
      notFound: "The site no longer has this address",
      denied: "The site does not let us read it",
      busy: "The site is limiting how often it is read",
      server: "The site's server is failing",
      http: "The site answered with an error",
      timeout: "The site answered too slowly",
      network: "Could not reach the site",
      tooLarge: "Too large",
      redirect: "The address redirects without end",
      refused: "A private address, blocked for safety",
      stopped: "The check was stopped before it finished",
      badUrl: "Not a valid address",
      diskFull: "bantin's disk is full: the stories could not be stored",
      storage: "bantin cannot write to its database",
      htmlPage: "This is a web page (HTML), not a feed",
      empty: "The address answered with nothing",
      notAFeed: "The address answers, but not with an RSS, Atom or JSON feed",
      badFeed: "The feed is broken: its XML or JSON cannot be read",
      other: "Another error",
    },
    technical: "Technical details",
    failuresInRow: (n) => (n === 1 ? "failed once" : `failed ${n} times in a row`),
    pageProblems: (n) => `${n} story ${n === 1 ? "page" : "pages"} could not be read`,
    nextCheck: "Next check",
    pausedSince: "Paused since",
    checkNow: "Check now",
    pause: "Pause",
    resume: "Resume",
    remove: "Remove",
    removeConfirm: (url) => `Remove the feed ${url}? Its stories are kept.`,
    addTitle: "Add a feed",
    urlLabel: "Feed address",
    urlHint: "For example: https://baolaocai.vn/rss/thoi-su.rss",
    fullTextLabel: "Fetch each story's full text (opens the story page)",
    addButton: "Add feed",
    noTopicsYet: "Add a topic first, on the Topics page.",
    badUrl:
      "The address must start with http:// or https://, e.g. https://baolaocai.vn/rss/thoi-su.rss.",
    urlTooLong: (max) => `The feed address is too long: at most ${max} characters.`,
    duplicate: "This feed is already in the list.",
    noSuchTopic: "The chosen topic is gone. Choose again.",
    added: "Feed added. The bot reads it at its next run.",
    paused: "Feed paused.",
    resumed: "Feed resumed; it is read at the next run.",
    removed: "Feed removed; its stories are kept.",
    checked: (s) =>
      s.notModified
        ? "Checked: the feed has not changed."
        : `Checked: ${s.new} new, ${s.updated} updated${s.failed ? `, ${s.failed} pages could not be read` : ""}.`,
    checkFailed: (error) => `The check failed: ${error}`,
    notAFeed:
      "This address is not a feed (RSS, Atom or JSON Feed). Paste the feed's own address, often ending in .rss or listed on the site's RSS page.",
    unreachable: (why) =>
      `This address cannot be read: ${why}. Check it; if the site is only down for now, tick “Add even if it cannot be read now”.`,
    pageWithFeeds: "This is a web page, not a feed. It names these feeds; pick one:",
    addThisFeed: "Add this feed",
    noCheckLabel: "Add even if it cannot be read now (the site is down)",
  },
  stories: {
    intro: "The latest stories, hidden and retracted ones too. Search by headline or story number.",
    searchLabel: "Find a story",
    searchButton: "Search",
    empty: "No stories.",
    column: {
      id: "No.",
      title: "Headline",
      published: "Published",
      state: "State",
      actions: "Actions",
    },
    shown: "Shown",
    hidden: "Hidden",
    retracted: (at) => `Retracted at ${at}`,
    pinnedUntil: (at) => `📌 Pinned until ${at}`,
    hide: "Hide",
    unhide: "Unhide",
    pin: "Pin to the digests",
    pinUntilLabel: "Pin until (HH:MM or date and time)",
    pinHint: "The story heads every digest under “📌 Editor's pick” until then.",
    unpin: "Unpin",
    retract: "Retract",
    reasonLabel: "Reason (kept in the audit log)",
    retractHint:
      "For good: the story is no longer found, listed or sent; Telegram messages sent within 48 hours are deleted or edited, Zalo readers who got it within a day are told once.",
    retractButton: "Retract this story",
    refresh: "Update messages sent",
    done: {
      hidden: "Story hidden.",
      unhidden: "Story shown again.",
      pinned: "Story pinned atop the digests.",
      unpinned: "Story unpinned.",
      retracted: (deleted, edited, tooOld, zalo) =>
        `Story retracted. Telegram: ${deleted} messages to delete, ${edited} to edit; ${tooOld} older than 48 hours cannot be withdrawn. Zalo: ${zalo} readers told.`,
      refreshed: (edited, tooOld) =>
        `${edited} Telegram messages sent will be edited; ${tooOld} older than 48 hours stay as they are.`,
    },
    problem: {
      noReason: "A retraction needs a reason.",
      reasonTooLong: (max) => `A retraction's reason is at most ${max} characters.`,
      badTime: "Not a time: give HH:MM or a date and time.",
      past: "That time has passed; pick a later one.",
      retracted: "The story was retracted: it cannot be shown, pinned or updated again.",
      hidden: "The story is hidden; show it before pinning it.",
    },
  },
  topics: {
    intro:
      "The topics readers follow, in the order the bot shows them. A topic's slug is used in links and cannot be changed.",
    empty: "No topics yet.",
    slugColumn: "Slug",
    viColumn: "Vietnamese name",
    enColumn: "English name",
    readersColumn: "Readers following",
    storiesColumn: "Stories",
    feedsColumn: "Feeds",
    actionsColumn: "Edit",
    moveUp: "Up",
    moveDown: "Down",
    moveUpNamed: (name) => `Move “${name}” up`,
    moveDownNamed: (name) => `Move “${name}” down`,
    rename: "Rename",
    addTitle: "Add a topic",
    slugLabel: "Slug",
    slugHint: "lower case, digits, dashes: thoi-su",
    viLabel: "Vietnamese name",
    enLabel: "English name",
    addButton: "Add topic",
    badSlug:
      "A slug is lower-case letters without accents, digits and dashes, at most 58 characters, e.g. thoi-su.",
    namesRequired: "Both a Vietnamese and an English name are needed.",
    namesTooLong: (max) => `Topic names are at most ${max} characters.`,
    duplicate: (slug) => `A topic with the slug “${slug}” already exists.`,
    added: "Topic added.",
    renamed: "Topic renamed.",
    moved: "Topic order changed.",
    remove: "Remove",
    removeNamed: (name) => `Remove the topic “${name}”`,
    removeHint:
      "Its followers are told once and keep their other topics. Stored stories stay searchable.",
    feedsChoice: (count) => `The topic has ${count} feeds. Those feeds:`,
    moveFeedsTo: "Move to the topic",
    withFeeds: "Remove them with the topic",
    removeButton: "Remove topic",
    hasFeeds: (feeds) =>
      `The topic still has feeds: ${feeds}. Choose to move them to another topic or remove them with it.`,
    sameTopic: "Feeds cannot move to the topic being removed.",
    lastTopic: "This is the last topic; add another before removing it.",
    removed: "Topic removed.",
  },
  broadcasts: {
    intro:
      "Write breaking news, preview it exactly as readers will see it on Telegram and Zalo, then send it and watch it go.",
    composeTitle: "Write breaking news",
    topicLabel: "Send to readers following",
    platformLabel: "Platform",
    textLabel: "Message",
    textHint: (max) => `At most ${max} characters. A blank line separates paragraphs.`,
    storyLabel: "Attach a story (optional)",
    noStory: "No story",
    audienceHint: "The number of readers is counted on the preview.",
    audienceCount: (n) => `Goes to ${n} readers`,
    audienceByPlatform: (parts) => `By platform: ${parts}`,
    previewButton: "Preview",
    recentTitle: "Recent breaking news",
    noBroadcasts: "No breaking news yet.",
    column: {
      id: "No.",
      created: "Written",
      author: "By",
      audience: "Audience",
      message: "Message",
      state: "State",
      sent: "Messages",
    },
    state: {
      draft: "Draft",
      scheduled: "Scheduled",
      sending: "Sending",
      done: "Sent",
      cancelled: "Stopped",
    },
    audience: (topic, platform) =>
      topic && platform
        ? `${platform} readers following “${topic}”`
        : topic
          ? `Readers following “${topic}”`
          : platform
            ? `Every ${platform} reader`
            : "Every reader",
    draftTitle: (id) => `Preview of breaking news #${id}`,
    sendingTitle: (id) => `Sending breaking news #${id}`,
    doneTitle: (id) => `Breaking news #${id} sent`,
    cancelledTitle: (id) => `Breaking news #${id} stopped`,
    previewIntro: "Nothing has gone out yet. Check the preview, then press Send.",
    previewTelegram: "On Telegram",
    previewZalo: "On Zalo",
    previewLanguage: "Each reader gets it in their own language. Show:",
    photo: "🖼 Photo",
    story: "Attached story",
    createdBy: (author, time) => `Written by ${author} at ${time}`,
    startedAt: (time) => `Sending started at ${time}`,
    finishedAt: (time) => `Finished at ${time}`,
    reachLabel: "Time to reach readers",
    reach: (platform, half, ninety, all) =>
      `${platform}: half after ${half}, 90% after ${ninety}, all after ${all}`,
    seconds: (n) => (n === null ? "not yet" : `${n} s`),
    send: (n) => `Send to ${n} readers`,
    sendConfirm: (n) => `Send this breaking news to ${n} readers now?`,
    discard: "Discard draft",
    discarded: (id) => `Breaking news #${id} discarded; it went to nobody.`,
    nobody: "No reader is in this audience, so the message would reach nobody.",
    counts: ({ sent, blocked, failed, held, left }) =>
      `Sent ${sent} · blocked the bot ${blocked} · failed ${failed}${held ? ` · held back ${held}` : ""} · left ${left}`,
    progressLabel: "Sending progress",
    liveHint: "This page updates itself while sending; reload it if the progress stands still.",
    stop: "Stop sending",
    stopConfirm: "Stop sending this breaking news? What has gone cannot be called back.",
    stopped: (held) => `Stopped: ${held} messages not yet sent were held back.`,
    alreadyFinished: (id) => `Breaking news #${id} has already finished or stopped.`,
    noSuchBroadcast: (id) => `There is no breaking news #${id}.`,
    problem: {
      empty: "Write a message or choose a story to attach.",
      tooLong: (max) => `Breaking news is at most ${max} characters.`,
      noStory: (id) => `There is no story ${id}.`,
      noTopic: (slug) => `There is no topic “${slug}”.`,
      badPlatform: (platform) => `The platform must be Telegram or Zalo, not “${platform}”.`,
      notDraft: (id) => `Breaking news #${id} has already been sent or discarded.`,
      badLocale: (locale) => `Language must be Vietnamese or English, not “${locale}”.`,
      badMode: (mode) => `Delivery mode must be the daily digest or as it happens, not “${mode}”.`,
      badTime: (text) => `Cannot read the send time “${text}”. Pick a date and a time.`,
      pastTime: (time) => `${time} has passed. Pick a time to come.`,
      badPhoto: (why, reason) =>
        why === "refused"
          ? "Cannot use this photo: the address is on a private network, which bantin may not read."
          : why === "not-image"
            ? "Cannot use this photo: that address is not an image."
            : why === "bad-url"
              ? "Cannot use this photo: not a valid address (it should start with https://)."
              : `Cannot fetch this photo (${reason}).`,
      notScheduled: (id) => `Breaking news #${id} no longer waits, so it cannot be changed.`,
      noEditorChat: "No editor has a chat with the bot yet. Send it /start before testing.",
    },
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    previous: "← Newer",
    next: "Older →",

    desk: {
      topicsHint: "Pick one or more topics (hold Ctrl or ⌘ for more); none: every reader.",
      languageLabel: "Language",
      allLanguages: "Every language",
      language: { vi: "Vietnamese", en: "English" },
      modeLabel: "Delivery mode",
      allModes: "Every mode",
      mode: { digest: "Daily digest", instant: "As it happens" },
      audienceMore: (language, mode) =>
        `${language ? ` · ${language}` : ""}${mode ? ` · taking news ${mode.toLowerCase()}` : ""}`,
      photoLabel: "Photo address (optional)",
      photoHint: "Sent as a photo with caption. Empty: the attached story's photo, if it has one.",
      atLabel: "Send at (optional)",
      atHint: (zone) => `In ${zone} time. Empty: sent as soon as you press Send.`,
      scheduledTitle: (id) => `Breaking news #${id} waits for its time`,
      sendAtLabel: "Sends at",
      schedule: (time, n) => `Schedule for ${time} to ${n} reader(s)`,
      scheduleConfirm: (time, n) =>
        `Schedule this breaking news for ${time} to about ${n} reader(s)?`,
      scheduledNotice: (time) =>
        `This breaking news goes at ${time}. Until then you can change or cancel it.`,
      changeTitle: "Change the time or the text",
      textLabel: "Text",
      save: "Save changes",
      changed: "Changes saved.",
      cancel: "Cancel, do not send",
      cancelConfirm: "Cancel this breaking news? Nobody will get it.",
      test: "Send a test to the editors",
      testHint:
        "Sends exactly this message only to the editors' own chats with the bot; readers get nothing.",
      tested: (chats) => `Test sent to ${chats}. No reader got it.`,
      endedAt: (done, time) => (done ? `Finished sending at ${time}.` : `Stopped at ${time}.`),
    },
  },
  deliveries: {
    intro:
      "The messages the bot sends to readers, by state, and those that failed with the reason. A failed message can be sent again; one to a reader who blocked the bot never is.",
    countsTitle: "Messages by platform and state",
    platformColumn: "Platform",
    state: {
      pending: "Waiting to send",
      sent: "Sent",
      blocked: "Reader blocked the bot",
      dead: "Failed",
      cancelled: "Cancelled",
    },
    total: "Total",
    noMessages: "No messages yet.",
    deadTitle: "Failed messages",
    deadCount: (n) => `${n} failed ${n === "1" ? "message" : "messages"}, newest first.`,
    noDead: "No failed messages.",
    emptyPage: "Nothing on this page.",
    column: {
      id: "No.",
      platform: "Platform",
      kind: "Kind",
      reader: "Reader",
      attempts: "Tries",
      error: "Reason",
      lastTry: "Last try",
      action: "Action",
    },
    kind: {
      digest: "Daily digest",
      broadcast: "Breaking news",
      instant: "News as it happens",
      reply: "Reply",
      alert: "Admin alert",
      notice: "Notice",
      withdraw: "Withdrawal",
      edit: "Correction",
    },
    readerGone: "(gone)",
    retry: "Send again",
    retryAll: "Send all failed messages again",
    retryAllConfirm: (n) => `Send all ${n} failed messages again?`,
    retried: (n) =>
      n === 0
        ? "There were no failed messages to send again."
        : `${n} ${n === 1 ? "message" : "messages"} will be sent again: back in the queue.`,
    noSuchMessage: (id) => `There is no message #${id}.`,
    notDead: (id, state) =>
      `Message #${id} has not failed (it is: ${state}); only failed messages can be sent again.`,
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    previous: "← Previous page",
    next: "Next page →",
  },
  audit: {
    intro:
      "Every change an editor made, from chat, the console or the command line: who, what, when. Newest first.",
    actorLabel: "Who",
    allActors: "Everyone",
    actionLabel: "Action",
    actionHint: "The exact name or its start: “broadcast” finds broadcast.confirm too.",
    sinceLabel: "Since",
    sinceHint: (zone) => `From 00:00 that day (${zone}).`,
    filter: "Filter",
    clear: "Clear filters",
    column: { time: "Time", actor: "Who", action: "Action", details: "Details" },
    empty: "The audit log is empty.",
    noMatch: "No entries match the filters.",
    shown: (from, to, total) => `Entries ${from}–${to} of ${total}`,
    badSince: "That is not a date. Choose a day as year-month-day, e.g. 2026-01-27.",
    badFilter:
      "Those filters are not valid: who and action are at most 100 characters, the page a whole number from 1.",
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    previous: "← Previous page",
    next: "Next page →",
    say: {
      feedAdd: (id, url, topic, fullText) =>
        `Added feed ${id} ${url} to ${topic}${fullText ? " (full text)" : ""}`,
      feedCheck: (id, status, fresh, error) =>
        status === "failed" || status === "interrupted"
          ? `Checked feed ${id}: failed${error ? ` — ${error}` : ""}`
          : `Checked feed ${id}: ${fresh} new ${fresh === 1 ? "story" : "stories"}`,
      feedChange: (action, id, url) =>
        `${{ "feed.pause": "Paused", "feed.resume": "Resumed", "feed.remove": "Removed" }[action]} feed ${id} ${url}`,
      topicAdd: (slug, vi, en) => `Added topic ${slug}: ${vi} / ${en}`,
      topicRename: (slug, vi, en) => `Renamed topic ${slug} to ${vi} / ${en}`,
      topicMove: (slug, up) => `Moved topic ${slug} ${up ? "up" : "down"}`,
      deliveryRetry: (ids, count) =>
        ids === "all"
          ? `Retried every dead letter (${count} sent again)`
          : `Retried ${ids.length === 1 ? "message" : "messages"} ${ids.join(", ")} (${count} sent again)`,
      channelSave: (added, title, chatId, topics, mode, time) =>
        `${added ? "Added" : "Changed"} channel ${title} (${chatId}): ${topics}, ${mode === "digest" ? `a digest at ${time ?? "?"}` : "each story as it comes"}`,
      channelRemove: (title, chatId) => `Stopped posting to channel ${title} (${chatId})`,
      broadcastPrepare: (id, audience, topic, platform, articleId) =>
        `Drafted breaking news ${id} for ${nOf(audience, "reader", "readers")}${topic ? ` of ${topic}` : ""}${platform ? ` on ${PLATFORM_NAMES[platform] ?? platform}` : ""}${articleId ? `, with story ${articleId}` : ""}`,
      broadcastConfirm: (id, total) =>
        `Sent breaking news ${id} to ${nOf(total, "reader", "readers")}`,
      broadcastCancel: (id, held) =>
        `Stopped breaking news ${id}; ${nOf(held, "message", "messages")} held back`,
      broadcastSchedule: (id, sendAt) => `Scheduled breaking news ${id} for ${sendAt}`,
      broadcastChange: (id, sendAt, text) =>
        `Changed scheduled breaking news ${id}:${sendAt ? ` new time ${sendAt}` : ""}${sendAt && text ? ";" : ""}${text ? " new text" : ""}`,
      broadcastTest: (id, chats) =>
        `Sent a test of breaking news ${id} to ${nOf(chats, "editor chat", "editor chats")}`,
      signIn: (withToken) =>
        `Signed in to the console ${withToken ? "with the token" : "with a link from the bot"}`,
      readerErase: (platform) =>
        `A reader on ${PLATFORM_NAMES[platform] ?? platform} erased their data`,
      topicRemove: (slug, name, told, feeds) =>
        `Removed topic ${slug} (${name}); told ${nOf(told, "follower", "followers")}${feeds.count === 0 ? "" : feeds.movedTo ? `; moved ${nOf(feeds.count, "feed", "feeds")} to ${feeds.movedTo}` : `; removed ${nOf(feeds.count, "feed", "feeds")} with it`}`,
      storyHide: (id, title, hidden) => `${hidden ? "Hid" : "Unhid"} story ${id} “${title}”`,
      storyRetract: (id, title, reason, d) =>
        `Retracted story ${id} “${title}” because: ${reason}. Telegram: ${d.deleted} messages deleted, ${d.edited} edited, ${d.tooOld} older than 48 hours left as they are; Zalo: ${d.zaloNotices} readers told`,
      storyRefresh: (id, title, edited, tooOld) =>
        `Updated story ${id} “${title}” in ${edited} Telegram messages sent (${tooOld} older than 48 hours left as they are)`,
      storyPin: (id, title, until) =>
        until
          ? `Pinned story ${id} “${title}” atop the digests until ${until}`
          : `Unpinned story ${id} “${title}”`,
    },
  },
  broadcastReport: broadcastReportEn,
};
