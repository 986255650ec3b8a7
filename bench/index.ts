import { benchBroadcast } from "./broadcast";
import { benchDigest } from "./digest";
import { benchSearchReply } from "./telegram-search-reply";

// Runs every benchmark and writes docs/BENCHMARKS.md. Figures come from this run only.
const table = await benchSearchReply();
process.stdout.write(`Reply to /search in webhook mode\n${table}\n\n`);
process.stdout.write(`Updates in: the inbox\n${await (await import("./inbox")).benchInbox()}\n\n`);
const broadcast = await benchBroadcast();
process.stdout.write(`Broadcast delivery\n${broadcast}\n\n`);
process.stdout.write(
  `Recovery after SIGKILL\n${await (await import("./recovery")).benchRecovery()}\n\n`,
);
process.stdout.write(`Feed checks\n${await (await import("./feed-pool")).benchFeedPool()}\n\n`);
const digest = await benchDigest();
process.stdout.write(
  `Digest slot: compose and enqueue\n${digest}\n\nWritten to docs/BENCHMARKS.md\n`,
);
