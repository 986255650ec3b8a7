import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { systemClock } from "../../clock";
import { getCategoryBySlug } from "../../news/categories";
import { createFetcher } from "../../news/fetch/http-fetch";
import { importStory } from "../../news/import-story";
import { runIngest, type SourceSummary } from "../../news/ingest";
import { parseId, printJson, printLine, printTable, withContext } from "../context";

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description("check due feeds once (all with --all) and store new stories; prints a summary")
    .option("--all", "check every feed, due or not")
    .option("--source <id>", "check only this source")
    .option("--json", "print the per-source summary as JSON")
    .action(async (options: { all?: boolean; source?: string; json?: boolean }) => {
      const sourceId =
        options.source === undefined ? undefined : parseId(options.source, "source id");
      await withContext(async ({ database, config, logger }) => {
        const showBar = process.stderr.isTTY && !options.json;
        const bar = new SingleBar({
          format: "ingest [{bar}] {value}/{total} feeds | {url}",
          stream: process.stderr,
          hideCursor: true,
        });
        const summaries = await runIngest(
          {
            db: database.db,
            fetcher: createFetcher(),
            clock: systemClock,
            policy: config.ingest,
            logger: logger.child({ subsystem: "ingest" }),
          },
          {
            all: options.all,
            sourceId,
            onStart: (total) => showBar && bar.start(total, 0, { url: "" }),
            onSourceDone: (s, done) => showBar && bar.update(done, { url: s.url }),
          },
        );
        if (showBar) bar.stop();
        if (options.json) return printJson(summaries);
        printIngestSummary(summaries);
      });
    });

  program
    .command("import")
    .description("store one story from an HTML article page or a text page like the seed")
    .argument("<file-or-url>", "a local file or an http(s) address")
    .requiredOption("--category <slug>", "the topic it belongs to")
    .option("--json", "print the stored story's id, headline and outcome as JSON")
    .action(async (location: string, options: { category: string; json?: boolean }) => {
      await withContext(async ({ database }) => {
        const category = await getCategoryBySlug(database.db, options.category);
        const result = await importStory(
          { db: database.db, fetcher: createFetcher(), clock: systemClock },
          { location, categoryId: category.id },
        );
        if (options.json) {
          return printJson({
            id: result.id,
            outcome: result.outcome,
            url: result.url,
            title: result.story.title,
            paragraphs: result.story.body.length,
            photos: result.story.photos.length,
          });
        }
        printLine(
          `${result.outcome === "new" ? "Stored" : result.outcome === "updated" ? "Updated" : "Already stored"} story ${result.id}: ${result.story.title} (${result.story.body.length} paragraphs, ${result.story.photos.length} photos)`,
        );
      });
    });
}

function printIngestSummary(summaries: SourceSummary[]): void {
  if (summaries.length === 0) {
    printLine("No feed is due. Use --all to check every feed now.");
    return;
  }
  printTable(
    ["source", "new", "updated", "unchanged", "failed", "result"],
    summaries.map((s) => [
      s.sourceId,
      s.new,
      s.updated,
      s.unchanged,
      s.failed,
      s.error ? `error: ${s.error}` : s.notModified ? "not modified (304)" : "ok",
    ]),
  );
  const total = (key: "new" | "updated" | "unchanged" | "failed") =>
    summaries.reduce((n, s) => n + s[key], 0);
  const broken = summaries.filter((s) => s.error).length;
  printLine(
    `${summaries.length} feeds: ${total("new")} new, ${total("updated")} updated, ${total("unchanged")} unchanged, ${total("failed")} failed; ${broken} feed(s) with errors.`,
  );
  for (const s of summaries) {
    for (const warning of s.warnings.slice(0, 5)) printLine(`source ${s.sourceId}: ${warning}`);
  }
}
