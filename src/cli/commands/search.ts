import type { Command } from "commander";
import { getArticle } from "../../news/articles";
import { searchArticles } from "../../news/search";
import { listTopics } from "../../news/topics";
import { formatEditorTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

export function registerSearch(program: Command, cli: Cli): void {
  program
    .command("search")
    .description("accent-insensitive search over headlines, leads and bodies")
    .argument("<query...>", 'what to look for, e.g. "doi ngoai"')
    .option("--limit <n>", "how many results", "10")
    .option("--json", "print [{ id, title, url, category, publishedAt }]")
    .action(async (words: string[], options: { limit: string; json?: boolean }) => {
      const limit = parseId(options.limit, "--limit");
      if (limit < 1 || limit > 200) throw new UsageError("--limit must be between 1 and 200");
      const query = words.join(" ");
      if (query.trim() === "")
        throw new UsageError('give words to search for, e.g. bantin search "doi ngoai"');
      await cli.withContext(async ({ database, config }) => {
        const [results, topics] = await Promise.all([
          searchArticles(database.db, query, { limit }),
          listTopics(database.db),
        ]);
        const slugOf = new Map(topics.map((c) => [c.id, c.slug]));
        if (options.json) {
          return cli.json(
            results.map((a) => ({
              id: a.id,
              title: a.title,
              url: a.url,
              category: slugOf.get(a.topicId) ?? null,
              publishedAt: a.publishedAt,
            })),
          );
        }
        if (results.length === 0) return cli.line(`No stories match "${query}".`);
        for (const a of results) {
          cli.line(
            `${a.id}\t${formatEditorTime(a.publishedAt, config.defaults.timeZone)}\t${slugOf.get(a.topicId) ?? ""}\t${a.title}`,
          );
        }
      });
    });

  program
    .command("article")
    .description("print one stored story in full")
    .argument("<id>", "the story id (from search or latest)")
    .option("--json", "print the story as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const articleId = parseId(id, "story id");
      await cli.withContext(async ({ database, config }) => {
        const article = await getArticle(database.db, articleId);
        // categoryId and sourceId: topicId and feedId under the names scripts knew first.
        if (options.json)
          return cli.json({ ...article, categoryId: article.topicId, sourceId: article.feedId });
        cli.line(article.title);
        if (article.hiddenAt) {
          const since = formatEditorTime(article.hiddenAt, config.defaults.timeZone);
          cli.line(`(hidden since ${since}; bantin story unhide ${article.id} shows it again)`);
        }
        cli.line(
          `${formatEditorTime(article.publishedAt, config.defaults.timeZone)}${article.author ? ` · ${article.author}` : ""} · ${article.url}`,
        );
        cli.line();
        if (article.lead) {
          cli.line(article.lead);
          cli.line();
        }
        for (const paragraph of article.body) {
          cli.line(paragraph);
          cli.line();
        }
        for (const photo of article.photos)
          cli.line(`[ảnh] ${photo.url}${photo.caption ? ` — ${photo.caption}` : ""}`);
      });
    });
}
