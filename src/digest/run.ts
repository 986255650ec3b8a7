import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { enqueue, type NewOutboxItem, type PayloadIds } from "../delivery/outbox";
import type { Logger } from "../logging";
import { toLocale } from "../message/i18n";
import type { RenderedPayload } from "../message/parts";
import { renderPayload } from "../message/payload";
import { storiesFirstSeenAfter } from "../news/articles";
import { listCategories } from "../news/categories";
import { digestCandidatesInZone, digestTimeZones, markDigestComposed } from "../readers/readers";
import { topicIdsOfReaders } from "../readers/topics";
import { localParts } from "../text/time";
import {
  composeDigest,
  type Digest,
  type DigestStory,
  type DigestTopic,
  topicSetKey,
} from "./compose";
import { digestMessage } from "./render";
import { dueSlot } from "./slot";

/** Platforms that get digests (the console is a demo). */
const DIGEST_PLATFORMS = ["telegram", "zalo"];
const MARK_CHUNK = 500;
const ENQUEUE_CHUNK = 5_000;

export interface DigestRunDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Newest stories shown per topic. */
  perTopic: number;
}

export interface DigestRunSummary {
  /** Readers whose digest time had come. */
  due: number;
  /** Digests put in the outbox. */
  enqueued: number;
  /** Readers with nothing new (nothing sent; their slot is still marked done). */
  empty: number;
  /** Distinct compositions made (one per topic set and cut-off). */
  compositions: number;
  /** Distinct renderings made (per composition, platform, language, zone and day). */
  renderings: number;
}

interface DueReader {
  id: number;
  platform: string;
  locale: "vi" | "en";
  timeZone: string;
  localDate: string;
  cutoff: string;
}

/** Readers whose local digest time has come today and who have had no digest today. */
async function dueReaders(db: Db, now: Date): Promise<DueReader[]> {
  const due: DueReader[] = [];
  for (const zone of await digestTimeZones(db)) {
    let local: { date: string; time: string };
    try {
      local = localParts(now, zone);
    } catch {
      continue; // an unknown zone cannot be scheduled; readers cannot set one
    }
    // A coarse filter the index can answer; dueSlot decides exactly (DST, sign-up time).
    const candidates = await digestCandidatesInZone(db, {
      zone,
      localDate: local.date,
      localTime: local.time,
      platforms: DIGEST_PLATFORMS,
    });
    for (const row of candidates) {
      const slot = dueSlot(row, now);
      if (!slot) continue;
      due.push({
        id: row.id,
        platform: row.platform,
        locale: toLocale(row.locale),
        timeZone: row.timeZone,
        localDate: slot.localDate,
        cutoff: row.lastDigestCutoff ?? row.createdAt,
      });
    }
  }
  return due;
}

/**
 * One scheduler tick of the digest flow: find the readers whose digest is due, compose once per
 * distinct topic set and cut-off, render once per platform, language, zone and day, and put one
 * outbox row per reader (key digest:<reader>:<local date>), marking each reader's slot served in
 * the same transaction. Running it twice for the same minute enqueues nothing more.
 */
export async function runDigestTick(deps: DigestRunDeps): Promise<DigestRunSummary> {
  const started = performance.now();
  const now = deps.clock();
  const nowIso = now.toISOString();
  const due = await dueReaders(deps.db, now);
  const summary: DigestRunSummary = {
    due: due.length,
    enqueued: 0,
    empty: 0,
    compositions: 0,
    renderings: 0,
  };
  if (due.length === 0) return summary;

  const categories = await listCategories(deps.db);
  const position = new Map(categories.map((c, i) => [c.id, i]));
  const topicById = new Map<number, DigestTopic>(
    categories.map((c) => [c.id, { id: c.id, slug: c.slug, name: c.name }]),
  );
  const topics = await topicIdsOfReaders(
    deps.db,
    due.map((r) => r.id),
  );

  const compositions = new Map<string, Digest>();
  const storiesSince = new Map<string, DigestStory[]>(); // readers in one slot share a cut-off
  const payloadIds: PayloadIds = new Map();
  const renderings = new Map<string, RenderedPayload>();
  const rows: NewOutboxItem[] = [];
  const served: DueReader[] = [];

  const storiesAfter = async (cutoff: string) => {
    let stories = storiesSince.get(cutoff);
    if (!stories) {
      stories = await storiesFirstSeenAfter(deps.db, cutoff);
      storiesSince.set(cutoff, stories);
    }
    return stories;
  };

  for (const reader of due) {
    const ids = (topics.get(reader.id) ?? [])
      .filter((id) => topicById.has(id))
      .sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    served.push(reader);
    if (ids.length === 0) {
      summary.empty++;
      continue;
    }
    const compositionKey = `${topicSetKey(ids)}|${reader.cutoff}`;
    let digest = compositions.get(compositionKey);
    if (!digest) {
      digest = composeDigest({
        topics: ids.map((id) => topicById.get(id) as DigestTopic),
        stories: await storiesAfter(reader.cutoff),
        perTopic: deps.perTopic,
      });
      compositions.set(compositionKey, digest);
    }
    if (digest.sections.length === 0) {
      summary.empty++;
      continue;
    }
    const renderKey = `${compositionKey}|${reader.platform}|${reader.locale}|${reader.timeZone}|${reader.localDate}`;
    let payload = renderings.get(renderKey);
    if (!payload) {
      const message = digestMessage(digest, {
        locale: reader.locale,
        timeZone: reader.timeZone,
        localDate: reader.localDate,
      });
      payload = renderPayload(reader.platform, message, reader.locale);
      renderings.set(renderKey, payload);
    }
    rows.push({
      idempotencyKey: `digest:${reader.id}:${reader.localDate}`,
      readerId: reader.id,
      platform: reader.platform,
      kind: "digest",
      payload,
      nextAttemptAt: nowIso,
    });
  }
  summary.compositions = compositions.size;
  summary.renderings = renderings.size;

  // Enqueue and mark served together, chunk by chunk: a crash leaves no reader half done.
  const rowByReader = new Map(rows.map((r) => [r.readerId, r]));
  for (let i = 0; i < served.length; i += ENQUEUE_CHUNK) {
    const chunk = served.slice(i, i + ENQUEUE_CHUNK);
    summary.enqueued += await inTransaction(deps.db, async (trx) => {
      const inserted = await enqueue(
        trx,
        chunk.flatMap((r) => rowByReader.get(r.id) ?? []),
        payloadIds,
      );
      const byDate = new Map<string, number[]>();
      for (const r of chunk) {
        const ids = byDate.get(r.localDate);
        if (ids) ids.push(r.id);
        else byDate.set(r.localDate, [r.id]);
      }
      for (const [localDate, ids] of byDate) {
        for (let j = 0; j < ids.length; j += MARK_CHUNK) {
          await markDigestComposed(trx, ids.slice(j, j + MARK_CHUNK), {
            localDate,
            cutoff: nowIso,
          });
        }
      }
      return inserted;
    });
  }
  deps.logger
    .child({ subsystem: "digest" })
    .info({ ...summary, ms: Math.round(performance.now() - started) }, "digest slot composed");
  return summary;
}
