import { sql } from "kysely";
import type { Db } from "../db/schema";
import type { OutboxState } from "../delivery/outbox";
import { countOutboxByState } from "../delivery/outbox-counts";
import { type MostReadStory, mostRead } from "../news/reads";
import { type ChannelSummary, listChannels } from "./channels";

export interface Stats {
  readers: {
    total: number;
    byPlatform: Record<string, Record<string, number>>; // platform -> status -> count
  };
  topics: { slug: string; name: string; readers: number; articles: number }[];
  deliveries: Record<OutboxState, number>;
  deadByPlatform: Record<string, number>;
  articles: { total: number; newestPublishedAt: string | null };
  feeds: { total: number; healthy: number; failing: number; neverFetched: number };
  /** The day's most-read stories (the newsroom's date), opened through the bot. */
  mostRead: { day: string; stories: MostReadStory[] };
  /** Telegram channels the bot posts to, apart from the readers above, with their posts. */
  channels: {
    total: number;
    posts: number;
    list: Pick<
      ChannelSummary,
      "chatId" | "username" | "title" | "mode" | "status" | "posts" | "lastPostAt"
    >[];
  };
}

/** Stories listed as the day's most read. */
const MOST_READ_SHOWN = 10;

/** One picture of the whole system, for `stats` and the admin. */
export async function collectStats(
  db: Db,
  filter: { platform?: string; day?: string } = {},
): Promise<Stats> {
  let readersQuery = db
    .selectFrom("readers")
    .select(["platform", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["platform", "status"])
    .where("chat_type", "<>", "channel"); // channels are counted apart
  if (filter.platform) readersQuery = readersQuery.where("platform", "=", filter.platform);
  const byPlatform: Stats["readers"]["byPlatform"] = {};
  let total = 0;
  for (const row of await readersQuery.execute()) {
    byPlatform[row.platform] = { ...byPlatform[row.platform], [row.status]: Number(row.n) };
    total += Number(row.n);
  }

  const topics = await db
    .selectFrom("categories as c")
    .select((eb) => [
      "c.slug",
      "c.name_vi",
      eb
        .selectFrom("reader_topics as rt")
        .innerJoin("readers as r", "r.id", "rt.reader_id")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("rt.category_id", "=", "c.id")
        .where("r.status", "=", "active")
        .where("r.chat_type", "<>", "channel")
        .$if(filter.platform !== undefined, (q) =>
          q.where("r.platform", "=", filter.platform ?? ""),
        )
        .as("readers"),
      eb
        .selectFrom("article_categories as ac")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("ac.category_id", "=", "c.id")
        .as("articles"),
    ])
    .orderBy("c.position")
    .orderBy("c.id")
    .execute();

  const dead = await db
    .selectFrom("outbox")
    .select(["platform", (eb) => eb.fn.countAll<number>().as("n")])
    .where("state", "=", "dead")
    .groupBy("platform")
    .execute();

  const articles = await db
    .selectFrom("articles")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("published_at").as("newest")])
    .executeTakeFirstOrThrow();

  const feeds = await db
    .selectFrom("sources")
    .select((eb) => [
      eb.fn.countAll<number>().as("total"),
      // Written out: PostgreSQL reads bound parameters in CASE results as text, and text has no sum.
      sql<number>`sum(case when failures_in_row > 0 then 1 else 0 end)`.as("failing"),
      sql<number>`sum(case when last_success_at is null and failures_in_row = 0 then 1 else 0 end)`.as(
        "never",
      ),
    ])
    .executeTakeFirstOrThrow();
  const feedTotal = Number(feeds.total);
  const failing = Number(feeds.failing ?? 0);
  const never = Number(feeds.never ?? 0);

  const channels =
    filter.platform === undefined || filter.platform === "telegram" ? await listChannels(db) : [];

  // Reads are counted per story, with no reader, so they are not split by platform.
  const day = filter.day ?? new Date().toISOString().slice(0, 10);
  const read = await mostRead(db, { fromDay: day, toDay: day, limit: MOST_READ_SHOWN });

  return {
    readers: { total, byPlatform },
    mostRead: { day, stories: read },
    channels: {
      total: channels.length,
      posts: channels.reduce((sum, c) => sum + c.posts, 0),
      list: channels.map(({ chatId, username, title, mode, status, posts, lastPostAt }) => ({
        chatId,
        username,
        title,
        mode,
        status,
        posts,
        lastPostAt,
      })),
    },
    topics: topics.map((t) => ({
      slug: t.slug,
      name: t.name_vi,
      readers: Number(t.readers ?? 0),
      articles: Number(t.articles ?? 0),
    })),
    deliveries: await countOutboxByState(db, filter),
    deadByPlatform: Object.fromEntries(dead.map((d) => [d.platform, Number(d.n)])),
    articles: { total: Number(articles.n), newestPublishedAt: articles.newest ?? null },
    feeds: { total: feedTotal, healthy: feedTotal - failing - never, failing, neverFetched: never },
  };
}
