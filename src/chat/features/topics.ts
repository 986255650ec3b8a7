/** Onboarding and topics: /start (with deep links), /topics, ticking topics on and off. */
import type { Catalogue } from "../../message/i18n";
import { type Button, bold, type OutMessage } from "../../message/model";
import { type Category, findCategoryBySlug, listCategories } from "../../news/categories";
import type { Reader } from "../../readers/readers";
import { readerTopicIds, subscribe, toggleTopic } from "../../readers/topics";
import type { Reply } from "../context";
import { edit, type Feature, type FeatureContext, notice, say, send } from "../feature";

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

async function start(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { t, chat } = ctx;
  const wasAway = !ctx.isNew && ctx.reader.status !== "active";
  if (wasAway) ctx.reader = await ctx.reRegister();
  const replies: Reply[] = [
    say(wasAway ? t.welcomeBack(chat.user.name) : t.welcome(chat.user.name)),
  ];
  const slug = DEEP_LINK.exec(args)?.[1];
  const category = slug ? await findCategoryBySlug(ctx.deps.db, slug) : undefined;
  if (category) {
    await subscribe(ctx.deps.db, ctx.reader.id, category.id);
    replies.push(say(t.topicSubscribed(categoryName(category, ctx.reader))));
    return replies;
  }
  if (chat.chatType !== "private" && !(await ctx.mayChangeSettings())) {
    replies.push(say(t.pickTopicsGroup));
    return replies;
  }
  replies.push(say(t.pickTopics), send(await topicsScreen(ctx)));
  return replies;
}

async function followedNames(ctx: FeatureContext, t: Catalogue): Promise<string> {
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
      async run(ctx) {
        if (!(await ctx.mayChangeSettings())) return [say(ctx.t.groupAdminsOnly)];
        return [send(await topicsScreen(ctx))];
      },
    },
  ],
  actions: {
    async topic(ctx, action) {
      const { t } = ctx;
      if (!(await ctx.mayChangeSettings())) return [notice(t.groupAdminsOnly)];
      const category = (await listCategories(ctx.deps.db)).find((c) => c.id === action.categoryId);
      if (!category) return [notice(t.expired)];
      const nowFollowing = await toggleTopic(ctx.deps.db, ctx.reader.id, category.id);
      const name = categoryName(category, ctx.reader);
      return [
        notice(nowFollowing ? t.topicSubscribed(name) : t.topicUnsubscribed(name)),
        edit(await topicsScreen(ctx)),
      ];
    },
    async topicsDone(ctx) {
      return [edit({ lines: [[await followedNames(ctx, ctx.t)]] })];
    },
  },
};
