/**
 * Onboarding and topics: /start (with deep links), /topics, ticking topics on and off, and how
 * each followed topic's news comes (daily digest, as it happens, or both).
 */
import { DEFAULT_NEWSROOM_NAME } from "../../config";
import { type Button, bold, type OutMessage } from "../../message/model";
import { findTopicBySlug, listTopics, TOPIC_SLUG_MAX, type Topic } from "../../news/topics";
import { TOPIC_MODES, type TopicMode } from "../../readers/reader-topics";
import type { Reader } from "../../readers/readers";
import type { Reply } from "../context";
import { always, edit, type Feature, type FeatureContext, notice, say, send } from "../feature";

export function topicName(topic: Topic | undefined, reader: Reader): string {
  return topic ? topic.name[reader.locale] : "";
}

async function topicsScreen(ctx: FeatureContext): Promise<OutMessage> {
  const { db } = ctx.deps;
  const { reader, t } = ctx;
  const [topics, mine] = await Promise.all([listTopics(db), ctx.readers.topicModes(reader)]);
  if (topics.length === 0) return { lines: [[t.noTopicsYet]] };
  const modes = new Map(mine.map((m) => [m.topicId, m.mode]));
  const topicButtons: Button[] = topics.map((c) => {
    const mode = modes.get(c.id);
    const icon = mode === "instant" ? " ⚡" : mode === "both" ? " 📰⚡" : "";
    return {
      label: `${mode ? "✅ " : ""}${topicName(c, reader)}${icon}`,
      action: { kind: "topic", topicId: c.id },
    };
  });
  const buttons: Button[][] = [];
  for (let i = 0; i < topicButtons.length; i += 2) buttons.push(topicButtons.slice(i, i + 2));
  buttons.push([{ label: t.modesButton, action: { kind: "topicModes" } }]);
  buttons.push([{ label: t.topicsDone, action: { kind: "topicsDone" } }]);
  return { lines: [[bold(t.topicsTitle)], [t.topicsHint]], buttons };
}

/** `start=topic_<slug>`: any slug a topic may have (TOPIC_SLUG_MAX fits Telegram's 64). */
const DEEP_LINK = new RegExp(`^topic_([a-z0-9-]{1,${TOPIC_SLUG_MAX}})$`);

/**
 * /start greets anyone, in one message naming the newsroom; what it changes (a stopped chat back
 * on, a deep link's topic, the topic picker) only for who may change the chat. A group's members
 * get the greeting and a hint. The picker comes in the greeting itself, its topics as buttons
 * (numbered choices where there are none).
 */
async function start(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t, chat } = ctx;
  const newsroom = ctx.deps.newsroom ?? DEFAULT_NEWSROOM_NAME;
  const slug = DEEP_LINK.exec(args)?.[1];
  const wasAway = !ctx.isNew && ctx.reader.status !== "active";
  if (chat.chatType !== "private" && !(await ctx.mayChangeGroup())) {
    // A member asking for a change (a topic, the news back on) is told who can make it.
    const hint = slug || wasAway ? t.groupAdminsOnly : t.pickTopicsGroup;
    return [say(t.welcome(chat.user.name, newsroom), hint)];
  }
  if (wasAway) ctx.reader = await ctx.reRegister();
  const greeting = wasAway
    ? t.welcomeBack(chat.user.name, newsroom)
    : t.welcome(chat.user.name, newsroom);
  const topic = slug ? await findTopicBySlug(ctx.deps.db, slug) : undefined;
  if (topic) {
    await ctx.readers.followTopic(ctx.reader, topic.id);
    return [say(greeting, t.topicSubscribed(topicName(topic, ctx.reader)))];
  }
  const picker = await topicsScreen(ctx);
  const ask = picker.buttons ? [[t.pickTopics]] : [];
  return [send({ ...picker, lines: [[greeting], ...ask, [], ...picker.lines] })];
}

async function toggle(ctx: FeatureContext, action: { topicId: number }): Promise<Reply[]> {
  const { t } = ctx;
  const topic = (await listTopics(ctx.deps.db)).find((c) => c.id === action.topicId);
  if (!topic) return [notice(t.expired)];
  const nowFollowing = await ctx.readers.toggleTopic(ctx.reader, topic.id);
  const name = topicName(topic, ctx.reader);
  return [
    notice(nowFollowing ? t.topicSubscribed(name) : t.topicUnsubscribed(name)),
    edit(await topicsScreen(ctx)),
  ];
}

function modeLabel(t: FeatureContext["t"], mode: TopicMode): string {
  return mode === "instant" ? t.modeInstant : mode === "both" ? t.modeBoth : t.modeDigest;
}

/** The followed topics, each with how its news comes; a topic's button opens its choices. */
async function modesScreen(ctx: FeatureContext): Promise<OutMessage> {
  const { reader, t } = ctx;
  const [topics, mine] = await Promise.all([
    listTopics(ctx.deps.db),
    ctx.readers.topicModes(reader),
  ]);
  const byId = new Map(topics.map((c) => [c.id, c]));
  const followed = mine.filter((m) => byId.has(m.topicId));
  if (followed.length === 0) return { lines: [[t.modesNone]] };
  const buttons: Button[][] = followed.map((m) => [
    {
      label: `${topicName(byId.get(m.topicId), reader)}: ${modeLabel(t, m.mode)}`,
      action: { kind: "topicMode", topicId: m.topicId },
    },
  ]);
  buttons.push([{ label: t.topicsDone, action: { kind: "topicsDone" } }]);
  return { lines: [[bold(t.modesTitle)], [t.modesHint]], buttons };
}

/** One topic's three ways, ✅ on the current one. */
async function modeScreen(ctx: FeatureContext, topic: Topic): Promise<OutMessage> {
  const { t } = ctx;
  const current =
    (await ctx.readers.topicModes(ctx.reader)).find((m) => m.topicId === topic.id)?.mode ?? null;
  const buttons: Button[][] = TOPIC_MODES.map((mode) => [
    {
      label: `${mode === current ? "✅ " : ""}${modeLabel(t, mode)}`,
      action: { kind: "topicMode", topicId: topic.id, mode },
    },
  ]);
  buttons.push([{ label: t.back, action: { kind: "topicModes" } }]);
  return { lines: [[bold(t.modeAsk(topicName(topic, ctx.reader)))]], buttons };
}

async function chooseMode(
  ctx: FeatureContext,
  action: { topicId: number; mode?: TopicMode },
): Promise<Reply[]> {
  const topic = (await listTopics(ctx.deps.db)).find((c) => c.id === action.topicId);
  if (!topic) return [notice(ctx.t.expired)];
  if (!action.mode) return [edit(await modeScreen(ctx, topic))];
  await ctx.readers.setTopicMode(ctx.reader, topic.id, action.mode);
  return [
    notice(ctx.t.modeSet(topicName(topic, ctx.reader), modeLabel(ctx.t, action.mode))),
    edit(await modesScreen(ctx)),
  ];
}

async function followedNames(ctx: FeatureContext): Promise<string> {
  const { t } = ctx;
  const ids = new Set(await ctx.readers.topicIds(ctx.reader));
  const names = (await listTopics(ctx.deps.db))
    .filter((c) => ids.has(c.id))
    .map((c) => topicName(c, ctx.reader));
  return names.length ? t.topicsSaved(names) : t.topicsNone;
}

export const topicsFeature: Feature = {
  commands: [
    {
      name: "start",
      slash: ["start", "batdau"],
      keywords: [
        { words: "start", accepts: (a) => a === "" },
        { words: "bat dau", accepts: (a) => a === "" },
      ],
      run: start,
    },
    {
      name: "topics",
      slash: ["topics", "chude"],
      keywords: [
        { words: "chu de", accepts: (a) => a === "" },
        { words: "topics", accepts: (a) => a === "" },
      ],
      menu: { vi: "chude", en: "topics" },
      changesGroup: always, // the picker's buttons change the chat's topics
      run: async (ctx) => [send(await topicsScreen(ctx))],
    },
  ],
  actions: {
    topic: {
      changesGroup: always,
      run: toggle,
    },
    topicsDone: {
      run: async (ctx) => [edit({ lines: [[await followedNames(ctx)]] })],
    },
    topicModes: {
      run: async (ctx) => [edit(await modesScreen(ctx))],
    },
    topicMode: {
      changesGroup: (action) => action.mode !== undefined,
      run: chooseMode,
    },
  },
};
