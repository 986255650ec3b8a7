import { CommanderError } from "commander";
import { describeError } from "../db/errors";
import { Cli } from "./context";
import type { CliIo } from "./io";
import { buildProgram } from "./program";

/**
 * Output piped into something that stops reading (`bantin article 6 | head -1`) is not an
 * error: the rest of the output is dropped, the command finishes its work and exits with the
 * status it would have had. (Node ignores SIGPIPE, so a closed pipe shows up as EPIPE here.)
 */
function quietOnClosedPipe(stream: CliIo["stdout"]): void {
  // Kept after the command: the pipe may report its close only once the last write is flushed.
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      stream.write = () => true;
      return;
    }
    throw error;
  });
}

/**
 * `bantin <args>` as a function: runs one command against `io` and returns its exit status.
 * Every failure ends as one line on stderr and a non-zero status.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  quietOnClosedPipe(io.stdout);
  quietOnClosedPipe(io.stderr);
  const program = buildProgram(new Cli(io, args));
  try {
    await program.parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (help, version, unknown command or option).
      return error.exitCode;
    }
    const message = describeError(error);
    io.stderr.write(`bantin: ${message.split("\n")[0]}\n`);
    if (io.env.BANTIN_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
