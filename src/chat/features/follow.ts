/**
 * Keyword alerts: /theodoi <words> (/follow; "theo dõi <từ>") follows words or a phrase, news
 * with all of them comes as it happens; /theodoi alone lists them numbered; /botheodoi <n|words>
 * (/unfollow; "bỏ theo dõi <n>") stops one. What the reader types is only ever plain words.
 */
import { bold, type Line } from "../../message/model";
import { MAX_FOLLOW_LENGTH, MAX_FOLLOWS } from "../../readers/keywords";
import { truncate } from "../../text/truncate";
import type { Reply } from "../context";
import { always, type Feature, type FeatureContext, say, send } from "../feature";

/** How much of the reader's own text a refusal repeats. */
const ECHO = 40;

async function listScreen(ctx: FeatureContext): Promise<Reply> {
  const { t } = ctx;
  const mine = await ctx.readers.follows(ctx.reader);
  if (mine.length === 0) return say(t.followNone, t.followUsage);
  const lines: Line[] = [[bold(t.followTitle)]];
  mine.forEach((f, i) => {
    lines.push([`${i + 1}. ${f.words}`]);
  });
  lines.push([], [t.followUsage]);
  return send({ lines });
}

async function followCommand(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t } = ctx;
  if (!args.trim()) return [await listScreen(ctx)];
  const outcome = await ctx.readers.follow(ctx.reader, args);
  switch (outcome.kind) {
    case "added": {
      const count = (await ctx.readers.follows(ctx.reader)).length;
      return [say(t.followAdded(outcome.follow.words, count, MAX_FOLLOWS))];
    }
    case "exists":
      return [say(t.followExists(outcome.follow.words))];
    case "limit":
      return [say(t.followLimit(MAX_FOLLOWS))];
    case "tooLong":
      return [say(t.followTooLong(MAX_FOLLOW_LENGTH))];
    case "empty":
      return [say(t.followEmpty(truncate(args.trim(), ECHO)))];
  }
}

async function unfollowCommand(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t } = ctx;
  if (!args.trim()) return [say(t.unfollowUsage), await listScreen(ctx)];
  const removed = await ctx.readers.unfollow(ctx.reader, args);
  if (!removed) return [say(t.unfollowNotFound(truncate(args.trim(), ECHO)))];
  return [say(t.unfollowDone(removed.words))];
}

export const followFeature: Feature = {
  commands: [
    {
      name: "follow",
      slash: ["follow", "theodoi"],
      keywords: [{ words: "theo doi", accepts: () => true }],
      menu: { vi: "theodoi", en: "follow" },
      changesGroup: (args) => args.trim() !== "", // the list alone changes nothing
      run: followCommand,
    },
    {
      name: "unfollow",
      slash: ["unfollow", "botheodoi"],
      keywords: [{ words: "bo theo doi", accepts: () => true }],
      menu: { vi: "botheodoi", en: "unfollow" },
      changesGroup: always,
      run: unfollowCommand,
    },
  ],
  actions: {},
};
