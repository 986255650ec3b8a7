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
  /**
   * Stories a follower got both as it happens and in the digest (not a message sent twice: two
   * messages that both list the story).
   */
  storiesInBoth: number;
  /** The first few lost messages, "<mark> to <chat>", to explain a loss. */
  lostExamples: string[];
}

const tally = (): Tally => ({ expected: 0, lost: 0, duplicates: 0 });

function add(t: Tally, expected: number, got: number, what?: string, examples?: string[]): void {
  if (what && examples && got < expected && examples.length < 10) examples.push(what);
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
    // A story reaches a follower once: as it happens, or in their digest when the digest came
    // first (it then carries the stories waiting, which are not pushed again).
    const where = send.marks.includes(INSTANT_MARK) ? "@instant" : "@digest";
    for (const mark of new Set(send.marks)) {
      const key = mark.startsWith("SOAK-S") ? mark + where : mark;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const counts: Counts = {
    digests: tally(),
    broadcasts: tally(),
    instant: tally(),
    replies: tally(),
    total: tally(),
    unexpected,
    storiesInBoth: 0,
    lostExamples: [],
  };
  const examples = counts.lostExamples;
  for (let i = 0; i < plan.readers; i++) {
    const seen = perReader[i] as Map<string, number>;
    const got = (mark: string) => seen.get(mark) ?? 0;
    const to = (mark: string) => `${mark} to ${chatOf(i)}`;
    add(counts.digests, 1, got(DIGEST_MARK), to("digest"), examples);
    AT.broadcasts.forEach((_, k) => {
      const mark = broadcastMark(k);
      if (broadcastTopic(k) === topicOf(i))
        add(counts.broadcasts, 1, got(mark), to(mark), examples);
    });
    for (let n = 0; n < plan.stories; n++) {
      const wanted =
        (isInstantFollower(i) && storyTopic(n) === topicOf(i)) ||
        (isKeywordFollower(i) && storyHasKeyword(n));
      if (!wanted) continue;
      const pushed = got(`${storyMark(n)}@instant`);
      const inDigest = got(`${storyMark(n)}@digest`);
      if (pushed > 0 && inDigest > 0) counts.storiesInBoth++;
      // Lost when in neither; a duplicate when one kind of message carried it twice.
      add(counts.instant, 1, pushed + inDigest > 0 ? 1 : 0, to(storyMark(n)), examples);
      counts.instant.duplicates += Math.max(0, pushed - 1) + Math.max(0, inDigest - 1);
    }
    add(counts.replies, plan.accepted.get(chatOf(i)) ?? 0, got(REPLY_MARK), to("reply"), examples);
  }
  for (const t of [counts.digests, counts.broadcasts, counts.instant, counts.replies]) {
    counts.total.expected += t.expected;
    counts.total.lost += t.lost;
    counts.total.duplicates += t.duplicates;
  }
  return counts;
}
