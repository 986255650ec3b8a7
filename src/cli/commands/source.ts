import type { Command } from "commander";
import { recordAudit } from "../../editors/audit";
import {
  addFeed,
  type Feed,
  feedHealth,
  listFeeds,
  removeFeed,
  setFeedPaused,
} from "../../news/feeds";
import { getTopicBySlug, listTopics } from "../../news/topics";
import { formatLocalDateTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

function checkFeedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed.toString();
  } catch {}
  throw new UsageError(`"${url}" is not an http(s) feed URL`);
}

/** "failing x3", "ok", "ok, 2 page problems", "new", "paused". */
function healthWords(s: Feed): string {
  if (s.pausedAt) return "paused";
  if (s.failuresInRow > 0) return `failing x${s.failuresInRow}`;
  if (!s.lastSuccessAt) return "new";
  if (s.pageProblems === 0) return "ok";
  return `ok, ${s.pageProblems} page problem${s.pageProblems === 1 ? "" : "s"}`;
}

export function registerSource(program: Command, cli: Cli): void {
  const source = program.command("source").description("manage feeds and see their health");

  source
    .command("add")
    .description("add a feed (RSS, Atom or JSON Feed) to a topic")
    .argument("<feed-url>", "the feed's address")
    .requiredOption("--category <slug>", "the topic its stories go to")
    .option("--full-text", "fetch each story's page for its full text")
    .option("--json", "print the new source as JSON")
    .action(
      async (url: string, options: { category: string; fullText?: boolean; json?: boolean }) => {
        const feedUrl = checkFeedUrl(url);
        await cli.withContext(async ({ database }) => {
          const category = await getTopicBySlug(database.db, options.category);
          const created = await addFeed(database.db, {
            url: feedUrl,
            topicId: category.id,
            fullText: options.fullText ?? false,
          });
          if (options.json) return cli.json(created);
          cli.line(
            `Added source ${created.id}: ${created.url} -> ${category.slug}${created.fullText ? " (full text)" : ""}`,
          );
        });
      },
    );

  source
    .command("list")
    .description(
      "list feeds with their health: last success, last error, failures in a row, next check",
    )
    .option("--json", "print the sources as JSON")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ database, config }) => {
        const [sources, categories] = await Promise.all([
          listFeeds(database.db),
          listTopics(database.db),
        ]);
        const slugOf = new Map(categories.map((c) => [c.id, c.slug]));
        if (options.json) {
          return cli.json(
            sources.map((s) => ({
              ...s,
              categoryId: s.topicId, // under the name scripts knew first
              category: slugOf.get(s.topicId) ?? null,
              health: feedHealth(s),
            })),
          );
        }
        if (sources.length === 0) {
          cli.line("No sources yet. Add one: bantin source add <feed-url> --category <slug>");
          return;
        }
        const when = (iso: string | null) =>
          iso ? formatLocalDateTime(iso, config.defaults.timeZone) : "never";
        cli.table(
          ["id", "category", "health", "last success", "next check", "feed"],
          sources.map((s) => [
            s.id,
            slugOf.get(s.topicId) ?? "?",
            healthWords(s),
            when(s.lastSuccessAt),
            when(s.nextCheckAt),
            `${s.url}${s.fullText ? " (full text)" : ""}`,
          ]),
        );
        for (const s of sources) {
          if (s.failuresInRow > 0) {
            cli.line(`source ${s.id}: last error ${when(s.lastErrorAt)}: ${s.lastError}`);
          }
          if (s.pageProblems > 0 && s.lastPageProblem) {
            cli.line(
              `source ${s.id}: last page problem ${when(s.lastPageProblemAt)}: ${s.lastPageProblem}`,
            );
          }
        }
      });
    });

  source
    .command("remove")
    .description("remove a feed (its stories stay)")
    .argument("<id>", "the source id from `source list`")
    .action(async (id: string) => {
      const sourceId = parseId(id, "source id");
      await cli.withContext(async ({ database }) => {
        await removeFeed(database.db, sourceId);
        await recordAudit(database.db, {
          actor: "cli",
          action: "feed.remove",
          detail: { sourceId },
          at: new Date().toISOString(),
        });
        cli.line(`Removed source ${sourceId}.`);
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
      .argument("<id>", "the source id from `source list`")
      .action(async (id: string) => {
        const sourceId = parseId(id, "source id");
        await cli.withContext(async ({ database }) => {
          const now = new Date().toISOString();
          const updated = await setFeedPaused(database.db, sourceId, paused, now);
          await recordAudit(database.db, {
            actor: "cli",
            action: paused ? "feed.pause" : "feed.resume",
            detail: { sourceId, url: updated.url },
            at: now,
          });
          cli.line(
            paused
              ? `Paused source ${sourceId}: it is not checked until \`bantin source resume ${sourceId}\`.`
              : `Resumed source ${sourceId}: it is checked at the next ingest tick.`,
          );
        });
      });
  }
}
