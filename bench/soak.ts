/**
 * A newsroom's day, compressed, with faults (issue 20): `npm run bench -- soak [--readers N]`.
 * The day itself is test/helpers/soak/day.ts, which the processes lane runs in its short form.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { concurrencyFor } from "../src/config";
import { startHeapFlags } from "../test/helpers/heap-flags";
import { startPrivatePostgres } from "../test/helpers/private-postgres";
import { type RssLevels, runNewsroomDay, type SoakReport } from "../test/helpers/soak/day";
import { MARKS, type SoakSize } from "../test/helpers/soak/plan";
import { startFakeHost } from "./fake-host";
import { machine, recordFigures, writeSection } from "./results";

const ROOT = resolve(import.meta.dirname, "..");
export const SOAK_READERS = 200_000;
const RATE = 1000;

/** The documented day: ten minutes, digests due over eight of them. */
function sizeFor(readers: number): SoakSize {
  const scale = readers / SOAK_READERS;
  return {
    readers,
    daySeconds: Math.max(60, Math.round(600 * scale)),
    digestMinutes: Math.max(1, Math.round(8 * scale)),
    stories: Math.max(8, Math.round(40 * scale)),
    updatesPerSecond: 10,
    rate: RATE,
    concurrency: concurrencyFor(RATE),
    instantBatchMinutes: 1,
    downSeconds: 5,
    drainSeconds: 900,
  };
}

const n = (v: number) => v.toLocaleString("en-US");
const s = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)} s`);
const mb = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} MB` : "–");

/** Largest over smallest of RSS at the start, middle and end: flat is at most 1.10. */
function spread(p: RssLevels): number {
  const figures = [p.start, p.middle, p.end].filter(Number.isFinite);
  return Math.max(...figures) / Math.min(...figures);
}

function tables(r: SoakReport): string {
  const c = r.counts;
  const kinds = [
    ["digests", c.digests],
    ["breaking news (3 broadcasts, one topic each)", c.broadcasts],
    ["stories to followers (as it happens, keyword)", c.instant],
    ["answers to webhook updates", c.replies],
    ["all", c.total],
  ] as const;
  const counts = [
    "| messages | expected | lost | duplicates |",
    "| --- | --- | --- | --- |",
    ...kinds.map(([k, t]) => `| ${k} | ${n(t.expected)} | ${t.lost} | ${t.duplicates} |`),
  ].join("\n");
  const faults = [
    "| fault | outbox rows waiting | another process leads sending / all answer /readyz 200 | first bulk send after | every process ready |",
    "| --- | --- | --- | --- | --- |",
    `| SIGKILL of the sending leader (started again at once) | ${n(r.kill.pendingAtFault)} | ${s(r.kill.takeoverSeconds)} after the kill | ${s(r.kill.sendingSeconds)} after the kill | ${s(r.kill.allReadySeconds)} after the kill |`,
    `| PostgreSQL stopped (\`pg_ctl stop -m fast\`), started ${r.database.downSeconds.toFixed(1)} s later | ${n(r.database.pendingAtFault)} | ${s(r.database.readySeconds)} after the start | ${s(r.database.sendingSeconds)} after the start | ${s(r.database.readySeconds)} after the start (/readyz while down: ${r.database.statusesWhileDown.join(", ")}) |`,
  ].join("\n");
  const spans = (name: string, list: [number, number][]) =>
    list.length
      ? [`${name} ${list.map(([from, to]) => `${from.toFixed(0)}–${to.toFixed(0)} s`).join(", ")}`]
      : [];
  const led = (p: SoakReport["rss"][number]) =>
    [
      ...spans("sending", p.led.sending),
      ...spans("digests", p.led.digest),
      ...spans("news as it happens", p.led.instant),
    ].join("; ") || "–";
  const rss = [
    "| process | pid | start | middle | end | largest ÷ smallest | idle after the drain | lowest–highest sample | led (seconds into the day) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.rss.map(
      (p) =>
        `| ${p.slot + 1}${p.role ? ` (${p.role})` : ""} | ${p.pid} | ${mb(p.start)} | ${mb(p.middle)} | ${p.role === "killed" ? `${mb(p.end)} before the kill` : mb(p.end)} | ${spread(p).toFixed(2)} | ${mb(p.idle)} | ${mb(p.low)}–${mb(p.high)} | ${led(p)} |`,
    ),
  ].join("\n");
  const role = (name: string, l: RssLevels) =>
    `| ${name} | ${mb(l.start)} | ${mb(l.middle)} | ${mb(l.end)} | ${spread(l).toFixed(2)} |`;
  const byRole = [
    "| role, whichever process held it | start | middle | end | largest ÷ smallest |",
    "| --- | --- | --- | --- | --- |",
    role("leading send:telegram", r.rssByRole.sending),
    role("the others", r.rssByRole.others),
  ].join("\n");
  return `${counts}\n\n${faults}\n\n${rss}\n\n${byRole}`;
}

export async function benchSoak(options: { readers?: number } = {}): Promise<string> {
  const readers = options.readers ?? SOAK_READERS;
  const size = sizeFor(readers);
  const load = loadavg()[0] ?? 0;
  // Child processes run the CLI bundle, as `npm start` does after `npm ci`.
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
  const server = await startPrivatePostgres();
  const fake = await startFakeHost(
    {
      latencyMs: 50,
      limits: { globalPerSecond: 30, paidGlobalPerSecond: RATE, perChatPerSecond: 1 },
    },
    { marks: MARKS },
  );
  const started = Date.now();
  let report: SoakReport;
  let sends: Awaited<ReturnType<typeof fake.recorded>>["sends"] = [];
  try {
    report = await runNewsroomDay({
      size,
      server,
      platform: {
        apiRoot: fake.apiRoot,
        token: fake.token,
        bulkSent: () => fake.bulkSent(),
        received: async () => {
          sends = (await fake.recorded()).sends;
          return sends.filter((c) => c.ok).map((c) => ({ chatId: c.chatId, marks: c.marks ?? [] }));
        },
      },
      log: (line) => process.stderr.write(`soak: ${line}\n`),
    });
  } finally {
    await fake.close();
    await server.destroy();
  }
  const wall = (Date.now() - started) / 1000;
  const r = report;
  // What a loss looked like from the fake's side: every call to that chat, answered or not.
  for (const example of r.counts.lostExamples) {
    const chat = example.split(" to ")[1];
    const calls = sends
      .filter((c) => c.chatId === chat)
      .map(
        (c) =>
          `${new Date(c.at).toISOString().slice(11, 23)} ${c.ok ? "ok" : "refused"} ${(c.marks ?? []).join(",")}`,
      );
    process.stderr.write(`soak: lost ${example}:\n  ${calls.join("\n  ")}\n`);
  }
  recordFigures("soak", {
    readers,
    lost: r.counts.total.lost,
    duplicates: r.counts.total.duplicates,
    inFlightBound: r.inFlightBound,
    storiesInBoth: r.counts.storiesInBoth,
    killTakeoverSeconds: r.kill.takeoverSeconds,
    killSendingSeconds: r.kill.sendingSeconds,
    killAllReadySeconds: r.kill.allReadySeconds,
    databaseDownSeconds: r.database.downSeconds,
    databaseReadySeconds: r.database.readySeconds,
    databaseSendingSeconds: r.database.sendingSeconds,
    rssMb: r.rss.map((p) => ({
      slot: p.slot + 1,
      ...(p.role ? { role: p.role } : {}),
      mb: [p.start, p.middle, p.end].map((v) => (Number.isFinite(v) ? Math.round(v) : null)),
      spread: Number(spread(p).toFixed(2)),
      idleMb: Number.isFinite(p.idle) ? Math.round(p.idle) : null,
      lowHighMb: [Math.round(p.low), Math.round(p.high)],
      ledSeconds: p.led,
    })),
    rssByRoleMb: Object.fromEntries(
      Object.entries(r.rssByRole).map(([k, l]) => [
        k,
        {
          mb: [l.start, l.middle, l.end].map((v) => Math.round(v)),
          spread: Number(spread(l).toFixed(2)),
        },
      ]),
    ),
    unexpectedExits: r.unexpectedExits,
    outboxPending: r.outbox.pending,
    daySeconds: r.daySeconds,
    drainSeconds: r.drainSeconds,
    wallSeconds: wall,
  });
  const text = tables(r);
  if (readers !== SOAK_READERS) return text;
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load.toFixed(1)} when the bench began (other work ran beside it).

\`npm run bench -- soak\` (test/helpers/soak/day.ts; its short form, 2,000 readers in a 25 s
day, is test/processes/soak.test.ts). Three \`bantin start\` (the CLI bundle, with \`npm start\`'s V8 flags: ${startHeapFlags()
    .map((f) => `\`${f}\``)
    .join(" ")}) in webhook mode on
a PostgreSQL server of the bench's own (initdb in a temp folder), \`TELEGRAM_RATE=${RATE}\` with
paid broadcasts, ${r.size.concurrency} sends in flight, \`INSTANT_BATCH_MINUTES=1\`, the default
60 s lease; the fake Bot API in a child process allows ${RATE}/s paid, 30/s otherwise, 1 a second
per chat, and answers after 50 ms. ${n(readers)} readers, each following one of four topics,
with digests due over ${r.size.digestMinutes} minutes of a ${r.size.daySeconds} s day; three
breaking-news broadcasts (to one topic's readers each); ${r.size.stories} stories stored during
the day for the 1 % who follow their topic as it happens and the 0.4 % who follow a keyword;
"/trogiup" webhook updates at ${r.size.updatesPerSecond}/s from many chats, posted round robin
to the three processes and posted again until one answers 200. A third of the way in, the
process leading \`send:telegram\` (its /readyz) is killed with SIGKILL and started again at once;
later PostgreSQL is stopped and started. Lost and duplicates come from what the fake received
set against what each reader should have got (a story counts as reached once whether it came
as it happens or in the digest); duplicates may be at most the sends in flight at the two
faults (${r.inFlightBound}). ${r.counts.storiesInBoth} follower–story pairs came both as it
happens and in a digest (not a message sent twice, so not counted as a duplicate; a release
takes its waiting stories first and leaves out what the reader's last digest looked at). The day took
${r.daySeconds.toFixed(0)} s, the outbox drained ${r.drainSeconds.toFixed(0)} s after it
(outbox at the end: ${r.outbox.pending} pending, ${r.outbox.dead} dead), ${n(Math.round(r.bulkPerSecond))}
bulk sends a second on average; webhook updates: ${n(r.webhook.accepted)} acknowledged, ${n(r.webhook.retried)} posts
refused or unanswered during the faults and posted again. Processes that exited unasked: ${r.unexpectedExits}.
RSS is VmRSS of each \`bantin start\`, sampled every half second. A process at work swings by
tens of MB within seconds as the garbage collector runs (the lowest and highest samples show how
far), so its start, middle and end are its level: the median over a tenth of the day each (the
first tenth, the tenth around the middle, the last tenth, while the day's work goes on). The
process killed ends with the tenth before the kill, and the one started in its place starts once
every process is ready again. Idle is the median over 5 s once the outbox drained after the day.
Each process's /readyz, asked every 2 s, says which jobs it leads (sending, the digests, news as
it happens). The one leading sending holds its sends in flight with their sockets and buffers,
so the second table gives the same three levels by role, from the samples of whichever process
held it then.

${text}`;
  writeSection("Soak: a newsroom's day with faults", body);
  return text;
}
