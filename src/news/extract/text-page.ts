/**
 * Full-story extraction from an article saved as plain text (the seed's shape):
 *
 *   headline
 *   lead (sapo)
 *   body paragraphs, where a photo is its file name on one line and its caption on the next
 *   furniture: "Có thể bạn quan tâm", "Tin cùng chuyên mục", related headlines printed twice,
 *   the social line "fb yt zl tw"
 *
 * Pure and total: text in, story (or null) out, never throws.
 */
import { cleanLine, dropLoneSurrogates } from "../../text/normalize";
import { textLength } from "./finish";
import { isDateLine, isFurnitureMarker, isReadMoreLine, isSocialLine, nameFromLine } from "./lines";
import { parsePublishedTime } from "./page-meta";
import { BYLINE_PREFIX } from "./site-rules";
import type { ExtractedPhoto, ExtractedStory, ExtractOptions } from "./types";

const MAX_TEXT_CHARS = 2_000_000;
const MAX_CAPTION_CHARS = 300;
const MIN_LONGEST_PARAGRAPH = 30;

/** `111.jpg`, `anh-1.png`, `IMG_2034.JPEG`, `https://cdn.example/a/b.webp?w=800`. */
const IMAGE_LINE =
  /^(?:https?:\/\/[^\s]+|[^\s/\\]+(?:\/[^\s/\\]+)*)\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)(?:[?#][^\s]*)?$/i;

export function isImageLine(line: string): boolean {
  return line.length <= 500 && IMAGE_LINE.test(line);
}

type Unit = { kind: "text"; text: string } | { kind: "photo"; url: string; caption: string };

/** Hard-wrapped paragraphs (every line but the last long and unfinished) are joined. */
function looksWrapped(lines: string[]): boolean {
  if (lines.length < 2) return false;
  return lines.slice(0, -1).every((line) => line.length >= 40 && !/[.!?:;…"”)»]$/u.test(line));
}

function toUnits(text: string): Unit[] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = cleanLine(raw);
    if (line) {
      current.push(line);
    } else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);

  const units: Unit[] = [];
  for (let b = 0; b < blocks.length; b += 1) {
    const block = blocks[b] ?? [];
    let pending: string[] = [];
    const flushPending = () => {
      if (pending.length === 0) return;
      if (looksWrapped(pending)) units.push({ kind: "text", text: pending.join(" ") });
      else for (const line of pending) units.push({ kind: "text", text: line });
      pending = [];
    };
    for (let i = 0; i < block.length; i += 1) {
      const line = block[i] ?? "";
      if (!isImageLine(line)) {
        pending.push(line);
        continue;
      }
      flushPending();
      let caption = "";
      const next = block[i + 1];
      if (next !== undefined) {
        if (!isImageLine(next) && !isFurnitureMarker(next)) {
          caption = next;
          i += 1;
        }
      } else {
        // Caption set off by a blank line: take the next block's first line if it is short.
        const following = blocks[b + 1];
        const first = following?.[0];
        if (
          following &&
          first !== undefined &&
          first.length <= MAX_CAPTION_CHARS &&
          !isImageLine(first) &&
          !isFurnitureMarker(first) &&
          !isSocialLine(first)
        ) {
          caption = first;
          following.shift();
          if (following.length === 0) b += 1;
        }
      }
      units.push({ kind: "photo", url: line, caption });
    }
    flushPending();
  }
  return units;
}

interface MetaLine {
  hasDate: boolean;
  publishedAt: string | null;
  author: string | null;
}

/**
 * "26/01/2026 08:27", "Tác giả: Minh Anh", "Minh Anh | Thứ hai, 26/01/2026 08:27".
 * Without a date part, a name counts only when it carries a prefix ("Bài, ảnh:", "Tác giả:").
 */
function metaLine(line: string, now: Date): MetaLine | null {
  if (line.length > 120) return null;
  const parts = line.split(/\s*[|•·]\s*|\s+[-–—]\s+/u).filter(Boolean);
  let hasDate = false;
  let publishedAt: string | null = null;
  let author: string | null = null;
  const names: string[] = [];
  for (const part of parts) {
    if (isDateLine(part)) {
      hasDate = true;
      publishedAt = parsePublishedTime(part, now);
    } else {
      names.push(part);
    }
  }
  for (const part of names) {
    const prefixed = BYLINE_PREFIX.test(part);
    if (!hasDate && !prefixed) return null;
    const name = nameFromLine(part);
    if (!name || author) return null;
    author = name;
  }
  return hasDate || author ? { hasDate, publishedAt, author } : null;
}

function extractUnsafe(input: string, now: Date): ExtractedStory | null {
  if (typeof input !== "string") return null;
  const text = dropLoneSurrogates(
    input.length > MAX_TEXT_CHARS ? input.slice(0, MAX_TEXT_CHARS) : input,
  );
  const units = toUnits(text);

  const titleIndex = units.findIndex((u) => u.kind === "text");
  const titleUnit = units[titleIndex];
  if (titleUnit?.kind !== "text") return null;
  const title = titleUnit.text;
  const rest = units.slice(titleIndex + 1);

  let author: string | null = null;
  let publishedAt: string | null = null;
  let sawDate = false;
  const applyMeta = (meta: MetaLine) => {
    if (meta.author && !author) author = meta.author;
    if (meta.hasDate && !sawDate) {
      sawDate = true;
      publishedAt = meta.publishedAt;
    }
  };

  // Date and byline lines right under the headline.
  let cursor = 0;
  for (let seen = 0; seen < 3 && cursor < rest.length; seen += 1) {
    const unit = rest[cursor];
    if (unit?.kind !== "text") break;
    const meta = metaLine(unit.text, now);
    if (!meta) break;
    applyMeta(meta);
    cursor += 1;
  }

  // The lead: the first paragraph that follows (photos before it keep their place).
  const photos: ExtractedPhoto[] = [];
  let lead = "";
  const body: string[] = [];
  let stopped = false;
  for (let i = cursor; i < rest.length && !stopped; i += 1) {
    const unit = rest[i];
    if (!unit) continue;
    if (unit.kind === "photo") {
      if (!photos.some((p) => p.url === unit.url))
        photos.push({ url: unit.url, caption: unit.caption });
      continue;
    }
    const line = unit.text;
    if (isFurnitureMarker(line)) {
      stopped = true;
      continue;
    }
    if (isSocialLine(line) || isReadMoreLine(line)) continue;
    // Related headlines come printed twice: that is where the story ended.
    const next = rest[i + 1];
    if (body.length > 0 && next?.kind === "text" && next.text === line) {
      stopped = true;
      continue;
    }
    if (!lead) {
      lead = line;
      continue;
    }
    if (body[body.length - 1] !== line && line !== lead) body.push(line);
  }

  // A closing byline or date line ("Minh Anh", "26/01/2026 08:27").
  for (let k = 0; k < 2 && body.length > 1; k += 1) {
    const last = body[body.length - 1] ?? "";
    const meta = metaLine(last, now);
    if (meta) {
      applyMeta(meta);
      body.pop();
      continue;
    }
    const name: string | null = last.length <= 40 ? nameFromLine(last) : null;
    if (!name || (author !== null && author !== name)) break;
    author = name;
    body.pop();
  }

  const captions = new Set(photos.map((p) => p.caption).filter(Boolean));
  const finalBody = body.filter((p) => !captions.has(p));
  if (!finalBody.some((p) => textLength(p) >= MIN_LONGEST_PARAGRAPH)) return null;

  return { title, lead, body: finalBody, photos, author, publishedAt };
}

/** The story in a plain-text article page, or null when there is no body. Never throws. */
export function extractTextPage(text: string, options: ExtractOptions = {}): ExtractedStory | null {
  try {
    return extractUnsafe(text, options.now ?? new Date());
  } catch {
    return null;
  }
}
