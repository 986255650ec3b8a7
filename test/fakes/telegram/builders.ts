/** Updates as Telegram would send them for what a user does: messages, buttons, inline queries. */
import type { ChatStore } from "./chats";
import { unixNow } from "./chats";
import type {
  CallbackQueryOptions,
  MessageUpdateOptions,
  MyChatMemberOptions,
  UpdateInput,
} from "./types";

/** The sender in a group when none is given. */
const GROUP_MEMBER_ID = 424242;

const user = (id: number, firstName = "Lan", languageCode = "vi"): Record<string, unknown> => ({
  id,
  is_bot: false,
  first_name: firstName,
  language_code: languageCode,
});

export class UpdateBuilder {
  private nextCallbackId = 1;
  private nextInlineId = 1;

  constructor(private readonly chats: ChatStore) {}

  message(opts: MessageUpdateOptions): UpdateInput {
    const type = this.chats.typeFor(opts.chatId, opts.chatType);
    const firstName = opts.firstName ?? "Lan";
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : GROUP_MEMBER_ID);
    const chat = this.chats.remember(opts.chatId, type, firstName);
    const message: Record<string, unknown> = {
      message_id: this.chats.nextMessageId(opts.chatId),
      from: user(fromId, firstName, opts.languageCode ?? "vi"),
      chat,
      date: unixNow(),
      text: opts.text,
    };
    const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(opts.text);
    if (command) {
      message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    }
    return { message } as unknown as UpdateInput;
  }

  callbackQuery(opts: CallbackQueryOptions): UpdateInput {
    const type = this.chats.typeFor(opts.chatId, opts.chatType);
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : GROUP_MEMBER_ID);
    const chat = this.chats.remember(opts.chatId, type, "Lan");
    const message = this.chats.messageForCallback(opts.chatId, opts.messageId, chat, opts.text);
    const callback_query = {
      id: String(9_000_000 + this.nextCallbackId++),
      from: user(fromId),
      message: { ...message, chat },
      chat_instance: String(Math.abs(opts.chatId) * 7 + 13),
      data: opts.data,
    };
    return { callback_query } as unknown as UpdateInput;
  }

  inlineQuery(opts: { fromId: number; query: string; offset?: string }): UpdateInput {
    const inline_query = {
      id: String(7_000_000 + this.nextInlineId++),
      from: user(opts.fromId),
      query: opts.query,
      offset: opts.offset ?? "",
      chat_type: "sender",
    };
    return { inline_query } as unknown as UpdateInput;
  }

  myChatMember(opts: MyChatMemberOptions): UpdateInput {
    const type = this.chats.typeFor(opts.chatId, opts.chatType);
    const fromId = opts.fromId ?? (type === "private" ? opts.chatId : GROUP_MEMBER_ID);
    const chat = this.chats.remember(opts.chatId, type, "Lan");
    const bot = this.chats.botUser();
    const member = (status: string) =>
      status === "kicked" ? { status, user: bot, until_date: 0 } : { status, user: bot };
    const old = opts.status === "member" ? (type === "private" ? "kicked" : "left") : "member";
    const my_chat_member = {
      chat,
      from: user(fromId),
      date: unixNow(),
      old_chat_member: member(old),
      new_chat_member: member(opts.status),
    };
    return { my_chat_member } as unknown as UpdateInput;
  }
}
