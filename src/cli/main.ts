/** The `bantin` process: the CLI run on this process's arguments, streams and signals. */
import { processIo } from "./io";
import { run } from "./run";

process.exitCode = await run(process.argv.slice(2), processIo());
