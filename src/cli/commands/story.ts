import type { Command } from "commander";
import { CLI_ACTOR } from "../../editors/editors";
import { parseStoryTime } from "../../services/stories";
import { formatEditorTime } from "../../text/time";
import { type Cli, parseId, UsageError } from "../context";

/** `bantin story …`: what editors do to one stored story. */
export function registerStory(program: Command, cli: Cli): void {
  const story = program.command("story").description("act on one stored story");
  registerStoryDesk(story, cli);

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

/** `bantin story retract/refresh/pin/unpin`: corrections, retractions and editor's picks. */
export function registerStoryDesk(story: Command, cli: Cli): void {
  story
    .command("retract")
    .description(
      "retract a story: hidden for good; Telegram messages that carried it deleted or edited (within 48 h), Zalo readers of the last day told once",
    )
    .argument("<id>", "the story id (from bantin search)")
    .requiredOption("--reason <text>", "why (kept in the audit log)")
    .option("--json", "print { id, title, changed, report } as JSON")
    .action(async (id: string, options: { reason: string; json?: boolean }) => {
      const articleId = parseId(id, "story id");
      await cli.withContext(async ({ services }) => {
        const {
          story: s,
          changed,
          report,
        } = await services.stories.retract(CLI_ACTOR, articleId, options.reason);
        if (options.json) return cli.json({ id: s.id, title: s.title, changed, report });
        if (!changed) return cli.line(`Story ${s.id} was already retracted; nothing changed.`);
        cli.line(`Story ${s.id} is retracted: ${s.title}`);
        cli.line(
          `Telegram: ${report.deleted} message(s) to delete, ${report.edited} list(s) to edit; ${report.tooOld} older than 48 hours cannot be withdrawn and stay as they are.`,
        );
        cli.line(
          `Zalo (no edit or delete): ${report.zaloNotices} reader(s) who got it within a day will be told once; ${report.zaloOlder} older message(s) get no notice.`,
        );
      });
    });

  story
    .command("refresh")
    .description(
      "after a story's headline changed at its source: edit the Telegram lists that carried it (within 48 h)",
    )
    .argument("<id>", "the story id (from bantin search)")
    .option("--json", "print { id, title, report } as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const articleId = parseId(id, "story id");
      await cli.withContext(async ({ services }) => {
        const { story: s, report } = await services.stories.refresh(CLI_ACTOR, articleId);
        if (options.json) return cli.json({ id: s.id, title: s.title, report });
        cli.line(
          `Story ${s.id} (${s.title}): ${report.edited} Telegram message(s) to edit; ${report.posts} post(s) of the story alone are not edited; ${report.tooOld} older than 48 hours stay as they are.`,
        );
      });
    });

  story
    .command("pin")
    .description("pin a story atop every reader's digest until a time (an editor's pick)")
    .argument("<id>", "the story id (from bantin search)")
    .requiredOption("--until <time>", "HH:MM (in DEFAULT_TIMEZONE, the next one) or ISO date-time")
    .option("--json", "print { id, title, pinnedUntil } as JSON")
    .action(async (id: string, options: { until: string; json?: boolean }) => {
      const articleId = parseId(id, "story id");
      await cli.withContext(async ({ services, config }) => {
        const zone = config.defaults.timeZone;
        const until = parseStoryTime(options.until, new Date(), zone);
        if (!until) {
          throw new UsageError(
            `--until "${options.until}" is not a time: give HH:MM (in ${zone}) or an ISO date-time`,
          );
        }
        const { story: s } = await services.stories.pin(CLI_ACTOR, articleId, until);
        if (options.json) return cli.json({ id: s.id, title: s.title, pinnedUntil: s.pinnedUntil });
        cli.line(
          `Story ${s.id} is pinned atop the digests until ${formatEditorTime(until, zone)}: ${s.title}`,
        );
      });
    });

  story
    .command("unpin")
    .description("take a story off the top of the digests")
    .argument("<id>", "the story id (from bantin search)")
    .option("--json", "print { id, title, changed } as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const articleId = parseId(id, "story id");
      await cli.withContext(async ({ services }) => {
        const { story: s, changed } = await services.stories.unpin(CLI_ACTOR, articleId);
        if (options.json) return cli.json({ id: s.id, title: s.title, changed });
        cli.line(
          changed
            ? `Story ${s.id} is unpinned: ${s.title}`
            : `Story ${s.id} was not pinned; nothing changed.`,
        );
      });
    });
}
