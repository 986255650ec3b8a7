/** The chats the fake Telegram knows, the bot's messages in them, and their members. */
import type { UserFromGetMe } from "grammy/types";
import { type ErrorReply, ok, type Reply } from "../base/call-log";
import type { Params } from "./params";
import type { ChatType, MemberStatus } from "./types";
import { badRequest, chatKeyOf, requireChat, stableJson, typeOfChatId } from "./validate";

export interface ChatInfo {
  id: number;
  type: ChatType | "channel";
  title?: string;
  first_name?: string;
  username?: string;
}

/** A message with keys that tell an edit that changes nothing ("message is not modified"). */
export interface StoredMessage {
  message: Record<string, unknown>;
  contentKey: string;
  markupKey: string;
}

interface ChatState {
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  deleted: Set<number>;
}

export type EditTarget =
  | { inline: true }
  | { inline: false; key: string; id: number; stored?: StoredMessage };

type Markup = { inline_keyboard?: unknown } | undefined;

/** The inline keyboard of a reply_markup, the only markup kept on a message. */
function inlineKeyboardOf(params: Params): { inline_keyboard: unknown } | undefined {
  const markup = params.reply_markup as Markup;
  return markup && typeof markup === "object" && markup.inline_keyboard !== undefined
    ? { inline_keyboard: markup.inline_keyboard }
    : undefined;
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

/** How long a bot may delete its own messages for everyone (Bot API deleteMessage). */
const DELETE_WINDOW_SECONDS = 48 * 60 * 60;

export class ChatStore {
  private readonly chats = new Map<string, ChatInfo>();
  private readonly states = new Map<string, ChatState>();
  private readonly members = new Map<string, Map<number, MemberStatus>>();

  constructor(private readonly botInfo: UserFromGetMe) {}

  botUser(): Record<string, unknown> {
    return {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
  }

  /** The given type, else the one the chat was seen with, else the one its id suggests. */
  typeFor(chatId: number, given?: ChatType): ChatType {
    if (given) return given;
    const known = this.chats.get(String(chatId))?.type;
    if (known && known !== "channel") return known;
    return typeOfChatId(chatId);
  }

  /** Records a chat an update comes from; returns the update's `chat` object. */
  remember(chatId: number, type: ChatType, firstName: string): Record<string, unknown> {
    const key = String(chatId);
    const info: ChatInfo =
      type === "private"
        ? { id: chatId, type, first_name: firstName }
        : { id: chatId, type, title: this.chats.get(key)?.title ?? `Test ${type} ${chatId}` };
    this.chats.set(key, info);
    return { ...info };
  }

  /** A chat known in advance (a channel), under each of its keys (id, @username). */
  define(info: ChatInfo, ...keys: string[]): void {
    for (const key of keys) this.chats.set(key, info);
  }

  /** What getChat answers; a chat never seen is made up from its id. */
  info(chatId: unknown): ChatInfo | undefined {
    const key = chatKeyOf(chatId);
    if (key === undefined) return undefined;
    const known = this.chats.get(key);
    if (known) return known;
    let info: ChatInfo;
    if (key.startsWith("@")) {
      let hash = 0;
      for (const ch of key) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000_000;
      info = {
        id: -(1_000_000_000_000 + hash),
        type: "channel",
        title: key.slice(1),
        username: key.slice(1),
      };
    } else {
      const id = Number(key);
      const type = typeOfChatId(id);
      info =
        type === "private"
          ? { id, type, first_name: "Lan" }
          : { id, type, title: `Test ${type} ${id}` };
    }
    this.chats.set(key, info);
    return info;
  }

  private state(key: string): ChatState {
    let state = this.states.get(key);
    if (!state) {
      state = { nextMessageId: 1, messages: new Map(), deleted: new Set() };
      this.states.set(key, state);
    }
    return state;
  }

  /** The next message id in a chat, for a message a user sends. */
  nextMessageId(chatId: number): number {
    return this.state(String(chatId)).nextMessageId++;
  }

  /** A bot message for a callback query: the one stored, or one made up and stored now. */
  messageForCallback(
    chatId: number,
    messageId: number,
    chat: Record<string, unknown>,
    text: string | undefined,
  ): Record<string, unknown> {
    const state = this.state(String(chatId));
    let stored = state.messages.get(messageId);
    if (!stored) {
      const message: Record<string, unknown> = {
        message_id: messageId,
        from: this.botUser(),
        chat,
        date: unixNow(),
        text: text ?? "…",
      };
      stored = { message, contentKey: stableJson([text ?? "…", null]), markupKey: "null" };
      state.messages.set(messageId, stored);
      state.nextMessageId = Math.max(state.nextMessageId, messageId + 1);
    }
    return stored.message;
  }

  /** Stores a message the bot sends (params.chat_id must have been checked). */
  newMessage(
    params: Params,
    content: Record<string, unknown>,
    contentKey: string,
  ): Record<string, unknown> {
    const info = this.info(params.chat_id) as ChatInfo;
    const state = this.state(chatKeyOf(params.chat_id) as string);
    const message: Record<string, unknown> = {
      message_id: state.nextMessageId++,
      from: this.botUser(),
      chat: { ...info },
      date: unixNow(),
      ...content,
    };
    const keyboard = inlineKeyboardOf(params);
    if (keyboard) message.reply_markup = keyboard;
    state.messages.set(message.message_id as number, {
      message,
      contentKey,
      markupKey: stableJson(message.reply_markup),
    });
    return message;
  }

  /** The target of an edit, or an error. Messages the fake never sent are taken on trust. */
  editTarget(params: Params): EditTarget | ErrorReply {
    if (params.inline_message_id !== undefined) return { inline: true };
    const missing = requireChat(params);
    if (missing) return missing;
    const id = Number(params.message_id);
    if (!Number.isInteger(id) || id <= 0) return badRequest("message identifier is not specified");
    const key = chatKeyOf(params.chat_id) as string;
    const state = this.state(key);
    if (state.deleted.has(id)) return badRequest("message to edit not found");
    return { inline: false, key, id, stored: state.messages.get(id) };
  }

  applyEdit(
    target: { key: string; id: number; stored?: StoredMessage },
    params: Params,
    contentKey: string | undefined,
    change: (message: Record<string, unknown>) => void,
  ): Reply {
    const state = this.state(target.key);
    const newMarkup = inlineKeyboardOf(params);
    const markupKey = stableJson(newMarkup);
    let stored = target.stored;
    if (
      stored &&
      (contentKey === undefined || stored.contentKey === contentKey) &&
      stored.markupKey === markupKey
    ) {
      return badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (!stored) {
      const info = this.info(params.chat_id) as ChatInfo;
      stored = {
        message: {
          message_id: target.id,
          from: this.botUser(),
          chat: { ...info },
          date: unixNow(),
        },
        contentKey: "",
        markupKey: "null",
      };
      state.messages.set(target.id, stored);
      state.nextMessageId = Math.max(state.nextMessageId, target.id + 1);
    }
    const message: Record<string, unknown> = { ...stored.message, edit_date: unixNow() };
    change(message);
    if (newMarkup) message.reply_markup = newMarkup;
    else delete message.reply_markup;
    state.messages.set(target.id, {
      message,
      contentKey: contentKey ?? stored.contentKey,
      markupKey,
    });
    return ok(message);
  }

  /**
   * Deletes a message. As Telegram does, a bot's message older than 48 hours cannot be deleted
   * for everyone in a private chat or a group (PLATFORMS.md); one never sent or already gone is
   * "not found".
   */
  deleteMessage(params: Params): Reply {
    const missing = requireChat(params);
    if (missing) return missing;
    const id = Number(params.message_id);
    if (!Number.isInteger(id) || id <= 0) return badRequest("message identifier is not specified");
    const state = this.state(chatKeyOf(params.chat_id) as string);
    if (state.deleted.has(id)) return badRequest("message to delete not found");
    const stored = state.messages.get(id);
    if (!stored) return badRequest("message to delete not found");
    const date = Number(stored.message.date);
    if (Number.isFinite(date) && unixNow() - date >= DELETE_WINDOW_SECONDS) {
      return badRequest("message can't be deleted for everyone");
    }
    state.messages.delete(id);
    state.deleted.add(id);
    return ok(true);
  }

  /** Makes a stored message look `seconds` older (a test of Telegram's 48-hour window). */
  age(chatKey: string, messageId: number, seconds: number): boolean {
    const stored = this.state(chatKey).messages.get(messageId);
    if (!stored) return false;
    stored.message.date = Number(stored.message.date) - seconds;
    return true;
  }

  /** A message as the chat shows it now (undefined once deleted or never sent). */
  shown(chatKey: string, messageId: number): Record<string, unknown> | undefined {
    return this.state(chatKey).messages.get(messageId)?.message;
  }

  // --- members ---------------------------------------------------------------------------------

  setMemberStatus(key: string, userId: number, status: MemberStatus): void {
    const map = this.members.get(key) ?? new Map<number, MemberStatus>();
    map.set(userId, status);
    this.members.set(key, map);
  }

  memberStatus(key: string, userId: number): MemberStatus {
    return this.members.get(key)?.get(userId) ?? "member";
  }

  administrators(key: string): Record<string, unknown>[] {
    return [...(this.members.get(key) ?? new Map<number, MemberStatus>())]
      .filter(([, status]) => status === "creator" || status === "administrator")
      .map(([userId, status]) => this.chatMember(userId, status));
  }

  memberCount(key: string): number {
    return Math.max(2, (this.members.get(key)?.size ?? 0) + 1);
  }

  chatMember(userId: number, status: MemberStatus): Record<string, unknown> {
    const user =
      userId === this.botInfo.id
        ? this.botUser()
        : { id: userId, is_bot: false, first_name: `User ${userId}` };
    switch (status) {
      case "creator":
        return { status, user, is_anonymous: false };
      case "administrator":
        return {
          status,
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        };
      case "kicked":
        return { status, user, until_date: 0 };
      case "restricted":
        return {
          status,
          user,
          is_member: true,
          until_date: 0,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
        };
      default:
        return { status, user };
    }
  }
}
