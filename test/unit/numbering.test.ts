import { describe, expect, it } from "vitest";
import { pickChoices } from "../../src/chat/choices";
import { parseText } from "../../src/chat/commands";
import { createConfig } from "../../src/config";
import type { OutMessage } from "../../src/message/model";
import { numberedChoices } from "../../src/message/model";
import { shownBy } from "../../src/message/numbering";
import { readPayload, renderPayload } from "../../src/message/payload";
import { traitsOf } from "../../src/message/platforms";
import { renderPlain } from "../../src/message/render/plain";

/** Page 2 of a list: items 6 and 7, then the paging buttons. */
const PAGE_2: OutMessage = {
  lines: [["Tin mới nhất"]],
  buttons: [
    [{ label: "📖 Đọc 6", action: { kind: "read", articleId: 30 }, item: 6 }],
    [{ label: "📖 Đọc 7", action: { kind: "read", articleId: 12 }, item: 7 }],
    [
      { label: "‹ Trước", action: { kind: "latest", topicId: null, page: 0 } },
      { label: "Bài gốc", url: "https://baolaocai.vn/x.html" },
      { label: "Sau ›", action: { kind: "latest", topicId: null, page: 2 } },
    ],
  ],
};

describe("one numbering rule", () => {
  it("numbers a list item's choice by its item number, the other choices after the last item", () => {
    expect(numberedChoices(PAGE_2).map((c) => [c.number, c.button.label])).toEqual([
      [6, "📖 Đọc 6"],
      [7, "📖 Đọc 7"],
      [8, "‹ Trước"],
      [9, "Sau ›"],
    ]);
    const text = renderPlain(PAGE_2, "vi").text;
    expect(text).toContain("[6] 📖 Đọc 6\n[7] 📖 Đọc 7\n[8] ‹ Trước\n[9] Sau ›");
    expect(text).not.toContain("[1]");
  });

  it("numbers choices without items 1…n, and never gives one number twice", () => {
    const menu: OutMessage = {
      lines: [],
      buttons: [
        [{ label: "Có", action: { kind: "stop", confirm: true } }],
        [{ label: "Không", action: { kind: "stop", confirm: false } }],
      ],
    };
    expect(numberedChoices(menu).map((c) => c.number)).toEqual([1, 2]);
    const twice: OutMessage = {
      lines: [],
      buttons: [
        [{ label: "a", action: { kind: "read", articleId: 1 }, item: 2 }],
        [{ label: "b", action: { kind: "read", articleId: 2 }, item: 2 }],
        [{ label: "c", action: { kind: "noop" } }],
      ],
    };
    expect(numberedChoices(twice).map((c) => c.number)).toEqual([2, 3, 4]);
  });

  it("remembers a list's stories by number, and choices only where numbers are typed", () => {
    expect(shownBy(PAGE_2, { buttons: true })).toEqual({
      items: [
        { number: 6, articleId: 30 },
        { number: 7, articleId: 12 },
      ],
    });
    const numbered = shownBy(PAGE_2, { buttons: false });
    expect(numbered.choices).toEqual([
      { number: 6, action: "r:30" },
      { number: 7, action: "r:12" },
      { number: 8, action: "l:-:0" },
      { number: 9, action: "l:-:2" },
    ]);
    expect(shownBy({ lines: [["Xin chào"]] }, { buttons: false })).toEqual({});
  });

  it("is the same rule in a rendered payload, decided by the platform's traits, not its name", () => {
    expect(traitsOf("telegram")).toEqual({ markup: "html", buttons: true });
    expect(traitsOf("zalo")).toEqual({ markup: "plain", buttons: false });
    // A platform bantin does not know is plain text with numbered choices.
    expect(traitsOf("viber")).toEqual({ markup: "plain", buttons: false });
    const numbered = shownBy(PAGE_2, { buttons: false });
    for (const platform of ["zalo", "terminal", "viber"]) {
      const payload = renderPayload(platform, PAGE_2, "vi");
      expect(payload.shown?.choices).toEqual(numbered.choices?.map((c) => [c.number, c.action]));
      expect(payload.parts.every((p) => p.format === "plain")).toBe(true);
    }
    const telegram = renderPayload("telegram", PAGE_2, "vi");
    expect(telegram.shown).toEqual({
      items: [
        [6, 30],
        [7, 12],
      ],
    });
    expect(telegram.parts.every((p) => p.format === "html")).toBe(true);
    // Stored and read back, it says the same.
    expect(readPayload(JSON.parse(JSON.stringify(telegram)), "telegram")).toEqual(telegram);
  });

  it("picks choices by the numbers shown, and names the first one not offered", () => {
    const offered = [
      { number: 6, action: "r:30" },
      { number: 7, action: "garbage" },
    ];
    expect(pickChoices(offered, [6, 7])).toEqual({
      actions: [{ kind: "read", articleId: 30 }, null],
    });
    expect(pickChoices(offered, [6, 1, 9])).toEqual({ missing: 1 });
  });

  it("reads a story's own id as /doc_<id>, /read_<id> and the deep link /start doc_<id>", () => {
    const own = { kind: "command", name: "read", args: "#1234" };
    expect(parseText("/doc_1234")).toEqual(own);
    expect(parseText("/read_1234")).toEqual(own);
    expect(parseText("/đọc_1234")).toEqual(own);
    expect(parseText("/doc_1234@bantin_bot", "bantin_bot")).toEqual(own);
    expect(parseText("/start doc_1234")).toEqual(own);
    expect(parseText("/doc 2")).toEqual({ kind: "command", name: "read", args: "2" });
    expect(parseText("đọc 2")).toEqual({ kind: "command", name: "read", args: "2" });
    expect(parseText("/start topic_thoi-su")).toEqual({
      kind: "command",
      name: "start",
      args: "topic_thoi-su",
    });
    expect(parseText("/doc_")).toEqual({ kind: "command", name: "read", args: "" }); // the usage
    expect(parseText(`/doc_${"1".repeat(11)}`)).toMatchObject({ kind: "unknownCommand" });
  });

  it("DIGEST_MOST_READ is on unless turned off, and a bad value is named", () => {
    expect(createConfig({}).digest.mostRead).toBe(true);
    expect(createConfig({ DIGEST_MOST_READ: "false" }).digest.mostRead).toBe(false);
    expect(() => createConfig({ DIGEST_MOST_READ: "maybe" })).toThrow(/DIGEST_MOST_READ/);
  });
});
