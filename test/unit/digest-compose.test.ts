import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeDigest, type DigestStory, type DigestTopic } from "../../src/digest/compose";

function topic(id: number, slug: string, vi = slug, en = slug): DigestTopic {
  return { id, slug, name: { vi, en } };
}

const THOI_SU = topic(1, "thoi-su", "Thời sự", "News");
const KINH_TE = topic(2, "kinh-te", "Kinh tế", "Business");
const THE_THAO = topic(3, "the-thao", "Thể thao", "Sport");
const GIAI_TRI = topic(4, "giai-tri", "Giải trí", "Entertainment");

function story(id: number, minute: number, topicIds: number[]): DigestStory {
  return {
    id,
    title: `Tin số ${id}`,
    url: `https://example.vn/${id}`,
    publishedAt: new Date(Date.UTC(2026, 0, 26, 0, minute)).toISOString(),
    topicIds: topicIds,
  };
}

const ids = (stories: DigestStory[]) => stories.map((s) => s.id);

describe("composeDigest", () => {
  it("groups stories under the reader's first matching topic, newest first", () => {
    const digest = composeDigest({
      topics: [KINH_TE, THOI_SU, THE_THAO],
      stories: [
        story(1, 10, [1]),
        story(2, 50, [1, 2]), // both: goes under Kinh tế, the reader's first
        story(3, 30, [2]),
        story(4, 30, [2]), // same time as 3: higher id first
        story(5, 40, [4]), // not the reader's topic
        story(6, 20, [3, 1]), // Thời sự comes before Thể thao for this reader
        story(7, 5, [1]),
      ],
      perTopic: 2,
    });
    expect(digest.sections.map((s) => s.topic.slug)).toEqual(["kinh-te", "thoi-su"]);
    expect(ids(digest.sections[0]?.stories ?? [])).toEqual([2, 4]);
    expect(digest.sections[0]?.more).toBe(1);
    expect(ids(digest.sections[1]?.stories ?? [])).toEqual([6, 1]);
    expect(digest.sections[1]?.more).toBe(1);
    expect(digest.storyCount).toBe(4);
    expect(digest.totalNew).toBe(6);
  });

  it("keeps topic order, omits empty sections and shows everything when under the cap", () => {
    const digest = composeDigest({
      topics: [GIAI_TRI, THOI_SU, KINH_TE],
      stories: [story(10, 1, [2]), story(11, 2, [4])],
      perTopic: 5,
    });
    expect(digest.sections.map((s) => [s.topic.slug, ids(s.stories), s.more])).toEqual([
      ["giai-tri", [11], 0],
      ["kinh-te", [10], 0],
    ]);
    expect(digest).toMatchObject({ storyCount: 2, totalNew: 2 });
  });

  it("returns no sections when nothing is new in the reader's topics", () => {
    expect(composeDigest({ topics: [THOI_SU], stories: [], perTopic: 5 })).toEqual({
      sections: [],
      storyCount: 0,
      totalNew: 0,
    });
    expect(
      composeDigest({ topics: [THOI_SU], stories: [story(1, 0, [2, 3])], perTopic: 5 }).sections,
    ).toEqual([]);
    expect(
      composeDigest({ topics: [], stories: [story(1, 0, [1])], perTopic: 5 }).sections,
    ).toEqual([]);
  });

  it("puts editor's picks first, once, whatever the topics, and out of their sections", () => {
    const pick = story(2, 50, [1]);
    const elsewhere = story(9, 5, [4]); // in a topic the reader does not follow
    const digest = composeDigest({
      topics: [THOI_SU],
      stories: [story(1, 10, [1]), pick],
      perTopic: 5,
      pinned: [pick, elsewhere, pick],
    });
    expect(ids(digest.pinned ?? [])).toEqual([2, 9]);
    expect(digest.sections.map((s) => ids(s.stories))).toEqual([[1]]);
    expect(digest.storyCount).toBe(3);
    // A reader with nothing new still gets the picks.
    const only = composeDigest({ topics: [THOI_SU], stories: [], perTopic: 5, pinned: [pick] });
    expect(only.sections).toEqual([]);
    expect(ids(only.pinned ?? [])).toEqual([2]);
  });

  it("merges duplicate story rows and ignores repeated topics", () => {
    const digest = composeDigest({
      topics: [THE_THAO, KINH_TE, THE_THAO],
      stories: [story(1, 0, [2]), story(1, 0, [3]), story(2, 1, [2])],
      perTopic: 5,
    });
    expect(digest.sections.map((s) => [s.topic.slug, ids(s.stories)])).toEqual([
      ["the-thao", [1]],
      ["kinh-te", [2]],
    ]);
    expect(digest.totalNew).toBe(2);
  });

  it("rejects a perTopic below 1", () => {
    expect(() => composeDigest({ topics: [THOI_SU], stories: [], perTopic: 0 })).toThrow(
      RangeError,
    );
    expect(() => composeDigest({ topics: [THOI_SU], stories: [], perTopic: 1.5 })).toThrow(
      RangeError,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const TOPICS = Array.from({ length: 8 }, (_, i) => topic(i + 1, `t${i + 1}`));

const topicsArb = fc.shuffledSubarray(TOPICS, { minLength: 0, maxLength: TOPICS.length });

const storiesArb = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 500 }),
      minute: fc.integer({ min: 0, max: 15 }), // few distinct times, so ties happen
      topicIds: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 3 }),
    }),
    { selector: (s) => s.id, maxLength: 60 },
  )
  .map((list) => list.map((s) => story(s.id, s.minute, s.topicIds)));

/** Rows as a join might give them: the same story id repeated with other topics. */
const rowsArb = fc
  .array(
    fc.record({
      id: fc.integer({ min: 1, max: 20 }),
      minute: fc.integer({ min: 0, max: 3 }),
      topicIds: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 2 }),
    }),
    { maxLength: 40 },
  )
  .map((list) => list.map((s) => story(s.id, s.minute, s.topicIds)));

const inputArb = fc.record({
  topics: topicsArb,
  stories: storiesArb,
  perTopic: fc.integer({ min: 1, max: 6 }),
});

const withRepeatsArb = fc.record({
  topics: topicsArb,
  stories: rowsArb,
  perTopic: fc.integer({ min: 1, max: 6 }),
});

/** Newest first, ties by id descending. */
function byNewest(a: DigestStory, b: DigestStory): number {
  return b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id;
}

describe("composeDigest properties", () => {
  it("shows each story at most once, under a topic it belongs to and the reader follows", () => {
    fc.assert(
      fc.property(fc.oneof(inputArb, withRepeatsArb), (input) => {
        const digest = composeDigest(input);
        const shown = digest.sections.flatMap((s) => ids(s.stories));
        expect(new Set(shown).size).toBe(shown.length);
        expect(shown.length).toBe(digest.storyCount);
        const followed = new Set(input.topics.map((t) => t.id));
        for (const section of digest.sections) {
          expect(followed.has(section.topic.id)).toBe(true);
          expect(section.stories.length).toBeGreaterThan(0);
          expect(section.stories.length).toBeLessThanOrEqual(input.perTopic);
          for (const s of section.stories) expect(s.topicIds).toContain(section.topic.id);
        }
      }),
    );
  });

  it("puts each candidate in the first followed topic; shown + more covers the section", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const digest = composeDigest(input);
        const expected = input.topics
          .map((t, index) => {
            const earlier = new Set(input.topics.slice(0, index).map((e) => e.id));
            const candidates = input.stories
              .filter((s) => s.topicIds.includes(t.id))
              .filter((s) => !s.topicIds.some((c) => earlier.has(c)))
              .sort(byNewest);
            return { topic: t, candidates };
          })
          .filter((e) => e.candidates.length > 0);
        expect(digest.sections.map((s) => s.topic.id)).toEqual(expected.map((e) => e.topic.id));
        digest.sections.forEach((section, i) => {
          const { candidates } = expected[i] ?? { candidates: [] };
          expect(section.stories.length + section.more).toBe(candidates.length);
          expect(ids(section.stories)).toEqual(ids(candidates.slice(0, input.perTopic)));
        });
        const inReaderTopics = input.stories.filter((s) =>
          s.topicIds.some((c) => input.topics.some((t) => t.id === c)),
        );
        expect(digest.totalNew).toBe(inReaderTopics.length);
      }),
    );
  });

  it("gives the same digest for any order of the candidate stories", () => {
    fc.assert(
      fc.property(
        fc.oneof(inputArb, withRepeatsArb).chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray(input.stories, {
              minLength: input.stories.length,
              maxLength: input.stories.length,
            }),
          ),
        ),
        ([input, permuted]) => {
          expect(composeDigest({ ...input, stories: permuted })).toEqual(composeDigest(input));
        },
      ),
    );
  });
});
