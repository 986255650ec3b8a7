import type { Clock } from "../clock";
import { isPostgres } from "../db/dialect";
import type { Db } from "../db/schema";
import { commitWithoutWaiting, inTransaction } from "../db/transaction";
import { enqueue, type NewOutboxItem, type PayloadIds, storePayloads } from "../delivery/outbox";
import type { Logger } from "../logging";
import { toLocale } from "../message/i18n";
import type { RenderedPayload } from "../message/parts";
import { renderPayload } from "../message/payload";
import { pinnedStories, storiesFirstSeenAfter } from "../news/articles";
import { dayBefore, mostRead, readDay } from "../news/reads";
import { listTopics } from "../news/topics";
import { digestCandidatesInZone, digestTimeZones } from "../readers/digest-candidates";
import { markDigestComposed, markDigestPassedOver } from "../readers/digest-marks";
import { claimInstantItems } from "../readers/instant-items";
import { localParts } from "../text/time";
import { composeDigest, type Digest, type DigestStory, type DigestTopic } from "./compose";
import { exclusionKey, instantItemsSince, shownWaiting } from "./instant";
import { digestMessage } from "./render";
import { slotVerdictsAt } from "./slot";

/** Platforms that get digests (the terminal is a demo). */
const DIGEST_PLATFORMS = ["telegram", "zalo"];
const ENQUEUE_CHUNK = 5_000;
/** A first digest (none served yet) carries the stories of the last day. */
const FIRST_DIGEST_MS = 24 * 60 * 60 * 1000;

export interface DigestRunDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Newest stories shown per topic. */
  perTopic: number;
  /** The newsroom's name for the digest's header (NEWSROOM_NAME). */
  newsroom?: string;
  /** The "Most read" line (DIGEST_MOST_READ): stories shown, in the newsroom's zone; off unset. */
  mostRead?: { count: number; timeZone: string };
  /** Readers read, composed and written at a time (ENQUEUE_CHUNK). */
  pageSize?: number;
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
  /** A Telegram channel's digest has no "more: /moi …" hints: nobody can type them there. */
  channel: boolean;
  locale: "vi" | "en";
  timeZone: string;
  localDate: string;
  cutoff: string;
  /** Digest topics by id, "1,3,7" ("" for none). */
  topics: string;
}

/**
 * What a digest carries stories since: the last one's cut-off; for a first digest (no cut-off
 * yet), the last 24 hours, or all since sign-up when that is longer (a reader who signed up days
 * ago).
 */
function digestCutoff(
  row: { lastDigestCutoff: string | null; createdAt: string },
  now: Date,
): string {
  if (row.lastDigestCutoff !== null) return row.lastDigestCutoff;
  const day = new Date(now.getTime() - FIRST_DIGEST_MS).toISOString();
  const sinceMs = Date.parse(row.createdAt);
  return !Number.isNaN(sinceMs) && sinceMs < now.getTime() - FIRST_DIGEST_MS ? row.createdAt : day;
}

/**
 * Readers whose local digest time has come today and who have had no digest today, a page at a
 * time (by id), so that a tick holds one page of readers however many are due. Readers who
 * signed up after today's digest time get theirs tomorrow: their day is marked as passed over,
 * or every tick until midnight would read them again (a day's sign-ups, each minute).
 */
async function* duePages(db: Db, now: Date, pageSize: number): AsyncGenerator<DueReader[]> {
  const verdictOf = slotVerdictsAt(now);
  for (const zone of await digestTimeZones(db)) {
    let local: { date: string; time: string };
    try {
      local = localParts(now, zone);
    } catch {
      continue; // an unknown zone cannot be scheduled; readers cannot set one
    }
    for (let after: { digestTime: string; id: number } | null = null; ; ) {
      // A coarse filter the index can answer; dueSlot decides exactly (DST, sign-up time).
      const candidates = await digestCandidatesInZone(db, {
        zone,
        localDate: local.date,
        localTime: local.time,
        platforms: DIGEST_PLATFORMS,
        page: { after, limit: pageSize },
      });
      const due: DueReader[] = [];
      const passedOver = new Map<string, number[]>();
      for (const row of candidates) {
        const verdict = verdictOf(row);
        if (!verdict) continue;
        const slot = verdict.slot;
        if (!verdict.due) {
          const ids = passedOver.get(slot.localDate);
          if (ids) ids.push(row.id);
          else passedOver.set(slot.localDate, [row.id]);
          continue;
        }
        due.push({
          id: row.id,
          platform: row.platform,
          channel: row.chatType === "channel",
          locale: toLocale(row.locale),
          timeZone: row.timeZone,
          localDate: slot.localDate,
          cutoff: digestCutoff(row, now),
          topics: row.digestTopics,
        });
      }
      for (const [localDate, ids] of passedOver) await markDigestPassedOver(db, ids, localDate);
      if (due.length > 0) yield due;
      const last = candidates[candidates.length - 1];
      if (!last || candidates.length < pageSize) break;
      after = { digestTime: last.digestTime, id: last.id };
    }
  }
}

/** The stories a digest carries, for a retraction or a correction to find its messages. */
const carriedBy = new WeakMap<Digest, number[]>();
function storiesOf(digest: Digest): number[] {
  let ids = carriedBy.get(digest);
  if (!ids) {
    ids = [
      ...(digest.pinned ?? []).map((s) => s.id),
      ...digest.sections.flatMap((section) => section.stories.map((s) => s.id)),
    ];
    carriedBy.set(digest, ids);
  }
  return ids;
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
  const summary: DigestRunSummary = {
    due: 0,
    enqueued: 0,
    empty: 0,
    compositions: 0,
    renderings: 0,
  };

  const topics = await listTopics(deps.db);
  const topicById = new Map<number, DigestTopic>(
    topics.map((c) => [c.id, { id: c.id, slug: c.slug, name: c.name }]),
  );
  // listTopics gives the newsroom's order: a digest's sections follow it.
  const position = new Map(topics.map((c, i) => [c.id, i]));
  const topicOrder = (t: DigestTopic) => position.get(t.id) ?? 0;

  // Editor's picks, read once per tick: atop every digest composed in it.
  const pinned = await pinnedStories(deps.db, nowIso);
  // By topic set, then by cut-off and stories left out; renderings by digest, then audience.
  // Nested, so that each reader costs lookups of short strings, not one long key built per reader.
  const compositions = new Map<string, Map<string, Digest>>();
  const renderings = new Map<Digest, Map<string, RenderedPayload>>();
  const storiesSince = new Map<string, DigestStory[]>(); // readers in one slot share a cut-off
  const payloadIds: PayloadIds = new Map();
  // One "Most read" line for the whole tick: today's and yesterday's reads (the newsroom's days).
  let mostReadLine: Promise<{ title: string; url: string }[]> | undefined;
  const mostReadStories = () => {
    const wanted = deps.mostRead;
    if (!wanted) return Promise.resolve([]);
    mostReadLine ??= (async () => {
      const today = readDay(now, wanted.timeZone);
      const fromDay = dayBefore(today);
      return mostRead(deps.db, { fromDay, toDay: today, limit: wanted.count });
    })();
    return mostReadLine;
  };

  const storiesAfter = async (cutoff: string, db: Db) => {
    let stories = storiesSince.get(cutoff);
    if (!stories) {
      stories = await storiesFirstSeenAfter(db, cutoff);
      storiesSince.set(cutoff, stories);
    }
    return stories;
  };

  /** Stories the digest carries that were waiting to be pushed, by reader (of the chunks in hand). */
  const carried = new Map<number, number[]>();

  /** The outbox rows of some due readers (none for a reader with nothing new). */
  const compose = async (chunk: DueReader[], db: Db = deps.db): Promise<NewOutboxItem[]> => {
    const instant = await instantItemsSince(db, chunk);
    const rows: NewOutboxItem[] = [];
    for (const reader of chunk) {
      if (reader.topics === "") {
        summary.empty++;
        continue;
      }
      // Stories already pushed to this reader stay out (and make a composition of its own).
      const pushed = instant.get(reader.id);
      const since = pushed?.sent.size ? reader.cutoff + exclusionKey(pushed.sent) : reader.cutoff;
      let ofTopics = compositions.get(reader.topics);
      if (!ofTopics) {
        ofTopics = new Map();
        compositions.set(reader.topics, ofTopics);
      }
      let digest = ofTopics.get(since);
      if (!digest) {
        const stories = await storiesAfter(reader.cutoff, db);
        const known = reader.topics
          .split(",")
          .flatMap((id) => topicById.get(Number(id)) ?? [])
          .sort((a, b) => topicOrder(a) - topicOrder(b));
        digest = composeDigest({
          topics: known,
          stories: pushed?.sent.size ? stories.filter((s) => !pushed.sent.has(s.id)) : stories,
          perTopic: deps.perTopic,
          pinned,
        });
        ofTopics.set(since, digest);
        summary.compositions++;
      }
      if (pushed?.waiting.size) {
        const waiting = shownWaiting(digest, pushed.waiting);
        if (waiting.length > 0) carried.set(reader.id, waiting);
      }
      if (digest.sections.length === 0 && !digest.pinned?.length) {
        summary.empty++;
        continue;
      }
      let ofDigest = renderings.get(digest);
      if (!ofDigest) {
        ofDigest = new Map();
        renderings.set(digest, ofDigest);
      }
      const audience = `${reader.platform}|${reader.channel}|${reader.locale}|${reader.timeZone}|${reader.localDate}`;
      let payload = ofDigest.get(audience);
      if (!payload) {
        const message = digestMessage(digest, {
          locale: reader.locale,
          timeZone: reader.timeZone,
          localDate: reader.localDate,
          withCommands: !reader.channel,
          ...(deps.newsroom ? { newsroom: deps.newsroom } : {}),
          mostRead: await mostReadStories(),
        });
        payload = renderPayload(reader.platform, message, reader.locale);
        ofDigest.set(audience, payload);
        summary.renderings++;
      }
      rows.push({
        idempotencyKey: `digest:${reader.id}:${reader.localDate}`,
        readerId: reader.id,
        platform: reader.platform,
        kind: "digest",
        payload,
        nextAttemptAt: nowIso,
        stories: storiesOf(digest),
      });
    }
    return rows;
  };

  const postgres = isPostgres(deps.db);
  // Enqueue and mark served together, chunk by chunk: a crash leaves no reader half done.
  const write = (chunk: DueReader[], composed: NewOutboxItem[]) =>
    inTransaction(deps.db, async (trx) => {
      // Not waiting for the commit to reach the disk is safe here: a crash loses the rows and
      // the served marks together, and the next tick makes them again.
      await commitWithoutWaiting(trx);
      const rows = await takeWaiting(trx, chunk, composed);
      const inserted = await enqueue(trx, rows, payloadIds);
      const byDate = new Map<string, number[]>();
      for (const r of chunk) {
        const ids = byDate.get(r.localDate);
        if (ids) ids.push(r.id);
        else byDate.set(r.localDate, [r.id]);
      }
      for (const [localDate, ids] of byDate) {
        await markDigestComposed(trx, ids, { localDate, cutoff: nowIso });
      }
      return inserted;
    });

  /**
   * Takes the waiting stories the digests show (so they are not pushed after them). A story the
   * instant job pushed since the digest was composed cannot be taken: that reader's digest is
   * composed again, without it, rather than showing it twice.
   */
  const takeWaiting = async (
    trx: Db,
    chunk: DueReader[],
    composed: NewOutboxItem[],
  ): Promise<NewOutboxItem[]> => {
    const raced: DueReader[] = [];
    for (const r of chunk) {
      const ids = carried.get(r.id);
      carried.delete(r.id);
      if (!ids) continue;
      const taken = await claimInstantItems(trx, r.id, ids, nowIso);
      if (taken.size < ids.length) raced.push(r);
    }
    if (raced.length === 0) return composed;
    const again = new Set(raced.map((r) => r.id));
    const recomposed = await compose(raced, trx);
    for (const r of raced) {
      const ids = carried.get(r.id);
      carried.delete(r.id);
      if (ids) await claimInstantItems(trx, r.id, ids, nowIso);
    }
    return [...composed.filter((row) => !again.has(row.readerId)), ...recomposed];
  };

  // On PostgreSQL each page is composed while the two before it are written, each in its own
  // transaction on its own connection: the server's cores store two while this process renders
  // the next (measured: 1,000,000 readers in 20.7 s with one write at a time). Their payloads are
  // stored and committed first, so no page points at a payload another might roll back. SQLite
  // runs in this thread: nothing to overlap.
  const writesInFlight = postgres ? 2 : 0;
  const writes: Promise<number>[] = [];
  try {
    // Readers come a page at a time and go out a page at a time: the tick holds the page in
    // hand (and, on PostgreSQL, the ones being written), whatever the number due.
    for await (const chunk of duePages(deps.db, now, deps.pageSize ?? ENQUEUE_CHUNK)) {
      summary.due += chunk.length;
      const rows = await compose(chunk);
      while (writes.length > 0 && writes.length >= writesInFlight) {
        summary.enqueued += await (writes.shift() as Promise<number>);
      }
      if (postgres) await storePayloads(deps.db, rows, payloadIds);
      const writing = write(chunk, rows);
      writing.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      writes.push(writing);
      if (writesInFlight === 0) summary.enqueued += await (writes.shift() as Promise<number>);
    }
    for (const writing of writes.splice(0)) summary.enqueued += await writing;
  } catch (error) {
    await Promise.allSettled(writes); // no write left running behind the error
    throw error;
  }
  if (summary.due === 0) return summary;
  deps.logger
    .child({ subsystem: "digest" })
    .info({ ...summary, ms: Math.round(performance.now() - started) }, "digest slot composed");
  return summary;
}
