import type { Command } from "commander";
import { type AuditEntry, countAudit, listAudit } from "../../editors/audit";
import { describeAudit } from "../../editors/audit-actions";
import { editorNames, showEditor } from "../../editors/editor-names";
import { catalogue } from "../../message/i18n";
import { formatEditorTime } from "../../text/time";
import { type Cli, UsageError } from "../context";

const AGE = /^(\d{1,6})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** A date, or a date and time, in ISO 8601: 2026-01-27, 2026-01-27T08:00, …Z or …+07:00. */
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `--since`: an age back from now (`30m`, `24h`, `7d`, `2w`) or an ISO time (a date alone is
 * its midnight UTC; a time without a zone is UTC). Returns the ISO instant.
 */
export function parseSince(text: string, now: Date): string {
  const age = AGE.exec(text);
  if (age) {
    const [, n, unit] = age;
    return new Date(
      now.getTime() - Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS],
    ).toISOString();
  }
  if (ISO.test(text)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) || !text.includes(":") ? text : `${text}Z`;
    const at = new Date(zoned.replace(" ", "T"));
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  throw new UsageError(
    `--since must be an age like 24h or 7d (m, h, d, w) or an ISO time like 2026-01-27T08:00Z, not "${text.slice(0, 40)}"`,
  );
}

/** `--actor`: `platform:id` (`telegram:123`), or a bare word for the command line (`cli`). */
function parseActor(text: string): string {
  if (!/^[a-z]+(:[^\s:]+)?$/.test(text)) {
    throw new UsageError(
      `--actor must be platform:id (e.g. telegram:12345) or cli, not "${text.slice(0, 40)}"`,
    );
  }
  return text;
}

/** `--action`: an action or the start of one (`broadcast`, `feed.pause`). */
function parseAction(text: string): string {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(text)) {
    throw new UsageError(
      `--action must be an action or the start of one, e.g. broadcast or feed.pause, not "${text.slice(0, 40)}"`,
    );
  }
  return text;
}

function parseLimit(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100_000) {
    throw new UsageError(`--limit must be a number from 1 to 100000, not "${text.slice(0, 40)}"`);
  }
  return Number(text);
}

/** The details in plain words, cut to a table cell. */
function detailLine(entry: AuditEntry): string {
  const words = describeAudit(entry, catalogue("en").console.audit.say);
  return words.length > 160 ? `${words.slice(0, 159)}…` : words;
}

interface AuditOptions {
  since?: string;
  actor?: string;
  action?: string;
  limit: string;
  json?: boolean;
}

export function registerAudit(program: Command, cli: Cli): void {
  program
    .command("audit")
    .description(
      "the audit log of what editors changed (feeds, topics, breaking news, channels, retries, sign-ins), oldest first",
    )
    .option("--since <time>", "only entries since then: an age (30m, 24h, 7d, 2w) or an ISO time")
    .option("--actor <platform:id>", "only entries by this actor, e.g. telegram:12345 or cli")
    .option(
      "--action <prefix>",
      "only this action or those starting with it, e.g. broadcast (finds broadcast.confirm)",
    )
    .option("--limit <n>", "at most this many (the newest)", "100")
    .option("--json", "print one JSON document")
    .action(async (options: AuditOptions) => {
      const filter = {
        ...(options.since !== undefined ? { since: parseSince(options.since, new Date()) } : {}),
        ...(options.actor !== undefined ? { actor: parseActor(options.actor) } : {}),
        ...(options.action !== undefined ? { action: parseAction(options.action) } : {}),
      };
      const limit = parseLimit(options.limit);
      await cli.withContext(async ({ database, config }) => {
        // The newest `limit`, shown oldest first as a log reads.
        const entries = (await listAudit(database.db, { ...filter, limit })).reverse();
        if (options.json) return cli.json(entries);
        if (entries.length === 0) return cli.line("No audit entries.");
        const names = await editorNames(database.db);
        const zone = config.defaults.timeZone;
        cli.table(
          ["time", "actor", "action", "details"],
          entries.map((e) => [
            formatEditorTime(e.at, zone),
            showEditor(e.actor, names.get(e.actor)),
            e.action,
            detailLine(e),
          ]),
        );
        const total = await countAudit(database.db, filter);
        if (total > entries.length) {
          cli.line(`(the newest ${entries.length} of ${total}; --limit shows more)`);
        }
      });
    });
}
