import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from "kysely";
import { migrateToLatest, openDatabase } from "../src/db";
import type { DbHandle } from "../src/db/schema";
import { type DigestRunSummary, runDigestTick } from "../src/digest/run";
import { silentLogger } from "../src/logging";
import { addTopic } from "../src/news/topics";
import { seededRandom } from "../test/fakes/base/random";
import { startHeapFlags } from "../test/helpers/heap-flags";
import { benchChildExecArgv } from "./fake-host";
import { benchDatabaseOrNote } from "./postgres";
import { machine, recordFigures, writeSection } from "./results";
import { startRssSampler } from "./rss-sampler";

/** Readers due at 07:00 by default (`npm run bench -- digest --readers N` sets another). */
const DEFAULT_READERS = 100_000;
let READERS = DEFAULT_READERS;
const STORIES = 2_000;
const PER_TOPIC = 5;
const ZONE = "Asia/Ho_Chi_Minh";
/** 07:00 in Ho Chi Minh City (UTC+7) on 2026-03-10. */
const NOW = new Date("2026-03-10T00:00:00.000Z");
const DAY_BEFORE = "2026-03-09T00:00:00.000Z";
const PREVIOUS_LOCAL_DAY = "2026-03-09";
const MB = 1024 * 1024;

const TOPICS: { slug: string; vi: string; en: string; weight: number }[] = [
  { slug: "thoi-su", vi: "Thời sự", en: "News", weight: 20 },
  { slug: "the-gioi", vi: "Thế giới", en: "World", weight: 12 },
  { slug: "kinh-doanh", vi: "Kinh doanh", en: "Business", weight: 12 },
  { slug: "the-thao", vi: "Thể thao", en: "Sports", weight: 10 },
  { slug: "giai-tri", vi: "Giải trí", en: "Entertainment", weight: 8 },
  { slug: "phap-luat", vi: "Pháp luật", en: "Law", weight: 8 },
  { slug: "giao-duc", vi: "Giáo dục", en: "Education", weight: 6 },
  { slug: "suc-khoe", vi: "Sức khỏe", en: "Health", weight: 6 },
  { slug: "doi-song", vi: "Đời sống", en: "Life", weight: 6 },
  { slug: "du-lich", vi: "Du lịch", en: "Travel", weight: 5 },
  { slug: "khoa-hoc", vi: "Khoa học", en: "Science", weight: 4 },
  { slug: "so-hoa", vi: "Số hóa", en: "Tech", weight: 3 },
];

const TITLE_WORDS = [
  "Hà Nội",
  "mưa lớn",
  "giá lúa",
  "cao tốc",
  "Bắc – Nam",
  "học sinh",
  "bệnh viện",
  "xuất khẩu",
  "đội tuyển",
  "du khách",
  "điện mặt trời",
  "Quốc hội",
  "thị trường",
  "ngân hàng",
  "Đà Nẵng",
];

interface Setup {
  topicIds: number[];
  /** Readers who follow at least one topic that has a new story. */
  expected: number;
  topicRows: number;
  multiTopicStories: number;
}

/** 12 topics, 2,000 stories of the past day, 100,000 readers due at 07:00 with 1-4 topics. */
async function seed(db: DbHandle): Promise<Setup> {
  const random = seededRandom(20260310);
  const pick = (n: number) => Math.floor(random() * n);
  const topicIds: number[] = [];
  for (const t of TOPICS) {
    topicIds.push((await addTopic(db, { slug: t.slug, name: { vi: t.vi, en: t.en } })).id);
  }
  const totalWeight = TOPICS.reduce((sum, t) => sum + t.weight, 0);
  const weightedTopic = () => {
    let r = random() * totalWeight;
    for (let i = 0; i < TOPICS.length; i++) {
      r -= (TOPICS[i] as (typeof TOPICS)[number]).weight;
      if (r < 0) return i;
    }
    return TOPICS.length - 1;
  };

  const withNews = new Set<number>();
  let multiTopicStories = 0;
  const cutoffMs = Date.parse(DAY_BEFORE);
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < STORIES; start += 200) {
      const batch = Array.from({ length: Math.min(200, STORIES - start) }, (_, k) => {
        const i = start + k;
        const topic = weightedTopic();
        const fetched = new Date(cutoffMs + 60_000 + pick(86_400_000 - 120_000)).toISOString();
        const published = new Date(Date.parse(fetched) - pick(30 * 60_000)).toISOString();
        const words = [0, 1, 2].map(() => TITLE_WORDS[pick(TITLE_WORDS.length)]).join(", ");
        return {
          topic,
          row: {
            url: `https://bantin.example/tin/${i}-${TOPICS[topic]?.slug}.html`,
            guid: null,
            content_hash: `bench-${i}`,
            title: `Tin ${i}: ${words} & "những điều cần biết" <${i % 7}>`,
            lead: `Tóm tắt câu chuyện số ${i} về ${words}.`,
            body: `Đoạn một của tin ${i}.\n\nĐoạn hai của tin ${i}.`,
            author: null,
            published_at: published,
            fetched_at: fetched,
            updated_at: fetched,
            category_id: topicIds[topic] as number,
            source_id: null,
          },
        };
      });
      const ids = await trx
        .insertInto("articles")
        .values(batch.map((b) => b.row))
        .returning("id")
        .execute();
      const links: { article_id: number; category_id: number; published_at: string }[] = [];
      batch.forEach((b, k) => {
        const id = (ids[k] as { id: number }).id;
        links.push({
          article_id: id,
          category_id: b.row.category_id,
          published_at: b.row.published_at,
        });
        withNews.add(b.row.category_id);
        // Some stories are listed in a second topic too.
        if (random() < 0.15) {
          const other = topicIds[(b.topic + 1 + pick(TOPICS.length - 1)) % TOPICS.length] as number;
          links.push({ article_id: id, category_id: other, published_at: b.row.published_at });
          withNews.add(other);
          multiTopicStories++;
        }
      });
      await trx.insertInto("article_categories").values(links).execute();
    }
  });

  let expected = 0;
  let topicRows = 0;
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < READERS; start += 500) {
      const n = Math.min(500, READERS - start);
      const ids = await trx
        .insertInto("readers")
        .values(
          Array.from({ length: n }, (_, k) => ({
            platform: "telegram",
            chat_id: String(1_000_000_000 + start + k),
            chat_type: "private",
            display_name: null,
            locale: random() < 0.8 ? "vi" : "en",
            time_zone: ZONE,
            digest_time: "07:00",
            created_at: DAY_BEFORE,
            updated_at: DAY_BEFORE,
          })),
        )
        .returning("id")
        .execute();
      const topics: { reader_id: number; category_id: number }[] = [];
      for (const { id } of ids) {
        const count = 1 + pick(4);
        const chosen = new Set<number>();
        while (chosen.size < count) chosen.add(topicIds[pick(topicIds.length)] as number);
        for (const topicId of chosen) topics.push({ reader_id: id, category_id: topicId });
        if ([...chosen].some((c) => withNews.has(c))) expected++;
      }
      topicRows += topics.length;
      await trx.insertInto("reader_topics").values(topics).execute();
      // Everyone had yesterday's digest.
      await trx
        .insertInto("digest_marks")
        .values(
          ids.map(({ id }) => ({
            reader_id: id,
            last_digest_date: PREVIOUS_LOCAL_DAY,
            last_digest_cutoff: DAY_BEFORE,
          })),
        )
        .execute();
    }
  });
  return { topicIds, expected, topicRows, multiTopicStories };
}

type Phase =
  | "due readers"
  | "topics"
  | "stories"
  | "renderings stored"
  | "enqueue"
  | "mark served"
  | "other SQL";

/**
 * Times every query of the tick by kind, and samples the heap at each one: a rough profile
 * without touching src/. What is left of the wall time is JavaScript between the queries
 * (slot checks, compose, render, JSON of the payloads).
 */
class ProfilePlugin implements KyselyPlugin {
  readonly ms = new Map<Phase, number>();
  readonly count = new Map<Phase, number>();
  heapPeak = 0;
  /** Time with at least one query in flight (queries overlap where writes are pipelined). */
  sqlBusyMs = 0;
  private inFlight = 0;
  private busySince = 0;
  private readonly started = new WeakMap<object, { at: number; phase: Phase }>();

  private phaseOf(node: RootOperationNode): Phase {
    const table = (n: unknown): string | undefined => {
      const t = n as { table?: { identifier?: { name?: string } } } | undefined;
      return t?.table?.identifier?.name;
    };
    if (node.kind === "InsertQueryNode" && table(node.into) === "outbox") return "enqueue";
    if (node.kind === "InsertQueryNode" && table(node.into) === "outbox_payloads") {
      return "renderings stored";
    }
    if (node.kind === "InsertQueryNode" && table(node.into) === "digest_marks") {
      return "mark served";
    }
    if (node.kind === "RawNode" && node.sqlFragments.join("").includes("update digest_marks")) {
      return "mark served";
    }
    if (node.kind === "UpdateQueryNode") {
      const target = node.table as unknown as { kind: string; table?: unknown };
      if (table(target) === "readers") return "mark served";
    }
    if (node.kind === "SelectQueryNode") {
      const from = node.from?.froms[0] as unknown as
        | { kind: string; node?: unknown; table?: unknown }
        | undefined;
      const name = from?.kind === "AliasNode" ? table(from.node) : table(from);
      if (name === "readers") return "due readers";
      if (name === "reader_topics") return "topics";
      if (name === "articles") return "stories";
    }
    return "other SQL";
  }

  private sampleHeap(): void {
    const heap = getHeapStatistics().used_heap_size;
    if (heap > this.heapPeak) this.heapPeak = heap;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.sampleHeap();
    const at = performance.now();
    if (this.inFlight++ === 0) this.busySince = at;
    this.started.set(args.queryId, { at, phase: this.phaseOf(args.node) });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId);
    const at = performance.now();
    if (start) {
      this.ms.set(start.phase, (this.ms.get(start.phase) ?? 0) + at - start.at);
      this.count.set(start.phase, (this.count.get(start.phase) ?? 0) + 1);
    }
    if (--this.inFlight === 0) this.sqlBusyMs += at - this.busySince;
    this.sampleHeap();
    return args.result;
  }
}

type Store = "sqlite" | "postgres";
type Location = { store: "sqlite"; path: string } | { store: "postgres"; url: string };

function open(location: Location): DbHandle {
  return location.store === "sqlite"
    ? openDatabase({ kind: "sqlite", path: location.path }).db
    : openDatabase({ kind: "postgres", url: location.url, poolSize: 4 }).db;
}

/** What one tick measured, in its child process. */
interface TickResult {
  first: DigestRunSummary;
  secondEnqueued: number;
  outboxRows: number;
  seconds: number;
  rssBefore: number;
  rssPeak: number;
  rssSamples: number;
  heapBefore: number;
  heapPeak: number;
  mainSamples: number;
  profile: { phase: Phase; seconds: number; queries: number }[];
  jsSeconds: number;
  /** CPU time of this process (user and system) over the tick. */
  cpuSeconds: number;
  payloadAvg: number;
  payloadTotal: number;
}

interface StoreResult extends TickResult {
  store: Store;
  setupSeconds: number;
  setup: Omit<Setup, "topicIds">;
}

const CHILD_ENV = "BANTIN_BENCH_DIGEST_STORE";

/** One profiled tick on a seeded database, then a second one at the same minute. */
async function measureTick(location: Location): Promise<TickResult> {
  const db = open(location);
  try {
    const profile = new ProfilePlugin();
    const profiled = db.withPlugin(profile);
    const logger = silentLogger();
    const clock = () => new Date(NOW);

    const before = process.memoryUsage();
    // On SQLite our thread gets no timer turns while the tick runs (better-sqlite3 is
    // synchronous and the tick never yields), so the heap is sampled at each query instead.
    let mainSamples = 0;
    const mainSampler = setInterval(() => {
      mainSamples++;
    }, 10);
    const rss = startRssSampler();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const first = await runDigestTick({ db: profiled, clock, logger, perTopic: PER_TOPIC });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(mainSampler);
    const { peak: rssPeak, samples: rssSamples } = await rss.stop();

    const second = await runDigestTick({ db, clock, logger, perTopic: PER_TOPIC });
    const outboxRows = Number(
      (
        await db
          .selectFrom("outbox")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // Stored renderings (shared by the readers who get the same digest).
    const payload = await db
      .selectFrom("outbox_payloads")
      .select((eb) => [
        eb.fn.avg<number>(eb.fn("length", ["body"])).as("avg"),
        eb.fn.sum<number>(eb.fn("length", ["body"])).as("total"),
      ])
      .executeTakeFirstOrThrow();
    const phases: Phase[] = [
      "due readers",
      "topics",
      "stories",
      "renderings stored",
      "enqueue",
      "mark served",
      "other SQL",
    ];
    return {
      first,
      secondEnqueued: second.enqueued,
      outboxRows,
      seconds,
      rssBefore: before.rss,
      rssPeak,
      rssSamples,
      heapBefore: before.heapUsed,
      heapPeak: Math.max(before.heapUsed, profile.heapPeak),
      mainSamples,
      profile: phases
        .filter((p) => profile.count.has(p))
        .map((phase) => ({
          phase,
          seconds: (profile.ms.get(phase) ?? 0) / 1000,
          queries: profile.count.get(phase) ?? 0,
        })),
      jsSeconds: seconds - profile.sqlBusyMs / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      payloadAvg: Number(payload.avg),
      payloadTotal: Number(payload.total),
    };
  } finally {
    await db.destroy();
  }
}

if (process.env[CHILD_ENV]) {
  const result = await measureTick(JSON.parse(process.env[CHILD_ENV]) as Location);
  process.send?.(result, () => process.disconnect());
}

/**
 * The tick in a fresh child process that opens the seeded database, as a bantin process would:
 * its RSS and heap hold what the tick needs, not what seeding left behind.
 */
function tickInChild(location: Location): Promise<TickResult> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(location) },
    execArgv: [...benchChildExecArgv(), ...startHeapFlags()],
    serialization: "advanced",
  });
  return new Promise((resolve, reject) => {
    let result: TickResult | undefined;
    child.once("message", (message) => {
      result = message as TickResult;
    });
    child.once("exit", (code) =>
      result
        ? resolve(result)
        : reject(new Error(`digest bench (${location.store}) exited (${code})`)),
    );
  });
}

/** Seeds the store here, then measures the tick in a child process. */
async function measureStore(location: Location): Promise<StoreResult> {
  const db = open(location);
  const setupStarted = performance.now();
  let setup: Omit<Setup, "topicIds">;
  try {
    await migrateToLatest(db);
    const { topicIds: _ids, ...seeded } = await seed(db);
    setup = seeded;
    // Statistics and no dead rows (the readers' digest topics were set as their topics went
    // in), as autovacuum would have left them long before 07:00 on a real server.
    if (location.store === "postgres") await sql`vacuum analyze`.execute(db);
  } finally {
    await db.destroy();
  }
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  return { store: location.store, setupSeconds, setup, ...(await tickInChild(location)) };
}

const n = (v: number) => v.toLocaleString("en-US");
const mb = (v: number) => `${(v / MB).toFixed(0)} MB`;

function row(r: StoreResult): string {
  const checks = [
    r.first.enqueued === r.setup.expected ? "ok" : `MISMATCH (expected ${r.setup.expected})`,
    r.secondEnqueued === 0 ? "ok" : `MISMATCH (${r.secondEnqueued})`,
    r.outboxRows === r.first.enqueued ? "ok" : `MISMATCH (${r.outboxRows} rows)`,
  ];
  const timeAim = secondsAim();
  const aims = [
    timeAim === null ? "–" : r.seconds <= timeAim ? "yes" : "no",
    r.rssPeak <= 300 * MB ? "yes" : "no",
  ];
  return `| ${r.store} | ${n(READERS)} | ${n(STORIES)} | ${n(r.first.due)} | ${n(r.first.enqueued)} | ${r.first.empty} | ${r.first.compositions} | ${r.first.renderings} | ${r.seconds.toFixed(2)} s | ${mb(r.rssBefore)} | ${mb(r.rssPeak)} | ${mb(r.heapBefore)} | ${mb(r.heapPeak)} | ${checks[0]} | ${checks[1]} (outbox rows: ${checks[2]}) | ${aims[0]} / ${aims[1]} |`;
}

/** The time aimed at: 5 s for 100,000 readers, 15 s for a million (issue 20); none beyond. */
function secondsAim(): number | null {
  if (READERS <= DEFAULT_READERS) return 5;
  return READERS <= 1_000_000 ? 15 : null;
}

function profileText(r: StoreResult): string {
  const lines = r.profile.map((p) => `${p.phase} ${p.seconds.toFixed(2)} s (${p.queries} queries)`);
  return `${lines.join("; ")}; no query in flight ${r.jsSeconds.toFixed(2)} s; the tick's process used ${r.cpuSeconds.toFixed(2)} CPU-s`;
}

/**
 * One digest slot for 100,000 readers: find who is due, compose per topic set, render per
 * language, and put one outbox row per reader, on a temp-file SQLite database and on a fresh
 * PostgreSQL database, each seeded alike here and ticked in a child process of its own.
 */
export async function benchDigest(options: { readers?: number } = {}): Promise<string> {
  READERS = options.readers ?? DEFAULT_READERS;
  const load = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-digest-"));
  const results: StoreResult[] = [];
  try {
    results.push(await measureStore({ store: "sqlite", path: join(dir, "bench.db") }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { database, version: pgVersion, note: postgresNote } = await benchDatabaseOrNote();
  if (database) {
    try {
      results.push(await measureStore({ store: "postgres", url: database.url }));
    } finally {
      await database.drop();
    }
  }
  const table = [
    `| store | readers | stories | due | enqueued | empty | compositions | renderings | time | RSS before | RSS peak | heapUsed before | heapUsed peak | enqueued = readers with news | second tick enqueues 0 | ${secondsAim() === null ? "time aim" : `≤ ${secondsAim()} s`} / ≤ 300 MB |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(row),
  ].join("\n");
  const sqlite = results[0] as StoreResult;
  const profiles = results
    .map((r) => `- ${r.store} (seeded in ${r.setupSeconds.toFixed(0)} s): ${profileText(r)}`)
    .join("\n");

  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${pgVersion ? `, ${pgVersion} on the same machine` : ""}; load average ${load.toFixed(1)} when the bench began.

One \`runDigestTick\` (perTopic ${PER_TOPIC}) at 07:00 in ${ZONE} (00:00Z), on a temp-file SQLite
database (WAL) and on a fresh PostgreSQL database (created for the run, dropped after it), each
seeded alike with bulk inserts: 12 topics; ${n(STORIES)} stories first seen during the previous
day, spread over the topics with uneven weights, ${sqlite.setup.multiTopicStories} of them listed
in a second topic; ${n(READERS)} Telegram readers (about 80% vi, 20% en) due at 07:00, last served
the previous day, each following 1-4 random topics (seeded; ${n(sqlite.setup.topicRows)}
subscriptions). PostgreSQL gets a \`VACUUM ANALYZE\` after seeding, as autovacuum would have run long
before 07:00 on a real server (without statistics it plans badly; each reader's row was updated
once by the trigger that sets its digest topics as they went in). The tick then runs in a fresh child process that opens the database, as a
bantin process would (a pool of 4 connections on PostgreSQL), so its RSS holds what the tick
needs and not what seeding left. Time is \`performance.now()\` around the call; RSS is that
process's (the PostgreSQL server's own memory is not in it), its peak sampled every 10 ms by a
worker thread (${results.map((r) => `${r.rssSamples} samples on ${r.store}`).join(", ")}); heapUsed is sampled at every query
(during the tick the process got ${results.map((r) => `${r.mainSamples} timer turns on ${r.store}`).join(", ")}: better-sqlite3 is
synchronous, so on SQLite sampling on the tick's own thread would see nothing). A second tick at
the same minute must enqueue nothing. The aims are ${secondsAim() === null ? "the same peak RSS as at a million readers (± 10 %), at most 300 MB" : `at most ${secondsAim()} s and at most 300 MB of RSS at the peak`}.${postgresNote ? `\n\n${postgresNote}` : ""}

${table}

Where the time went (queries timed through a Kysely plugin, by what they do). The tick reads
due readers a page of 5,000 at a time (SQLite seeks readers_digest_due to the page's digest time
and rowid; PostgreSQL reads by id), each with its digest topics as one string by topic id
(\`readers.digest_topics\`, kept by triggers on \`reader_topics\`, migration 0020; put in the
newsroom's order once per composition), and each page is enqueued and marked served
in one transaction; on PostgreSQL the next chunk is composed (its digests rendered) while the server writes the two before, each on a connection of its own, so there
the query times overlap each other and the JavaScript, and add up to more than the wall time. "No query in flight" is the wall time when no query was running: JavaScript
alone (slot checks, compose, render, payload JSON) and the commits.

${profiles}

Every reader gets one outbox row pointing at a stored rendering shared by the readers who get
the same digest (${results.map((r) => `${r.store}: ${r.payloadAvg.toFixed(0)} characters on average, ${(r.payloadTotal / 1e6).toFixed(1)} million in all`).join("; ")}).
On SQLite the chunks go one after the other, the rows in as one \`INSERT ... SELECT FROM
json_each(?)\` per chunk (the varying columns as one JSON parameter, a column with one value
in every row as that value); on PostgreSQL as one \`INSERT ... SELECT
FROM unnest(...)\` per chunk (one array per varying column; a column with one value in every row
as that value), first without ON CONFLICT (in a savepoint, again skipping present keys only if
one is there), committed without waiting for the disk (a
crash loses rows and served marks together, and the next tick makes them again). The renderings
go 100 to a statement (before the chunk's transaction on PostgreSQL, so that two chunks in
flight never point at a payload the other might roll back), and the readers are marked served in
\`digest_marks\`, a narrow table of its own, one statement per chunk (SQLite: an upsert;
PostgreSQL: an UPDATE of the page's readers, found by one range of the key and checked against
the page's ids by hash, then an upsert only if some had no mark, as an upsert logs a lock per
row; migration 0017: on PostgreSQL its rows have room on their page and are updated in place,
touching no index). The outbox key is unique per reader, in one index led by reader_id
(migration 0019), and the outbox checks no foreign key on PostgreSQL (migration 0018).`;
  // Each size has a section of its own: a run at the default size leaves a million's figures be.
  writeSection(
    READERS === DEFAULT_READERS
      ? "Digest slot: compose and enqueue"
      : `Digest slot at ${n(READERS)} readers`,
    body,
  );
  recordFigures("digest", {
    readers: READERS,
    stories: STORIES,
    stores: results.map((r) => ({
      store: r.store,
      seconds: Number(r.seconds.toFixed(2)),
      rssPeakMB: Math.round(r.rssPeak / 1024 / 1024),
      due: r.first.due,
      enqueued: r.first.enqueued,
    })),
  });
  return `${table}\n\n${results.map((r) => `Profile ${r.store}: ${profileText(r)}`).join("\n")}${postgresNote ? `\n${postgresNote}` : ""}`;
}
