/**
 * Removing a topic, in one transaction: its feeds move or go, its stories leave it (stored and
 * searchable still), its followers are told once in their language through the outbox (the key
 * `topic-removed:<topic>:<reader>` holds it to once), the topic goes, and the audit says so.
 */
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { enqueue, type NewOutboxItem } from "../delivery/outbox";
import { recordAudit } from "../editors/audit";
import { catalogue, toLocale } from "../message/i18n/index";
import { textMessage } from "../message/model";
import type { RenderedPayload } from "../message/parts";
import { renderPayload } from "../message/payload";
import { takeStoriesOutOfTopic } from "../news/articles";
import { moveFeedsToTopic, removeFeedsOfTopic } from "../news/feeds";
import { removeTopic, type Topic } from "../news/topics";
import { topicFollowers } from "../readers/reader-topics";

export interface RemovalPlan {
  topic: Topic;
  /** Where the feeds move; null: they go with the topic. */
  moveTo: Topic | null;
  /** A stored story listed only in this topic needs a topic of its own (not listed there). */
  fallback: Topic;
}

export async function carryOutRemoval(
  db: Db,
  plan: RemovalPlan,
  actor: string,
  at: string,
): Promise<{ told: number; feeds: number; stories: number }> {
  const { topic, moveTo } = plan;
  return inTransaction(db, async (trx) => {
    const feeds = moveTo
      ? await moveFeedsToTopic(trx, topic.id, moveTo.id)
      : await removeFeedsOfTopic(trx, topic.id);
    const stories = await takeStoriesOutOfTopic(trx, topic.id, {
      topicId: (moveTo ?? plan.fallback).id,
      listed: moveTo !== null,
    });
    const followers = await topicFollowers(trx, topic.id);
    const renderings = new Map<string, RenderedPayload>();
    const rows: NewOutboxItem[] = followers.map((reader) => {
      const locale = toLocale(reader.locale);
      const key = `${reader.platform}|${locale}`;
      let payload = renderings.get(key);
      if (!payload) {
        const text = catalogue(locale).topicRemoved(topic.name[locale]);
        payload = renderPayload(reader.platform, textMessage(text), locale);
        renderings.set(key, payload);
      }
      return {
        idempotencyKey: `topic-removed:${topic.id}:${reader.readerId}`,
        readerId: reader.readerId,
        platform: reader.platform,
        kind: "notice",
        payload,
        nextAttemptAt: at,
      };
    });
    const told = rows.length === 0 ? 0 : await enqueue(trx, rows);
    await removeTopic(trx, topic.id);
    await recordAudit(trx, {
      actor,
      action: "topic.remove",
      detail: {
        topicId: topic.id,
        slug: topic.slug,
        vi: topic.name.vi,
        en: topic.name.en,
        told,
        ...(moveTo && feeds > 0 ? { feedsMovedTo: moveTo.slug } : {}),
        feeds,
        stories,
      },
      at,
    });
    return { told, feeds, stories };
  });
}
