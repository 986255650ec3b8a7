/**
 * What a chat feature is: the commands it answers (with their aliases and the plain words
 * people type instead), the button actions it handles, and the context each handler gets.
 */
import type { Action } from "../message/actions";
import type { Catalogue } from "../message/i18n";
import type { OutMessage } from "../message/model";
import type { Reader } from "../readers/readers";
import type { ReaderService } from "../services/readers";
import type { ChatContext, ChatDeps, Reply } from "./context";

export type CommandName =
  | "start"
  | "topics"
  | "latest"
  | "search"
  | "read"
  | "digest"
  | "time"
  | "lang"
  | "stop"
  | "help"
  | "broadcast"
  | "admin"
  | "follow"
  | "unfollow"
  | "quiet"
  | "mydata"
  | "deleteme";

/** Everything a command or action handler may use for one update. */
export interface FeatureContext {
  chat: ChatContext;
  deps: ChatDeps;
  /** What readers change about themselves goes through this. */
  readers: ReaderService;
  /** The chat as a reader (registered on first contact). */
  reader: Reader;
  /** True when this update registered the reader. */
  isNew: boolean;
  t: Catalogue;
  pageSize: number;
  now(): string;
  /**
   * The one check of group authority: may this user change the chat's settings or state? Always
   * in a private chat; in a group, its admins (as the platform tells) and the ADMINS editors.
   */
  mayChangeGroup(): Promise<boolean>;
  /** Registers the chat again (a reader who had stopped comes back active). */
  reRegister(): Promise<Reader>;
  /** Whether the user who wrote is an editor (ADMINS), as editors/editors.ts says. */
  fromEditor: boolean;
  /** That editor's name in the audit log ("telegram:42"). */
  editorName: string;
}

export interface CommandSpec {
  name: CommandName;
  /** Slash names, folded and without "/": the ASCII name Telegram shows first, then aliases. */
  slash: string[];
  /**
   * Plain words people type instead of the command (folded: "chu de"), each with a test of
   * when it is unambiguous enough to be taken as the command.
   */
  keywords?: { words: string; accepts(args: string): boolean }[];
  /** In Telegram's command menu as /<vi> for Vietnamese and /<en> for English. */
  menu?: { vi: string; en: string };
  /**
   * Whether these arguments change the chat's settings or state: in a group the chat asks
   * mayChangeGroup first and refuses everyone else.
   */
  changesGroup?: (args: string) => boolean;
  run(ctx: FeatureContext, args: string): Promise<Reply[]>;
}

export interface ActionSpec<A extends Action> {
  /** Whether pressing it changes the chat's settings or state (see CommandSpec). */
  changesGroup?: (action: A) => boolean;
  run(ctx: FeatureContext, action: A): Promise<Reply[]>;
}

export type ActionSpecs = {
  [K in Action["kind"]]?: ActionSpec<Extract<Action, { kind: K }>>;
};

export interface Feature {
  commands: CommandSpec[];
  actions: ActionSpecs;
}

/** Changes the chat whatever the arguments. */
export const always = () => true;

export const send = (message: OutMessage): Reply => ({ type: "send", message });
export const edit = (message: OutMessage): Reply => ({ type: "edit", message });
export const notice = (text: string): Reply => ({ type: "notice", text });
/** One message of plain lines. */
export const say = (...lines: string[]): Reply => send({ lines: lines.map((line) => [line]) });
