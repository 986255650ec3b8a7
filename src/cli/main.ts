import { CommanderError } from "commander";
import { buildProgram } from "./program";

/** The CLI's front: every failure ends as one line on stderr and a non-zero exit. */
async function main(argv: string[]): Promise<number> {
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
