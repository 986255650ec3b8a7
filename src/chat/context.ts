import type { Clock } from "../clock";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import type { Logger } from "../logging";
import type { OutMessage } from "../message/model";
import type { ChatType, ReaderDefaults, ReaderPlatform } from "../readers/readers";
import type { ConsoleAccess } from "../services/console-access";

export type { ChatType, ReaderPlatform };

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
  /**
   * Whether the platform shows buttons. Where it does not (Zalo, the terminal), buttons become
   * numbered choices that the reader answers with numbers ("1 3 5") or "đọc N".
   */
  buttons: boolean;
}

/** What the chat needs from the rest of bantin. */
export interface ChatDeps {
  db: Db;
  clock: Clock;
  defaults: ReaderDefaults;
  logger: Logger;
  /** Stories per page in lists. */
  pageSize?: number;
  /** The newsroom's name (NEWSROOM_NAME), in greetings and breaking-news headers. */
  newsroom?: string;
  /** The editors (ADMINS): they send breaking news and sign in to the web console. */
  editors?: readonly AdminId[];
  /**
   * The web console's base address (PUBLIC_URL, else the HTTP server's own), for /admin's
   * sign-in links; unset, /admin says the console is not served.
   */
  consoleUrl?: () => string | undefined;
  /**
   * Makes the editors' one-time sign-in links (unset, /admin says the console is not served),
   * and keeps the name each editor's updates carry.
   */
  consoleAccess?: Pick<ConsoleAccess, "signInLink" | "rememberName">;
  /** How often a broadcast's progress view is refreshed. */
  progressIntervalMs?: number;
  /** Called once for every update handed to the chat (metrics). */
  onUpdate?: (platform: ReaderPlatform) => void;
}

/** What the chat answers. */
export type Reply =
  | { type: "send"; message: OutMessage }
  /**
   * Replace the message whose button was pressed (paging, ticking a topic). With `follow`, the
   * adapter keeps that message up to date with the broadcast's progress (see followBroadcast).
   */
  | { type: "edit"; message: OutMessage; follow?: { broadcastId: number } }
  /** A short answer to a button press (a toast on Telegram). */
  | { type: "notice"; text: string }
  /**
   * A file (a reader's data as JSON): a document on Telegram; where the platform cannot send
   * files (Zalo, the terminal), the caption and the content as text messages.
   */
  | { type: "file"; file: { name: string; content: string }; caption: string };

/** A file reply as a message, for platforms that cannot send files: the caption, then the text. */
export function fileAsMessage(reply: Extract<Reply, { type: "file" }>): OutMessage {
  return { lines: [[reply.caption], ...reply.file.content.split("\n").map((l) => [l])] };
}
