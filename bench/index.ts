import { benchSearchReply } from "./telegram-search-reply";

// Runs every benchmark and writes docs/BENCHMARKS.md. Figures come from this run only.
const table = await benchSearchReply();
process.stdout.write(
  `Reply to /search in webhook mode\n${table}\n\nWritten to docs/BENCHMARKS.md\n`,
);
