/**
 * Lost and duplicated messages of the day, from what the fake Bot API received set against what
 * the plan says each reader should have got (never from bantin's own tables).
 */
import {
  AT,
  broadcastMark,
  broadcastTopic,
  chatOf,
  DIGEST_MARK,
  INSTANT_MARK,
  indexOf,
  isInstantFollower,
  isKeywordFollower,
  REPLY_MARK,
  storyHasKeyword,
  storyMark,
  storyTopic,
  topicOf,
} from "./plan";

/** One successful sendMessage, with the marks found in its text. */
export interface Received {
  chatId: string;
  marks: string[];
}

export interface Tally {
  expected: number;
  lost: number;
  duplicates: number;
}

export interface Counts {
  digests: Tally;
  broadcasts: Tally;
  instant: Tally;
  replies: Tally;
  total: Tally;
  /** Messages to chats that are not readers, or of no kind the plan knows. */
  unexpected: number;
}

const tally = (): Tally => ({ expected: 0, lost: 0, duplicates: 0 });

function add(t: Tally, expected: number, got: number): void {
  t.expected += expected;
  t.lost += Math.max(0, expected - got);
  t.duplicates += Math.max(0, got - expected);
}

export function countDay(
  received: Received[],
  plan: { readers: number; stories: number; accepted: Map<string, number> },
): Counts {
  // Per reader: how many of each mark reached them.
  const perReader: Map<string, number>[] = Array.from({ length: plan.readers }, () => new Map());
  let unexpected = 0;
  for (const send of received) {
    const i = indexOf(send.chatId);
    const seen = perReader[i];
    if (!seen || send.marks.length === 0) {
      unexpected++;
      continue;
    }
    const instant = send.marks.includes(INSTANT_MARK);
    for (const mark of new Set(send.marks)) {
      // A story counts as pushed only in a message of news as it happens (digests list stories too).
      if (mark.startsWith("SOAK-S") && !instant) continue;
      seen.set(mark, (seen.get(mark) ?? 0) + 1);
    }
  }
  const counts: Counts = {
    digests: tally(),
    broadcasts: tally(),
    instant: tally(),
    replies: tally(),
    total: tally(),
    unexpected,
  };
  for (let i = 0; i < plan.readers; i++) {
    const seen = perReader[i] as Map<string, number>;
    const got = (mark: string) => seen.get(mark) ?? 0;
    add(counts.digests, 1, got(DIGEST_MARK));
    AT.broadcasts.forEach((_, k) => {
      if (broadcastTopic(k) === topicOf(i)) add(counts.broadcasts, 1, got(broadcastMark(k)));
    });
    for (let n = 0; n < plan.stories; n++) {
      const wanted =
        (isInstantFollower(i) && storyTopic(n) === topicOf(i)) ||
        (isKeywordFollower(i) && storyHasKeyword(n));
      if (wanted) add(counts.instant, 1, got(storyMark(n)));
    }
    add(counts.replies, plan.accepted.get(chatOf(i)) ?? 0, got(REPLY_MARK));
  }
  for (const t of [counts.digests, counts.broadcasts, counts.instant, counts.replies]) {
    counts.total.expected += t.expected;
    counts.total.lost += t.lost;
    counts.total.duplicates += t.duplicates;
  }
  return counts;
}
