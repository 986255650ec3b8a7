import { describe, expect, it } from "vitest";
import { encodeAction } from "../../src/message/actions";
import type { RenderedPayload } from "../../src/message/parts";
import { isStoryList, revisePayload } from "../../src/message/revise";

const list: RenderedPayload = {
  parts: [
    {
      kind: "text",
      format: "html",
      text: '<b>Bản tin</b>\n1. <a href="https://x.vn/a?x=1&amp;y=2">Cháy &lt;kho&gt;</a> · <i>09:15</i>\n2. <a href="https://x.vn/b">Giá xăng giảm</a>',
      buttons: [
        [
          { label: "📖 1", data: encodeAction({ kind: "read", articleId: 1 }) },
          { label: "📖 2", data: encodeAction({ kind: "read", articleId: 2 }) },
        ],
      ],
    },
  ],
  shown: {
    items: [
      [1, 1],
      [2, 2],
    ],
  },
};

describe("revisePayload", () => {
  it("strikes a retracted story with its mark and drops its read button", () => {
    const revised = revisePayload(
      list,
      [
        { id: 1, url: "https://x.vn/a?x=1&y=2", title: "Cháy <kho>", retracted: true },
        { id: 2, url: "https://x.vn/b", title: "Giá xăng giảm", retracted: false },
      ],
      "vi",
    );
    const part = revised.parts[0];
    expect(part?.kind === "text" && part.text).toBe(
      '<b>Bản tin</b>\n1. <s>Cháy &lt;kho&gt;</s> <i>(đã gỡ)</i> · <i>09:15</i>\n2. <a href="https://x.vn/b">Giá xăng giảm</a>',
    );
    expect(part?.buttons).toEqual([[{ label: "📖 2", data: "r:2" }]]);
    expect(revised.shown).toBeUndefined();
  });

  it("shows a changed headline, escaped, in English too", () => {
    const revised = revisePayload(
      list,
      [
        { id: 1, url: "https://x.vn/a?x=1&y=2", title: "Fire & <smoke>", retracted: false },
        { id: 2, url: "https://x.vn/b", title: "Fuel", retracted: true },
      ],
      "en",
    );
    const part = revised.parts[0];
    const text = part?.kind === "text" ? part.text : "";
    expect(text).toContain('<a href="https://x.vn/a?x=1&amp;y=2">Fire &amp; &lt;smoke&gt;</a>');
    expect(text).toContain("<s>Giá xăng giảm</s> <i>(withdrawn)</i>");
  });

  it("tells a list from one story's post", () => {
    expect(isStoryList(list)).toBe(true);
    expect(isStoryList({ parts: list.parts })).toBe(false);
  });
});
