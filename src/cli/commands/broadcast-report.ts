import type { Command } from "commander";
import { systemClock } from "../../clock";
import {
  type BroadcastReport,
  BroadcastReportError,
  broadcastReport,
  type PlatformReport,
} from "../../services/broadcast-report";
import { formatLocalDateTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

function seconds(s: number | null): string {
  return s === null ? "not yet" : `${s} s`;
}

/** "telegram: 24 sent, 1 blocked, 0 failed · 50% in 0.4 s, …· 3 opens" for one platform. */
function platformLine(row: PlatformReport, hours: number): string {
  const held = row.cancelled ? `, ${row.cancelled} held back` : "";
  const waiting = row.waiting ? `, ${row.waiting} waiting` : "";
  const opens = row.opens === null ? "" : ` · ${row.opens} opened the story within ${hours} h`;
  return `  ${row.platform}: ${row.sent} sent, ${row.blocked} blocked, ${row.failed} failed${held}${waiting} of ${row.readers} · 50% in ${seconds(row.secondsTo50)}, 90% in ${seconds(row.secondsTo90)}, 100% in ${seconds(row.secondsTo100)}${opens}`;
}

function printReport(cli: Cli, report: BroadcastReport, timeZone: string): void {
  const at = (iso: string | null) => (iso ? formatLocalDateTime(iso, timeZone) : "");
  cli.line(
    `Broadcast ${report.id} (${report.state}), by ${report.author}, written ${at(report.createdAt)}${report.startedAt ? `, started ${at(report.startedAt)}` : ""}${report.finishedAt ? `, finished ${at(report.finishedAt)}` : ""} (${timeZone})`,
  );
  if (report.platforms.length === 0) {
    cli.line(
      report.startedAt ? "  It was written for no reader." : "  Not sent yet: nothing to report.",
    );
    return;
  }
  for (const row of report.platforms) cli.line(platformLine(row, report.opensWindowHours));
  const t = report.total;
  cli.line(
    `  all: ${t.sent} sent, ${t.blocked} blocked, ${t.failed} failed of ${t.readers}${t.opens === null ? " · no story attached, so no opens to count" : ` · ${t.opens} opened the story within ${report.opensWindowHours} h`}`,
  );
}

/**
 * `bantin broadcast report <id> [--json]`: the reach of one broadcast by platform. Registered
 * under the `broadcast` command (which must be registered first).
 */
export function registerBroadcastReport(program: Command, cli: Cli): void {
  const broadcast = program.commands.find((c) => c.name() === "broadcast");
  if (!broadcast) throw new Error("register the broadcast command before its report");
  broadcast
    .command("report")
    .description(
      "reach of one broadcast by platform: sent, blocked, failed, time to 50/90/100 %, opens of its story within 24 h",
    )
    .argument("<id>", "the broadcast id")
    .option("--json", "print the report as JSON (see docs/CLI.md)")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const broadcastId = parseId(id, "broadcast id");
      // `broadcast` has a --json of its own, which takes the flag wherever it is typed.
      const json = options.json || command.optsWithGlobals().json === true;
      await cli.withContext(async ({ database, config }) => {
        let report: BroadcastReport;
        try {
          report = await broadcastReport(database.db, broadcastId, systemClock().toISOString());
        } catch (error) {
          if (error instanceof BroadcastReportError) throw new UsageError(error.message);
          throw error;
        }
        if (json) return cli.json(report);
        printReport(cli, report, config.defaults.timeZone);
      });
    });
}
