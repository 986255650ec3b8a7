/**
 * Blocks to story: photos take the caption that follows them, furniture lines and repeats of the
 * headline, sapo or captions go, a closing byline becomes the author, and a body too thin to be a
 * story gives null (on a known layout with headline and lead, one paragraph is enough).
 */
import type { DateVerdict } from "../../text/date";
import type { Block, TextBlock } from "./blocks";
import { isDateLine, isFurnitureMarker, isReadMoreLine, isSocialLine, nameFromLine } from "./lines";
import type { ExtractedPhoto, ExtractedStory } from "./types";

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Scripts that say in one character what Latin says in about three (a word, often). */
const DENSE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * A text's length in Latin-letter terms, for the length rules: a paragraph of 30 Chinese
 * characters says as much as one of 90 Latin letters, and must count as long.
 */
export function textLength(text: string): number {
  return text.length + 2 * (text.match(DENSE_SCRIPT)?.length ?? 0);
}

/** A story needs at least this much body text, with one real paragraph. */
const MIN_BODY_CHARS = 140;
const MIN_LONGEST_PARAGRAPH = 60;
const MAX_CAPTION_CHARS = 300;

export interface Draft {
  title: string;
  lead: string;
  blocks: Block[];
  author: string | null;
  publishedAt: DateVerdict;
  /** The page's meta description. */
  description: string;
  /**
   * Headline and lead were found where a known layout keeps them: then one paragraph is enough
   * (a short brief is a story); otherwise the body must be long enough to be one.
   */
  knownLayout?: boolean;
}

export function sameText(a: string, b: string): boolean {
  return a.toLocaleLowerCase("vi") === b.toLocaleLowerCase("vi");
}

function stripEllipsis(text: string): string {
  return text.replace(/\s*(?:\.\.\.|…)\s*$/u, "").trim();
}

/** Photos (deduplicated, captioned) and the text blocks between them. */
function separatePhotos(blocks: Block[]): { photos: ExtractedPhoto[]; texts: TextBlock[] } {
  const photos: ExtractedPhoto[] = [];
  const texts: TextBlock[] = [];
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    if (!block) continue;
    if (block.kind === "text") {
      texts.push(block);
      continue;
    }
    let caption = block.caption;
    const next = blocks[i + 1];
    if (
      !caption &&
      next?.kind === "text" &&
      next.text.length <= MAX_CAPTION_CHARS &&
      (next.captionLike || next.italic)
    ) {
      caption = next.text;
      i += 1;
    }
    const existing = photos.find((p) => p.url === block.url);
    if (existing) {
      if (!existing.caption) existing.caption = caption;
    } else {
      photos.push({ url: block.url, caption });
    }
  }
  return { photos, texts };
}

export function finish(draft: Draft): ExtractedStory | null {
  const { photos, texts } = separatePhotos(draft.blocks);
  const title = draft.title;
  let lead = draft.lead;
  const captions = photos.map((p) => p.caption).filter(Boolean);
  let author = draft.author;

  // Where the story's own prose ends: a list of links after it is other stories, a list of
  // links before it (sources, steps, a reading list) is part of the story.
  const lastProse = texts.findLastIndex(
    (block) => block.linkRatio < 0.5 && block.text.length >= 80,
  );
  let kept = texts.filter((block, index) => {
    const text = block.text;
    if (title && sameText(text, title)) return false;
    if (lead && sameText(text, lead)) return false;
    if (captions.some((c) => sameText(c, text))) return false;
    if (isSocialLine(text) || isReadMoreLine(text) || isFurnitureMarker(text)) return false;
    if (isDateLine(text)) return false;
    if (block.linkRatio >= 0.8 && text.length < 300) {
      return block.listItem && index < lastProse && wordCount(text) >= 3;
    }
    return true;
  });

  // A closing byline: short, bold or right-aligned, just a name. The story's own word on who
  // wrote it beats the page's metadata, which often names the site (<meta name="author">).
  const last = kept[kept.length - 1];
  if (last && (last.bold || last.right) && kept.length > 1) {
    const name = nameFromLine(last.text);
    if (name) {
      author = name;
      kept = kept.slice(0, -1);
    }
  }

  let body: string[] = [];
  for (const block of kept) {
    if (body[body.length - 1] !== block.text) body.push(block.text);
  }

  // No lead block: the meta description is the lead only when it is the story's opening
  // paragraph (a site-wide blurb must not become a lead).
  if (!lead && draft.description) {
    const description = stripEllipsis(draft.description);
    const index = body
      .slice(0, 3)
      .findIndex(
        (p) =>
          sameText(p, draft.description) || (description.length >= 40 && p.startsWith(description)),
      );
    if (index >= 0) lead = body.splice(index, 1)[0] ?? "";
  }
  if (lead) body = body.filter((p) => !sameText(p, lead));

  const total = body.reduce((sum, p) => sum + textLength(p), 0);
  const longest = body.reduce((max, p) => Math.max(max, textLength(p)), 0);
  const long = total >= MIN_BODY_CHARS && longest >= MIN_LONGEST_PARAGRAPH;
  const brief =
    draft.knownLayout === true &&
    title !== "" &&
    draft.lead !== "" &&
    body.some((p) => /\p{L}/u.test(p));
  if (!long && !brief) return null;

  return {
    title,
    lead,
    body,
    photos,
    author,
    publishedAt: draft.publishedAt.kind === "ok" ? draft.publishedAt.iso : null,
  };
}
