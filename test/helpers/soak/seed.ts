/** The day's database before it starts: topics, readers and their follows, yesterday's stories. */
import { sql } from "kysely";
import { migrateToLatest } from "../../../src/db";
import type { DbHandle } from "../../../src/db/schema";
import { writeCursor } from "../../../src/instant/cursor";
import { storeArticle } from "../../../src/news/articles";
import { addTopic } from "../../../src/news/topics";
import { foldFollow } from "../../../src/readers/keywords";
import {
  chatOf,
  isInstantFollower,
  isKeywordFollower,
  KEYWORD,
  storyHasKeyword,
  storyMark,
  storyTopic,
  TOPICS,
  topicOf,
} from "./plan";

const CHUNK = 1_000;
const TOPIC_NAMES = ["Thời sự", "Kinh tế", "Thể thao", "Văn hóa"];

/** Creates the schema and the readers; returns the topics' ids, in the plan's order. */
export async function seedDay(db: DbHandle, readers: number): Promise<number[]> {
  await migrateToLatest(db);
  const topics: number[] = [];
  for (let t = 0; t < TOPICS; t++) {
    const name = TOPIC_NAMES[t] as string;
    const topic = await addTopic(db, {
      slug: `soak-${t + 1}`,
      name: { vi: name, en: `Topic ${t + 1}` },
      position: t,
    });
    topics.push(topic.id);
  }
  const created = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const folded = foldFollow(KEYWORD);
  for (let from = 0; from < readers; from += CHUNK) {
    const indexes = Array.from({ length: Math.min(CHUNK, readers - from) }, (_, k) => from + k);
    const rows = await db
      .insertInto("readers")
      .values(
        indexes.map((i) => ({
          platform: "telegram",
          chat_id: chatOf(i),
          chat_type: "private",
          display_name: null,
          locale: "vi",
          time_zone: "UTC",
          // Not due until the day sets each reader's time (dueDigests).
          digest_time: "23:59",
          digest_enabled: 1,
          quiet_from: "00:00",
          quiet_until: "00:00",
          created_at: created,
          updated_at: created,
        })),
      )
      .returning(["id", "chat_id"])
      .execute();
    const idOf = new Map(rows.map((r) => [r.chat_id, r.id]));
    const id = (i: number) => idOf.get(chatOf(i)) as number;
    await db
      .insertInto("reader_topics")
      .values(
        indexes.map((i) => ({
          reader_id: id(i),
          category_id: topics[topicOf(i)] as number,
          mode: isInstantFollower(i) ? "both" : "digest",
          created_at: created,
        })),
      )
      .execute();
    const keyword = indexes.filter(isKeywordFollower);
    if (keyword.length > 0) {
      await db
        .insertInto("keyword_follows")
        .values(
          keyword.map((i) => ({ reader_id: id(i), words: KEYWORD, folded, created_at: created })),
        )
        .execute();
    }
  }
  // Yesterday's news for the digests: three stories a topic, an hour old.
  const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
  for (let t = 0; t < TOPICS; t++) {
    for (let k = 0; k < 3; k++) {
      await storeArticle(db, {
        url: `https://tin.example.vn/nen-${t}-${k}.html`,
        contentHash: `soak-background-${t}-${k}`,
        title: `Tin nền ${k + 1} của ${TOPIC_NAMES[t]}`,
        lead: "Một tin đã có từ trước.",
        body: ["Nội dung tin."],
        photos: [],
        fullText: true,
        publishedAt: anHourAgo,
        fetchedAt: anHourAgo,
        topicId: topics[t] as number,
      });
    }
  }
  // News as it happens starts from here (as its first tick would make it).
  const last = await db
    .selectFrom("articles")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirstOrThrow();
  await writeCursor(db, "instant", String(last.id), new Date().toISOString());
  return topics;
}

/**
 * Sets every reader's digest time: reader i at the (i mod minutes)th whole minute from the one
 * `from` falls in (HH:MM, UTC), so digests fall due across the day.
 */
export async function dueDigests(db: DbHandle, from: number, minutes: number): Promise<void> {
  const first = Math.floor(from / 60_000);
  for (let k = 0; k < minutes; k++) {
    const time = new Date((first + k) * 60_000).toISOString().slice(11, 16);
    await db
      .updateTable("readers")
      .set({ digest_time: time })
      .where(sql<number>`(cast(chat_id as bigint) - ${Number(chatOf(0))}) % ${minutes}`, "=", k)
      .execute();
  }
}

/** Story n of the day, stored now. */
export async function storeDayStory(db: DbHandle, topics: number[], n: number): Promise<void> {
  const now = new Date().toISOString();
  const keyword = storyHasKeyword(n) ? ` ${KEYWORD} ở đồng bằng` : "";
  await storeArticle(db, {
    url: `https://tin.example.vn/ngay-${n}.html`,
    contentHash: `soak-day-${n}`,
    title: `${storyMark(n)} Tin trong ngày số ${n + 1}${keyword}`,
    lead: "Tin vừa đến tòa soạn.",
    body: ["Nội dung tin vừa đến."],
    photos: [],
    fullText: true,
    publishedAt: now,
    fetchedAt: now,
    topicId: topics[storyTopic(n)] as number,
  });
}
