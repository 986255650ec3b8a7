import type { Command } from "commander";
import { collectStats } from "../../admin/stats";
import { printJson, printLine, withContext } from "../context";

export function registerStats(program: Command): void {
  program
    .command("stats")
    .description(
      "readers by platform and status, readers per topic, deliveries, articles, feed health",
    )
    .option("--platform <platform>", "only telegram or zalo")
    .option("--json", "print one JSON document")
    .action(async (options: { json?: boolean; platform?: string }) => {
      await withContext(async ({ database }) => {
        const stats = await collectStats(database.db, { platform: options.platform });
        if (options.json) return printJson(stats);
        printLine(`Readers: ${stats.readers.total}`);
        for (const [platform, byStatus] of Object.entries(stats.readers.byPlatform)) {
          const parts = Object.entries(byStatus).map(([s, n]) => `${s} ${n}`);
          printLine(`  ${platform}: ${parts.join(", ")}`);
        }
        printLine(`Topics: ${stats.topics.length}`);
        for (const t of stats.topics) {
          printLine(`  ${t.slug} (${t.name}): ${t.readers} readers, ${t.articles} stories`);
        }
        const d = stats.deliveries;
        printLine(
          `Deliveries: ${d.sent} sent, ${d.pending} pending, ${d.blocked} blocked, ${d.dead} dead, ${d.cancelled} cancelled`,
        );
        printLine(
          `Stories: ${stats.articles.total}${stats.articles.newestPublishedAt ? `, newest ${stats.articles.newestPublishedAt}` : ""}`,
        );
        const f = stats.feeds;
        printLine(
          `Feeds: ${f.total} (${f.healthy} healthy, ${f.failing} failing, ${f.neverFetched} not fetched yet)`,
        );
      });
    });
}
