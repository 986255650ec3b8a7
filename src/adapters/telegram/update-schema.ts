/**
 * The shape an update must have before it is stored: the fields bantin reads, with their types.
 * Anything else in an update is kept as it came. A body that does not fit is refused with the
 * reason (400), never handed to the bot.
 */
import type { Update } from "grammy/types";
import { z } from "zod";
import type { NewUpdate } from "../../chat/inbox";

const id = z.number().int().safe();
const user = z.looseObject({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  language_code: z.string().max(35).optional(),
});
const chat = z.looseObject({ id, type: z.string().max(32) });
const message = z.looseObject({
  message_id: id,
  chat,
  from: user.optional(),
  sender_chat: z.looseObject({ id }).optional(),
  text: z.string().max(65_536).optional(),
});
const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative().safe(),
  message: message.optional(),
  callback_query: z
    .looseObject({
      id: z.string().max(256),
      from: user,
      data: z.string().max(256).optional(),
      message: z.looseObject({ message_id: id, chat }).optional(),
    })
    .optional(),
  inline_query: z
    .looseObject({
      id: z.string().max(256),
      from: user,
      query: z.string().max(4096),
      offset: z.string().max(256),
    })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat,
      from: user,
      new_chat_member: z.looseObject({ status: z.string().max(32) }),
    })
    .optional(),
});

/** The first reason a body is not an update bantin can take, in plain words. */
function reason(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "the update";
  return `${where}: ${issue?.message ?? "not an update"}`;
}

/** Updates of one chat are handled in order; inline queries are per user. */
function chatKey(update: Update): string {
  const chatId =
    update.message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.my_chat_member?.chat.id;
  if (chatId !== undefined) return String(chatId);
  const from = update.callback_query?.from.id ?? update.inline_query?.from.id;
  return from !== undefined ? `user:${from}` : `update:${update.update_id}`;
}

/** A Telegram update checked and keyed for the inbox, or the reason it is refused. */
export function readTelegramUpdate(body: unknown): { update: NewUpdate } | { error: string } {
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) return { error: reason(parsed.error) };
  const update = body as Update;
  let json: string;
  try {
    json = JSON.stringify(update);
  } catch {
    return { error: "the update nests too deeply" };
  }
  return {
    update: { platform: "telegram", key: String(update.update_id), chatKey: chatKey(update), json },
  };
}
