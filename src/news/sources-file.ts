import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { checkFeedUrl, describeFeedUrlProblem } from "./feed-url";
import { listFeeds, setFeedUrl, upsertFeed } from "./feeds";
import { getTopicBySlug, upsertTopic } from "./topics";

/** An address as the one check writes it, or as it is when it does not pass. */
function checkedOr(url: string): string {
  const checked = checkFeedUrl(url);
  return checked.ok ? checked.url : url;
}

const sourcesFileSchema = z.object({
  categories: z
    .array(
      z.object({
        slug: z.string(),
        name: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
        position: z.number().int().optional(),
      }),
    )
    .default([]),
  sources: z
    .array(
      z.object({
        // The one check of a feed's address (feed-url.ts), as the console and the CLI make it.
        url: z.string().transform((typed, ctx) => {
          const checked = checkFeedUrl(typed);
          if (checked.ok) return checked.url;
          ctx.addIssue({ code: "custom", message: describeFeedUrlProblem(checked.problem, typed) });
          return z.NEVER;
        }),
        category: z.string(),
        fullText: z.boolean().default(false),
        selectors: z
          .object({
            title: z.string().optional(),
            lead: z.string().optional(),
            body: z.string().optional(),
            remove: z.array(z.string()).optional(),
          })
          .optional(),
      }),
    )
    .default([]),
});

export type SourcesFile = z.infer<typeof sourcesFileSchema>;

export class SourcesFileError extends Error {
  override name = "SourcesFileError";
}

/** Reads and validates a SOURCES_FILE; errors name the file and the bad entry. */
export async function readSourcesFile(path: string): Promise<SourcesFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SourcesFileError(`SOURCES_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SourcesFileError(
      `SOURCES_FILE: ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = sourcesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourcesFileError(
      `SOURCES_FILE: ${path}: ${issue?.path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/**
 * Upserts the file's topics, then its feeds, all or nothing. A feed is known by its address as
 * checked (feed-url.ts); one stored before addresses were checked ("https://Example.vn" for
 * "https://example.vn/") is the same feed, and its address is written the checked way.
 */
export async function applySourcesFile(
  db: Db,
  file: SourcesFile,
): Promise<{ categories: number; sources: number }> {
  return inTransaction(db, async (trx) => {
    for (const category of file.categories) await upsertTopic(trx, category);
    const stored = await listFeeds(trx);
    const exact = new Set(stored.map((f) => f.url));
    const byChecked = new Map(stored.map((f) => [checkedOr(f.url), f]));
    for (const source of file.sources) {
      const known = byChecked.get(source.url);
      if (known && !exact.has(source.url)) {
        await setFeedUrl(trx, known.id, source.url);
        exact.add(source.url);
      }
      const category = await getTopicBySlug(trx, source.category);
      await upsertFeed(trx, {
        url: source.url,
        topicId: category.id,
        fullText: source.fullText,
        selectors: source.selectors ?? null,
      });
    }
    return { categories: file.categories.length, sources: file.sources.length };
  });
}
