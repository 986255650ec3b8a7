import type { Command } from "commander";
import { addTopic, listTopics } from "../../news/topics";
import type { Cli } from "../context";

export function registerCategory(program: Command, cli: Cli): void {
  const category = program.command("category").description("manage topics (news categories)");

  category
    .command("add")
    .description("add a topic")
    .argument("<slug>", "short ASCII name used in commands and links, e.g. thoi-su")
    .requiredOption("--vi <name>", 'Vietnamese name, e.g. "Thời sự"')
    .requiredOption("--en <name>", 'English name, e.g. "Current affairs"')
    .option("--position <n>", "order in topic lists (default: last)")
    .option("--json", "print the new topic as JSON")
    .action(
      async (
        slug: string,
        options: { vi: string; en: string; position?: string; json?: boolean },
      ) => {
        await cli.withContext(async ({ database }) => {
          const position = options.position === undefined ? undefined : Number(options.position);
          const created = await addTopic(database.db, {
            slug,
            name: { vi: options.vi, en: options.en },
            ...(position !== undefined && Number.isInteger(position) ? { position } : {}),
          });
          if (options.json) return cli.json(created);
          cli.line(`Added topic ${created.slug}: ${created.name.vi} / ${created.name.en}`);
        });
      },
    );

  category
    .command("list")
    .description("list topics in their display order")
    .option("--json", "print [{ id, slug, name: { vi, en }, position }] as JSON")
    .action(async (options: { json?: boolean }) => {
      await cli.withContext(async ({ database }) => {
        const categories = await listTopics(database.db);
        if (options.json) return cli.json(categories);
        if (categories.length === 0) {
          cli.line(
            'No topics yet. Add one: bantin category add thoi-su --vi "Thời sự" --en "Current affairs"',
          );
          return;
        }
        cli.table(
          ["slug", "Tiếng Việt", "English"],
          categories.map((c) => [c.slug, c.name.vi, c.name.en]),
        );
      });
    });
}
