import { benchBroadcast } from "./broadcast";
import { benchBroadcastConfirm } from "./broadcast-confirm";
import { benchDigest } from "./digest";
import { benchFeedPool } from "./feed-pool";
import { benchInbox } from "./inbox";
import { benchIngest } from "./ingest";
import { parseBenchArgs, type SizeOptions } from "./options";
import { benchRecovery } from "./recovery";
import { takeFigures } from "./results";
import { benchSearch } from "./search";
import { benchSoak } from "./soak";
import { benchSearchReply } from "./telegram-search-reply";

/**
 * `npm run bench` runs every benchmark and writes docs/BENCHMARKS.md (figures from this run
 * only). `npm run bench -- <section> [--readers N] [--stories N] [--processes N]` runs one
 * section (bench/options.ts reads the flags); at a size other than the documented one it prints
 * its figures without touching the document, except the digest, which keeps a section per size
 * ("Digest slot at 1,000,000 readers"). Each section ends with one JSON line of its figures,
 * for scripts.
 */
const SECTIONS: Record<string, { title: string; run: (o: SizeOptions) => Promise<string> }> = {
  "search-reply": { title: "Reply to /search in webhook mode", run: () => benchSearchReply() },
  search: { title: "Search", run: (o) => benchSearch({ stories: o.stories }) },
  inbox: { title: "Updates in: the inbox", run: () => benchInbox() },
  broadcast: {
    title: "Broadcast delivery",
    run: (o) => benchBroadcast({ readers: o.readers, processes: o.processes }),
  },
  "broadcast-confirm": {
    title: "Broadcast: confirm to enqueued",
    run: (o) => benchBroadcastConfirm({ readers: o.readers }),
  },
  recovery: { title: "Recovery after SIGKILL", run: () => benchRecovery() },
  feeds: { title: "Feed checks", run: () => benchFeedPool() },
  ingest: { title: "Ingest: stories stored per second", run: () => benchIngest() },
  digest: {
    title: "Digest slot: compose and enqueue",
    run: (o) => benchDigest({ readers: o.readers }),
  },
  soak: {
    title: "Soak: a newsroom's day with faults",
    run: (o) => benchSoak({ readers: o.readers }),
  },
};
const parsed = parseBenchArgs(process.argv.slice(2), Object.keys(SECTIONS));
if ("error" in parsed) {
  process.stderr.write(`bench: ${parsed.error}\n`);
  process.exit(2);
}
const { section: named, options } = parsed;

for (const [name, section] of Object.entries(SECTIONS)) {
  if (named && name !== named) continue;
  const started = performance.now();
  process.stdout.write(`${section.title}\n${await section.run(options)}\n`);
  // Sections without figures of their own (yet) give their time.
  const figures = takeFigures() ?? {
    section: name,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n\n`);
}
if (!named) process.stdout.write("Written to docs/BENCHMARKS.md\n");
