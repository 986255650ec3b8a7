import type { Command } from "commander";
import { systemClock } from "../../clock";
import { composeDigest, type DigestStory } from "../../digest/compose";
import { digestMessage } from "../../digest/render";
import { linesToPlainText } from "../../message/render/plain";
import { linesToHtml } from "../../message/render/telegram-html";
import { articleTopicIds, latestArticles } from "../../news/articles";
import { getTopicBySlug } from "../../news/topics";
import { localParts } from "../../text/time";
import { type Cli, UsageError } from "../context";

const DAY = 24 * 60 * 60 * 1000;

export function registerDigest(program: Command, cli: Cli): void {
  const digest = program.command("digest").description("daily digests");
  digest
    .command("preview")
    .description("print the digest these topics would get now (stories of the last 24 hours)")
    .requiredOption("--topics <slugs>", "comma list of topics, e.g. thoi-su,kinh-te")
    .option("--platform <platform>", "telegram (HTML) or zalo (plain text)", "telegram")
    .option("--locale <locale>", "vi or en", "vi")
    .option("--json", "print the composition as JSON")
    .action(
      async (options: { topics: string; platform: string; locale: string; json?: boolean }) => {
        if (!["telegram", "zalo"].includes(options.platform)) {
          throw new UsageError("--platform must be telegram or zalo");
        }
        if (options.locale !== "vi" && options.locale !== "en") {
          throw new UsageError("--locale must be vi or en");
        }
        const locale = options.locale;
        await cli.withContext(async ({ database, config }) => {
          const perTopic = config.digest.storiesPerTopic;
          const slugs = options.topics
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          if (slugs.length === 0) throw new UsageError("--topics needs at least one topic");
          const topics = [];
          for (const slug of slugs) topics.push(await getTopicBySlug(database.db, slug));
          const now = systemClock();
          const since = new Date(now.getTime() - DAY).toISOString();
          const articles = await latestArticles(database.db, {
            topicIds: topics.map((t) => t.id),
            since,
            limit: 2000,
          });
          const stories: DigestStory[] = [];
          for (const a of articles) {
            stories.push({
              id: a.id,
              title: a.title,
              url: a.url,
              publishedAt: a.publishedAt,
              topicIds: await articleTopicIds(database.db, a.id),
            });
          }
          const composed = composeDigest({
            topics: topics.map((t) => ({ id: t.id, slug: t.slug, name: t.name })),
            stories,
            perTopic,
          });
          if (options.json) {
            // categoryIds: the stories' topicIds under the name scripts knew first.
            return cli.json({
              ...composed,
              sections: composed.sections.map((section) => ({
                ...section,
                stories: section.stories.map((s) => ({ ...s, categoryIds: s.topicIds })),
              })),
            });
          }
          if (composed.sections.length === 0) {
            cli.line("Nothing new in these topics in the last 24 hours: no digest would be sent.");
            return;
          }
          const zone = config.defaults.timeZone;
          const message = digestMessage(composed, {
            locale,
            timeZone: zone,
            localDate: localParts(now, zone).date,
            newsroom: config.newsroomName,
          });
          cli.line(
            options.platform === "telegram"
              ? linesToHtml(message.lines)
              : linesToPlainText(message.lines),
          );
        });
      },
    );
}
