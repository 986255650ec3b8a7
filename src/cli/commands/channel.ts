import type { Command } from "commander";
import type { ChannelProblem } from "../../adapters/telegram/channel-check";
import { systemClock } from "../../clock";
import {
  ChannelError,
  type ChannelMode,
  type ChannelSummary,
  formatChannelRef,
  listChannels,
  parseChannelMode,
  parseChannelRef,
  parseDigestTime,
  removeChannel,
  resolveTopics,
  saveChannel,
} from "../../services/channels";
import { formatEditorTime } from "../../text/time";
import { type Cli, UsageError } from "../context";

const ACTOR = "cli";

/** What went wrong with the channel, in one line an operator can act on. */
function problemLine(problem: ChannelProblem, channel: string, bot: string): string {
  switch (problem.kind) {
    case "token":
      return `Telegram refused TELEGRAM_BOT_TOKEN${problem.detail ? ` (${problem.detail})` : ""}`;
    case "unknown":
      return `Telegram does not know the channel ${channel}: check the name, or add the bot to the channel and give its -100… id`;
    case "not-channel":
      return `${channel} is a ${problem.type} chat, not a channel: bantin posts only to channels`;
    case "not-admin":
      return `${bot} is not an administrator of ${channel}: add the bot as an administrator with the right to post messages`;
    case "cannot-post":
      return `${bot} is an administrator of ${channel} without the right to post messages: give it "Post messages" in the channel's administrator settings`;
    case "unreachable":
      return `could not ask Telegram about ${channel}: ${problem.detail}`;
  }
}

function channelLabel(c: { title: string; username: string | null; chatId: string }): string {
  return c.username ? `@${c.username}` : c.chatId;
}

function plan(mode: ChannelMode, topics: string[], digestTime: string, zone: string): string {
  return mode === "instant"
    ? `one post per new story (photo, headline, lead, link) in ${topics.join(", ")}`
    : `one digest a day at ${digestTime} (${zone}) of ${topics.join(", ")}`;
}

function summaryJson(c: ChannelSummary) {
  return {
    chatId: c.chatId,
    username: c.username,
    title: c.title,
    topics: c.topics,
    mode: c.mode,
    digestTime: c.digestTime,
    timeZone: c.timeZone,
    locale: c.locale,
    status: c.status,
    posts: c.posts,
    lastPostAt: c.lastPostAt,
  };
}

function asUsageError(error: unknown): never {
  if (error instanceof ChannelError) throw new UsageError(error.message);
  throw error;
}

/** Runs a parse, its ChannelError becoming the CLI's one-line usage error. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return asUsageError(error);
  }
}

export function registerChannel(program: Command, cli: Cli): void {
  const channel = program
    .command("channel")
    .description("post topics to Telegram channels where the bot is an administrator");

  channel
    .command("add")
    .description("post these topics to a Telegram channel (again: change its topics or mode)")
    .argument("<channel>", "@username or -100… id of the channel")
    .requiredOption("--topics <slugs>", "comma list of topic slugs, e.g. thoi-su,kinh-te")
    .requiredOption("--mode <mode>", "instant (one post per story) or digest (one a day)")
    .option(
      "--time <HH:MM>",
      "digest mode: local time of the daily digest (default DEFAULT_DIGEST_TIME)",
    )
    .option("--lang <vi|en>", "language of the posts (default DEFAULT_LOCALE)")
    .option("--json", "print the channel as JSON")
    .action(
      async (
        ref: string,
        options: { topics: string; mode: string; time?: string; lang?: string; json?: boolean },
      ) => {
        const parsed = usage(() => parseChannelRef(ref));
        const mode = usage(() => parseChannelMode(options.mode));
        const time = options.time;
        const digestTime = time === undefined ? undefined : usage(() => parseDigestTime(time));
        if (options.lang !== undefined && options.lang !== "vi" && options.lang !== "en") {
          throw new UsageError(`--lang must be vi or en, got "${options.lang}"`);
        }
        if (digestTime !== undefined && mode === "instant") {
          throw new UsageError("--time is for --mode digest: instant posts go as stories come");
        }
        const locale = options.lang as "vi" | "en" | undefined;
        await cli.withContext(async ({ config, database }) => {
          const db = database.db;
          const topics = await resolveTopics(db, options.topics.split(",")).catch(asUsageError);
          const token = config.telegram.token;
          if (!token) {
            throw new UsageError(
              "TELEGRAM_BOT_TOKEN is not set: bantin needs the bot's token to check the channel",
            );
          }
          const shown = formatChannelRef(parsed);
          // grammy loads only for the one command that asks Telegram.
          const { checkTelegramChannel } = await import("../../adapters/telegram/channel-check");
          const check = await checkTelegramChannel(
            { token, apiRoot: config.telegram.apiRoot },
            shown,
          );
          if (!check.ok) {
            const bot = check.bot ? `bantin (@${check.bot.username})` : "bantin";
            throw new UsageError(problemLine(check.problem, shown, bot));
          }
          const now = systemClock().toISOString();
          const { reader, isNew } = await saveChannel(
            db,
            {
              channel: check.channel,
              topics,
              mode,
              ...(digestTime ? { digestTime } : {}),
              ...(locale ? { locale } : {}),
            },
            config.defaults,
            ACTOR,
            now,
          );
          const slugs = topics.map((t) => t.slug);
          if (options.json) {
            return cli.json({
              chatId: check.channel.id,
              username: check.channel.username,
              title: check.channel.title,
              topics: slugs,
              mode,
              digestTime: mode === "digest" ? reader.digestTime : null,
              timeZone: reader.timeZone,
              locale: reader.locale,
              status: reader.status,
              added: isNew,
            });
          }
          const label = check.channel.username ? `@${check.channel.username}` : check.channel.id;
          cli.line(
            `${isNew ? "Added" : "Updated"} channel ${label} "${check.channel.title}" (${check.channel.id}).`,
          );
          cli.line(
            `bantin will post ${plan(mode, slugs, reader.digestTime, reader.timeZone)}, in ${reader.locale === "en" ? "English" : "Vietnamese"}.`,
          );
        });
      },
    );

  channel
    .command("list")
    .description("channels with their topics, mode, posts delivered and status")
    .option("--json", "print one JSON document")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ database, config }) => {
        const channels = await listChannels(database.db);
        if (options.json) return cli.json(channels.map(summaryJson));
        if (channels.length === 0) {
          cli.line(
            "No channels yet. Add one: bantin channel add @kenh --topics thoi-su --mode instant",
          );
          return;
        }
        cli.table(
          ["channel", "title", "topics", "mode", "digest", "posts", "last post", "status"],
          channels.map((c) => [
            channelLabel(c),
            c.title,
            c.topics.join(",") || "-",
            c.mode,
            c.digestTime ?? "-",
            c.posts,
            c.lastPostAt ? formatEditorTime(c.lastPostAt, config.defaults.timeZone) : "-",
            c.status === "blocked" ? "blocked (lost its rights?)" : c.status,
          ]),
        );
      });
    });

  channel
    .command("remove")
    .description("stop posting to a channel (channel add brings it back)")
    .argument("<channel>", "@username or -100… id of the channel")
    .option("--json", "print the channel as JSON")
    .action(async (ref: string, options: { json?: boolean }) => {
      await cli.withContext(async ({ database }) => {
        const parsed = usage(() => parseChannelRef(ref));
        const removed = await removeChannel(
          database.db,
          parsed,
          ACTOR,
          systemClock().toISOString(),
        ).catch(asUsageError);
        if (options.json) return cli.json(summaryJson(removed));
        cli.line(
          `Stopped posting to ${channelLabel(removed)} "${removed.title}"; it had ${removed.posts} post(s). bantin channel add brings it back.`,
        );
      });
    });
}
