import type { Command } from "commander";
import { CLI_ACTOR } from "../../editors/editors";
import { type Cli, parseId } from "../context";

/** `bantin story …`: what editors do to one stored story. */
export function registerStory(program: Command, cli: Cli): void {
  const story = program.command("story").description("act on one stored story");

  for (const hide of [true, false]) {
    story
      .command(hide ? "hide" : "unhide")
      .description(
        hide
          ? "hide a story: not listed, found, put in digests nor pushed; no reader is told"
          : "show a hidden story again in lists and search",
      )
      .argument("<id>", "the story id (from bantin search)")
      .option("--json", "print { id, title, hiddenAt, changed } as JSON")
      .action(async (id: string, options: { json?: boolean }) => {
        const articleId = parseId(id, "story id");
        await cli.withContext(async ({ services }) => {
          const { story: s, changed } = hide
            ? await services.stories.hide(CLI_ACTOR, articleId)
            : await services.stories.unhide(CLI_ACTOR, articleId);
          if (options.json) {
            return cli.json({ id: s.id, title: s.title, hiddenAt: s.hiddenAt, changed });
          }
          const state = hide ? "hidden" : "shown";
          cli.line(
            changed
              ? `Story ${s.id} is ${state}: ${s.title}`
              : `Story ${s.id} was already ${state}; nothing changed.`,
          );
        });
      });
  }
}
