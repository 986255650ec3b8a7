/** Every sentence the bot says to readers. One catalogue per language, same shape. */
export interface Catalogue {
  welcome(name: string | null): string;
  welcomeBack(name: string | null): string;
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
  photo: string;
  digestTitle: string;
  /** Title of the daily digest; `date` is "DD/MM". */
  digestDailyTitle(date: string): string;
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
    | "start",
    string
  >;
  inlineNoResults: string;
  textOnly: string;
  noChoices: string;
  choiceOutOfRange(n: number, max: number): string;
  breakingTitle: string;
  broadcastNotAdmin: string;
  broadcastUsage: string;
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
}
