/**
 * `bantin broadcast list`, `change` and `cancel`: the broadcasts waiting for their time (and the
 * latest others), a scheduled one's new time or text, and calling one off before it goes.
 */
import type { Command } from "commander";
import { type Broadcast, getBroadcast, listBroadcasts } from "../../broadcasts/broadcasts";
import { systemClock } from "../../clock";
import { NotFoundError } from "../../db/errors";
import type { Db } from "../../db/schema";
import { findOutboxItem } from "../../delivery/outbox";
import type { DeliveryWorker } from "../../delivery/worker";
import {
  changeScheduledBroadcast,
  scheduledBroadcasts,
  type TestSend,
} from "../../services/broadcast-desk";
import { BroadcastError, cancelBroadcast } from "../../services/broadcasts";
import { formatEditorTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

const ACTOR = "cli";
/** Broadcasts listed besides the scheduled ones. */
const RECENT = 10;

/** "2026-12-05 14:00 (GMT+7)", as every time editors read. */
export function sendAtWords(iso: string, timeZone: string): string {
  return formatEditorTime(iso, timeZone);
}

/**
 * Sends a test's messages now where this process has a platform's token, and says how they
 * went; what no sender here can send stays for the running bantin.
 */
export async function waitForTest(
  db: Db,
  workers: DeliveryWorker[],
  messages: TestSend["messages"],
  waitSeconds: number,
): Promise<{ sent: number; failed: number; waiting: number }> {
  const count = async () => {
    const items = await Promise.all(messages.map((m) => findOutboxItem(db, m.readerId, m.key)));
    return {
      sent: items.filter((i) => i?.state === "sent").length,
      failed: items.filter((i) => i && i.state !== "sent" && i.state !== "pending").length,
      waiting: items.filter((i) => !i || i.state === "pending").length,
    };
  };
  let counts = await count();
  const started = Date.now();
  while (workers.length > 0 && counts.waiting > 0 && Date.now() - started < waitSeconds * 1000) {
    await Promise.all(workers.map((w) => w.drain()));
    counts = await count();
    if (counts.waiting > 0) await new Promise((r) => setTimeout(r, 300));
  }
  return counts;
}

function row(b: Broadcast, timeZone: string) {
  return {
    id: b.id,
    state: b.state,
    sendAt: b.sendAt,
    author: b.author,
    text: b.text,
    articleId: b.articleId,
    photo: b.photoUrl,
    total: b.total,
    createdAt: b.createdAt,
    shown: b.sendAt ? sendAtWords(b.sendAt, timeZone) : "",
  };
}

function said(error: unknown): never {
  if (error instanceof BroadcastError) throw new UsageError(error.message);
  if (error instanceof NotFoundError) throw new UsageError(error.message);
  throw error;
}

export function registerBroadcastDesk(broadcast: Command, cli: Cli): void {
  broadcast
    .command("list")
    .description("broadcasts waiting for their time (soonest first), then the latest others")
    .option("--json", "print them as JSON")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ database, config }) => {
        const zone = config.defaults.timeZone;
        const scheduled = await scheduledBroadcasts(database.db);
        const recent = (await listBroadcasts(database.db, { limit: RECENT + scheduled.length }))
          .filter((b) => b.state !== "scheduled")
          .slice(0, RECENT);
        if (options.json) {
          return cli.json({
            scheduled: scheduled.map((b) => row(b, zone)),
            recent: recent.map((b) => row(b, zone)),
          });
        }
        const text = (b: Broadcast) => {
          const chars = [...b.text.replace(/\s+/g, " ")];
          return chars.length > 50 ? `${chars.slice(0, 49).join("")}…` : chars.join("");
        };
        if (scheduled.length === 0) cli.line("No broadcast is scheduled.");
        else {
          cli.line("Scheduled:");
          cli.table(
            ["id", "sends at", "by", "text"],
            scheduled.map((b) => [b.id, sendAtWords(b.sendAt ?? "", zone), b.author, text(b)]),
          );
        }
        if (recent.length > 0) {
          cli.line();
          cli.line("Latest:");
          cli.table(
            ["id", "state", "created", "messages", "text"],
            recent.map((b) => [
              b.id,
              b.state,
              formatEditorTime(b.createdAt, zone),
              b.state === "draft" ? "" : b.total,
              text(b),
            ]),
          );
        }
      });
    });

  broadcast
    .command("change")
    .description("change a scheduled broadcast's time or text before it goes")
    .argument("<id>", "the broadcast")
    .option(
      "--at <time>",
      "the new time: an ISO time or HH:MM (next such time in DEFAULT_TIMEZONE)",
    )
    .option("--text <text>", "the new text")
    .option("--json", "print the broadcast as JSON")
    .action(async (rawId: string, options: { at?: string; text?: string; json?: boolean }) => {
      const id = parseId(rawId, "broadcast id");
      if (options.at === undefined && options.text === undefined) {
        throw new UsageError("say what to change: --at <time> and/or --text <text>");
      }
      await cli.withContext(async ({ database, config }) => {
        const zone = config.defaults.timeZone;
        let changed: Broadcast;
        try {
          changed = await changeScheduledBroadcast(
            database.db,
            id,
            ACTOR,
            { at: options.at ?? null, text: options.text ?? null, timeZone: zone },
            systemClock().toISOString(),
          );
        } catch (error) {
          said(error);
        }
        if (options.json) return cli.json(row(changed, zone));
        cli.line(`Broadcast ${id} is scheduled for ${sendAtWords(changed.sendAt ?? "", zone)}.`);
      });
    });

  broadcast
    .command("cancel")
    .description("call off a scheduled broadcast (or stop one being sent)")
    .argument("<id>", "the broadcast")
    .action(async (rawId: string) => {
      const id = parseId(rawId, "broadcast id");
      await cli.withContext(async ({ database }) => {
        let state: string;
        try {
          state = (await getBroadcast(database.db, id)).state;
        } catch (error) {
          said(error);
        }
        if (state === "done" || state === "cancelled") {
          throw new UsageError(`broadcast ${id} is already ${state}: there is nothing to cancel`);
        }
        const held = await cancelBroadcast(database.db, id, ACTOR, systemClock().toISOString());
        cli.line(
          state === "sending"
            ? `Broadcast ${id} stopped: ${held} message(s) held back.`
            : `Broadcast ${id} cancelled: it will not be sent.`,
        );
      });
    });
}
