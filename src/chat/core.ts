import {
  BroadcastError,
  type BroadcastProblem,
  broadcastMessage,
  broadcastStatus,
  broadcastStatusMessage,
  cancelBroadcast,
  confirmBroadcast,
  describeAudience,
  prepareBroadcast,
} from "../admin/broadcast-service";
import { getBroadcast } from "../admin/broadcasts";
import type { Clock } from "../clock";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import type { Logger } from "../logging";
import { type Article, findArticle, latestArticles } from "../news/articles";
import { type Category, findCategoryBySlug, listCategories } from "../news/categories";
import { searchArticles } from "../news/search";
import {
  type ChatType,
  findReader,
  type Reader,
  type ReaderDefaults,
  type ReaderPlatform,
  registerReader,
  setReaderStatus,
  updatePreferences,
} from "../readers/readers";
import { readerTopicIds, subscribe, toggleTopic } from "../readers/topics";
import { foldForSearch } from "../text/fold";
import { formatClockTime, isValidTimeZone, localParts, parseClockTime } from "../text/time";
import { truncate } from "../text/truncate";
import { type Action, decodeAction, encodeAction } from "./actions";
import { type CommandName, parseText } from "./commands";
import { type Catalogue, catalogue } from "./i18n";
import {
  type Button,
  bold,
  italic,
  type Line,
  link,
  type OutMessage,
  type Reply,
} from "./messages";

/** Who is talking, as the adapter knows it. */
export interface ChatContext {
  platform: ReaderPlatform;
  chatId: string;
  chatType: ChatType;
  user: { id: string; name: string | null };
  /** For groups: may this user change the group's settings? (Private chats: always.) */
  isGroupAdmin(): Promise<boolean>;
  /** The bot's own username, to tell /cmd@us from /cmd@otherbot in groups. */
  botUsername?: string;
}

export interface ChatCoreDeps {
  db: Db;
  clock: Clock;
  defaults: ReaderDefaults;
  logger: Logger;
  /** Stories per page in lists. */
  pageSize?: number;
  /** Who may broadcast breaking news (ADMINS). */
  admins?: AdminId[];
}

export interface InlineResult {
  id: string;
  title: string;
  description: string;
  url: string;
  message: OutMessage;
}

const MAX_QUERY_ECHO = 60;
const MAX_PHOTOS = 10;

export interface ChatCore {
  /** A text message: a command, a keyword or plain words. */
  handleText(ctx: ChatContext, text: string): Promise<Reply[]>;
  /** A button press carrying encoded action data. */
  handleButton(ctx: ChatContext, data: string): Promise<Reply[]>;
  /** The platform says the bot was blocked/removed (false) or allowed again (true). */
  handleReachability(ctx: ChatContext, reachable: boolean): Promise<void>;
  /** Stories for an inline query (Telegram's @bot words). */
  inlineSearch(query: string, offset: number, locale: "vi" | "en"): Promise<InlineResult[]>;
  /** The admin's progress view of a broadcast, and whether it is finished. */
  broadcastView(
    ctx: ChatContext,
    broadcastId: number,
  ): Promise<{ message: OutMessage; finished: boolean }>;
}

/** An IANA zone as the runtime spells it ("asia/bangkok" -> "Asia/Bangkok"), or null. */
function canonicalZone(text: string): string | null {
  if (!isValidTimeZone(text)) return null;
  return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
}

/** "/tinnong #thoi-su @telegram 123 Mưa lớn..." -> topic, platform, story id, text. */
export function parseBroadcastArgs(args: string): {
  topicSlug: string | null;
  platform: string | null;
  articleId: number | null;
  text: string;
} {
  let topicSlug: string | null = null;
  let platform: string | null = null;
  let articleId: number | null = null;
  const words = args.trim().split(/[ \t]+/);
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] ?? "";
    if (/^#[a-z0-9-]+$/.test(word) && !topicSlug) topicSlug = word.slice(1);
    else if (/^@(telegram|zalo)$/i.test(word) && !platform) platform = word.slice(1).toLowerCase();
    else if (/^\d{1,10}$/.test(word) && articleId === null && i === words.length - 1)
      articleId = Number(word);
    else if (/^(?:bai|bài|story):\d{1,10}$/i.test(word) && articleId === null)
      articleId = Number(word.split(":")[1]);
    else break;
  }
  const text = args
    .trim()
    .split(/[ \t]+/)
    .slice(i)
    .join(" ");
  return {
    topicSlug,
    platform,
    articleId,
    text: articleId !== null && i === words.length ? "" : text,
  };
}

export function createChatCore(deps: ChatCoreDeps): ChatCore {
  const pageSize = deps.pageSize ?? 5;
  const admins = deps.admins ?? [];
  const isAdmin = (ctx: ChatContext) =>
    admins.some((a) => a.platform === ctx.platform && a.userId === ctx.user.id);
  const actorOf = (ctx: ChatContext) => `${ctx.platform}:${ctx.user.id}`;

  function problemText(t: Catalogue, problem: BroadcastProblem): string {
    switch (problem.code) {
      case "empty":
        return t.broadcastUsage;
      case "tooLong":
        return t.broadcastTooLong(problem.max);
      case "noStory":
        return t.storyNotFound(String(problem.id));
      case "noTopic":
        return t.unknownTopic(problem.slug, []);
      case "badPlatform":
        return t.broadcastUsage;
      case "notDraft":
        return t.broadcastNotDraft(problem.id);
    }
  }

  async function broadcastCommand(
    ctx: ChatContext,
    reader: Reader,
    args: string,
  ): Promise<Reply[]> {
    const t = catalogue(reader.locale);
    const say = (line: string): Reply[] => [{ type: "send", message: { lines: [[line]] } }];
    if (!isAdmin(ctx)) return say(t.broadcastNotAdmin);
    const request = parseBroadcastArgs(args);
    if (!request.text && request.articleId === null) return say(t.broadcastUsage);
    try {
      const preview = await prepareBroadcast(deps.db, { author: actorOf(ctx), ...request }, now());
      const body = broadcastMessage(preview.broadcast, preview.article, reader.locale);
      const audience = await describeAudience(deps.db, preview.broadcast, t, reader.locale);
      const id = preview.broadcast.id;
      return [
        {
          type: "send",
          message: {
            lines: [
              [bold(t.broadcastPreviewTitle(id))],
              [],
              ...body.lines,
              [],
              [italic(`${t.broadcastRecipients(preview.audience)} — ${audience}`)],
            ],
            buttons: [
              [
                {
                  label: t.broadcastSend(preview.audience),
                  data: encodeAction({ kind: "broadcast", id, confirm: true }),
                },
                {
                  label: t.broadcastCancel,
                  data: encodeAction({ kind: "broadcast", id, confirm: false }),
                },
              ],
            ],
          },
        },
      ];
    } catch (error) {
      if (error instanceof BroadcastError) return say(problemText(t, error.problem));
      throw error;
    }
  }

  async function broadcastAction(
    ctx: ChatContext,
    reader: Reader,
    id: number,
    confirm: boolean,
  ): Promise<Reply[]> {
    const t = catalogue(reader.locale);
    if (!isAdmin(ctx)) return [{ type: "notice", text: t.broadcastNotAdmin }];
    const broadcast = await getBroadcast(deps.db, id).catch(() => null);
    if (!broadcast) return [{ type: "notice", text: t.expired }];
    try {
      if (confirm) {
        await confirmBroadcast(deps.db, id, actorOf(ctx), now());
      } else if (broadcast.state === "draft") {
        await cancelBroadcast(deps.db, id, actorOf(ctx), now());
        return [{ type: "edit", message: { lines: [[t.broadcastDiscarded(id)]] } }];
      } else {
        await cancelBroadcast(deps.db, id, actorOf(ctx), now());
      }
    } catch (error) {
      if (error instanceof BroadcastError)
        return [{ type: "notice", text: problemText(t, error.problem) }];
      throw error;
    }
    const status = await broadcastStatus(deps.db, id, now());
    return [
      {
        type: "edit",
        message: broadcastStatusMessage(status, t),
        ...(status.finished ? {} : { follow: { broadcastId: id } }),
      },
    ];
  }
  const log = deps.logger.child({ subsystem: "chat" });
  const now = () => deps.clock().toISOString();

  /** Registers the chat as a reader, or welcomes it back (active again, preferences kept). */
  function register(ctx: ChatContext): Promise<{ reader: Reader; isNew: boolean }> {
    return registerReader(
      deps.db,
      {
        platform: ctx.platform,
        chatId: ctx.chatId,
        chatType: ctx.chatType,
        displayName: ctx.user.name,
      },
      deps.defaults,
      now(),
    );
  }

  async function ensureReader(ctx: ChatContext): Promise<{ reader: Reader; isNew: boolean }> {
    const existing = await findReader(deps.db, ctx.platform, ctx.chatId);
    if (existing) return { reader: existing, isNew: false };
    return register(ctx);
  }

  async function mayChangeSettings(ctx: ChatContext): Promise<boolean> {
    if (ctx.chatType === "private") return true;
    try {
      return await ctx.isGroupAdmin();
    } catch (error) {
      log.warn({ error: (error as Error).message }, "could not check group admin");
      return false;
    }
  }

  function when(iso: string, reader: Reader): string {
    const { date, time } = localParts(new Date(iso), reader.timeZone);
    const [, month, day] = date.split("-");
    return `${time} ${day}/${month}`;
  }

  function categoryName(category: Category | undefined, reader: Reader): string {
    return category ? category.name[reader.locale] : "";
  }

  // ---- screens -------------------------------------------------------------------------------

  async function topicsScreen(reader: Reader, t: Catalogue): Promise<OutMessage> {
    const [categories, mine] = await Promise.all([
      listCategories(deps.db),
      readerTopicIds(deps.db, reader.id),
    ]);
    if (categories.length === 0) return { lines: [[t.noTopicsYet]] };
    const ticked = new Set(mine);
    const buttons: Button[][] = [];
    const topicButtons = categories.map((c) => ({
      label: `${ticked.has(c.id) ? "✅ " : ""}${categoryName(c, reader)}`,
      data: encodeAction({ kind: "topic", categoryId: c.id }),
    }));
    for (let i = 0; i < topicButtons.length; i += 2) buttons.push(topicButtons.slice(i, i + 2));
    buttons.push([{ label: t.topicsDone, data: encodeAction({ kind: "topicsDone" }) }]);
    return { lines: [[bold(t.topicsTitle)], [t.topicsHint]], buttons };
  }

  async function storyList(
    reader: Reader,
    title: string,
    stories: Article[],
    pageIndex: number,
    hasNext: boolean,
    pageAction: (page: number) => Action,
  ): Promise<OutMessage> {
    const t = catalogue(reader.locale);
    const categories = new Map((await listCategories(deps.db)).map((c) => [c.id, c]));
    const lines: Line[] = [[bold(title)]];
    const buttons: Button[][] = [];
    stories.forEach((story, i) => {
      const number = pageIndex * pageSize + i + 1;
      lines.push([]);
      lines.push([`${number}. `, bold(story.title)]);
      lines.push([
        italic(
          `${when(story.publishedAt, reader)} · ${categoryName(categories.get(story.categoryId), reader)}`,
        ),
      ]);
      buttons.push([
        {
          label: `📖 ${t.readButton} ${number}: ${truncate(story.title, 32)}`,
          data: encodeAction({ kind: "read", articleId: story.id }),
        },
      ]);
    });
    const nav: Button[] = [];
    if (pageIndex > 0)
      nav.push({ label: t.previous, data: encodeAction(pageAction(pageIndex - 1)) });
    if (hasNext) nav.push({ label: t.next, data: encodeAction(pageAction(pageIndex + 1)) });
    if (nav.length > 0) buttons.push(nav);
    return { lines, buttons };
  }

  async function latestScreen(
    reader: Reader,
    categoryId: number | null,
    pageIndex: number,
  ): Promise<OutMessage> {
    const t = catalogue(reader.locale);
    const category = categoryId
      ? (await listCategories(deps.db)).find((c) => c.id === categoryId)
      : undefined;
    const topicName = category ? categoryName(category, reader) : null;
    const stories = await latestArticles(deps.db, {
      ...(categoryId ? { categoryIds: [categoryId] } : {}),
      limit: pageSize + 1,
      offset: pageIndex * pageSize,
    });
    if (stories.length === 0) return { lines: [[t.latestEmpty(topicName)]] };
    return storyList(
      reader,
      t.latestTitle(topicName),
      stories.slice(0, pageSize),
      pageIndex,
      stories.length > pageSize,
      (page) => ({ kind: "latest", categoryId, page }),
    );
  }

  async function searchScreen(
    reader: Reader,
    query: string,
    pageIndex: number,
  ): Promise<OutMessage> {
    const t = catalogue(reader.locale);
    const shown = truncate(query, MAX_QUERY_ECHO);
    const results = await searchArticles(deps.db, query, {
      limit: pageSize + 1,
      offset: pageIndex * pageSize,
    });
    if (results.length === 0) {
      const examples = (await latestArticles(deps.db, { limit: 2 })).map((a) =>
        foldForSearch(a.title).split(" ").slice(0, 2).join(" "),
      );
      return { lines: [[t.searchNone(shown)], [t.searchSuggest(examples)]] };
    }
    // The folded query is what the search used; it is short, ASCII-ish and fits a button.
    const folded = foldForSearch(query);
    return storyList(
      reader,
      t.searchTitle(shown),
      results.slice(0, pageSize),
      pageIndex,
      results.length > pageSize,
      (page) => ({ kind: "search", page, query: folded }),
    );
  }

  async function digestScreen(reader: Reader, pageIndex: number): Promise<OutMessage> {
    const t = catalogue(reader.locale);
    const topics = await readerTopicIds(deps.db, reader.id);
    if (topics.length === 0) return { lines: [[t.digestNoTopics]] };
    const stories = await latestArticles(deps.db, {
      categoryIds: topics,
      limit: pageSize + 1,
      offset: pageIndex * pageSize,
    });
    if (stories.length === 0) return { lines: [[t.digestEmpty]] };
    return storyList(
      reader,
      t.digestTitle,
      stories.slice(0, pageSize),
      pageIndex,
      stories.length > pageSize,
      (page) => ({ kind: "digest", page }),
    );
  }

  async function storyMessages(reader: Reader, articleId: number): Promise<OutMessage[]> {
    const t = catalogue(reader.locale);
    const story = await findArticle(deps.db, articleId);
    if (!story) return [{ lines: [[t.storyNotFound(String(articleId))]] }];
    const category = (await listCategories(deps.db)).find((c) => c.id === story.categoryId);
    const meta = [when(story.publishedAt, reader), categoryName(category, reader), story.author]
      .filter(Boolean)
      .join(" · ");
    const lines: Line[] = [[bold(story.title)], [italic(meta)]];
    if (story.lead) lines.push([], [bold(story.lead)]);
    for (const paragraph of story.body) lines.push([], [paragraph]);
    lines.push([], [link(t.original, story.url)]);
    const messages: OutMessage[] = [{ lines }];
    for (const photo of story.photos.slice(0, MAX_PHOTOS)) {
      if (!/^https?:\/\//.test(photo.url)) continue;
      messages.push({ photo: { url: photo.url }, lines: photo.caption ? [[photo.caption]] : [] });
    }
    return messages;
  }

  // ---- commands ------------------------------------------------------------------------------

  async function runCommand(ctx: ChatContext, name: CommandName, args: string): Promise<Reply[]> {
    const { reader: found, isNew } = await ensureReader(ctx);
    let reader = found;
    const t = catalogue(reader.locale);
    const send = (message: OutMessage): Reply => ({ type: "send", message });
    const text = (...lines: string[]): Reply => send({ lines: lines.map((l) => [l]) });
    const settingsGuard = async (): Promise<Reply[] | null> =>
      (await mayChangeSettings(ctx)) ? null : [text(t.groupAdminsOnly)];

    switch (name) {
      case "start": {
        const wasAway = !isNew && reader.status !== "active";
        if (wasAway) reader = (await register(ctx)).reader;
        const replies: Reply[] = [
          text(wasAway ? t.welcomeBack(ctx.user.name) : t.welcome(ctx.user.name)),
        ];
        const deepLink = /^topic_([a-z0-9-]{1,40})$/.exec(args);
        if (deepLink?.[1]) {
          const category = await findCategoryBySlug(deps.db, deepLink[1]);
          if (category) {
            await subscribe(deps.db, reader.id, category.id);
            replies.push(text(t.topicSubscribed(categoryName(category, reader))));
            return replies;
          }
        }
        if (ctx.chatType !== "private" && !(await mayChangeSettings(ctx))) {
          replies.push(text(t.pickTopicsGroup));
          return replies;
        }
        replies.push(text(t.pickTopics), send(await topicsScreen(reader, t)));
        return replies;
      }
      case "topics":
        return (await settingsGuard()) ?? [send(await topicsScreen(reader, t))];
      case "latest": {
        const slug = args.trim().toLowerCase();
        if (!slug) return [send(await latestScreen(reader, null, 0))];
        const categories = await listCategories(deps.db);
        const category =
          categories.find((c) => c.slug === slug) ??
          categories.find((c) => foldForSearch(c.name[reader.locale]) === foldForSearch(slug)) ??
          categories.find((c) => foldForSearch(c.name.vi) === foldForSearch(slug));
        if (!category) {
          return [
            text(
              t.unknownTopic(
                truncate(args, 40),
                categories.map((c) => c.slug),
              ),
            ),
          ];
        }
        return [send(await latestScreen(reader, category.id, 0))];
      }
      case "search":
        if (!args.trim()) return [text(t.searchAsk)];
        return [send(await searchScreen(reader, args, 0))];
      case "read": {
        const id = /^\d{1,10}$/.test(args.trim()) ? Number(args.trim()) : null;
        if (!id) return [text(t.readUsage)];
        return (await storyMessages(reader, id)).map(send);
      }
      case "digest":
        return [send(await digestScreen(reader, 0))];
      case "time": {
        const value = args.trim().toLowerCase();
        if (!value) {
          return [
            text(
              t.timeCurrent(reader.digestTime, reader.timeZone, reader.digestEnabled),
              t.timeUsage,
            ),
          ];
        }
        const guard = await settingsGuard();
        if (guard) return guard;
        if (["off", "tat", "tắt"].includes(value)) {
          await updatePreferences(deps.db, reader.id, { digestEnabled: false }, now());
          return [text(t.timeOff)];
        }
        // "/gio 07:30" or "/gio 07:30 Asia/Bangkok" (a time zone for travellers and abroad).
        const [clock = "", zoneText] = args.trim().split(/\s+/);
        const minutes = parseClockTime(clock.toLowerCase().replace(/[h.]/, ":"));
        if (minutes === null) return [text(t.timeInvalid(truncate(clock, 20)))];
        const zone = zoneText ? canonicalZone(zoneText) : reader.timeZone;
        if (!zone) return [text(t.timeZoneInvalid(truncate(zoneText ?? "", 40)))];
        const time = formatClockTime(minutes);
        reader = { ...reader, timeZone: zone };
        await updatePreferences(
          deps.db,
          reader.id,
          { digestTime: time, digestEnabled: true, timeZone: zone },
          now(),
        );
        return [text(t.timeSet(time, reader.timeZone))];
      }
      case "lang": {
        const value = args.trim().toLowerCase();
        if (value === "vi" || value === "en") {
          const guard = await settingsGuard();
          if (guard) return guard;
          await updatePreferences(deps.db, reader.id, { locale: value }, now());
          return [text(catalogue(value).langSet)];
        }
        return [
          send({
            lines: [[t.langAsk]],
            buttons: [
              [
                { label: "🇻🇳 Tiếng Việt", data: encodeAction({ kind: "lang", locale: "vi" }) },
                { label: "🇬🇧 English", data: encodeAction({ kind: "lang", locale: "en" }) },
              ],
            ],
          }),
        ];
      }
      case "stop": {
        const guard = await settingsGuard();
        if (guard) return guard;
        return [
          send({
            lines: [[t.stopAsk]],
            buttons: [
              [
                { label: t.stopYes, data: encodeAction({ kind: "stop", confirm: true }) },
                { label: t.stopNo, data: encodeAction({ kind: "stop", confirm: false }) },
              ],
            ],
          }),
        ];
      }
      case "help":
        return [send({ lines: [[bold(t.commands.help)], ...t.help.map((h) => [h])] })];
      case "broadcast":
        return broadcastCommand(ctx, reader, args);
    }
  }

  async function runAction(ctx: ChatContext, action: Action): Promise<Reply[]> {
    const { reader } = await ensureReader(ctx);
    const t = catalogue(reader.locale);
    const edit = (message: OutMessage): Reply => ({ type: "edit", message });
    const guard = async (): Promise<Reply[] | null> =>
      (await mayChangeSettings(ctx)) ? null : [{ type: "notice", text: t.groupAdminsOnly }];

    switch (action.kind) {
      case "topic": {
        const blocked = await guard();
        if (blocked) return blocked;
        const category = (await listCategories(deps.db)).find((c) => c.id === action.categoryId);
        if (!category) return [{ type: "notice", text: t.expired }];
        const nowFollowing = await toggleTopic(deps.db, reader.id, category.id);
        const name = categoryName(category, reader);
        return [
          {
            type: "notice",
            text: nowFollowing ? t.topicSubscribed(name) : t.topicUnsubscribed(name),
          },
          edit(await topicsScreen(reader, t)),
        ];
      }
      case "topicsDone": {
        const ids = new Set(await readerTopicIds(deps.db, reader.id));
        const names = (await listCategories(deps.db))
          .filter((c) => ids.has(c.id))
          .map((c) => categoryName(c, reader));
        return [edit({ lines: [[names.length ? t.topicsSaved(names) : t.topicsNone]] })];
      }
      case "read":
        return (await storyMessages(reader, action.articleId)).map((message) => ({
          type: "send" as const,
          message,
        }));
      case "latest":
        return [edit(await latestScreen(reader, action.categoryId, action.page))];
      case "search":
        return [edit(await searchScreen(reader, action.query, action.page))];
      case "digest":
        return [edit(await digestScreen(reader, action.page))];
      case "stop": {
        if (!action.confirm) return [edit({ lines: [[t.stopCancelled]] })];
        const blocked = await guard();
        if (blocked) return blocked;
        await setReaderStatus(deps.db, reader.id, "stopped", now());
        return [edit({ lines: [[t.stopped]] })];
      }
      case "lang": {
        const blocked = await guard();
        if (blocked) return blocked;
        await updatePreferences(deps.db, reader.id, { locale: action.locale }, now());
        return [edit({ lines: [[catalogue(action.locale).langSet]] })];
      }
      case "broadcast":
        return broadcastAction(ctx, reader, action.id, action.confirm);
      case "noop":
        return [{ type: "notice", text: "" }];
    }
  }

  return {
    async handleText(ctx, raw) {
      const parsed = parseText(raw, ctx.botUsername);
      switch (parsed.kind) {
        case "command":
          return runCommand(ctx, parsed.name, parsed.args);
        case "notForUs":
          return [];
        case "unknownCommand": {
          if (ctx.chatType !== "private" && !ctx.botUsername) return [];
          const { reader } = await ensureReader(ctx);
          return [
            {
              type: "send",
              message: { lines: [[catalogue(reader.locale).unknownCommand(parsed.command)]] },
            },
          ];
        }
        case "text":
          // In groups people talk to each other; only commands are for us.
          if (ctx.chatType !== "private") return [];
          return runCommand(ctx, "search", parsed.text);
      }
    },

    async handleButton(ctx, data) {
      const action = decodeAction(data);
      if (!action) {
        const reader = await findReader(deps.db, ctx.platform, ctx.chatId);
        return [
          { type: "notice", text: catalogue(reader?.locale ?? deps.defaults.locale).expired },
        ];
      }
      return runAction(ctx, action);
    },

    async handleReachability(ctx, reachable) {
      const reader = await findReader(deps.db, ctx.platform, ctx.chatId);
      if (reachable) {
        if (!reader || reader.status === "blocked") await ensureReader(ctx);
        if (reader?.status === "blocked")
          await setReaderStatus(deps.db, reader.id, "active", now());
        return;
      }
      if (reader) await setReaderStatus(deps.db, reader.id, "blocked", now());
    },

    async broadcastView(ctx, broadcastId) {
      const reader = await findReader(deps.db, ctx.platform, ctx.chatId);
      const t = catalogue(reader?.locale ?? deps.defaults.locale);
      const status = await broadcastStatus(deps.db, broadcastId, now());
      return { message: broadcastStatusMessage(status, t), finished: status.finished };
    },

    async inlineSearch(query, offset, locale) {
      const t = catalogue(locale);
      const stories = query.trim()
        ? await searchArticles(deps.db, query, { limit: 10, offset })
        : await latestArticles(deps.db, { limit: 10, offset });
      return stories.map((story) => ({
        id: String(story.id),
        title: story.title,
        description: truncate(story.lead, 120),
        url: story.url,
        message: {
          lines: [
            [bold(story.title)],
            ...(story.lead ? [[story.lead]] : []),
            [link(t.original, story.url)],
          ],
        },
      }));
    },
  };
}
