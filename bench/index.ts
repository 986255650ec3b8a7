import { benchBroadcast } from "./broadcast";
import { benchDigest } from "./digest";
import { benchFeedPool } from "./feed-pool";
import { benchInbox } from "./inbox";
import { benchIngest } from "./ingest";
import { benchRecovery } from "./recovery";
import { takeFigures } from "./results";
import { benchSearch } from "./search";
import { benchSoak } from "./soak";
import { benchSearchReply } from "./telegram-search-reply";

/**
 * `npm run bench` runs every benchmark and writes docs/BENCHMARKS.md (figures from this run
 * only). `npm run bench -- <section> [--readers N] [--stories N]` runs one section; at a size
 * other than the documented one it prints its figures without touching the document. Each
 * section ends with one JSON line of its figures, for scripts.
 */
type Options = { readers?: number; stories?: number };

const SECTIONS: Record<string, { title: string; run: (o: Options) => Promise<string> }> = {
  "search-reply": { title: "Reply to /search in webhook mode", run: () => benchSearchReply() },
  search: { title: "Search", run: (o) => benchSearch({ stories: o.stories }) },
  inbox: { title: "Updates in: the inbox", run: () => benchInbox() },
  broadcast: { title: "Broadcast delivery", run: () => benchBroadcast() },
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
function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function sizeFlag(args: string[], name: string): number | undefined {
  const at = args.indexOf(`--${name}`);
  if (at === -1) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1)
    fail(`--${name} needs a whole number, not "${args[at + 1] ?? ""}"`);
  return value;
}

const [first, ...rest] = process.argv.slice(2);
const named = first && !first.startsWith("--") ? first : undefined;
const args = named ? rest : process.argv.slice(2);
if (named && !SECTIONS[named]) {
  fail(`no section "${named}"; sections: ${Object.keys(SECTIONS).join(", ")}`);
}
const options: Options = { readers: sizeFlag(args, "readers"), stories: sizeFlag(args, "stories") };

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
