/**
 * Before bantin posts to a Telegram channel: who the bot is (getMe), which chat the channel is
 * (getChat: a @username becomes its -100… id and title), and whether the bot may post there
 * (getChatMember: an administrator with can_post_messages, or the creator).
 */
import { Api, GrammyError, HttpError } from "grammy";
import { telegramFetch } from "./fetch";

export interface CheckedChannel {
  /** The numeric chat id, e.g. "-1001234567890". */
  id: string;
  title: string;
  username: string | null;
}

export type ChannelProblem =
  /** Telegram refused the token. */
  | { kind: "token"; detail: string }
  /** Telegram does not know the chat (or the bot cannot see it). */
  | { kind: "unknown" }
  /** The chat exists but is a group or a private chat. */
  | { kind: "not-channel"; type: string; title: string }
  /** The bot is in the channel but not an administrator (or not in it at all). */
  | { kind: "not-admin"; status: string }
  /** The bot is an administrator without the right to post messages. */
  | { kind: "cannot-post" }
  /** Telegram could not be asked (network, 5xx). */
  | { kind: "unreachable"; detail: string };

export type ChannelCheck =
  | { ok: true; bot: { id: number; username: string }; channel: CheckedChannel }
  | {
      ok: false;
      bot?: { id: number; username: string };
      channel?: CheckedChannel;
      problem: ChannelProblem;
    };

function failure(error: unknown): ChannelProblem {
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 404) {
      return { kind: "token", detail: error.description };
    }
    if (error.error_code >= 500) {
      return { kind: "unreachable", detail: `${error.error_code} ${error.description}` };
    }
    return { kind: "unknown" };
  }
  const detail =
    error instanceof HttpError || error instanceof Error ? error.message : String(error);
  return { kind: "unreachable", detail };
}

/** `ref` is "@username" or a numeric chat id. */
export async function checkTelegramChannel(
  options: { token: string; apiRoot: string; timeoutSeconds?: number },
  ref: string,
): Promise<ChannelCheck> {
  const api = new Api(options.token, {
    apiRoot: options.apiRoot,
    timeoutSeconds: options.timeoutSeconds ?? 30,
    fetch: telegramFetch,
  });
  let bot: { id: number; username: string };
  try {
    const me = await api.getMe();
    bot = { id: me.id, username: me.username };
  } catch (error) {
    const problem = failure(error);
    return {
      ok: false,
      problem: problem.kind === "unknown" ? { kind: "token", detail: "" } : problem,
    };
  }
  let channel: CheckedChannel;
  try {
    const chat = await api.getChat(/^-?\d+$/.test(ref) ? Number(ref) : ref);
    const title =
      ("title" in chat && chat.title) || ("first_name" in chat && chat.first_name) || "";
    if (chat.type !== "channel") {
      return { ok: false, bot, problem: { kind: "not-channel", type: chat.type, title } };
    }
    channel = { id: String(chat.id), title, username: chat.username ?? null };
  } catch (error) {
    return { ok: false, bot, problem: failure(error) };
  }
  try {
    const member = await api.getChatMember(Number(channel.id), bot.id);
    if (member.status === "creator") return { ok: true, bot, channel };
    if (member.status !== "administrator") {
      return { ok: false, bot, channel, problem: { kind: "not-admin", status: member.status } };
    }
    if (!member.can_post_messages) {
      return { ok: false, bot, channel, problem: { kind: "cannot-post" } };
    }
    return { ok: true, bot, channel };
  } catch (error) {
    const problem = failure(error);
    // Telegram answers 400/403 when the bot is not in the channel at all.
    return {
      ok: false,
      bot,
      channel,
      problem: problem.kind === "unknown" ? { kind: "not-admin", status: "left" } : problem,
    };
  }
}
