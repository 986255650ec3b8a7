import { benchBroadcast } from "./broadcast";
import { benchDigest } from "./digest";
import { benchFeedPool } from "./feed-pool";
import { benchInbox } from "./inbox";
import { benchIngest } from "./ingest";
import { benchRecovery } from "./recovery";
import { benchSearch } from "./search";
import { benchSearchReply } from "./telegram-search-reply";

// Runs every benchmark and writes docs/BENCHMARKS.md. Figures come from this run only.
const benches: [string, () => Promise<string>][] = [
  ["Reply to /search in webhook mode", () => benchSearchReply()],
  ["Search at 200,000 stories", benchSearch],
  ["Updates in: the inbox", benchInbox],
  ["Broadcast delivery", benchBroadcast],
  ["Recovery after SIGKILL", benchRecovery],
  ["Feed checks", benchFeedPool],
  ["Ingest: stories stored per second", benchIngest],
  ["Digest slot: compose and enqueue", benchDigest],
];
for (const [title, run] of benches) process.stdout.write(`${title}\n${await run()}\n\n`);
process.stdout.write("Written to docs/BENCHMARKS.md\n");
