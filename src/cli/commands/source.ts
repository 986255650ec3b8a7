import type { Command } from "commander";
import { CLI_ACTOR } from "../../editors/editors";
import { type Feed, feedHealth } from "../../news/feeds";
import { FeedError, type FeedView } from "../../services/feeds";
import { formatEditorDue, formatEditorTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

/** "failing x3", "ok", "ok, 2 page problems", "new", "paused": feedHealth in a few words. */
function healthWords(feed: Feed): string {
  switch (feedHealth(feed)) {
    case "paused":
      return "paused";
    case "failing":
      return `failing x${feed.failuresInRow}`;
    case "new":
      return "new";
    case "ok":
      return "ok";
    case "page problems":
      return `ok, ${feed.pageProblems} page problem${feed.pageProblems === 1 ? "" : "s"}`;
  }
}

/** The service's refusal as the CLI's one-line usage error. */
function usage(error: unknown): never {
  if (error instanceof FeedError) throw new UsageError(error.message);
  throw error;
}

/** One feed as `source list --json` and `source add --json` print it. */
function feedJson(feed: FeedView) {
  return {
    ...feed,
    topic: undefined,
    topicSlug: feed.topic?.slug ?? null,
    category: feed.topic?.slug ?? null, // the topic's slug, under the name scripts knew first
    categoryId: feed.topicId, // the same, for topicId
  };
}

/** `bantin source …` (also `bantin feed …`): the feeds, as editors change them. */
export function registerSource(program: Command, cli: Cli): void {
  const source = program
    .command("source")
    .alias("feed")
    .description("manage feeds and see their health");

  source
    .command("add")
    .description("add a feed (RSS, Atom or JSON Feed) to a topic")
    .argument("<feed-url>", "the feed's address")
    .requiredOption("--category <slug>", "the topic its stories go to")
    .option("--full-text", "fetch each story's page for its full text")
    .option("--no-check", "add it without reading it first (a feed that is down right now)")
    .option("--json", "print the new feed as JSON")
    .action(
      async (
        url: string,
        options: { category: string; fullText?: boolean; check: boolean; json?: boolean },
      ) => {
        await cli.withContext(async ({ services }) => {
          const created = await services.feeds
            .add(CLI_ACTOR, {
              url,
              topic: { slug: options.category },
              fullText: options.fullText ?? false,
              check: options.check,
            })
            .catch(usage);
          if (options.json) {
            const view = (await services.feeds.list()).find((f) => f.id === created.id);
            return cli.json(view ? feedJson(view) : created);
          }
          cli.line(
            `Added source ${created.id}: ${created.url} -> ${options.category}${created.fullText ? " (full text)" : ""}`,
          );
        });
      },
    );

  source
    .command("list")
    .description(
      "list feeds with their health: last success, last error, failures in a row, next check",
    )
    .option("--json", "print the feeds as JSON")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ services, config }) => {
        const feeds = await services.feeds.list();
        if (options.json) return cli.json(feeds.map(feedJson));
        if (feeds.length === 0) {
          cli.line("No sources yet. Add one: bantin source add <feed-url> --category <slug>");
          return;
        }
        const zone = config.defaults.timeZone;
        const when = (iso: string | null) => (iso ? formatEditorTime(iso, zone) : "never");
        const due = (iso: string | null) =>
          iso ? formatEditorDue(iso, zone, new Date(), "now") : "never";
        cli.table(
          ["id", "category", "health", "last success", "next check", "feed"],
          feeds.map((f) => [
            f.id,
            f.topic?.slug ?? "?",
            healthWords(f),
            when(f.lastSuccessAt),
            due(f.nextCheckAt),
            `${f.url}${f.fullText ? " (full text)" : ""}`,
          ]),
        );
        for (const f of feeds) {
          if (f.failuresInRow > 0) {
            cli.line(`source ${f.id}: last error ${when(f.lastErrorAt)}: ${f.lastError}`);
          }
          if (f.pageProblems > 0 && f.lastPageProblem) {
            cli.line(
              `source ${f.id}: last page problem ${when(f.lastPageProblemAt)}: ${f.lastPageProblem}`,
            );
          }
        }
      });
    });

  source
    .command("remove")
    .description("remove a feed (its stories stay)")
    .argument("<id>", "the feed's id from `source list`")
    .action(async (id: string) => {
      const feedId = parseId(id, "source id");
      await cli.withContext(async ({ services }) => {
        await services.feeds.remove(CLI_ACTOR, feedId).catch(usage);
        cli.line(`Removed source ${feedId}.`);
      });
    });

  for (const [name, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    source
      .command(name)
      .description(
        paused
          ? "pause a feed: it is not checked until resumed (its health is kept)"
          : "resume a paused feed: it is checked at the next ingest tick",
      )
      .argument("<id>", "the feed's id from `source list`")
      .action(async (id: string) => {
        const feedId = parseId(id, "source id");
        await cli.withContext(async ({ services }) => {
          const { changed } = await services.feeds
            .setPaused(CLI_ACTOR, feedId, paused)
            .catch(usage);
          if (!changed) {
            cli.line(
              `Source ${feedId} is already ${paused ? "paused" : "running"}; nothing changed.`,
            );
            return;
          }
          cli.line(
            paused
              ? `Paused source ${feedId}: it is not checked until \`bantin source resume ${feedId}\`.`
              : `Resumed source ${feedId}: it is checked at the next ingest tick.`,
          );
        });
      });
  }
}
