import { createInterface } from "node:readline/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { platformSenders } from "../../adapters/index";
import { broadcastMessage } from "../../broadcasts/message";
import { systemClock } from "../../clock";
import type { Config } from "../../config";
import type { Db } from "../../db/schema";
import { broadcastReach } from "../../delivery/reach";
import { createDeliveryWorker, type DeliveryWorker } from "../../delivery/worker";
import { holdLogsDuring, type Logger } from "../../logging";
import { linesToPlainText } from "../../message/render/plain";
import {
  BroadcastError,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../services/broadcasts";
import { type Cli, parseId, UsageError } from "../context";

const ACTOR = "cli";

/**
 * Senders for the platforms this process has a token for (the server's, with their own limits),
 * each call given up after `timeoutSeconds`.
 */
function workersFor(
  config: Config,
  db: Db,
  logger: Logger,
  timeoutSeconds: number,
): DeliveryWorker[] {
  return platformSenders(config, { timeoutSeconds }).map((sender) =>
    createDeliveryWorker({
      ...sender,
      db,
      clock: systemClock,
      logger,
      leaseMs: config.delivery.leaseSeconds * 1000,
    }),
  );
}

async function confirmOnTerminal(cli: Cli, question: string): Promise<boolean> {
  const rl = createInterface({ input: cli.io.stdin, output: cli.io.stderr });
  try {
    return /^(y|yes|c|có|co)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerBroadcast(program: Command, cli: Cli): void {
  program
    .command("broadcast")
    .description("send breaking news to everyone, one topic or one platform, with progress")
    .argument("[text...]", "the news, in a few sentences")
    .option("--article <id>", "a stored story to send with it")
    .option("--topic <slug>", "only readers of this topic")
    .option("--platform <platform>", "only telegram or zalo readers")
    .option("--yes", "send without asking")
    .option(
      "--wait <seconds>",
      "stop waiting when nothing has gone out for this long (a platform not answering): what is left stays queued for the running bantin",
      "60",
    )
    .option("--json", "print the outcome as JSON")
    .action(
      async (
        words: string[],
        options: {
          article?: string;
          topic?: string;
          platform?: string;
          yes?: boolean;
          wait: string;
          json?: boolean;
        },
      ) => {
        const waitSeconds = parseId(options.wait, "--wait");
        if (waitSeconds < 1 || waitSeconds > 86_400) {
          throw new UsageError("--wait must be from 1 to 86400 seconds");
        }
        const articleId =
          options.article === undefined ? null : parseId(options.article, "--article");
        await cli.withContext(async ({ database, config, logger }) => {
          const db = database.db;
          const now = () => systemClock().toISOString();
          let preview: Awaited<ReturnType<typeof prepareBroadcast>>;
          try {
            preview = await prepareBroadcast(
              db,
              {
                author: ACTOR,
                text: words.join(" "),
                articleId,
                topicSlug: options.topic ?? null,
                platform: options.platform ?? null,
              },
              now(),
            );
          } catch (error) {
            if (error instanceof BroadcastError) throw new UsageError(error.message);
            throw error;
          }
          const id = preview.broadcast.id;
          const shown = linesToPlainText(
            broadcastMessage(preview.broadcast, preview.article, "vi", config.newsroomName).lines,
          );
          if (!options.json) {
            cli.line(shown);
            cli.line();
            cli.line(
              `Broadcast ${id} would reach ${preview.audience} reader(s)${preview.topic ? ` of ${preview.topic.slug}` : ""}${options.platform ? ` on ${options.platform}` : ""}.`,
            );
          }
          if (!options.yes) {
            if (!cli.io.stdin.isTTY) {
              await cancelBroadcast(db, id, ACTOR, now());
              throw new UsageError("not sent: add --yes to send without a terminal to confirm on");
            }
            if (
              !(await confirmOnTerminal(
                cli,
                `Send broadcast ${id} to ${preview.audience} reader(s)? [y/N] `,
              ))
            ) {
              await cancelBroadcast(db, id, ACTOR, now());
              cli.line("Not sent.");
              return;
            }
          }
          const total = await confirmBroadcast(db, id, ACTOR, now(), config.newsroomName);
          // A call the platform does not answer is given up within --wait (5 to 30 s).
          const callSeconds = Math.min(30, Math.max(5, waitSeconds));
          const workers = workersFor(
            config,
            db,
            logger.child({ subsystem: "broadcast" }),
            callSeconds,
          );
          const showBar = cli.showsProgress(options.json);
          const bar = new SingleBar({
            format:
              "broadcast [{bar}] {value}/{total} | sent {sent} · blocked {blocked} · failed {failed}",
            stream: cli.io.stderr,
            hideCursor: true,
          });
          holdLogsDuring(bar); // log lines wait until the bar is gone
          if (showBar) bar.start(total, 0, { sent: 0, blocked: 0, failed: 0 });
          let cancelled = false;
          const onInterrupt = () => {
            cancelled = true;
            void cancelBroadcast(db, id, ACTOR, now());
          };
          // Ctrl-C only: a SIGTERM leaves what is waiting to the running bantin.
          const offInterrupt = cli.io.onInterrupt(onInterrupt, ["SIGINT"]);
          const gone = (s: { sent: number; blocked: number; failed: number; cancelled: number }) =>
            s.sent + s.blocked + s.failed + s.cancelled;
          let stalled = false;
          try {
            let status = await broadcastStatus(db, id, now());
            let lastProgress = Date.now();
            while (workers.length > 0 && !status.finished && !cancelled) {
              const before = gone(status);
              await Promise.all(workers.map((w) => w.drain()));
              status = await broadcastStatus(db, id, now());
              if (gone(status) > before) lastProgress = Date.now();
              else if (Date.now() - lastProgress >= waitSeconds * 1000) {
                // Nothing went out for --wait: the CLI never hangs on a platform.
                stalled = true;
                break;
              }
              if (showBar) {
                bar.update(total - status.left, {
                  sent: status.sent,
                  blocked: status.blocked,
                  failed: status.failed,
                });
              }
              // Rows waiting for a retry: look again shortly.
              if (!status.finished) await new Promise((r) => setTimeout(r, 500));
            }
          } finally {
            offInterrupt();
            if (showBar) bar.stop();
          }
          const status = await broadcastStatus(db, id, now());
          if (stalled && status.left > 0) {
            cli.io.stderr.write(
              `bantin: ${status.left} message(s) still wait: the platform did not answer within ${waitSeconds} s; the running bantin (npm start) sends them as the platform answers again\n`,
            );
          }
          const reach = status.broadcast.startedAt
            ? await broadcastReach(db, id, status.broadcast.startedAt)
            : [];
          if (options.json) {
            return cli.json({
              id,
              total: status.total,
              sent: status.sent,
              blocked: status.blocked,
              failed: status.failed,
              cancelled: status.cancelled,
              waiting: status.left,
              state: status.broadcast.state,
              reach,
            });
          }
          cli.line(
            `Broadcast ${id}: ${status.sent} sent, ${status.blocked} blocked, ${status.failed} failed, ${status.cancelled} cancelled, ${status.left} waiting (of ${status.total}).`,
          );
          const seconds = (s: number | null) => (s === null ? "not yet" : `${s} s`);
          for (const r of reach) {
            cli.line(
              `  ${r.platform}: half reached in ${seconds(r.half)}, 90% in ${seconds(r.ninetyPercent)}, all in ${seconds(r.all)}`,
            );
          }
          if (status.left > 0 && workers.length === 0) {
            cli.line(
              "No platform token here: the running bantin (npm start) sends what is waiting.",
            );
          }
        });
      },
    );
}
