/**
 * What goes into a reader's digest. Pure and deterministic: the reader's topics and the candidate
 * stories go in (in any order), sections of newest stories come out.
 */

export interface DigestTopic {
  id: number;
  slug: string;
  name: { vi: string; en: string };
}

export interface DigestStory {
  id: number;
  title: string;
  url: string;
  /** ISO instant. */
  publishedAt: string;
  topicIds: number[];
}

export interface DigestSection {
  topic: DigestTopic;
  /** Newest first, at most `perTopic`. */
  stories: DigestStory[];
  /** How many other stories belong to this section. */
  more: number;
}

export interface Digest {
  /** Editor's picks, atop the digest whatever the reader's topics; not again in a section (absent: none). */
  pinned?: DigestStory[];
  sections: DigestSection[];
  /** Stories shown. */
  storyCount: number;
  /** Distinct new stories in the reader's topics (shown or not). */
  totalNew: number;
}

// Parsed once per story object: a slot composes many digests from the same stories.
const stamps = new WeakMap<DigestStory, number>();

function timestamp(story: DigestStory): number {
  let stamp = stamps.get(story);
  if (stamp === undefined) {
    const ms = Date.parse(story.publishedAt);
    stamp = Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
    stamps.set(story, stamp);
  }
  return stamp;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first, then id descending; the remaining fields only make duplicates deterministic. */
function newestFirst(a: DigestStory, b: DigestStory): number {
  return (
    timestamp(b) - timestamp(a) ||
    b.id - a.id ||
    compareText(a.publishedAt, b.publishedAt) ||
    compareText(a.title, b.title) ||
    compareText(a.url, b.url)
  );
}

/**
 * Composes a digest: each story in at least one of the reader's topics appears once, under the
 * first of those topics (in the given order) it belongs to; sections keep topic order, show the
 * newest `perTopic` stories and count the rest in `more`; empty sections are left out.
 * Duplicate story ids are merged (their topics united). Pinned stories (editor's picks) come
 * first, once, and leave the sections. The same input in any order gives the same output.
 */
export function composeDigest(input: {
  topics: DigestTopic[];
  stories: DigestStory[];
  perTopic: number;
  /** Editor's picks (in the order given); each is left out of the topic sections. */
  pinned?: DigestStory[];
}): Digest {
  const { perTopic } = input;
  if (!Number.isInteger(perTopic) || perTopic < 1) {
    throw new RangeError(`perTopic must be an integer >= 1, got ${perTopic}`);
  }

  const topics: DigestTopic[] = [];
  const rank = new Map<number, number>();
  for (const topic of input.topics) {
    if (rank.has(topic.id)) continue;
    rank.set(topic.id, topics.length);
    topics.push(topic);
  }

  // One record per story id: the first in canonical order, with every topic seen for it.
  const byId = new Map<number, DigestStory>();
  for (const story of [...input.stories].sort(newestFirst)) {
    const seen = byId.get(story.id);
    if (seen) {
      const topics = new Set([...seen.topicIds, ...story.topicIds]);
      byId.set(story.id, { ...seen, topicIds: [...topics].sort((a, b) => a - b) });
    } else {
      byId.set(story.id, story);
    }
  }

  const pinned: DigestStory[] = [];
  const pinnedIds = new Set<number>();
  for (const story of input.pinned ?? []) {
    if (pinnedIds.has(story.id)) continue;
    pinnedIds.add(story.id);
    pinned.push(story);
  }

  const buckets: DigestStory[][] = topics.map(() => []);
  for (const story of byId.values()) {
    if (pinnedIds.has(story.id)) continue;
    let first = Number.POSITIVE_INFINITY;
    for (const topicId of story.topicIds) {
      const r = rank.get(topicId);
      if (r !== undefined && r < first) first = r;
    }
    if (first !== Number.POSITIVE_INFINITY) buckets[first]?.push(story);
  }

  const sections: DigestSection[] = [];
  let storyCount = pinned.length;
  let totalNew = 0;
  topics.forEach((topic, index) => {
    const bucket = buckets[index] ?? [];
    if (bucket.length === 0) return;
    // Buckets fill in canonical (newest-first) order already.
    const stories = bucket.slice(0, perTopic);
    sections.push({ topic, stories, more: bucket.length - stories.length });
    storyCount += stories.length;
    totalNew += bucket.length;
  });
  return pinned.length > 0
    ? { pinned, sections, storyCount, totalNew }
    : { sections, storyCount, totalNew };
}
