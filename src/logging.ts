import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/** The root logger; subsystems take `logger.child({ subsystem: "ingest" })`. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: "bantin" } }, destination ?? pino.destination(2));
}

/** For tests and library use: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
