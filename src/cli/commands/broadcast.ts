import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { broadcastMessage } from "../../broadcasts/message";
import { systemClock } from "../../clock";
import type { Config } from "../../config";
import type { Db } from "../../db/schema";
import { broadcastReach } from "../../delivery/reach";
import type { DeliveryWorker } from "../../delivery/worker";
import { holdLogsDuring, type Logger } from "../../logging";
import { linesToPlainText } from "../../message/render/plain";
import { testBroadcast } from "../../services/broadcast-desk";
import {
  BroadcastError,
  broadcastStatus,
  cancelBroadcast,
  confirmBroadcast,
  prepareBroadcast,
} from "../../services/broadcasts";
import { type Cli, parseId, UsageError } from "../context";
import { registerBroadcastDesk, sendAtWords, waitForTest } from "./broadcast-desk";

const ACTOR = "cli";

/**
 * Senders for the platforms this process has a token for (the server's, with their own limits),
 * each call given up after `timeoutSeconds`.
 */
export async function workersFor(
  config: Config,
  db: Db,
  logger: Logger,
  timeoutSeconds: number,
): Promise<DeliveryWorker[]> {
  // The platform clients load only for a command that sends.
  const [{ platformSenders }, { createDeliveryWorker }] = await Promise.all([
    import("../../adapters/index"),
    import("../../delivery/worker"),
  ]);
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
  const command = program
    .command("broadcast")
    .description(
      "send breaking news to everyone or a segment (topics, platform, language, delivery mode), now or at a time, with progress",
    )
    .argument("[text...]", "the news, in a few sentences")
    // `broadcast list --json`: options after a subcommand's name are the subcommand's.
    .enablePositionalOptions()
    .option("--article <id>", "a stored story to send with it (its photo too, if it has one)")
    .option(
      "--photo <url>",
      "an image address to send it as a photo with caption (read once, public addresses only)",
    )
    .option("--topic <slugs>", "only readers of these topics (comma list: thoi-su,kinh-te)")
    .option("--platform <platform>", "only telegram or zalo readers")
    .option("--language <vi|en>", "only readers of this language")
    .option(
      "--mode <digest|instant>",
      "only readers who take (those) topics in their digest, or as it happens",
    )
    .option(
      "--at <time>",
      "send later: an ISO time or HH:MM (the next such time in DEFAULT_TIMEZONE)",
    )
    .option(
      "--test",
      "send it only to the editors' own chats (ADMINS), to see what readers would get",
    )
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
          photo?: string;
          topic?: string;
          platform?: string;
          language?: string;
          mode?: string;
          at?: string;
          test?: boolean;
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
        if (options.test && options.at !== undefined) {
          throw new UsageError("--test sends now, to the editors only: leave out --at");
        }
        await cli.withContext(async ({ database, config, logger }) => {
          const db = database.db;
          const now = () => systemClock().toISOString();
          let preview: Awaited<ReturnType<typeof prepareBroadcast>>;
          const [{ createFetcher }, { checkPhotoUrl }] = await Promise.all([
            import("../../news/fetch/http-fetch"),
            import("../../broadcasts/photo"),
          ]);
          const fetcher = createFetcher({ allowPrivate: config.fetch.allowPrivate });
          try {
            preview = await prepareBroadcast(
              db,
              {
                author: ACTOR,
                text: words.join(" "),
                articleId,
                topicSlugs: (options.topic ?? "").split(","),
                platform: options.platform ?? null,
                locale: options.language ?? null,
                mode: options.mode ?? null,
                photoUrl: options.photo ?? null,
                at: options.at ?? null,
                timeZone: config.defaults.timeZone,
              },
              now(),
              { checkPhoto: (url) => checkPhotoUrl(fetcher, url) },
            );
          } catch (error) {
            if (error instanceof BroadcastError) throw new UsageError(error.message);
            throw error;
          } finally {
            await fetcher.close();
          }
          const id = preview.broadcast.id;
          const shown = linesToPlainText(
            broadcastMessage(preview.broadcast, preview.article, "vi", config.newsroomName).lines,
          );
          const segment = [
            preview.topics.length ? ` of ${preview.topics.map((t) => t.slug).join(", ")}` : "",
            options.platform ? ` on ${options.platform}` : "",
            options.language ? ` reading ${options.language}` : "",
            options.mode
              ? ` taking news ${options.mode === "instant" ? "as it happens" : "in their digest"}`
              : "",
          ].join("");
          if (!options.json) {
            if (preview.broadcast.photoUrl) cli.line(`[photo: ${preview.broadcast.photoUrl}]`);
            cli.line(shown);
            cli.line();
            cli.line(`Broadcast ${id} would reach ${preview.audience} reader(s)${segment}.`);
          }
          if (options.test) {
            // A test goes to the editors' own chats only; the draft it was made from is dropped.
            let test: Awaited<ReturnType<typeof testBroadcast>>;
            try {
              test = await testBroadcast(
                db,
                id,
                ACTOR,
                { editors: config.admins, newsroom: config.newsroomName },
                now(),
              );
            } catch (error) {
              await cancelBroadcast(db, id, ACTOR, now());
              if (error instanceof BroadcastError) throw new UsageError(error.message);
              throw error;
            }
            await cancelBroadcast(db, id, ACTOR, now());
            const workers = await workersFor(
              config,
              db,
              logger.child({ subsystem: "broadcast" }),
              15,
            );
            const outcome = await waitForTest(db, workers, test.messages, waitSeconds);
            if (options.json) {
              return cli.json({ id, test: true, chats: test.chats, ...outcome, readers: 0 });
            }
            cli.line(
              `Test of broadcast ${id} sent only to the editors' own chat(s): ${test.chats.join(", ")} (${outcome.sent} sent, ${outcome.waiting} waiting, ${outcome.failed} failed). No reader got it; send it for real without --test.`,
            );
            return;
          }
          if (preview.broadcast.sendAt) {
            const sendAt = sendAtWords(preview.broadcast.sendAt, config.defaults.timeZone);
            if (!options.yes) {
              if (!cli.io.stdin.isTTY) {
                await cancelBroadcast(db, id, ACTOR, now());
                throw new UsageError(
                  "not scheduled: add --yes to schedule without a terminal to confirm on",
                );
              }
              if (
                !(await confirmOnTerminal(cli, `Schedule broadcast ${id} for ${sendAt}? [y/N] `))
              ) {
                await cancelBroadcast(db, id, ACTOR, now());
                cli.line("Not scheduled.");
                return;
              }
            }
            await confirmBroadcast(db, id, ACTOR, now(), config.newsroomName);
            if (options.json) {
              return cli.json({
                id,
                state: "scheduled",
                sendAt: preview.broadcast.sendAt,
                audience: preview.audience,
              });
            }
            cli.line(
              `Broadcast ${id} scheduled for ${sendAt}: the running bantin sends it then, once. Change it with \`bantin broadcast change ${id} --at <time>\` or cancel it with \`bantin broadcast cancel ${id}\`.`,
            );
            return;
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
          const workers = await workersFor(
            config,
            db,
            logger.child({ subsystem: "broadcast" }),
            callSeconds,
          );
          const showBar = cli.showsProgress(options.json);
          const { SingleBar } = await import("cli-progress");
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
  registerBroadcastDesk(command, cli);
}
