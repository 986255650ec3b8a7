import { CommanderError } from "commander";
import { buildProgram } from "./program";

/**
 * Output piped into something that stops reading (`bantin article 6 | head -1`) is not an
 * error: the rest of the output is dropped, the command finishes its work and exits with the
 * status it would have had. (Node ignores SIGPIPE, so a closed pipe shows up as EPIPE here.)
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      stream.write = () => true;
      return;
    }
    throw error;
  });
}

/** The CLI's front: every failure ends as one line on stderr and a non-zero exit. */
async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (help, version, unknown command or option).
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bantin: ${message.split("\n")[0]}\n`);
    if (process.env.BANTIN_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
