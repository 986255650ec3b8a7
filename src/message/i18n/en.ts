import type { Catalogue } from "./catalogue";
import { consoleEn } from "./console-en";

export const en: Catalogue = {
  welcome: (name, newsroom) =>
    `Hello${name ? ` ${name}` : ""}! I bring you the stories of ${newsroom}: news every day, search, and whole stories right here in the chat.`,
  welcomeBack: (name, newsroom) =>
    `Welcome back${name ? ` ${name}` : ""}! Your daily digest from ${newsroom} is on again.`,
  pickTopics: "Pick the topics you want news about:",
  pickTopicsGroup: "Group admins can pick the group's topics with /topics.",
  topicsTitle: "Your topics",
  topicsHint: "Tap a topic to follow or unfollow it (✅ means following).",
  topicsDone: "Done",
  topicsSaved: (names) => `Saved. You follow: ${names.join(", ")}.`,
  topicsNone: "Saved. You follow no topic yet; send /topics to pick some.",
  topicSubscribed: (name) => `Following: ${name}`,
  topicUnsubscribed: (name) => `Unfollowed: ${name}`,
  unknownTopic: (slug, known) => `There is no topic “${slug}”. Topics: ${known.join(", ")}.`,
  noTopicsYet: "The newsroom has no topics yet.",
  latestTitle: (topic) => (topic ? `Latest — ${topic}` : "Latest stories"),
  latestEmpty: (topic) => (topic ? `No stories in ${topic} yet.` : "No stories yet."),
  searchAsk: "What are you looking for? Send /search and some words, e.g. /search flood",
  searchTitle: (query) => `Results for “${query}”`,
  searchNone: (query) => `No stories found for “${query}”.`,
  searchSuggest: (examples) =>
    `Try fewer words; accents are optional${examples.length ? `, e.g. ${examples.join(", ")}` : ""}.`,
  readButton: "Read",
  previous: "‹ Previous",
  next: "Next ›",
  pageOf: (page, pages) => `Page ${page}/${pages}`,
  storyNotFound: (id) => `There is no story number ${id}. It may have been removed.`,
  readUsage: "Send /read and the number of a story in the list you just saw, e.g. /read 2",
  original: "Read the original",
  listen: "🎧 Listen",
  watch: "🎬 Watch",
  photo: "Photo",
  digestTitle: "Your digest",
  digestDailyTitle: (date, newsroom) => `${newsroom} · Your digest, ${date}`,
  digestEmpty: "Nothing new in your topics yet.",
  digestNoTopics: "You follow no topic yet. Send /topics to pick some.",
  digestMore: (count, command) => `+${count} more: ${command}`,
  timeCurrent: (time, zone, enabled) =>
    enabled ? `Your daily digest comes at ${time} (${zone}).` : "Your daily digest is off.",
  timeUsage: "Change it: /time 07:30 — turn it off: /time off",
  timeSet: (time, zone) => `Done: your digest comes at ${time} every day (${zone}).`,
  timeOff: "Daily digest turned off. Turn it on again: /time 07:00",
  timeInvalid: (text) => `“${text}” is not a valid time. Use HH:MM, e.g. /time 07:30.`,
  timeZoneInvalid: (zone) => `“${zone}” is not a valid time zone. E.g. /time 07:30 Europe/London`,
  langAsk: "Chọn ngôn ngữ / Choose a language:",
  langSet: "Switched to English.",
  stopAsk: "Are you sure you want to stop all news from this bot?",
  stopYes: "Yes, stop",
  stopNo: "No",
  stopped: "Stopped. You will get no more news. Send /start any time to come back.",
  stopCancelled: "Nothing changed; you still get the news.",
  groupAdminsOnly: "Sorry, only the group's admins can change this setting.",
  unknownCommand: (command) =>
    `I don't know the command ${command}. Send /help to see the commands.`,
  expired: "That button is out of date. Please send the command again.",
  help: [
    "/latest — latest stories (/latest thoi-su: one topic)",
    "/search <words> — search, accents optional",
    "/read <number> — read that story of the list you just saw (/read_1234: story 1234)",
    "/topics — pick your topics",
    "/digest — my digest now",
    "/time 07:30 — when the digest comes (/time off to turn it off)",
    "/lang vi — Tiếng Việt",
    "/stop — stop all news",
    "/follow <words> — news with those words as it happens (/follow: the list)",
    "/unfollow <number> — stop following one",
    "/quiet 22:00-06:00 — quiet hours, nothing pushed (/quiet off to turn them off)",
    "/mydata — what we keep about you (with a JSON file)",
    "/deleteme — erase all your data",
    "/broadcast — breaking news (editors)",
  ],
  commands: {
    latest: "Latest stories",
    search: "Search stories",
    read: "Read a whole story",
    topics: "Pick topics",
    digest: "My digest now",
    time: "Digest time",
    lang: "Language",
    stop: "Stop all news",
    help: "Help",
    start: "Start",
    follow: "Follow words",
    unfollow: "Unfollow words",
    quiet: "Quiet hours",
    mydata: "My data",
    deleteme: "Delete my data",
  },
  inlineNoResults: "No stories found",
  textOnly: "I can only read text messages. Send “help” to see how to use me.",
  noChoices: "There is no list to choose from. Send “latest”, “topics” or “search <words>”.",
  choiceOutOfRange: (n, first, last) => `There is no number ${n}. Choose from ${first} to ${last}.`,
  breakingTitle: (newsroom) => `🔴 BREAKING NEWS · ${newsroom}`,
  broadcastNotAdmin: "Sorry, this command is for the newsroom's editors.",
  consoleLinkTitle: "Sign in to the console",
  consoleLinkHint: (minutes) =>
    `Open the link above to sign in. It works once, for ${minutes} minutes; do not pass it on.`,
  consolePrivateOnly: "For safety, send /admin to me in a private chat.",
  consoleUnavailable: "The web console is not served here.",
  broadcastUsage:
    "Send /broadcast and the news, optionally a story number. One topic only: #thoi-su; one platform: @telegram or @zalo; later: at 14:00. E.g. /broadcast #thoi-su Heavy rain floods the city centre.",
  broadcastTooLong: (max) => `Breaking news is at most ${max} characters.`,
  broadcastNotDraft: (id) => `Broadcast #${id} was already handled.`,
  broadcastPreviewTitle: (id) => `Preview of broadcast #${id}`,
  broadcastRecipients: (count) => `Recipients: ${count}`,
  broadcastAudience: (topic, platform) =>
    [
      topic ? `readers of ${topic}` : "all readers",
      platform ? `on ${platform === "zalo" ? "Zalo" : "Telegram"}` : "",
    ]
      .filter(Boolean)
      .join(" "),
  broadcastSend: (count) => `✅ Send to ${count}`,
  broadcastCancel: "✖ Cancel",
  broadcastDiscarded: (id) => `Broadcast #${id} discarded; nothing was sent.`,
  broadcastSendingTitle: (id) => `Sending broadcast #${id}`,
  broadcastDoneTitle: (id) => `Broadcast #${id} sent`,
  broadcastCancelledTitle: (id) => `Broadcast #${id} stopped`,
  broadcastCounts: (sent, blocked, failed, left) =>
    `Sent ${sent} · Blocked the bot ${blocked} · Failed ${failed} · Left ${left}`,
  broadcastStop: "⏹ Stop sending",
  broadcastTestButton: "🧪 Test on the editors",
  broadcastTested: (chats) => `Test sent to ${chats}. No reader got it.`,
  broadcastAt: (time) => `Scheduled for ${time}`,
  broadcastSchedule: (count) => `⏰ Schedule for ${count}`,
  broadcastScheduled: (id, time) =>
    `Scheduled: broadcast #${id} goes at ${time}. To change or cancel it, use the console (/admin).`,
  broadcastPastTime:
    "That time has passed. Pick a time to come, e.g. /broadcast at 14:00 Heavy rain…",
  // News as it happens: topic modes, keyword alerts, quiet hours.
  instantTitle: "⚡ Just in",
  instantFollowMatched: (keywords) => `⚡ Following ${keywords.map((k) => `«${k}»`).join(", ")}`,
  modesButton: "⚙️ How news comes",
  modesTitle: "How each topic's news comes",
  modesHint: "Pick a topic to change how its news comes.",
  modesNone: "You follow no topics yet. Pick some first: /topics",
  modeAsk: (topic) => `${topic}: how should its news come?`,
  modeDigest: "📰 Daily digest",
  modeInstant: "⚡ As it happens",
  modeBoth: "📰⚡ Both",
  modeSet: (topic, mode) => `${topic}: ${mode}`,
  back: "‹ Back",
  followTitle: "Words you follow",
  followNone: "You follow no words yet.",
  followUsage:
    "Send /follow and a word or phrase, e.g. /follow storm. When a new story has all those words (accents optional, in any order), I tell you at once. Stop: /unfollow <number>",
  followAdded: (words, count, max) =>
    `Following “${words}” (${count}/${max}). I will tell you when a new story has these words.`,
  followExists: (words) => `You already follow “${words}”.`,
  followLimit: (max) =>
    `You follow ${max} words already, the most. Drop one with /unfollow <number> first.`,
  followEmpty: (text) =>
    `“${text}” has no letters or digits to follow. Send words, e.g. /follow storm`,
  followTooLong: (max) => `Followed words are at most ${max} characters. Try something shorter.`,
  unfollowDone: (words) => `Stopped following “${words}”.`,
  unfollowNotFound: (text) => `You do not follow “${text}”. Send /follow to see the list.`,
  unfollowUsage: "Send /unfollow and its number in the list, e.g. /unfollow 2",
  quietCurrent: (from, until, zone) =>
    `Quiet hours: ${from}–${until} (${zone}). Nothing is pushed then; it waits until after.`,
  quietNone: "Quiet hours are off: news comes as it happens, night too.",
  quietUsage: "Change: /quiet 22:00-06:00 — turn off: /quiet off",
  quietSet: (from, until, zone) =>
    `Quiet hours set to ${from}–${until} (${zone}). News in those hours waits until after.`,
  quietOff: "Quiet hours turned off. Back on: /quiet 22:00-06:00",
  quietInvalid: (text) =>
    `“${text}” is not a time span. Send HH:MM-HH:MM, e.g. /quiet 22:00-06:00.`,
  // Channel posts (src/message/channel-post.ts).
  channelReadMore: "Read more",
  // One numbering rule and read counts.
  readNoList: "No list here yet. Send /latest or /search <words> to see one, then /read <number>.",
  readNotInList: (n, count, first, last) =>
    `The last list has ${count} ${count === 1 ? "story" : "stories"} (${first === last ? `number ${first}` : `numbers ${first}–${last}`}); there is no number ${n}.`,
  readOwnCommand: "read",
  digestMostRead: "Most read",
  digestPinned: "Editor's pick",
  storyRetractedMark: "(withdrawn)",
  storyRetractedNotice: (title) =>
    `The newsroom has withdrawn the story “${title}” sent to you earlier. Please disregard it.`,
  // Alerts to admins.
  alertFeedFailing: (url, failures, error) =>
    `⚠️ Feed ${url} failed ${failures} checks in a row: ${error}`,
  alertFeedRecovered: (url) => `✅ Feed ${url} works again.`,
  alertDeadLetters: (platform, count, minutes) =>
    `⚠️ ${count} ${platform} messages could not be delivered (given up) in the last ${minutes} minutes. See: bantin delivery list`,
  alertDeadLettersCleared: (platform, minutes) =>
    `✅ ${platform} messages given up in the last ${minutes} minutes are below the threshold again.`,
  alertOutboxLag: (platform, minutes, waiting) =>
    `⚠️ The ${platform} outbox is ${minutes} minutes behind: ${waiting} messages waiting.`,
  alertOutboxCaughtUp: (platform) => `✅ The ${platform} outbox has caught up.`,
  alertTokenRefused: (platform, reason, variable) =>
    `⚠️ ${platform} refused the bot's token (${reason}): bantin stopped serving ${platform}. Check ${variable} and restart bantin.`,
  alertTokenWorks: (platform) => `✅ bantin serves ${platform} again.`,
  // A reader's own data.
  dataTitle: "What we keep about you",
  dataJoined: (date) => `Joined: ${date}`,
  dataLanguage: "Language: English",
  dataDigest: (time, zone) => (time ? `Daily digest: ${time} (${zone})` : "Daily digest: off"),
  dataQuiet: (from, until) => (from ? `Quiet hours: ${from}–${until}` : "Quiet hours: off"),
  dataTopics: (topics) =>
    topics.length
      ? `Topics: ${topics.map((t) => `${t.name} (${t.mode})`).join(", ")}`
      : "Topics: none chosen",
  dataFollows: (words) =>
    words.length ? `Following: ${words.map((w) => `“${w}”`).join(", ")}` : "Following: no words",
  dataSent: (messages, pushed, days) =>
    `Sent to you in the last ${days} days: ${messages} message(s)${pushed ? `, ${pushed} of them stories as they happened` : ""}`,
  dataFileNote: "Every detail follows as JSON. To erase it all: /deleteme",
  dataFileCaption: "Your data (JSON)",
  eraseAsk:
    "Erase everything we keep about you: topics, words you follow, delivery times, what was sent to you? This cannot be undone, and no news will come until you send /start.",
  eraseYes: "Yes, erase it all",
  eraseNo: "No",
  erased:
    "Everything we kept about you is erased. Only general counts remain, none linked to you. Send /start to begin again.",
  eraseCancelled: "Your data is kept as it was.",
  topicRemoved: (name) => `The topic «${name}» has ended; you still get your other topics.`,
  console: consoleEn,
};
