/**
 * Which new stories go to whom as they happen. Pure: stories (with the folded words search would
 * find them by), the readers who follow their topics as it happens and everyone's keyword
 * follows go in; one item per reader and story comes out, saying what matched (and which of the
 * reader's keyword follows, as they typed them).
 */
import type { InstantItem, InstantReason } from "../readers/instant-items";

export interface MatchStory {
  id: number;
  topicIds: number[];
  /** Folded words of headline, lead, body and captions (what the search index holds). */
  words: ReadonlySet<string>;
}

/**
 * A keyword follow matches a story when every one of its folded words is among the story's
 * words, in any order (as a search for those words finds the story).
 */
export function followMatches(folded: string, words: ReadonlySet<string>): boolean {
  const wanted = folded.split(" ").filter(Boolean);
  return wanted.length > 0 && wanted.every((w) => words.has(w));
}

export function matchStories(
  stories: MatchStory[],
  topicReaders: { readerId: number; topicId: number }[],
  follows: { readerId: number; folded: string; words?: string }[],
): InstantItem[] {
  const byTopic = new Map<number, Set<number>>();
  for (const { readerId, topicId } of topicReaders) {
    let readers = byTopic.get(topicId);
    if (!readers) {
      readers = new Set();
      byTopic.set(topicId, readers);
    }
    readers.add(readerId);
  }
  const items: InstantItem[] = [];
  for (const story of stories) {
    const reasons = new Map<number, InstantReason>();
    const keywords = new Map<number, string[]>();
    for (const topicId of story.topicIds) {
      for (const readerId of byTopic.get(topicId) ?? []) reasons.set(readerId, "topic");
    }
    for (const { readerId, folded, words } of follows) {
      if (!followMatches(folded, story.words)) continue;
      const had = reasons.get(readerId);
      reasons.set(
        readerId,
        had === "topic" || had === "topic+keyword" ? "topic+keyword" : "keyword",
      );
      if (words) keywords.set(readerId, [...(keywords.get(readerId) ?? []), words]);
    }
    for (const [readerId, reason] of [...reasons].sort((a, b) => a[0] - b[0])) {
      const matched = keywords.get(readerId);
      items.push({
        readerId,
        articleId: story.id,
        reason,
        ...(matched ? { keywords: matched } : {}),
      });
    }
  }
  return items;
}
