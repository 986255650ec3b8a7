/** The pure parts of news as it happens: quiet hours, matching, the message, the codec, config. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseText } from "../../src/chat/commands";
import { createConfig } from "../../src/config";
import { followMatches, matchStories } from "../../src/instant/match";
import { instantMessage } from "../../src/instant/render";
import { decodeAction, encodeAction } from "../../src/message/actions";
import { renderPayload } from "../../src/message/payload";
import { foldFollow } from "../../src/readers/keywords";
import { hasQuietHours, isQuietAt, parseQuietHours } from "../../src/text/quiet-hours";
import { searchTokens } from "../../src/text/tokens";

describe("quiet hours", () => {
  it("reads the ways people write a span", () => {
    expect(parseQuietHours("22:00-06:00")).toEqual({ from: "22:00", until: "06:00" });
    expect(parseQuietHours("22h-6h")).toEqual({ from: "22:00", until: "06:00" });
    expect(parseQuietHours(" 23:30 – 7:05 ")).toEqual({ from: "23:30", until: "07:05" });
    expect(parseQuietHours("21:00 đến 05:00")).toEqual({ from: "21:00", until: "05:00" });
  });

  it("refuses what is not a span", () => {
    for (const bad of [
      "",
      "22:00",
      "25:00-06:00",
      "22:00-06:60",
      "06:00-06:00",
      "a-b",
      "22:00-06:00-07:00",
    ]) {
      expect(parseQuietHours(bad), bad).toBeNull();
    }
  });

  it("is quiet inside the span, across midnight, on the reader's wall clock", () => {
    const zone = "Asia/Ho_Chi_Minh"; // UTC+7
    const night = { from: "22:00", until: "06:00" };
    const quiet = (iso: string, q = night) => isQuietAt(new Date(iso), zone, q);
    expect(quiet("2026-01-26T15:00:00Z")).toBe(true); // 22:00
    expect(quiet("2026-01-26T14:59:00Z")).toBe(false); // 21:59
    expect(quiet("2026-01-26T20:00:00Z")).toBe(true); // 03:00
    expect(quiet("2026-01-26T23:00:00Z")).toBe(false); // 06:00 ends it
    expect(quiet("2026-01-26T06:00:00Z", { from: "12:00", until: "14:00" })).toBe(true); // 13:00
    expect(quiet("2026-01-26T15:00:00Z", { from: "00:00", until: "00:00" })).toBe(false);
    expect(hasQuietHours({ from: "00:00", until: "00:00" })).toBe(false);
    // The same instant in Berlin (UTC+1) is 16:00: not quiet there.
    expect(isQuietAt(new Date("2026-01-26T15:00:00Z"), "Europe/Berlin", night)).toBe(false);
  });
});

describe("keyword matching", () => {
  const words = (text: string) => new Set(searchTokens(text));

  it("needs every word, in any order, accents optional", () => {
    const story = words("Lũ lớn sau cơn bão số 3 ở miền Trung");
    expect(followMatches(foldFollow("bão lũ"), story)).toBe(true);
    expect(followMatches(foldFollow("BAO LU"), story)).toBe(true);
    expect(followMatches(foldFollow("bão tuyết"), story)).toBe(false);
    expect(followMatches(foldFollow("bão"), words("Cây baobab"))).toBe(false); // whole words
    // As in search, folding joins words that differ only in their marks.
    expect(followMatches(foldFollow("bão"), words("Bảo hiểm"))).toBe(true);
    expect(followMatches("", story)).toBe(false);
  });

  it("folds a follow as search folds, with no syntax left", () => {
    expect(foldFollow('"Bão" OR (lũ* NEAR')).toBe("bao or lu near");
    expect(foldFollow(".*[a-z]+$")).toBe("a z");
    expect(foldFollow("đường\u200b sắt")).toBe("duong sat");
    expect(foldFollow("😀 *** \u200b")).toBe("");
  });

  it("any text folds to plain words that match a story holding them", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const folded = foldFollow(text);
        expect(folded).toMatch(/^[\p{L}\p{N}]*( [\p{L}\p{N}]+)*$/u);
        if (folded) expect(followMatches(folded, words(text))).toBe(true);
      }),
    );
  });

  it("one item per reader and story, saying what matched", () => {
    const stories = [
      { id: 1, topicIds: [10], words: words("Ngập ở Hà Nội") },
      { id: 2, topicIds: [20, 10], words: words("Giá vàng tăng") },
    ];
    const items = matchStories(
      stories,
      [
        { readerId: 7, topicId: 10 },
        { readerId: 8, topicId: 20 },
      ],
      [
        { readerId: 7, folded: "ngap" },
        { readerId: 9, folded: "gia vang" },
        { readerId: 8, folded: "vang gia" },
      ],
    );
    expect(items).toEqual([
      { readerId: 7, articleId: 1, reason: "topic+keyword" },
      { readerId: 7, articleId: 2, reason: "topic" },
      { readerId: 8, articleId: 2, reason: "topic+keyword" },
      { readerId: 9, articleId: 2, reason: "keyword" },
    ]);
  });
});

describe("which follow matched", () => {
  const words = (text: string) => new Set(searchTokens(text));
  it("each item names the reader's follows that matched, as typed; a topic alone names none", () => {
    const items = matchStories(
      [{ id: 1, topicIds: [10], words: words("Lũ quét ở Lào Cai") }],
      [{ readerId: 8, topicId: 10 }],
      [
        { readerId: 7, folded: "lu quet", words: "lũ quét" },
        { readerId: 7, folded: "lao cai", words: "Lào Cai" },
        { readerId: 7, folded: "bao", words: "bão" },
        { readerId: 9, folded: "quet lu", words: "quét lũ" },
      ],
    );
    expect(items).toEqual([
      { readerId: 7, articleId: 1, reason: "keyword", keywords: ["lũ quét", "Lào Cai"] },
      { readerId: 8, articleId: 1, reason: "topic" },
      { readerId: 9, articleId: 1, reason: "keyword", keywords: ["quét lũ"] },
    ]);
  });

  it("the message says it under the story, in the reader's language", () => {
    const story = {
      id: 1,
      title: "Lũ quét",
      url: "https://x.vn/1",
      lead: "",
      publishedAt: "2026-01-26T02:30:00Z",
    };
    const now = new Date("2026-01-26T03:00:00Z");
    const zone = "Asia/Ho_Chi_Minh";
    const said = (keywords: string[] | undefined, locale: "vi" | "en") =>
      renderPayload(
        "zalo",
        instantMessage([{ ...story, ...(keywords ? { keywords } : {}) }], {
          locale,
          timeZone: zone,
          now,
        }),
        locale,
      ).parts.map((p) => ("text" in p ? p.text : ""))[0];
    expect(said(["lũ quét"], "vi")).toContain("\n⚡ Theo dõi «lũ quét»\n");
    expect(said(["lũ quét", "Lào Cai"], "en")).toContain("\n⚡ Following «lũ quét», «Lào Cai»\n");
    expect(said(undefined, "vi")).not.toContain("Theo dõi");
  });
});

describe("the message of stories as they happen", () => {
  const stories = [
    {
      id: 4,
      title: "Tin <cũ>",
      url: "https://x.vn/4",
      lead: "",
      publishedAt: "2026-01-25T01:00:00Z",
    },
    {
      id: 5,
      title: "Tin mới & nóng",
      url: "https://x.vn/5",
      lead: "",
      publishedAt: "2026-01-26T02:30:00Z",
    },
  ];
  const now = new Date("2026-01-26T03:00:00Z");

  it("numbers the stories newest first, with a read button each, dated as everywhere else", () => {
    const message = instantMessage(stories, { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", now });
    const [part] = renderPayload("telegram", message, "vi").parts;
    const text = part?.kind === "text" ? part.text : "";
    expect(text).toMatch(/^<b>⚡ Tin mới<\/b>/);
    expect(text).toMatch(
      /1\. <a href="https:\/\/x\.vn\/5">Tin mới &amp; nóng<\/a> · <i>09:30 26\/01<\/i>/,
    );
    expect(text).toMatch(
      /2\. <a href="https:\/\/x\.vn\/4">Tin &lt;cũ&gt;<\/a> · <i>08:00 25\/01<\/i>/,
    );
    expect(message.buttons?.flat().map((b) => ("action" in b ? b.action : null))).toEqual([
      { kind: "read", articleId: 5 },
      { kind: "read", articleId: 4 },
    ]);
  });

  it("on Zalo it is plain text with numbered choices, in English for English readers", () => {
    const message = instantMessage(stories, { locale: "en", timeZone: "Asia/Ho_Chi_Minh", now });
    const [part] = renderPayload("zalo", message, "en").parts;
    const text = part?.kind === "text" ? part.text : "";
    expect(text).toContain("⚡ Just in");
    expect(text).toContain("1. Tin mới & nóng: https://x.vn/5");
    expect(text).toMatch(/\[1\] 📖 Read 1\n\[2\] 📖 Read 2/);
  });
});

describe("commands and actions", () => {
  it("reads the new commands, their aliases and plain words", () => {
    expect(parseText("/theodoi bão lũ")).toEqual({
      kind: "command",
      name: "follow",
      args: "bão lũ",
    });
    expect(parseText("/follow storm")).toMatchObject({ name: "follow", args: "storm" });
    expect(parseText("theo dõi giá vàng")).toMatchObject({ name: "follow", args: "giá vàng" });
    expect(parseText("bỏ theo dõi 2")).toMatchObject({ name: "unfollow", args: "2" });
    expect(parseText("/unfollow 2")).toMatchObject({ name: "unfollow", args: "2" });
    expect(parseText("/yenlang 22:00-06:00")).toMatchObject({ name: "quiet" });
    expect(parseText("/quiet off")).toMatchObject({ name: "quiet", args: "off" });
    expect(parseText("yên lặng tắt")).toMatchObject({ name: "quiet", args: "tắt" });
    expect(parseText("yên lặng quá")).toEqual({ kind: "text", text: "yên lặng quá" }); // a search
  });

  it("encodes the mode actions within Telegram's 64 bytes and rejects forgeries", () => {
    for (const action of [
      { kind: "topicModes" },
      { kind: "topicMode", topicId: 12 },
      { kind: "topicMode", topicId: 12, mode: "digest" },
      { kind: "topicMode", topicId: 2147483647 - 1, mode: "instant" },
      { kind: "topicMode", topicId: 3, mode: "both" },
    ] as const) {
      const data = encodeAction(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeAction(data)).toEqual(action);
    }
    for (const forged of [
      "tm:",
      "tm:0",
      "tm:3:x",
      "tm:3:constructor",
      "tm:3:i:1",
      "tms:1",
      "tm:-1:d",
    ]) {
      expect(decodeAction(forged), forged).toBeNull();
    }
  });
});

describe("configuration", () => {
  it("defaults: batches of 10 minutes, quiet 22:00-06:00", () => {
    expect(createConfig({}).instant).toEqual({
      batchMinutes: 10,
      quietHours: { from: "22:00", until: "06:00" },
    });
  });

  it("reads INSTANT_BATCH_MINUTES and QUIET_HOURS, and names a bad one", () => {
    const config = createConfig({ INSTANT_BATCH_MINUTES: "0", QUIET_HOURS: "23:00-7:00" });
    expect(config.instant).toEqual({
      batchMinutes: 0,
      quietHours: { from: "23:00", until: "07:00" },
    });
    expect(createConfig({ QUIET_HOURS: "off" }).instant?.quietHours).toEqual({
      from: "00:00",
      until: "00:00",
    });
    expect(() => createConfig({ INSTANT_BATCH_MINUTES: "-1" })).toThrow(/^INSTANT_BATCH_MINUTES: /);
    expect(() => createConfig({ INSTANT_BATCH_MINUTES: "2000" })).toThrow(
      /INSTANT_BATCH_MINUTES: must be 0-1440/,
    );
    expect(() => createConfig({ QUIET_HOURS: "late" })).toThrow(
      /^QUIET_HOURS: must be HH:MM-HH:MM/,
    );
  });
});
