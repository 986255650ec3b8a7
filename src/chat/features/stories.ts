/** Stories: /latest, /search, /read, /digest (my digest now), paging, and inline search. */
import type { Action } from "../../message/actions";
import { catalogue, type Locale } from "../../message/i18n";
import {
  type AlbumPhoto,
  type Button,
  bold,
  italic,
  type Line,
  link,
  type OutMessage,
} from "../../message/model";
import { type Article, findArticle, latestArticles, type StoryMedia } from "../../news/articles";
import { searchArticles } from "../../news/search";
import { listTopics } from "../../news/topics";
import { foldForSearch } from "../../text/fold";
import { formatReaderTime } from "../../text/time";
import { truncate } from "../../text/truncate";
import { edit, type Feature, type FeatureContext, say, send } from "../feature";
import { countBroadcastReading, countReading, readTarget } from "./reading";
import { topicName } from "./topics";

const MAX_QUERY_ECHO = 60;
/** Photos shown with a story: two albums at most. */
const MAX_PHOTOS = 20;
/** "đọc 2", "read 2" (a list number) and "đọc #1234" are the read command without a slash. */
const READ_ARG = /^#?\d{1,10}$/;

export interface InlineResult {
  id: string;
  title: string;
  description: string;
  url: string;
  message: OutMessage;
}

/** "09:15 27/01" in the reader's zone ("17:30 08/12/2023" from another year). */
function when(ctx: FeatureContext, iso: string): string {
  return formatReaderTime(iso, ctx.reader.timeZone, new Date(ctx.now()));
}

/** One page of a numbered story list, with a read button per story and paging buttons. */
async function storyList(
  ctx: FeatureContext,
  title: string,
  stories: Article[],
  page: { index: number; hasNext: boolean; action: (page: number) => Action },
): Promise<OutMessage> {
  const { reader, t, pageSize } = ctx;
  const topics = new Map((await listTopics(ctx.deps.db)).map((c) => [c.id, c]));
  const lines: Line[] = [[bold(title)]];
  const buttons: Button[][] = [];
  stories.forEach((story, i) => {
    const number = page.index * pageSize + i + 1;
    const topic = topicName(topics.get(story.topicId), reader);
    lines.push([], [`${number}. `, bold(story.title)]);
    // The story's own id, "/doc_1234": a tap on Telegram, typed as it is on Zalo.
    lines.push([
      italic(`${when(ctx, story.publishedAt)} · ${topic}`),
      ` · /${t.readOwnCommand}_${story.id}`,
    ]);
    buttons.push([
      {
        label: `📖 ${t.readButton} ${number}: ${truncate(story.title, 32)}`,
        action: { kind: "read", articleId: story.id },
        item: number,
      },
    ]);
  });
  const nav: Button[] = [];
  if (page.index > 0) nav.push({ label: t.previous, action: page.action(page.index - 1) });
  if (page.hasNext) nav.push({ label: t.next, action: page.action(page.index + 1) });
  if (nav.length > 0) buttons.push(nav);
  return { lines, buttons };
}

/** Asks for one story more than a page holds, to know whether there is a next page. */
async function pageOf(
  ctx: FeatureContext,
  fetch: (limit: number, offset: number) => Promise<Article[]>,
  pageIndex: number,
): Promise<{ stories: Article[]; hasNext: boolean }> {
  const found = await fetch(ctx.pageSize + 1, pageIndex * ctx.pageSize);
  return { stories: found.slice(0, ctx.pageSize), hasNext: found.length > ctx.pageSize };
}

async function latestScreen(
  ctx: FeatureContext,
  topicId: number | null,
  pageIndex: number,
): Promise<OutMessage> {
  const { db } = ctx.deps;
  const topic = topicId ? (await listTopics(db)).find((c) => c.id === topicId) : undefined;
  const name = topic ? topicName(topic, ctx.reader) : null;
  const { stories, hasNext } = await pageOf(
    ctx,
    (limit, offset) =>
      latestArticles(db, { ...(topicId ? { topicIds: [topicId] } : {}), limit, offset }),
    pageIndex,
  );
  if (stories.length === 0) return { lines: [[ctx.t.latestEmpty(name)]] };
  return storyList(ctx, ctx.t.latestTitle(name), stories, {
    index: pageIndex,
    hasNext,
    action: (page) => ({ kind: "latest", topicId, page }),
  });
}

async function searchScreen(
  ctx: FeatureContext,
  query: string,
  pageIndex: number,
): Promise<OutMessage> {
  const { db } = ctx.deps;
  const { t } = ctx;
  const shown = truncate(query, MAX_QUERY_ECHO);
  const { stories, hasNext } = await pageOf(
    ctx,
    (limit, offset) => searchArticles(db, query, { limit, offset }),
    pageIndex,
  );
  if (stories.length === 0) {
    const examples = (await latestArticles(db, { limit: 2 })).map((a) =>
      foldForSearch(a.title).split(" ").slice(0, 2).join(" "),
    );
    return { lines: [[t.searchNone(shown)], [t.searchSuggest(examples)]] };
  }
  // The folded query is what the search used; it is short, ASCII-ish and fits a button.
  const folded = foldForSearch(query);
  return storyList(ctx, t.searchTitle(shown), stories, {
    index: pageIndex,
    hasNext,
    action: (page) => ({ kind: "search", page, query: folded }),
  });
}

async function digestScreen(ctx: FeatureContext, pageIndex: number): Promise<OutMessage> {
  const { db } = ctx.deps;
  const { t } = ctx;
  const topics = await ctx.readers.topicIds(ctx.reader);
  if (topics.length === 0) return { lines: [[t.digestNoTopics]] };
  const { stories, hasNext } = await pageOf(
    ctx,
    (limit, offset) => latestArticles(db, { topicIds: topics, limit, offset }),
    pageIndex,
  );
  if (stories.length === 0) return { lines: [[t.digestEmpty]] };
  return storyList(ctx, t.digestTitle, stories, {
    index: pageIndex,
    hasNext,
    action: (page) => ({ kind: "digest", page }),
  });
}

/**
 * The whole story as one message: its photos first as an album, each with its caption, then
 * headline, time, lead, body and link.
 */
async function storyMessages(ctx: FeatureContext, articleId: number): Promise<OutMessage[]> {
  const { reader, t } = ctx;
  const story = await findArticle(ctx.deps.db, articleId);
  // A story an editor hid is not found, as if it had been taken down.
  if (!story || story.hiddenAt) return [{ lines: [[t.storyNotFound(String(articleId))]] }];
  const topic = (await listTopics(ctx.deps.db)).find((c) => c.id === story.topicId);
  const meta = [when(ctx, story.publishedAt), topicName(topic, reader), story.author]
    .filter(Boolean)
    .join(" · ");
  const lines: Line[] = [[bold(story.title)], [italic(meta)]];
  if (story.lead) lines.push([], [bold(story.lead)]);
  for (const paragraph of story.body) lines.push([], [paragraph]);
  const media = story.media.filter((m) => /^https?:\/\//.test(m.url));
  for (const m of media) lines.push([], [link(m.kind === "audio" ? t.listen : t.watch, m.url)]);
  lines.push([], [link(t.original, story.url)]);
  const album: AlbumPhoto[] = story.photos
    .filter((photo) => /^https?:\/\//.test(photo.url))
    .slice(0, MAX_PHOTOS)
    .map((photo) => ({ url: photo.url, caption: photo.caption ? [[photo.caption]] : [] }));
  const playable = media.filter(playableByUrl).map(({ url, kind }) => ({ url, kind }));
  return [
    {
      lines,
      ...(album.length > 0 ? { album } : {}),
      ...(playable.length > 0 ? { media: playable } : {}),
    },
  ];
}

/** Telegram fetches audio and video by address up to 20 MB, as MP3/M4A and MP4. */
const PLAY_BY_URL_MAX_BYTES = 20 * 1024 * 1024;

/** A file a platform can fetch and play: its size known and within the limit, a format it plays. */
function playableByUrl(media: StoryMedia): boolean {
  if (media.bytes === null || media.bytes > PLAY_BY_URL_MAX_BYTES) return false;
  return media.kind === "audio"
    ? /^audio\/(mpeg|mp3|mp4|x-m4a|m4a|aac)$/.test(media.type) ||
        /\.(mp3|m4a)(\?|$)/i.test(media.url)
    : /^video\/mp4$/.test(media.type) || /\.mp4(\?|$)/i.test(media.url);
}

/** A story opened by a reader (command, button, deep link): shown, and its reading counted. */
async function openStory(ctx: FeatureContext, articleId: number) {
  const messages = await storyMessages(ctx, articleId);
  await countReading(ctx, articleId);
  return messages.map(send);
}

/** A topic named by slug or by its name in either language, accents optional. */
async function findTopic(ctx: FeatureContext, text: string) {
  const slug = text.trim().toLowerCase();
  const topics = await listTopics(ctx.deps.db);
  const topic =
    topics.find((c) => c.slug === slug) ??
    topics.find((c) => foldForSearch(c.name[ctx.reader.locale]) === foldForSearch(slug)) ??
    topics.find((c) => foldForSearch(c.name.vi) === foldForSearch(slug));
  return { topic, known: topics.map((c) => c.slug) };
}

/** Stories for an inline query (Telegram's @bot words): matches, or the newest. */
export async function inlineSearch(
  ctx: Pick<FeatureContext, "deps">,
  query: string,
  offset: number,
  locale: Locale,
): Promise<InlineResult[]> {
  const { db } = ctx.deps;
  const t = catalogue(locale);
  const stories = query.trim()
    ? await searchArticles(db, query, { limit: 10, offset })
    : await latestArticles(db, { limit: 10, offset });
  return stories.map((story) => ({
    id: String(story.id),
    title: story.title,
    description: truncate(story.lead, 120),
    url: story.url,
    message: {
      lines: [
        [bold(story.title)],
        ...(story.lead ? [[story.lead]] : []),
        [link(t.original, story.url)],
      ],
    },
  }));
}

const notSpaced = (args: string) => !/\s/.test(args);

export const storiesFeature: Feature = {
  commands: [
    {
      name: "latest",
      slash: ["latest", "moi", "tinmoi"],
      keywords: [
        { words: "tin moi", accepts: notSpaced },
        { words: "moi", accepts: notSpaced },
        { words: "latest", accepts: notSpaced },
      ],
      menu: { vi: "moi", en: "latest" },
      async run(ctx, args) {
        if (!args.trim()) return [send(await latestScreen(ctx, null, 0))];
        const { topic, known } = await findTopic(ctx, args);
        if (!topic) return [say(ctx.t.unknownTopic(truncate(args, 40), known))];
        return [send(await latestScreen(ctx, topic.id, 0))];
      },
    },
    {
      name: "search",
      slash: ["search", "tim", "timkiem"],
      keywords: [
        { words: "tim kiem", accepts: () => true },
        { words: "tim", accepts: () => true },
        { words: "search", accepts: () => true },
      ],
      menu: { vi: "tim", en: "search" },
      async run(ctx, args) {
        if (!args.trim()) return [say(ctx.t.searchAsk)];
        return [send(await searchScreen(ctx, args, 0))];
      },
    },
    {
      name: "read",
      slash: ["read", "doc"],
      keywords: [
        { words: "doc", accepts: (a) => READ_ARG.test(a) },
        { words: "read", accepts: (a) => READ_ARG.test(a) },
      ],
      menu: { vi: "doc", en: "read" },
      async run(ctx, args) {
        const target = await readTarget(ctx, args);
        if ("answer" in target) return [say(target.answer)];
        return openStory(ctx, target.articleId);
      },
    },
    {
      name: "digest",
      slash: ["digest", "bantin"],
      keywords: [
        { words: "ban tin", accepts: (a) => a === "" },
        { words: "digest", accepts: (a) => a === "" },
      ],
      menu: { vi: "bantin", en: "digest" },
      run: async (ctx) => [send(await digestScreen(ctx, 0))],
    },
  ],
  actions: {
    read: {
      async run(ctx, action) {
        if (action.broadcastId) await countBroadcastReading(ctx, action.broadcastId);
        return openStory(ctx, action.articleId);
      },
    },
    latest: {
      run: async (ctx, action) => [edit(await latestScreen(ctx, action.topicId, action.page))],
    },
    search: {
      run: async (ctx, action) => [edit(await searchScreen(ctx, action.query, action.page))],
    },
    digest: { run: async (ctx, action) => [edit(await digestScreen(ctx, action.page))] },
  },
};
