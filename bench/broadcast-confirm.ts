/**
 * Confirm to enqueued: how long an editor's confirmation of a breaking-news broadcast takes to
 * write one outbox row per reader of the whole audience, and how much memory it needs meanwhile.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { migrateToLatest, openDatabase } from "../src/db";
import { isPostgres } from "../src/db/dialect";
import type { DbHandle } from "../src/db/schema";
import { confirmBroadcast, prepareBroadcast } from "../src/services/broadcasts";
import { benchDatabaseOrNote } from "./postgres";
import { machine, recordFigures, writeSection } from "./results";
import { startRssSampler } from "./rss-sampler";

export const DEFAULT_CONFIRM_READERS = 1_000_000;
const TEXT =
  "Bão số 3 đổ bộ vào Quảng Ninh – Hải Phòng chiều nay. Người dân ven biển cần sơ tán " +
  "trước 15 giờ; theo dõi bản tin tiếp theo.";

interface StoreResult {
  store: string;
  readers: number;
  seedSeconds: number;
  seconds: number;
  enqueued: number;
  rssBefore: number;
  rssPeak: number;
}

/**
 * `readers` Telegram private chats (one in five in English), a tenth of them on Zalo, written
 * by the database itself so that the bench process holds none of them.
 */
async function seed(db: DbHandle, readers: number): Promise<void> {
  const at = new Date().toISOString();
  if (isPostgres(db)) {
    await sql`insert into readers (platform, chat_id, chat_type, locale, created_at, updated_at)
      select case when g % 10 = 0 then 'zalo' else 'telegram' end, (100000000 + g)::text,
        'private', case when g % 5 = 0 then 'en' else 'vi' end, ${at}, ${at}
      from generate_series(1, ${readers}::integer) g`.execute(db);
    await sql`analyze readers`.execute(db);
  } else {
    await sql`with recursive g(n) as (select 1 union all select n + 1 from g where n < ${readers})
      insert into readers (platform, chat_id, chat_type, locale, created_at, updated_at)
      select case when n % 10 = 0 then 'zalo' else 'telegram' end, cast(100000000 + n as text),
        'private', case when n % 5 = 0 then 'en' else 'vi' end, ${at}, ${at}
      from g`.execute(db);
  }
}

async function measureStore(
  store: "SQLite" | "PostgreSQL",
  db: DbHandle,
  readers: number,
): Promise<StoreResult> {
  await migrateToLatest(db);
  const seedStarted = performance.now();
  await seed(db, readers);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const now = new Date().toISOString();
  const preview = await prepareBroadcast(db, { author: "bench", text: TEXT }, now);
  if (preview.audience !== readers) throw new Error(`audience ${preview.audience}, not ${readers}`);
  const rssBefore = process.memoryUsage.rss();
  const sampler = startRssSampler();
  const started = performance.now();
  const total = await confirmBroadcast(db, preview.broadcast.id, "bench", now);
  const seconds = (performance.now() - started) / 1000;
  const { peak } = await sampler.stop();
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("broadcast_id", "=", preview.broadcast.id)
    .executeTakeFirstOrThrow();
  const enqueued = Number(row.n);
  if (enqueued !== readers || total !== readers) {
    throw new Error(`enqueued ${enqueued} rows (confirm said ${total}) for ${readers} readers`);
  }
  return { store, readers, seedSeconds, seconds, enqueued, rssBefore, rssPeak: peak };
}

const n = (v: number) => v.toLocaleString("en-US");
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * `confirmBroadcast` for the whole audience of `readers` (default 1,000,000) on a temp-file
 * SQLite database and on a fresh PostgreSQL database.
 */
export async function benchBroadcastConfirm(options: { readers?: number } = {}): Promise<string> {
  const readers = options.readers ?? DEFAULT_CONFIRM_READERS;
  const load = loadavg()[0] ?? 0;
  const results: StoreResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-confirm-"));
  const sqlite = openDatabase({ kind: "sqlite", path: join(dir, "bench.db") }).db;
  try {
    results.push(await measureStore("SQLite", sqlite, readers));
  } finally {
    await sqlite.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  const { database, version: pgVersion, note: postgresNote } = await benchDatabaseOrNote();
  if (database) {
    const db = openDatabase({ kind: "postgres", url: database.url }).db;
    try {
      results.push(await measureStore("PostgreSQL", db, readers));
    } finally {
      await db.destroy();
      await database.drop();
    }
  }

  const table = [
    "| store | readers | outbox rows written | confirm → all enqueued | rows/s | RSS before | RSS peak | ≤ 10 s |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(
      (r) =>
        `| ${r.store} | ${n(r.readers)} | ${n(r.enqueued)} | ${r.seconds.toFixed(2)} s | ${n(Math.round(r.enqueued / r.seconds))} | ${mb(r.rssBefore)} | ${mb(r.rssPeak)} | ${r.seconds <= 10 ? "yes" : "no"} |`,
    ),
  ].join("\n");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${pgVersion ? `, ${pgVersion} on the same machine` : ""}; load average ${load.toFixed(1)} when the bench began. \`npm run bench -- broadcast-confirm\`.

The time from an editor's confirmation to every outbox row written: \`confirmBroadcast\` for a
broadcast to everyone, timed around the call in the bench process, on a temp-file SQLite database
and on a fresh PostgreSQL database (created for the run, dropped after it). ${n(readers)} readers
are written by the database itself (${results.map((r) => `${r.seedSeconds.toFixed(0)} s on ${r.store}`).join(", ")}): 90% Telegram, 10% Zalo, one in
five in English, so four renderings are shared by all the rows. The confirmation takes the
readers by ranges of 10,000 ids and has the database write each range's rows with one
\`INSERT ... SELECT\` from \`readers\`, two ranges at once (each in a transaction of its own), so
no reader passes through the process and its memory does not depend on the audience: RSS is
the bench process's, sampled every 10 ms by a worker thread, before the call and at its peak.
Each outbox row also goes into four indexes on the server (its id, \`outbox_due\`,
\`outbox_by_broadcast\` and the key per reader, migration 0019); on PostgreSQL a range goes in
without ON CONFLICT unless one of its keys is there already. SQLite checks three foreign keys
(reader, payload, broadcast), PostgreSQL none since migration 0018 (the outbox's owner keeps
them true). The aim is 10 s or less for a million readers.${postgresNote ? `\n\n${postgresNote}` : ""}

${table}`;
  if (readers === DEFAULT_CONFIRM_READERS) writeSection("Broadcast: confirm to enqueued", body);
  recordFigures("broadcast-confirm", {
    readers,
    stores: results.map((r) => ({
      store: r.store,
      seconds: Number(r.seconds.toFixed(2)),
      enqueued: r.enqueued,
      rssBeforeMB: Math.round(r.rssBefore / 1024 / 1024),
      rssPeakMB: Math.round(r.rssPeak / 1024 / 1024),
    })),
  });
  return `${table}${postgresNote ? `\n${postgresNote}` : ""}`;
}
