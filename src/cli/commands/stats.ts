import type { Command } from "commander";
import { tableSizes } from "../../db/table-sizes";
import { formatBytes } from "../../news/fetch/fetch-error";
import { readDay } from "../../news/reads";
import { collectStats } from "../../services/stats";
import { formatEditorTime } from "../../text/time";
import { type Cli, UsageError } from "../context";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "YYYY-MM-DD" that is a real date, or a usage error naming --day. */
function parseDay(text: string): string {
  const date = new Date(`${text}T00:00:00.000Z`);
  if (!DAY.test(text) || Number.isNaN(date.getTime()) || !date.toISOString().startsWith(text)) {
    throw new UsageError(`--day must be a date as YYYY-MM-DD, not "${text.slice(0, 40)}"`);
  }
  return text;
}

export function registerStats(program: Command, cli: Cli): void {
  program
    .command("stats")
    .description(
      "readers by platform and status, readers per topic, deliveries, articles, feed health, the day's most-read stories",
    )
    .option("--platform <platform>", "only telegram or zalo")
    .option(
      "--day <YYYY-MM-DD>",
      "most-read stories of this day (default: today in DEFAULT_TIMEZONE)",
    )
    .option("--json", "print one JSON document")
    .action(async (options: { json?: boolean; platform?: string; day?: string }) => {
      if (options.platform !== undefined && !["telegram", "zalo"].includes(options.platform)) {
        throw new UsageError(
          `--platform must be telegram or zalo, not "${options.platform.slice(0, 40)}"`,
        );
      }
      const day = options.day === undefined ? undefined : parseDay(options.day);
      await cli.withContext(async ({ database, config }) => {
        const stats = await collectStats(database.db, {
          platform: options.platform,
          day: day ?? readDay(new Date(), config.defaults.timeZone),
        });
        const tables = await tableSizes(database.db);
        if (options.json) return cli.json({ ...stats, tables });
        cli.line(`Readers: ${stats.readers.total}`);
        for (const [platform, byStatus] of Object.entries(stats.readers.byPlatform)) {
          const parts = Object.entries(byStatus).map(([s, n]) => `${s} ${n}`);
          cli.line(`  ${platform}: ${parts.join(", ")}`);
        }
        const ch = stats.channels;
        if (ch.total > 0) {
          cli.line(`Channels: ${ch.total}, ${ch.posts} posts delivered`);
          for (const c of ch.list) {
            const name = c.username ? `@${c.username}` : c.chatId;
            cli.line(
              `  ${name} (${c.title}): ${c.mode}, ${c.status}, ${c.posts} posts${c.lastPostAt ? `, last ${formatEditorTime(c.lastPostAt, config.defaults.timeZone)}` : ""}`,
            );
          }
        }
        cli.line(`Topics: ${stats.topics.length}`);
        for (const t of stats.topics) {
          cli.line(`  ${t.slug} (${t.name}): ${t.readers} readers, ${t.articles} stories`);
        }
        const d = stats.deliveries;
        cli.line(
          `Deliveries: ${d.sent} sent, ${d.pending} pending, ${d.blocked} blocked, ${d.dead} dead, ${d.cancelled} cancelled`,
        );
        cli.line(
          `Stories: ${stats.articles.total}${stats.articles.newestPublishedAt ? `, newest ${formatEditorTime(stats.articles.newestPublishedAt, config.defaults.timeZone)}` : ""}`,
        );
        const f = stats.feeds;
        cli.line(
          `Feeds: ${f.total} (${f.healthy} healthy, ${f.failing} failing, ${f.neverFetched} not fetched yet)`,
        );
        const read = stats.mostRead;
        cli.line(`Most read on ${read.day}: ${read.stories.length === 0 ? "none yet" : ""}`.trim());
        for (const s of read.stories) {
          cli.line(`  ${s.reads} × ${s.articleId} ${s.title}`);
        }
        const total = tables.reduce((sum, t) => sum + (t.bytes ?? 0), 0);
        cli.line(`Tables: ${formatBytes(total)} on disk with their indexes`);
        for (const t of tables) {
          const size = t.bytes === null ? "" : `, ${formatBytes(t.bytes)}`;
          cli.line(`  ${t.table}: ${t.rows.toLocaleString("en-US")} rows${size}`);
        }
      });
    });
}
