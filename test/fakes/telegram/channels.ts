/**
 * Channels the fake Telegram knows, and the bot's rights in each: what getChat and
 * getChatMember answer for them, and whether a post there goes through. A channel is known by
 * its -100… id and by its @username; a @username never added is a chat Telegram does not know.
 */
import type { ErrorReply } from "../base/call-log";
import { err } from "../base/call-log";
import type { ChatInfo } from "./chats";
import type { ChannelBotStatus, FakeChannel } from "./types";
import { badRequest, chatKeyOf } from "./validate";

interface ChannelEntry {
  info: ChatInfo;
  bot: ChannelBotStatus;
  canPostMessages: boolean;
}

export class ChannelRegistry {
  private readonly byKey = new Map<string, ChannelEntry>();

  add(channel: FakeChannel): ChatInfo {
    if (!Number.isSafeInteger(channel.id) || channel.id > -1_000_000_000_000) {
      throw new Error(`fake Telegram: a channel id looks like -100…, got ${channel.id}`);
    }
    const username = channel.username?.replace(/^@/, "");
    const info: ChatInfo = {
      id: channel.id,
      type: "channel",
      title: channel.title,
      ...(username ? { username } : {}),
    };
    const entry: ChannelEntry = {
      info,
      bot: channel.bot ?? "administrator",
      canPostMessages: channel.canPostMessages ?? true,
    };
    this.byKey.set(String(channel.id), entry);
    if (username) this.byKey.set(`@${username.toLowerCase()}`, entry);
    return info;
  }

  /** Changes the bot's standing in a channel already added. */
  setBot(chatId: number | string, bot: ChannelBotStatus, canPostMessages = true): void {
    const entry = this.find(chatId);
    if (!entry) throw new Error(`fake Telegram: no channel ${String(chatId)}`);
    entry.bot = bot;
    entry.canPostMessages = canPostMessages;
  }

  find(chatId: unknown): ChannelEntry | undefined {
    const key = chatKeyOf(chatId);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /** A @username that names no channel added: Telegram answers "chat not found". */
  unknownUsername(chatId: unknown): ErrorReply | undefined {
    const key = chatKeyOf(chatId);
    if (key?.startsWith("@") && !this.byKey.has(key)) return badRequest("chat not found");
    return undefined;
  }

  /** Why a post to this channel is refused, given the bot's rights; undefined when it may post. */
  refusal(chatId: unknown): ErrorReply | undefined {
    const entry = this.find(chatId);
    if (!entry) return this.unknownUsername(chatId);
    if (entry.bot === "left" || entry.bot === "kicked") {
      return err(403, "Forbidden: bot is not a member of the channel chat");
    }
    if (entry.bot === "creator") return undefined;
    if (entry.bot !== "administrator" || !entry.canPostMessages) {
      return badRequest("need administrator rights in the channel chat");
    }
    return undefined;
  }

  /** The bot as a member of the channel, as getChatMember answers. */
  botMember(entry: ChannelEntry, user: Record<string, unknown>): Record<string, unknown> {
    if (entry.bot === "administrator") {
      return {
        status: "administrator",
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: entry.canPostMessages,
        can_manage_video_chats: false,
        can_restrict_members: false,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_post_messages: entry.canPostMessages,
        can_edit_messages: entry.canPostMessages,
      };
    }
    if (entry.bot === "kicked") return { status: "kicked", user, until_date: 0 };
    return { status: entry.bot, user, ...(entry.bot === "creator" ? { is_anonymous: false } : {}) };
  }
}
