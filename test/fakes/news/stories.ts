/**
 * The site's stories, read from test/fixtures/news-site: index.json holds each story's metadata
 * and names a text file with its words, laid out like the seed article saved as text.
 */
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { BodyBlock, CategorySlug, FakeArticleInput } from "./types";

const FIXTURES = fileURLToPath(new URL("../../fixtures/news-site/", import.meta.url));

interface IndexEntry {
  id: number;
  /** The story's text, relative to the fixtures folder. */
  text: string;
  categories: CategorySlug[];
  author: string;
  publishedAt: string;
  image: string;
  feedQuery?: FakeArticleInput["feedQuery"];
  /** Ids of the stories the text lists under "Tin cùng chuyên mục", in order. */
  related?: number[];
}

export interface StoryText {
  title: string;
  lead: string;
  body: BodyBlock[];
  related: { title: string; lead: string }[];
}

// Page furniture in a saved page: the related-stories headings and the social icons line.
const INTEREST_HEADING = "Có thể bạn quan tâm";
const SAME_SECTION_HEADING = "Tin cùng chuyên mục";
const SOCIAL_LINE = "fb yt zl tw";
const PHOTO_FILE = /^[\w.-]+\.(?:jpe?g|png|gif|webp)$/i;

/**
 * Reads a story saved as text: headline, lead, then blocks separated by blank lines — a
 * paragraph, or a photo's file name with its caption on the next line; after
 * "Tin cùng chuyên mục", related stories as headline, the headline again, teaser.
 * Photos are placed in imageDir.
 */
export function parseStoryText(text: string, imageDir: string): StoryText {
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((b) => b.trim())
    .filter((b) => b !== "" && b !== INTEREST_HEADING && b !== SOCIAL_LINE);
  const [title, lead, ...rest] = blocks;
  if (title === undefined || lead === undefined) throw new Error("story text: no headline or lead");
  const split = rest.indexOf(SAME_SECTION_HEADING);
  const bodyBlocks = split < 0 ? rest : rest.slice(0, split);
  const relatedBlocks = split < 0 ? [] : rest.slice(split + 1);

  const body = bodyBlocks.map((block): BodyBlock => {
    const lines = block.split("\n");
    const [file, caption] = lines;
    if (
      lines.length === 2 &&
      file !== undefined &&
      caption !== undefined &&
      PHOTO_FILE.test(file)
    ) {
      return { src: posix.join(imageDir, file), caption };
    }
    if (lines.length !== 1)
      throw new Error(`story text: unexpected block ${JSON.stringify(block)}`);
    return block;
  });

  const related: StoryText["related"] = [];
  for (let i = 0; i < relatedBlocks.length; i += 3) {
    const [headline, again, teaser] = relatedBlocks.slice(i, i + 3);
    if (headline === undefined || headline !== again || teaser === undefined) {
      throw new Error(`story text: related story ${i / 3 + 1} is not headline, headline, teaser`);
    }
    related.push({ title: headline, lead: teaser });
  }
  return { title, lead, body, related };
}

/** The stories the site starts with. */
export function loadStories(): FakeArticleInput[] {
  const index = JSON.parse(readFileSync(`${FIXTURES}index.json`, "utf8")) as {
    stories: IndexEntry[];
  };
  return index.stories.map((entry) => {
    const text = readFileSync(posix.join(FIXTURES, entry.text), "utf8");
    const story = parseStoryText(text, posix.dirname(entry.image));
    const input: FakeArticleInput = {
      id: entry.id,
      title: story.title,
      lead: story.lead,
      body: story.body,
      categories: entry.categories,
      author: entry.author,
      publishedAt: entry.publishedAt,
      image: entry.image,
    };
    if (entry.feedQuery) input.feedQuery = entry.feedQuery;
    if (entry.related) {
      if (entry.related.length !== story.related.length) {
        throw new Error(
          `news-site fixtures: story ${entry.id} lists ${story.related.length} related stories, index.json gives ${entry.related.length} ids`,
        );
      }
      input.related = story.related.map((r, i) => ({ id: entry.related?.[i] as number, ...r }));
    }
    return input;
  });
}
