import { benchBroadcast } from "./broadcast";
import { benchDigest } from "./digest";
import { benchFeedPool } from "./feed-pool";
import { benchInbox } from "./inbox";
import { benchRecovery } from "./recovery";
import { benchSearchReply } from "./telegram-search-reply";

// Runs every benchmark and writes docs/BENCHMARKS.md. Figures come from this run only.
const benches: [string, () => Promise<string>][] = [
  ["Reply to /search in webhook mode", () => benchSearchReply()],
  ["Updates in: the inbox", benchInbox],
  ["Broadcast delivery", benchBroadcast],
  ["Recovery after SIGKILL", benchRecovery],
  ["Feed checks", benchFeedPool],
  ["Digest slot: compose and enqueue", benchDigest],
];
for (const [title, run] of benches) process.stdout.write(`${title}\n${await run()}\n\n`);
process.stdout.write("Written to docs/BENCHMARKS.md\n");
