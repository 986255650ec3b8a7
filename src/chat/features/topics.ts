/** Onboarding and topics: /start (with deep links), /topics, ticking topics on and off. */
import { type Button, bold, type OutMessage } from "../../message/model";
import { type Category, findCategoryBySlug, listCategories } from "../../news/categories";
import type { Reader } from "../../readers/readers";
import { readerTopicIds, subscribe, toggleTopic } from "../../readers/topics";
import type { Reply } from "../context";
import { always, edit, type Feature, type FeatureContext, notice, say, send } from "../feature";

export function categoryName(category: Category | undefined, reader: Reader): string {
  return category ? category.name[reader.locale] : "";
}

async function topicsScreen(ctx: FeatureContext): Promise<OutMessage> {
  const { db } = ctx.deps;
  const { reader, t } = ctx;
  const [categories, mine] = await Promise.all([listCategories(db), readerTopicIds(db, reader.id)]);
  if (categories.length === 0) return { lines: [[t.noTopicsYet]] };
  const ticked = new Set(mine);
  const topicButtons: Button[] = categories.map((c) => ({
    label: `${ticked.has(c.id) ? "✅ " : ""}${categoryName(c, reader)}`,
    action: { kind: "topic", categoryId: c.id },
  }));
  const buttons: Button[][] = [];
  for (let i = 0; i < topicButtons.length; i += 2) buttons.push(topicButtons.slice(i, i + 2));
  buttons.push([{ label: t.topicsDone, action: { kind: "topicsDone" } }]);
  return { lines: [[bold(t.topicsTitle)], [t.topicsHint]], buttons };
}

const DEEP_LINK = /^topic_([a-z0-9-]{1,40})$/;

/**
 * /start greets anyone; what it changes (a stopped chat back on, a deep link's topic, the topic
 * picker) only for who may change the chat. A group's members get the greeting and a hint.
 */
async function start(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t, chat } = ctx;
  const slug = DEEP_LINK.exec(args)?.[1];
  const wasAway = !ctx.isNew && ctx.reader.status !== "active";
  if (chat.chatType !== "private" && !(await ctx.mayChangeGroup())) {
    // A member asking for a change (a topic, the news back on) is told who can make it.
    const hint = slug || wasAway ? t.groupAdminsOnly : t.pickTopicsGroup;
    return [say(t.welcome(chat.user.name)), say(hint)];
  }
  if (wasAway) ctx.reader = await ctx.reRegister();
  const replies: Reply[] = [
    say(wasAway ? t.welcomeBack(chat.user.name) : t.welcome(chat.user.name)),
  ];
  const category = slug ? await findCategoryBySlug(ctx.deps.db, slug) : undefined;
  if (category) {
    await subscribe(ctx.deps.db, ctx.reader.id, category.id);
    replies.push(say(t.topicSubscribed(categoryName(category, ctx.reader))));
    return replies;
  }
  replies.push(say(t.pickTopics), send(await topicsScreen(ctx)));
  return replies;
}

async function toggle(ctx: FeatureContext, action: { categoryId: number }): Promise<Reply[]> {
  const { t } = ctx;
  const category = (await listCategories(ctx.deps.db)).find((c) => c.id === action.categoryId);
  if (!category) return [notice(t.expired)];
  const nowFollowing = await toggleTopic(ctx.deps.db, ctx.reader.id, category.id);
  const name = categoryName(category, ctx.reader);
  return [
    notice(nowFollowing ? t.topicSubscribed(name) : t.topicUnsubscribed(name)),
    edit(await topicsScreen(ctx)),
  ];
}

async function followedNames(ctx: FeatureContext): Promise<string> {
  const { t } = ctx;
  const ids = new Set(await readerTopicIds(ctx.deps.db, ctx.reader.id));
  const names = (await listCategories(ctx.deps.db))
    .filter((c) => ids.has(c.id))
    .map((c) => categoryName(c, ctx.reader));
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
  },
};
