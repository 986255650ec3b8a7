import type { Command } from "commander";
import { systemClock } from "../../clock";
import { CLI_ACTOR } from "../../editors/editors";
import { holdLogsDuring } from "../../logging";
import type { FeedSummary } from "../../news/ingest";
import { getTopicBySlug } from "../../news/topics";
import { FeedError, feedService } from "../../services/feeds";
import { type Cli, parseId, UsageError } from "../context";

export function registerIngest(program: Command, cli: Cli): void {
  program
    .command("ingest")
    .description("check due feeds once (all with --all) and store new stories; prints a summary")
    .option("--all", "check every feed that is not paused, due or not")
    .option("--source <id>", "check only this source (even a paused one)")
    .option("--json", "print the per-source summary as JSON")
    .action(async (options: { all?: boolean; source?: string; json?: boolean }) => {
      const feedId =
        options.source === undefined ? undefined : parseId(options.source, "source id");
      // Ctrl-C or SIGTERM stops the fetches in flight; what was stored stays, the rest is due.
      const stop = new AbortController();
      const offInterrupt = cli.io.onInterrupt(() => stop.abort());
      try {
        await cli.withContext(async ({ database, config, logger }) => {
          const deps = {
            db: database.db,
            clock: systemClock,
            policy: config.ingest,
            logger: logger.child({ subsystem: "ingest" }),
            signal: stop.signal,
          };
          // Fetching, the feed reader and the page extractor load only for the commands that read.
          const [{ SingleBar }, { createFetcher }, { ingestFeed, runIngest }] = await Promise.all([
            import("cli-progress"),
            import("../../news/fetch/http-fetch"),
            import("../../news/ingest"),
          ]);
          const showBar = cli.showsProgress(options.json);
          const bar = new SingleBar({
            format: "ingest [{bar}] {value}/{total} feeds | {url}",
            stream: cli.io.stderr,
            hideCursor: true,
          });
          holdLogsDuring(bar); // log lines wait until the bar is gone
          const fetcher = createFetcher({ allowPrivate: config.fetch.allowPrivate });
          let summaries: FeedSummary[];
          try {
            if (feedId !== undefined) {
              // One feed now, even a paused one: what "check now" is on the console, and audited so.
              const feeds = feedService({
                db: database.db,
                clock: systemClock,
                check: (feed) => ingestFeed({ ...deps, fetcher }, feed),
              });
              if (showBar) bar.start(1, 0, { url: "" });
              const { summary } = await feeds.checkNow(CLI_ACTOR, feedId).catch((error) => {
                if (error instanceof FeedError) throw new UsageError(error.message);
                throw error;
              });
              if (showBar) bar.update(1, { url: summary.url });
              summaries = [summary];
            } else {
              summaries = await runIngest(
                { ...deps, fetcher },
                {
                  all: options.all,
                  onStart: (total) => showBar && bar.start(total, 0, { url: "" }),
                  onFeedDone: (s, done, total) => {
                    if (!showBar) return;
                    if (total !== bar.getTotal()) bar.setTotal(total);
                    bar.update(done, { url: s.url });
                  },
                },
              );
            }
          } finally {
            if (showBar) bar.stop();
            await fetcher.close();
          }
          // sourceId: the feed's id under the name scripts knew first.
          if (options.json) cli.json(summaries.map((s) => ({ ...s, sourceId: s.feedId })));
          else printIngestSummary(cli, summaries);
          const failed = summaries.filter((s) => s.status === "failed").length;
          const interrupted = summaries.filter((s) => s.status === "interrupted").length;
          if (failed > 0) {
            throw new Error(
              `${failed} of ${summaries.length} feeds failed; \`bantin source list\` shows why`,
            );
          }
          if (interrupted > 0 || stop.signal.aborted) {
            throw new Error("interrupted; the feeds not finished are checked again next time");
          }
        });
      } finally {
        offInterrupt();
      }
    });

  program
    .command("import")
    .description("store one story from an HTML article page or a text page like the seed")
    .argument("<file-or-url>", "a local file or an http(s) address")
    .requiredOption("--category <slug>", "the topic it belongs to")
    .option("--json", "print the stored story's id, headline and outcome as JSON")
    .action(async (location: string, options: { category: string; json?: boolean }) => {
      await cli.withContext(async ({ database, config }) => {
        const topic = await getTopicBySlug(database.db, options.category);
        const [{ createFetcher }, { importStory }] = await Promise.all([
          import("../../news/fetch/http-fetch"),
          import("../../news/import-story"),
        ]);
        // The same guard as feeds: an address on a private network is refused.
        const fetcher = createFetcher({ allowPrivate: config.fetch.allowPrivate });
        const result = await importStory(
          { db: database.db, fetcher, clock: systemClock },
          {
            location,
            // A file is read from the run's folder; its name as typed stays its address, so
            // that importing it again updates the story.
            ...(/^https?:\/\//i.test(location) ? {} : { readFrom: cli.path(location) }),
            topicId: topic.id,
          },
        ).finally(() => fetcher.close());
        if (options.json) {
          return cli.json({
            id: result.id,
            outcome: result.outcome,
            url: result.url,
            title: result.story.title,
            paragraphs: result.story.body.length,
            photos: result.story.photos.length,
          });
        }
        cli.line(
          `${result.outcome === "new" ? "Stored" : result.outcome === "updated" ? "Updated" : "Already stored"} story ${result.id}: ${result.story.title} (${result.story.body.length} paragraphs, ${result.story.photos.length} photos)`,
        );
      });
    });
}

function resultOf(s: FeedSummary): string {
  switch (s.status) {
    case "failed":
      return `failed: ${s.error}`;
    case "interrupted":
      return "interrupted";
    case "not-modified":
      return "not modified (304)";
    default: {
      const notes = [
        s.warnings.length > 0 ? plural(s.warnings.length, "page problem", "page problems") : "",
        s.waiting > 0 ? `${s.waiting} waiting for the next check` : "",
      ].filter(Boolean);
      return notes.length > 0 ? `ok, ${notes.join(", ")}` : "ok";
    }
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function printIngestSummary(cli: Cli, summaries: FeedSummary[]): void {
  if (summaries.length === 0) {
    cli.line("No feed is due. Use --all to check every feed now.");
    return;
  }
  cli.table(
    ["source", "new", "updated", "unchanged", "result"],
    summaries.map((s) => [s.feedId, s.new, s.updated, s.unchanged, resultOf(s)]),
  );
  const total = (key: "new" | "updated" | "unchanged") => summaries.reduce((n, s) => n + s[key], 0);
  const count = (status: FeedSummary["status"]) =>
    summaries.filter((s) => s.status === status).length;
  const read = count("ok") + count("not-modified");
  const interrupted = count("interrupted");
  const problems = summaries.reduce((n, s) => n + s.warnings.length, 0);
  cli.line(
    `${plural(summaries.length, "feed", "feeds")}: ${read} ok, ${count("failed")} failed${interrupted ? `, ${interrupted} interrupted` : ""}; stories: ${total("new")} new, ${total("updated")} updated, ${total("unchanged")} unchanged; ${plural(problems, "page problem", "page problems")}.`,
  );
  for (const s of summaries) {
    for (const warning of s.warnings.slice(0, 5)) cli.line(`source ${s.feedId}: ${warning}`);
    if (s.warnings.length > 5) {
      cli.line(`source ${s.feedId}: ... and ${s.warnings.length - 5} more`);
    }
  }
}
