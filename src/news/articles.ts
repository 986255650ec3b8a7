// Longer than 400 lines because every write of a story (stored, listed, hidden, retracted,
// pinned) lives here (the owner rule of test/unit/architecture.test.ts).
import { sql } from "kysely";
import { NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { ArticleRow } from "../db/tables/articles";
import { inTransaction } from "../db/transaction";
import { searchTokens } from "../text/tokens";

export interface Photo {
  url: string;
  caption: string;
}

/** Audio or video a story carries (from its feed): a programme a reader can play. */
export interface StoryMedia {
  url: string;
  kind: "audio" | "video";
  /** MIME type, "" when unknown. */
  type: string;
  /** Size in bytes, when known. */
  bytes: number | null;
}

export interface Article {
  id: number;
  url: string;
  guid: string | null;
  contentHash: string;
  feedHash: string | null;
  title: string;
  lead: string;
  /** Paragraphs in order. */
  body: string[];
  photos: Photo[];
  media: StoryMedia[];
  author: string | null;
  fullText: boolean;
  publishedAt: string;
  fetchedAt: string;
  updatedAt: string;
  topicId: number;
  feedId: number | null;
  /** When an editor hid the story (not listed, found, put in digests nor pushed), else null. */
  hiddenAt: string | null;
  /** When an editor retracted it (it is hidden too), else null. */
  retractedAt: string | null;
  /** An editor's pick atop every digest until then, else null. */
  pinnedUntil: string | null;
}

/** A story ready to store: text already clean (NFC), URL already canonical. */
export interface ArticleInput {
  url: string;
  guid?: string | null;
  contentHash: string;
  /** Hash of the feed item it came from, when it came from a feed. */
  feedHash?: string | null;
  title: string;
  lead: string;
  body: string[];
  photos: Photo[];
  media?: StoryMedia[];
  author?: string | null;
  fullText: boolean;
  publishedAt: string;
  fetchedAt: string;
  topicId: number;
  feedId?: number | null;
}

export type StoreOutcome = "new" | "updated" | "unchanged";

export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    url: row.url,
    guid: row.guid,
    contentHash: row.content_hash,
    feedHash: row.feed_hash,
    title: row.title,
    lead: row.lead,
    body: row.body ? row.body.split("\n\n") : [],
    photos: JSON.parse(row.photos) as Photo[],
    media: JSON.parse(row.media ?? "[]") as StoryMedia[],
    author: row.author,
    fullText: row.full_text === 1,
    publishedAt: row.published_at,
    fetchedAt: row.fetched_at,
    updatedAt: row.updated_at,
    topicId: row.category_id,
    feedId: row.source_id,
    hiddenAt: row.hidden_at ?? null,
    retractedAt: row.retracted_at ?? null,
    pinnedUntil: row.pinned_until ?? null,
  };
}

/**
 * The same story is one article: matched by canonical URL, then by the source's GUID, then by
 * content hash. A match with new content is updated in place; a match in another topic is
 * listed there too.
 */
export async function storeArticle(
  db: Db,
  input: ArticleInput,
): Promise<{ id: number; outcome: StoreOutcome }> {
  return inTransaction(db, async (trx) => {
    let existing = await findSameStory(trx, input);
    if (!existing) {
      const row = await trx
        .insertInto("articles")
        .values({
          url: input.url,
          guid: input.guid ?? null,
          content_hash: input.contentHash,
          feed_hash: input.feedHash ?? null,
          title: input.title,
          lead: input.lead,
          body: input.body.join("\n\n"),
          photos: JSON.stringify(input.photos),
          media: JSON.stringify(input.media ?? []),
          author: input.author ?? null,
          full_text: input.fullText ? 1 : 0,
          published_at: input.publishedAt,
          fetched_at: input.fetchedAt,
          updated_at: input.fetchedAt,
          category_id: input.topicId,
          source_id: input.feedId ?? null,
        })
        // Another check stored this URL after we looked (PostgreSQL runs checks side by side on
        // several connections): that row, now committed, is the story.
        .onConflict((oc) => oc.column("url").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (row) {
        await linkArticleToTopic(trx, row.id, input.topicId, input.publishedAt);
        await indexArticle(trx, row.id, input);
        return { id: row.id, outcome: "new" as const };
      }
      existing = await findSameStory(trx, input);
      if (!existing) throw new Error(`story ${input.url} was neither stored nor found`);
    }

    await linkArticleToTopic(trx, existing.id, input.topicId, existing.published_at);
    if (input.feedHash && input.feedHash !== existing.feed_hash) {
      await trx
        .updateTable("articles")
        .set({ feed_hash: input.feedHash })
        .where("id", "=", existing.id)
        .execute();
    }
    // A feed-only copy never replaces a full story we already have.
    const downgrade = existing.full_text === 1 && !input.fullText;
    if (existing.content_hash === input.contentHash || downgrade) {
      // A programme's file may come after its story (or before this version kept media).
      const media = JSON.stringify(input.media ?? []);
      if (input.media?.length && media !== existing.media) {
        await trx.updateTable("articles").set({ media }).where("id", "=", existing.id).execute();
      }
      return { id: existing.id, outcome: "unchanged" as const };
    }
    await trx
      .updateTable("articles")
      .set({
        guid: input.guid ?? existing.guid,
        content_hash: input.contentHash,
        title: input.title,
        lead: input.lead,
        body: input.body.join("\n\n"),
        photos: JSON.stringify(input.photos),
        ...(input.media?.length ? { media: JSON.stringify(input.media) } : {}),
        author: input.author ?? existing.author,
        full_text: input.fullText ? 1 : 0,
        updated_at: input.fetchedAt,
      })
      .where("id", "=", existing.id)
      .execute();
    await trx.deleteFrom("article_search").where("rowid", "=", existing.id).execute();
    await indexArticle(trx, existing.id, input);
    return { id: existing.id, outcome: "updated" as const };
  });
}

async function findSameStory(db: Db, input: ArticleInput): Promise<ArticleRow | undefined> {
  const byUrl = await db
    .selectFrom("articles")
    .selectAll()
    .where("url", "=", input.url)
    .executeTakeFirst();
  if (byUrl) return byUrl;
  if (input.guid && input.feedId != null) {
    const byGuid = await db
      .selectFrom("articles")
      .selectAll()
      .where("source_id", "=", input.feedId)
      .where("guid", "=", input.guid)
      .executeTakeFirst();
    if (byGuid) return byGuid;
  }
  return db
    .selectFrom("articles")
    .selectAll()
    .where("content_hash", "=", input.contentHash)
    .executeTakeFirst();
}

/** Lists a story in a topic too (idempotent). */
export async function linkArticleToTopic(
  db: Db,
  articleId: number,
  topicId: number,
  publishedAt: string,
): Promise<void> {
  await db
    .insertInto("article_categories")
    .values({ article_id: articleId, category_id: topicId, published_at: publishedAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function indexArticle(db: Db, id: number, input: ArticleInput): Promise<void> {
  const captions = input.photos.map((p) => p.caption).filter(Boolean);
  await db
    .insertInto("article_search")
    .values({
      rowid: id,
      title: indexText(input.title),
      lead: indexText(input.lead),
      body: indexText([...input.body, ...captions].join(" ")),
    })
    .execute();
}

export async function findArticleByUrl(db: Db, url: string): Promise<Article | undefined> {
  const row = await db.selectFrom("articles").selectAll().where("url", "=", url).executeTakeFirst();
  return row && toArticle(row);
}

export async function findArticle(db: Db, id: number): Promise<Article | undefined> {
  const row = await db.selectFrom("articles").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toArticle(row);
}

export async function getArticle(db: Db, id: number): Promise<Article> {
  const article = await findArticle(db, id);
  if (!article) throw new NotFoundError(`no story with id ${id}`);
  return article;
}

/**
 * Hides a story (`at`) or shows it again (null); answers the story as it is now. A hidden story
 * stays stored but is not listed, found, put in a digest nor pushed.
 */
export async function setArticleHidden(db: Db, id: number, at: string | null): Promise<Article> {
  await db.updateTable("articles").set({ hidden_at: at }).where("id", "=", id).execute();
  return getArticle(db, id);
}

/** Retracts a story: hidden from now on, for good (`bantin story retract`). */
export async function setArticleRetracted(db: Db, id: number, at: string): Promise<Article> {
  await db
    .updateTable("articles")
    .set({ retracted_at: at, hidden_at: at, pinned_until: null })
    .where("id", "=", id)
    .execute();
  return getArticle(db, id);
}

/** Pins a story atop the digests until `until`, or unpins it (null). */
export async function setArticlePinned(db: Db, id: number, until: string | null): Promise<Article> {
  await db.updateTable("articles").set({ pinned_until: until }).where("id", "=", id).execute();
  return getArticle(db, id);
}

/** The stories pinned at `now` and not hidden, newest pin first (read once per digest tick). */
export async function pinnedStories(db: Db, now: string): Promise<StoryHeadline[]> {
  const rows = await db
    .selectFrom("articles")
    .select(["id", "title", "url", "published_at"])
    .where("pinned_until", ">", now)
    .where("hidden_at", "is", null)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    url: r.url,
    publishedAt: r.published_at,
    topicIds: [],
  }));
}

/**
 * The newest stories for editors, hidden and retracted ones too: all, the one with that number,
 * or those whose headline contains `query` (letter case aside, for unaccented letters).
 */
export async function recentStories(
  db: Db,
  options: { query?: string; limit: number },
): Promise<Article[]> {
  let query = db.selectFrom("articles").selectAll();
  const q = options.query?.trim() ?? "";
  if (/^\d{1,9}$/.test(q)) query = query.where("id", "=", Number(q));
  else if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(title) like ${like} escape '\\'`);
  }
  const rows = await query.orderBy("id", "desc").limit(options.limit).execute();
  return rows.map(toArticle);
}

/** Newest first, optionally only in some topics; for browsing and digests. */
export async function latestArticles(
  db: Db,
  options: { topicIds?: number[]; since?: string; limit: number; offset?: number },
): Promise<Article[]> {
  let query = db.selectFrom("articles").selectAll("articles").where("hidden_at", "is", null);
  if (options.topicIds) {
    if (options.topicIds.length === 0) return [];
    const ids = options.topicIds;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("article_categories as ac")
          .select(sql`1`.as("one"))
          .whereRef("ac.article_id", "=", "articles.id")
          .where("ac.category_id", "in", ids),
      ),
    );
  }
  if (options.since) query = query.where("published_at", ">", options.since);
  const rows = await query
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toArticle);
}

/** A story as a digest lists it: headline, link, time and every topic it is listed in. */
export interface StoryHeadline {
  id: number;
  title: string;
  url: string;
  publishedAt: string;
  topicIds: number[];
}

/** Stories first seen (fetched) after a cut-off, newest first, with all their topics. */
export async function storiesFirstSeenAfter(db: Db, cutoff: string): Promise<StoryHeadline[]> {
  const rows = await db
    .selectFrom("articles as a")
    .innerJoin("article_categories as ac", "ac.article_id", "a.id")
    .select(["a.id", "a.title", "a.url", "a.published_at", "ac.category_id"])
    .where("a.fetched_at", ">", cutoff)
    .where("a.hidden_at", "is", null)
    .orderBy("a.published_at", "desc")
    .orderBy("a.id", "desc")
    .execute();
  const stories = new Map<number, StoryHeadline>();
  for (const row of rows) {
    const story = stories.get(row.id);
    if (story) story.topicIds.push(row.category_id);
    else {
      stories.set(row.id, {
        id: row.id,
        title: row.title,
        url: row.url,
        publishedAt: row.published_at,
        topicIds: [row.category_id],
      });
    }
  }
  return [...stories.values()];
}

/** The topics a story is listed in, its own first. */
export async function articleTopicIds(db: Db, articleId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("article_categories")
    .select("category_id")
    .where("article_id", "=", articleId)
    .execute();
  return rows.map((r) => r.category_id);
}

export async function countArticles(db: Db): Promise<number> {
  const row = await db
    .selectFrom("articles")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What the index holds for one column: folded words separated by single spaces. */
export function indexText(text: string): string {
  return searchTokens(text).join(" ");
}

/**
 * Takes every story out of a topic about to be removed; the stories stay stored and searchable.
 * A story listed in other topics too gets the first of them (in display order) as its own; one
 * listed only here gets `home.topicId`, and is listed there when `home.listed` (the topic its
 * feeds moved to). Answers how many stories were in the topic.
 */
export async function takeStoriesOutOfTopic(
  db: Db,
  topicId: number,
  home: { topicId: number; listed: boolean },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    // The first other topic a story is listed in, in display order.
    const other = sql<number>`(select ac.category_id from article_categories ac
      join categories c on c.id = ac.category_id
      where ac.article_id = articles.id and ac.category_id <> ${topicId}
      order by c.position, c.id limit 1)`;
    await trx
      .updateTable("articles")
      .set({ category_id: other })
      .where("category_id", "=", topicId)
      .where(sql<boolean>`${other} is not null`)
      .execute();
    if (home.listed) {
      await trx
        .insertInto("article_categories")
        .columns(["article_id", "category_id", "published_at"])
        .expression((eb) =>
          eb
            .selectFrom("article_categories")
            .select([
              "article_id",
              sql<number>`cast(${home.topicId} as integer)`.as("category_id"),
              "published_at",
            ])
            .where("category_id", "=", topicId),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await trx
      .updateTable("articles")
      .set({ category_id: home.topicId })
      .where("category_id", "=", topicId)
      .execute();
    const removed = await trx
      .deleteFrom("article_categories")
      .where("category_id", "=", topicId)
      .executeTakeFirst();
    return Number(removed.numDeletedRows);
  });
}
