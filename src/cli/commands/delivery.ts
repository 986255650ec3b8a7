import type { Command } from "commander";
import { CLI_ACTOR } from "../../editors/editors";
import { DeliveryError } from "../../services/deliveries";
import { formatEditorTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

const PAGE = 100;

/** `bantin delivery …`: the messages the senders gave up on, and sending them again. */
export function registerDelivery(program: Command, cli: Cli): void {
  const delivery = program
    .command("delivery")
    .alias("deliveries")
    .description("messages the senders gave up on (dead letters), and sending them again");

  delivery
    .command("list")
    .description("dead letters, the latest tried first: platform, kind, reader, tries, error")
    .option("--limit <n>", "at most this many", String(PAGE))
    .option("--json", "print one JSON document")
    .action(async (options: { limit: string; json?: boolean }) => {
      const limit = parseId(options.limit, "--limit");
      if (limit < 1 || limit > 10_000) throw new UsageError("--limit must be from 1 to 10000");
      await cli.withContext(async ({ services, config }) => {
        const [dead, total] = await Promise.all([
          services.deliveries.deadLetters({ limit, offset: 0 }),
          services.deliveries.countDead(),
        ]);
        if (options.json) return cli.json(dead);
        if (dead.length === 0) return cli.line("No dead letters: every message went or waits.");
        cli.table(
          ["id", "platform", "kind", "reader", "tries", "last try", "error"],
          dead.map((d) => [
            d.id,
            d.platform,
            d.kind,
            d.chatId ?? `(reader ${d.readerId} gone)`,
            d.attempts,
            formatEditorTime(d.lastTryAt, config.defaults.timeZone),
            (d.lastError ?? "").slice(0, 80),
          ]),
        );
        if (total > dead.length)
          cli.line(`(the latest ${dead.length} of ${total}; --limit shows more)`);
      });
    });

  delivery
    .command("retry")
    .description("send a dead letter again (or every one with --all); sent and blocked ones stay")
    .argument("[id]", "the message's id from `delivery list`")
    .option("--all", "every dead letter")
    .option("--json", "print { retried } as JSON")
    .action(async (id: string | undefined, options: { all?: boolean; json?: boolean }) => {
      if ((id === undefined) === !options.all) {
        throw new UsageError("give a message id, or --all for every dead letter");
      }
      const messageId = id === undefined ? undefined : parseId(id, "message id");
      await cli.withContext(async ({ services }) => {
        const retried =
          messageId === undefined
            ? await services.deliveries.retryAll(CLI_ACTOR)
            : await services.deliveries.retry(CLI_ACTOR, messageId).catch((error) => {
                if (error instanceof DeliveryError) throw new UsageError(error.message);
                throw error;
              });
        if (options.json) return cli.json({ retried });
        cli.line(
          `${retried} message${retried === 1 ? "" : "s"} back in the queue; the running bantin sends ${retried === 1 ? "it" : "them"}.`,
        );
      });
    });
}
