/**
 * The platform-neutral chat: one update in (text, a pressed button, or something else), replies
 * out. It finds or registers the reader, routes commands and button actions to the features
 * that own them, and, for platforms without buttons, turns numbers typed back into the choices
 * last offered. What a chat was shown (its last story list, its numbered choices) is kept in the
 * database after every update (message/numbering.ts is the one numbering rule).
 */

import { editorName, isEditor } from "../editors/editors";
import { type Action, decodeAction } from "../message/actions";
import { type Catalogue, catalogue, type Locale } from "../message/i18n";
import { shownByAll } from "../message/numbering";
import { lastChoices, rememberShown } from "../readers/chat-memory";
import { broadcastStatus } from "../services/broadcasts";
import { type ReaderChat, readerService } from "../services/readers";
import { dropInvisible } from "../text/normalize";
import { numberRange, pickChoices } from "./choices";
import { COMMANDS, commandMenu, parseText } from "./commands";
import type { ChatContext, ChatDeps, Reply } from "./context";
import type { ActionSpec, ActionSpecs, CommandName, FeatureContext } from "./feature";
import { FEATURES } from "./features";
import { broadcastStatusMessage } from "./features/broadcast";
import { type InlineResult, inlineSearch } from "./features/stories";
import { type BroadcastView, ProgressFollower, type ShowProgress } from "./progress";

export type { InlineResult };

export type ChatInput =
  | { kind: "text"; text: string }
  /** A pressed button's callback data, as the platform hands it back. */
  | { kind: "button"; data: string }
  /** A picture, a sticker or anything else that is not text. */
  | { kind: "other" };

export interface ChatOutput {
  /** The reader's language once the update is handled (for labels the renderers add). */
  locale: Locale;
  replies: Reply[];
}

export interface ChatCore {
  /** One update from a reader (the inbox has made sure it is handled once). */
  handle(ctx: ChatContext, input: ChatInput): Promise<ChatOutput>;
  /** The platform says the bot was blocked or removed (false), or allowed again (true). */
  handleReachability(ctx: ChatContext, reachable: boolean): Promise<void>;
  /** Stories for an inline query (Telegram's @bot words). */
  inlineSearch(query: string, offset: number, locale: Locale): Promise<InlineResult[]>;
  /** Keeps an admin's broadcast view up to date until the broadcast is finished. */
  followBroadcast(ctx: ChatContext, broadcastId: number, show: ShowProgress): void;
  /** The commands a platform lists in its menu, in one language. */
  commandMenu(locale: Locale): { command: string; description: string }[];
  /** Stops the progress views still running. */
  close(): void;
}

/** "1", "1 3 5", "2, 4": choices typed back on platforms without buttons. */
const NUMBERS = /^\d{1,3}(?:[\s,;]+\d{1,3})*$/;
/** A bare number in a private chat on a platform with buttons: item N of the last list. */
const ONE_NUMBER = /^\d{1,4}$/;

const COMMAND_BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));
const ACTIONS: ActionSpecs = Object.assign({}, ...FEATURES.map((f) => f.actions));

export function createChatCore(deps: ChatDeps): ChatCore {
  const log = deps.logger.child({ subsystem: "chat" });
  const pageSize = deps.pageSize ?? 5;
  const now = () => deps.clock().toISOString();

  const readers = readerService({ db: deps.db, clock: deps.clock, defaults: deps.defaults });
  const asReader = (chat: ChatContext): ReaderChat => ({
    platform: chat.platform,
    chatId: chat.chatId,
    chatType: chat.chatType,
    displayName: chat.user.name,
  });
  const ensureReader = (chat: ChatContext) => readers.forChat(asReader(chat));

  /** Whether this user speaks for the chat: private chats always; groups their admins, ADMINS. */
  async function groupAuthority(chat: ChatContext): Promise<boolean> {
    if (chat.chatType === "private") return true;
    if (isEditor(deps.editors ?? [], chat.platform, chat.user.id)) return true;
    try {
      return await chat.isGroupAdmin();
    } catch (error) {
      log.warn({ error: (error as Error).message }, "could not check group admin");
      return false;
    }
  }

  async function featureContext(chat: ChatContext): Promise<FeatureContext> {
    const { reader, isNew } = await ensureReader(chat);
    let authority: Promise<boolean> | undefined; // asked once per update
    return {
      chat,
      deps,
      readers,
      reader,
      isNew,
      t: catalogue(reader.locale),
      pageSize,
      now,
      mayChangeGroup: () => {
        authority ??= groupAuthority(chat);
        return authority;
      },
      reRegister: async () => (await readers.register(asReader(chat))).reader,
      fromEditor: isEditor(deps.editors ?? [], chat.platform, chat.user.id),
      editorName: editorName(chat.platform, chat.user.id),
    };
  }

  async function runCommand(chat: ChatContext, name: CommandName, args: string) {
    const ctx = await featureContext(chat);
    const command = COMMAND_BY_NAME.get(name);
    let replies: Reply[] = [];
    if (command?.changesGroup?.(args) && !(await ctx.mayChangeGroup())) {
      replies = [{ type: "send", message: { lines: [[ctx.t.groupAdminsOnly]] } }];
    } else if (command) {
      replies = await command.run(ctx, args);
    }
    return { locale: ctx.reader.locale, replies };
  }

  async function runAction(chat: ChatContext, action: Action) {
    const ctx = await featureContext(chat);
    const spec = ACTIONS[action.kind] as ActionSpec<Action> | undefined;
    let replies: Reply[] = [];
    if (spec?.changesGroup?.(action) && !(await ctx.mayChangeGroup())) {
      replies = [{ type: "notice", text: ctx.t.groupAdminsOnly }];
    } else if (spec) {
      replies = await spec.run(ctx, action);
    }
    return { locale: ctx.reader.locale, replies };
  }

  async function localeOf(chat: ChatContext): Promise<Locale> {
    return (await readers.find(chat.platform, chat.chatId))?.locale ?? deps.defaults.locale;
  }

  async function handleText(chat: ChatContext, raw: string): Promise<ChatOutput> {
    const parsed = parseText(raw, chat.botUsername);
    switch (parsed.kind) {
      case "command":
        return runCommand(chat, parsed.name, parsed.args);
      case "notForUs":
        return { locale: deps.defaults.locale, replies: [] };
      case "unknownCommand": {
        if (chat.chatType !== "private" && !chat.botUsername) {
          return { locale: deps.defaults.locale, replies: [] };
        }
        const { reader } = await ensureReader(chat);
        const text = catalogue(reader.locale).unknownCommand(parsed.command);
        return { locale: reader.locale, replies: [{ type: "send", message: { lines: [[text]] } }] };
      }
      case "text":
        // In groups people talk to each other; only commands are for us.
        if (chat.chatType !== "private") return { locale: deps.defaults.locale, replies: [] };
        return runCommand(chat, "search", parsed.text);
    }
  }

  /** A short answer in the reader's language (notices outside any feature). */
  async function tell(chat: ChatContext, text: (t: Catalogue) => string): Promise<ChatOutput> {
    const locale = await localeOf(chat);
    return { locale, replies: [{ type: "notice", text: text(catalogue(locale)) }] };
  }

  /**
   * Numbers typed back on platforms without buttons: the choices of the last message that had
   * any, by the numbers shown beside them; null when the text is not numbers. ("đọc N" is the
   * read command, which opens item N of the last list.)
   */
  async function handleChoice(chat: ChatContext, raw: string): Promise<ChatOutput | null> {
    const text = raw.trim();
    if (!NUMBERS.test(text)) return null;
    const offered = await lastChoices(deps.db, chat);
    if (!offered?.length) return tell(chat, (t) => t.noChoices);
    const picked = pickChoices(offered, text.split(/[\s,;]+/).map(Number));
    if ("missing" in picked) {
      const { first, last } = numberRange(offered.map((c) => c.number));
      return tell(chat, (t) => t.choiceOutOfRange(picked.missing, first, last));
    }
    // Several at once ("1 3 5"): press each; keep every notice and only the last screen.
    const collected: Reply[] = [];
    let locale = deps.defaults.locale;
    for (const action of picked.actions) {
      const output = action ? await runAction(chat, action) : await tell(chat, (t) => t.expired);
      locale = output.locale;
      for (const reply of output.replies) {
        if (reply.type === "edit") {
          const previous = collected.findIndex((c) => c.type === "edit");
          if (previous >= 0) collected.splice(previous, 1);
        }
        collected.push(reply);
      }
    }
    return { locale, replies: collected };
  }

  async function dispatch(chat: ChatContext, input: ChatInput): Promise<ChatOutput> {
    switch (input.kind) {
      case "text":
        if (chat.buttons && chat.chatType === "private" && ONE_NUMBER.test(input.text.trim())) {
          return runCommand(chat, "read", input.text.trim());
        }
        return (
          (!chat.buttons && (await handleChoice(chat, input.text))) || handleText(chat, input.text)
        );
      case "button": {
        const action = decodeAction(input.data);
        return action ? runAction(chat, action) : tell(chat, (t) => t.expired);
      }
      case "other": {
        if (chat.chatType !== "private") return { locale: deps.defaults.locale, replies: [] };
        return tell(chat, (t) => t.textOnly);
      }
    }
  }

  /** Keeps what the replies showed: the last story list; without buttons, the last choices. */
  async function remember(chat: ChatContext, replies: Reply[]): Promise<void> {
    const messages = replies.flatMap((r) =>
      r.type === "send" || r.type === "edit" ? [r.message] : [],
    );
    const shown = shownByAll(messages, { buttons: chat.buttons });
    if (!shown.items && !shown.choices) return;
    try {
      await rememberShown(deps.db, chat, shown, now());
    } catch (error) {
      // The answer still goes; numbers typed next get a "no list" hint at worst.
      log.warn({ error: (error as Error).message }, "could not remember the chat's list");
    }
  }

  /** An editor's name as their platform gives it now; the update goes on if it cannot be kept. */
  async function keepEditorName(platform: string, userId: string, name: string): Promise<void> {
    try {
      await deps.consoleAccess?.rememberName(platform, userId, name);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "could not keep an editor's name");
    }
  }

  async function broadcastView(chat: ChatContext, broadcastId: number): Promise<BroadcastView> {
    const t = catalogue(await localeOf(chat));
    const status = await broadcastStatus(deps.db, broadcastId, now());
    return { message: broadcastStatusMessage(status, t), finished: status.finished };
  }
  const progress = new ProgressFollower(broadcastView, deps.progressIntervalMs ?? 3000, log);

  return {
    async handle(given, input) {
      deps.onUpdate?.(given.platform);
      // A display name is typed by a person too, and greetings say it back.
      const name = given.user.name === null ? null : dropInvisible(given.user.name);
      const chat = { ...given, user: { ...given.user, name } };
      if (name && isEditor(deps.editors ?? [], chat.platform, chat.user.id)) {
        await keepEditorName(chat.platform, chat.user.id, name);
      }
      // What the reader cannot see never reaches a feature (nor comes back in a reply).
      const typed =
        input.kind === "text" ? { kind: "text" as const, text: dropInvisible(input.text) } : input;
      const output = await dispatch(chat, typed);
      await remember(chat, output.replies);
      return output;
    },

    handleReachability: (chat, reachable) => readers.setReachable(asReader(chat), reachable),

    inlineSearch: (query, offset, locale) => inlineSearch({ deps }, query, offset, locale),

    followBroadcast: (chat, broadcastId, show) => progress.follow(chat, broadcastId, show),

    commandMenu: (locale) =>
      commandMenu(locale, (name) => {
        const commands = catalogue(locale).commands;
        return name in commands ? commands[name as keyof typeof commands] : name;
      }),

    close: () => progress.close(),
  };
}
