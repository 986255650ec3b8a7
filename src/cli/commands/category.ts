import type { Command } from "commander";
import { CLI_ACTOR } from "../../editors/editors";
import { TopicError } from "../../services/topics";
import { type Cli, UsageError } from "../context";

/** The service's refusal as the CLI's one-line usage error. */
function usage(error: unknown): never {
  if (error instanceof TopicError) throw new UsageError(error.message);
  throw error;
}

/** `--position`: a whole number as typed ("3"), anything else refused (the topic checks its range). */
function parsePosition(text: string): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw new UsageError(`--position must be a whole number from 0, not "${text.slice(0, 40)}"`);
  }
  return Number(text);
}

/** `bantin category …` (also `bantin topic …`): the topics, as editors change them. */
export function registerCategory(program: Command, cli: Cli): void {
  const category = program
    .command("category")
    .alias("topic")
    .description("manage topics (news categories)");

  category
    .command("add")
    .description("add a topic")
    .argument("<slug>", "short ASCII name used in commands and links, e.g. thoi-su")
    .requiredOption("--vi <name>", 'Vietnamese name, e.g. "Thời sự"')
    .requiredOption("--en <name>", 'English name, e.g. "Current affairs"')
    .option("--position <n>", "order in topic lists, from 0 (default: last)")
    .option("--json", "print the new topic as JSON")
    .action(
      async (
        slug: string,
        options: { vi: string; en: string; position?: string; json?: boolean },
      ) => {
        const position =
          options.position === undefined ? undefined : parsePosition(options.position);
        await cli.withContext(async ({ services }) => {
          const created = await services.topics
            .add(CLI_ACTOR, {
              slug,
              vi: options.vi,
              en: options.en,
              ...(position !== undefined ? { position } : {}),
            })
            .catch(usage);
          if (options.json) return cli.json(created);
          cli.line(`Added topic ${created.slug}: ${created.name.vi} / ${created.name.en}`);
        });
      },
    );

  category
    .command("rename")
    .description("give a topic new names (its slug, and the links that carry it, stay)")
    .argument("<slug>", "the topic, e.g. thoi-su")
    .option("--vi <name>", "the new Vietnamese name (unchanged if not given)")
    .option("--en <name>", "the new English name (unchanged if not given)")
    .option("--json", "print the topic as JSON")
    .action(async (slug: string, options: { vi?: string; en?: string; json?: boolean }) => {
      if (options.vi === undefined && options.en === undefined) {
        throw new UsageError("give the new name: --vi <name>, --en <name>, or both");
      }
      await cli.withContext(async ({ services }) => {
        const topic = await services.topics
          .rename(CLI_ACTOR, { slug }, { vi: options.vi, en: options.en })
          .catch(usage);
        if (options.json) return cli.json(topic);
        cli.line(`Renamed topic ${topic.slug}: ${topic.name.vi} / ${topic.name.en}`);
      });
    });

  category
    .command("remove")
    .description(
      "remove a topic: its followers are told once and keep their other topics; stored stories stay searchable",
    )
    .argument("<slug>", "the topic, e.g. giai-tri")
    .option("--move-feeds-to <slug>", "move its feeds (and its stories) to this topic first")
    .option("--with-feeds", "remove its feeds with it")
    .option("--json", "print what was done as JSON")
    .action(
      async (
        slug: string,
        options: { moveFeedsTo?: string; withFeeds?: boolean; json?: boolean },
      ) => {
        if (options.moveFeedsTo !== undefined && options.withFeeds) {
          throw new UsageError("give --move-feeds-to <slug> or --with-feeds, not both");
        }
        const feeds = {
          ...(options.moveFeedsTo !== undefined ? { moveTo: { slug: options.moveFeedsTo } } : {}),
          withFeeds: options.withFeeds === true,
        };
        await cli.withContext(async ({ services }) => {
          const done = await services.topics.remove(CLI_ACTOR, { slug }, feeds).catch(usage);
          if (options.json) {
            return cli.json({
              slug: done.topic.slug,
              told: done.told,
              feeds: done.feeds,
              feedsMovedTo: done.movedTo?.slug ?? null,
              stories: done.stories,
            });
          }
          const what =
            done.feeds === 0
              ? "it had no feeds"
              : done.movedTo
                ? `${done.feeds} feed(s) moved to ${done.movedTo.slug}`
                : `${done.feeds} feed(s) removed with it`;
          cli.line(
            `Removed topic ${done.topic.slug}: ${done.told} follower(s) told; ${what}; ${done.stories} stored stories stay searchable.`,
          );
        });
      },
    );

  category
    .command("move")
    .description("move a topic one place up or down in topic lists")
    .argument("<slug>", "the topic, e.g. thoi-su")
    .argument("<direction>", "up or down")
    .action(async (slug: string, direction: string) => {
      if (direction !== "up" && direction !== "down") {
        throw new UsageError(`direction must be up or down, not "${direction.slice(0, 40)}"`);
      }
      await cli.withContext(async ({ services }) => {
        const { moved } = await services.topics.move(CLI_ACTOR, { slug }, direction).catch(usage);
        cli.line(
          moved
            ? `Moved topic ${slug} ${direction}.`
            : `Topic ${slug} is already ${direction === "up" ? "first" : "last"}; nothing changed.`,
        );
      });
    });

  category
    .command("list")
    .description("list topics in their display order")
    .option("--json", "print [{ id, slug, name: { vi, en }, position }] as JSON")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ services }) => {
        const topics = await services.topics.list();
        if (options.json) return cli.json(topics);
        if (topics.length === 0) {
          cli.line(
            'No topics yet. Add one: bantin category add thoi-su --vi "Thời sự" --en "Current affairs"',
          );
          return;
        }
        cli.table(
          ["slug", "Tiếng Việt", "English"],
          topics.map((t) => [t.slug, t.name.vi, t.name.en]),
        );
      });
    });
}
