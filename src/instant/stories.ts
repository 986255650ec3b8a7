/** The stories the instant flow reads: new ones past its cursor, and those it is to send. */
import type { Db } from "../db/schema";
import type { Photo } from "../news/articles";
import { searchTokens } from "../text/tokens";
import type { InstantStory } from "./render";

export interface NewStory {
  id: number;
  topicIds: number[];
  publishedAt: string;
  fetchedAt: string;
  /** Folded words of headline, lead, body and captions, as the search index holds them. */
  words: Set<string>;
  /** Hidden by an editor: read past, never pushed. */
  hidden: boolean;
}

function photosOf(json: string): Photo[] {
  try {
    const photos = JSON.parse(json) as unknown;
    return Array.isArray(photos) ? (photos as Photo[]) : [];
  } catch {
    return [];
  }
}

/** Stories stored after `afterId`, in id order, at most `limit`. */
export async function storiesAfterId(db: Db, afterId: number, limit: number): Promise<NewStory[]> {
  const rows = await db
    .selectFrom("articles")
    .select(["id", "title", "lead", "body", "photos", "published_at", "fetched_at", "hidden_at"])
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("article_categories")
    .select(["article_id", "category_id"])
    .where(
      "article_id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  const topics = new Map<number, number[]>();
  for (const l of links) {
    const list = topics.get(l.article_id);
    if (list) list.push(l.category_id);
    else topics.set(l.article_id, [l.category_id]);
  }
  return rows.map((r) => {
    const captions = photosOf(r.photos).map((p) => p.caption ?? "");
    return {
      id: r.id,
      topicIds: topics.get(r.id) ?? [],
      publishedAt: r.published_at,
      fetchedAt: r.fetched_at,
      words: new Set(searchTokens([r.title, r.lead, r.body, ...captions].join("\n"))),
      hidden: r.hidden_at !== null,
    };
  });
}

/** The highest story id stored (0 when none). */
export async function lastStoryId(db: Db): Promise<number> {
  const row = await db
    .selectFrom("articles")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Stories by id, for messages (those removed meanwhile are missing). */
export async function storiesById(db: Db, ids: number[]): Promise<Map<number, InstantStory>> {
  const stories = new Map<number, InstantStory>();
  for (let i = 0; i < ids.length; i += 300) {
    const rows = await db
      .selectFrom("articles")
      .select(["id", "title", "url", "lead", "photos", "published_at"])
      .where("id", "in", ids.slice(i, i + 300))
      .where("hidden_at", "is", null)
      .execute();
    for (const r of rows) {
      const photo = photosOf(r.photos)[0];
      stories.set(r.id, {
        id: r.id,
        title: r.title,
        url: r.url,
        lead: r.lead,
        publishedAt: r.published_at,
        ...(photo?.url ? { photo: { url: photo.url, caption: photo.caption } } : {}),
      });
    }
  }
  return stories;
}
