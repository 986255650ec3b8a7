import { readFile } from "node:fs/promises";
import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import { type StoreOutcome, storeArticle } from "./articles";
import { canonicalUrl, contentHash } from "./canonical";
import {
  type ExtractedStory,
  extractArticlePage,
  extractTextPage,
  isProbablyHtml,
} from "./extract";
import type { Fetcher } from "./fetch/http-fetch";

export class ImportError extends Error {
  override name = "ImportError";
}

const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Stores one story from an article page (HTML) or a plain-text page shaped like the seed
 * (headline, lead, body, photo file names with captions), read from a file or a URL.
 */
export async function importStory(
  deps: { db: Db; fetcher: Fetcher; clock: Clock },
  input: {
    /** A URL, or a file as the user named it (its name becomes the story's address). */
    location: string;
    topicId: number;
    /** Where to read a file named relative to somewhere else than this process's folder. */
    readFrom?: string;
  },
): Promise<{ id: number; outcome: StoreOutcome; story: ExtractedStory; url: string }> {
  const isUrl = /^https?:\/\//i.test(input.location);
  let text: string;
  let pageUrl: string;
  if (isUrl) {
    const fetched = await deps.fetcher.fetchText(input.location, {
      accept: "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    });
    if (fetched.status !== "ok")
      throw new ImportError(`${input.location} answered 304 with no page`);
    text = fetched.body;
    pageUrl = fetched.url;
  } else {
    let bytes: Buffer;
    try {
      bytes = await readFile(input.readFrom ?? input.location);
    } catch (error) {
      throw new ImportError(`cannot read ${input.location}: ${(error as Error).message}`);
    }
    if (bytes.length > MAX_FILE_BYTES)
      throw new ImportError(`${input.location} is larger than 5 MiB`);
    text = bytes.toString("utf8");
    // A local file has no address of its own: it is known by its file name.
    pageUrl = `file://${encodeURI(input.location.replace(/^\.?\/*/, "/"))}`;
  }

  const story = isProbablyHtml(text) ? extractArticlePage(text, pageUrl) : extractTextPage(text);
  if (!story?.title) {
    throw new ImportError(`no story found in ${input.location}: no headline or body to recover`);
  }
  const now = deps.clock().toISOString();
  const url = isUrl ? canonicalUrl(pageUrl) : pageUrl;
  const publishedAt = story.publishedAt && story.publishedAt <= now ? story.publishedAt : now;
  const { id, outcome } = await storeArticle(deps.db, {
    url,
    contentHash: contentHash(story),
    title: story.title,
    lead: story.lead,
    body: story.body,
    photos: story.photos,
    author: story.author,
    fullText: story.body.length > 0,
    publishedAt,
    fetchedAt: now,
    topicId: input.topicId,
  });
  return { id, outcome, story, url };
}
