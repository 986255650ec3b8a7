import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/text/html";
import { splitPlainText, splitTelegramHtml, visibleLength } from "../../src/text/split";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const FAMILY = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, ZWJ sequence
const FLAG_VN = "🇻🇳";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-spoiler",
]);

const noSpace = (s: string) => s.replace(/\s/g, "");

/** Non-whitespace graphemes of a string, in order. */
function graphemesOf(s: string): string[] {
  return [...segmenter.segment(s)].map((g) => g.segment).filter((g) => g.trim() !== "");
}

/** Independent checker: tags balanced and nested, only allowed tags, every & a valid entity. */
function checkWellFormed(html: string): { ok: boolean; visible: string; reason?: string } {
  const token = /<(\/?)([a-z-]+)((?:\s[^>]*)?)>|&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);|([<>&])/g;
  const stack: string[] = [];
  let visible = "";
  let last = 0;
  for (const m of html.matchAll(token)) {
    visible += html.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[5] !== undefined) return { ok: false, visible, reason: `stray ${m[5]} at ${m.index}` };
    if (m[4] !== undefined) {
      const e = m[4];
      const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
      visible +=
        named[e] ??
        String.fromCodePoint(
          e.startsWith("#x") ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10),
        );
      continue;
    }
    const name = m[2] as string;
    if (!ALLOWED_TAGS.has(name)) return { ok: false, visible, reason: `tag ${name}` };
    if (m[1] === "/") {
      if (stack.pop() !== name) return { ok: false, visible, reason: `misnested </${name}>` };
    } else {
      stack.push(name);
    }
  }
  visible += html.slice(last);
  if (stack.length > 0) return { ok: false, visible, reason: `unclosed ${stack.join(",")}` };
  return { ok: true, visible };
}

function openTags(html: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*>/g)].map((m) => m[0]);
}

describe("visibleLength", () => {
  it("counts entities as one character and tags as nothing", () => {
    expect(visibleLength("<b>A &amp; B</b>")).toBe(5);
    expect(visibleLength('<a href="https://x?a=1&amp;b=2">Đọc</a>')).toBe(3);
    expect(visibleLength("&lt;&gt;&quot;&#7879;&#x1EC7;")).toBe(5);
  });

  it("counts UTF-16 units, so astral characters count 2", () => {
    expect(visibleLength("&#x1F600;")).toBe(2);
    expect(visibleLength(FAMILY)).toBe(11);
    expect(visibleLength("e\u0323\u0302")).toBe(3);
  });
});

describe("splitPlainText", () => {
  it("rejects a limit below 1 and returns nothing for blank input", () => {
    expect(() => splitPlainText("abc", 0)).toThrow(RangeError);
    expect(() => splitPlainText("abc", -5)).toThrow(RangeError);
    expect(() => splitPlainText("abc", Number.NaN)).toThrow(RangeError);
    expect(() => splitTelegramHtml("abc", 0)).toThrow(RangeError);
    expect(splitPlainText("", 10)).toEqual([]);
    expect(splitPlainText(" \n\n\t ", 10)).toEqual([]);
    expect(splitPlainText("  Tin nóng  ", 100)).toEqual(["Tin nóng"]);
  });

  it("packs whole Vietnamese paragraphs into each chunk", () => {
    const p = [
      "Bão số 3 đổ bộ vào các tỉnh ven biển miền Trung, gây mưa lớn diện rộng.",
      "Chính quyền địa phương đã sơ tán hàng nghìn hộ dân khỏi vùng nguy hiểm.",
      "Nhiều tuyến đường bị ngập sâu, giao thông tê liệt trong nhiều giờ liền.",
      "Cơ quan khí tượng dự báo mưa còn kéo dài đến hết cuối tuần này.",
      "Người dân được khuyến cáo không ra khơi và theo dõi tin tức thường xuyên.",
    ] as const;
    const text = p.join("\n\n");
    const limit = p[0].length + p[1].length + 2 + 5; // two paragraphs fit, three don't
    const chunks = splitPlainText(text, limit);
    expect(chunks).toEqual([`${p[0]}\n\n${p[1]}`, `${p[2]}\n\n${p[3]}`, p[4]]);
    expect(splitPlainText(text, 10_000)).toEqual([text]);
  });

  it("splits a 10,000-character paragraph at sentence boundaries", () => {
    const sentences: string[] = [];
    for (let n = 1; sentences.join(" ").length < 10_000; n++) {
      const end = n % 3 === 0 ? "!" : n % 5 === 0 ? "?" : ".";
      sentences.push(`Câu thứ ${n} kể về những diễn biến mới nhất của thời sự hôm nay${end}`);
    }
    const text = sentences.join(" ");
    expect(text.length).toBeGreaterThanOrEqual(10_000);
    const chunks = splitPlainText(text, 4096);
    expect(chunks.length).toBe(3);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(4096);
      expect(c.length).toBeGreaterThan(1000);
      expect(c).toMatch(/^Câu thứ \d+ /);
      expect(c).toMatch(/[.!?]$/);
    }
    expect(chunks.join(" ")).toBe(text);
  });

  it("hard-splits a single 5,000-character word", () => {
    const word = "ă".repeat(5000);
    const chunks = splitPlainText(word, 4096);
    expect(chunks).toEqual(["ă".repeat(4096), "ă".repeat(904)]);
  });

  it("falls back to words when a sentence is too long", () => {
    expect(splitPlainText("một hai ba bốn năm sáu", 10)).toEqual(["một hai ba", "bốn năm", "sáu"]);
  });

  it("keeps NFD combining marks with their base letter", () => {
    const eNfd = "e\u0323\u0302"; // ệ decomposed: 3 units
    const text = `${"a".repeat(9)}${eNfd}${"b".repeat(5)}`;
    // A cut at 10 would land between "e" and its marks.
    const chunks = splitPlainText(text, 10);
    expect(chunks).toEqual(["a".repeat(9), `${eNfd}bbbbb`]);
    for (const c of chunks) expect(c).not.toMatch(/^\p{M}/u);

    const word = "Nghi\u0302\u0303ng".normalize("NFD").repeat(4); // "Nghiễng" in NFD
    for (let limit = 3; limit <= 12; limit++) {
      const parts = splitPlainText(word, limit);
      expect(parts.join("")).toBe(word);
      for (const c of parts) {
        expect(c.length).toBeLessThanOrEqual(limit);
        expect(c).not.toMatch(/^\p{M}/u);
      }
    }
  });

  it("keeps an emoji ZWJ family and flags whole at the boundary", () => {
    expect(splitPlainText(`abcdefgh${FAMILY}xyz`, 12)).toEqual(["abcdefgh", `${FAMILY}x`, "yz"]);
    expect(splitPlainText(`ab${FLAG_VN}${FLAG_VN}${FLAG_VN}`, 7)).toEqual([
      `ab${FLAG_VN}`,
      FLAG_VN,
      FLAG_VN,
    ]);
  });

  it("only cuts a grapheme when it is longer than the limit, and never a surrogate pair", () => {
    const parts = splitPlainText(FAMILY, 5);
    expect(parts.join("")).toBe(FAMILY);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(5);
      expect(p).not.toMatch(LONE_SURROGATE);
    }
    expect(splitPlainText("😀😀", 1)).toEqual(["😀", "😀"]);
  });
});

describe("splitTelegramHtml", () => {
  it("returns nothing for blank or tag-only input and one chunk when it fits", () => {
    expect(splitTelegramHtml("", 10)).toEqual([]);
    expect(splitTelegramHtml("<b> \n </b>", 10)).toEqual([]);
    expect(splitTelegramHtml("<b>Tin</b> <i>mới</i>", 100)).toEqual(["<b>Tin</b> <i>mới</i>"]);
  });

  it("closes <b> at a cut and reopens it in the next chunk", () => {
    const chunks = splitTelegramHtml("<b>Một hai ba. Bốn năm sáu.</b>", 15);
    expect(chunks).toEqual(["<b>Một hai ba.</b>", "<b>Bốn năm sáu.</b>"]);
  });

  it("reopens nested tags in order, with their attributes", () => {
    const href = '<a href="https://x?a=1&amp;b=2">';
    const chunks = splitTelegramHtml(`<i>Xem ${href}đọc thêm tại đây nhé bạn</a> nào</i>`, 12);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(checkWellFormed(c).ok).toBe(true);
      expect(visibleLength(c)).toBeLessThanOrEqual(12);
    }
    expect(chunks).toEqual([
      `<i>Xem ${href}đọc thêm</a></i>`,
      `<i>${href}tại đây nhé</a></i>`,
      `<i>${href}bạn</a> nào</i>`,
    ]);
  });

  it("never cuts &amp; at the boundary", () => {
    const html = "AAAAAAAAA&amp;BBBB";
    expect(splitTelegramHtml(html, 10)).toEqual(["AAAAAAAAA&amp;", "BBBB"]);
    expect(splitTelegramHtml(html, 9)).toEqual(["AAAAAAAAA", "&amp;BBBB"]);
    expect(splitTelegramHtml("<b>x &lt;y&gt; &amp; z</b>", 5)).toEqual([
      "<b>x &lt;y&gt;</b>",
      "<b>&amp; z</b>",
    ]);
  });

  it("keeps graphemes whole in HTML, even across entities", () => {
    const chunks = splitTelegramHtml(`<b>abcdefgh${FAMILY}xyz</b>`, 12);
    expect(chunks).toEqual(["<b>abcdefgh</b>", `<b>${FAMILY}x</b>`, "<b>yz</b>"]);
    // "e" then combining marks written as numeric entities: one grapheme.
    const html = "aaaaaaaaae&#803;&#770;b";
    expect(splitTelegramHtml(html, 10)).toEqual(["aaaaaaaaa", "e&#803;&#770;b"]);
  });

  it("escapes stray characters and repairs nesting so every chunk parses", () => {
    const chunks = splitTelegramHtml("a < b & c > d <b><i>đậm</b> nghiêng</i>", 8);
    for (const c of chunks) expect(checkWellFormed(c)).toMatchObject({ ok: true });
  });

  it("prefers paragraph boundaries", () => {
    const html = "<b>Tiêu đề</b>\n\nĐoạn một có <i>chữ nghiêng</i>.\n\nĐoạn hai.";
    const chunks = splitTelegramHtml(html, 40);
    expect(chunks).toEqual(["<b>Tiêu đề</b>\n\nĐoạn một có <i>chữ nghiêng</i>.", "Đoạn hai."]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const WORDS_NFC = [
  "Hà",
  "Nội",
  "thời",
  "sự",
  "bão",
  "lũ",
  "người",
  "dân",
  "Việt",
  "Nam",
  "nghiêng",
  "khuyến",
  "cáo",
  "đường",
  "ngập",
  "sâu",
  "tỉnh",
  "Quảng",
  "Ngãi",
  "chiều",
  "nay",
  "trưởng",
];
const EMOJI = [FAMILY, FLAG_VN, "🇺🇸", "👍🏽", "😀", "❤️", "🧑‍💻"];
const PUNCT = [". ", "! ", "? ", "… ", ", ", ": ", " - ", "“", "”"];

const wordArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS_NFC) },
  { weight: 4, arbitrary: fc.constantFrom(...WORDS_NFC).map((w) => w.normalize("NFD")) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...WORDS_NFC, ...EMOJI), fc.integer({ min: 5, max: 60 }))
      .map(([w, n]) => w.normalize(n % 2 ? "NFD" : "NFC").repeat(n)),
  },
);
const sepArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(" ") },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 1, arbitrary: fc.constantFrom("\n", "\n\n", "\n \n", "  ", "\t") },
);
const plainTextArb = fc
  .array(fc.tuple(wordArb, sepArb), { maxLength: 120, size: "max" })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));

describe("splitPlainText properties", () => {
  it("keeps every chunk within the limit without losing, reordering or cutting anything", () => {
    fc.assert(
      fc.property(plainTextArb, fc.integer({ min: 20, max: 500 }), (text, limit) => {
        const chunks = splitPlainText(text, limit);
        for (const c of chunks) {
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(limit);
          expect(c).toBe(c.trim());
          expect(c).not.toMatch(LONE_SURROGATE);
          expect(c).not.toMatch(/^\p{M}/u);
        }
        expect(noSpace(chunks.join(""))).toBe(noSpace(text));
        expect(chunks.flatMap(graphemesOf)).toEqual(graphemesOf(text));
        if (text.trim().length > 0 && text.trim().length <= limit) {
          expect(chunks).toEqual([text.trim()]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

type Node = { text: string } | { open: string; name: string; children: Node[] };

const TAG_CHOICES: Array<[string, string]> = [
  ["<b>", "b"],
  ["<strong>", "strong"],
  ["<i>", "i"],
  ["<em>", "em"],
  ["<u>", "u"],
  ["<ins>", "ins"],
  ["<s>", "s"],
  ["<strike>", "strike"],
  ["<del>", "del"],
  ['<a href="https://x?a=1&amp;b=2">', "a"],
  ['<a href="https://tin.vn/bai-viet?id=7&amp;ref=bot">', "a"],
  ["<code>", "code"],
  ["<pre>", "pre"],
  ['<pre><code class="language-ts">', "pre+code"],
  ["<blockquote>", "blockquote"],
  ["<tg-spoiler>", "tg-spoiler"],
];

const htmlTextArb = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: wordArb },
      { weight: 4, arbitrary: sepArb },
      { weight: 2, arbitrary: fc.constantFrom("<", ">", "&", '"', "a&b", "x<y>z", "&amp;") },
    ),
    { maxLength: 10, size: "medium" },
  )
  .map((parts) => ({ text: parts.join("") }));

const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    htmlTextArb,
    fc
      .tuple(fc.constantFrom(...TAG_CHOICES), fc.array(tie("node"), { maxLength: 4 }))
      .map(([[open, name], children]) => ({ open, name, children })),
  ),
})).node;

function render(node: Node): string {
  if ("text" in node) {
    // Escape, sometimes as numeric entities, to exercise every entity form.
    return escapeHtml(node.text)
      .replace(/"/g, "&quot;")
      .replace(/ệ/g, "&#7879;")
      .replace(/😀/g, "&#x1F600;");
  }
  const inner = node.children.map(render).join("");
  if (node.name === "pre+code") return `${node.open}${inner}</code></pre>`;
  return `${node.open}${inner}</${node.name}>`;
}

describe("splitTelegramHtml properties", () => {
  it("produces well-formed chunks within the limit that keep all visible text", () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { maxLength: 6, size: "medium" }),
        fc.integer({ min: 20, max: 500 }),
        (nodes, limit) => {
          const html = nodes.map(render).join("\n\n");
          const original = checkWellFormed(html);
          expect(original.ok).toBe(true);
          const opens = new Set(openTags(html));
          const chunks = splitTelegramHtml(html, limit);
          let visible = "";
          for (const c of chunks) {
            const checked = checkWellFormed(c);
            expect(checked).toMatchObject({ ok: true });
            expect(checked.visible.length).toBeLessThanOrEqual(limit);
            expect(visibleLength(c)).toBe(checked.visible.length);
            expect(checked.visible.trim()).toBe(checked.visible);
            expect(checked.visible.length).toBeGreaterThan(0);
            expect(checked.visible).not.toMatch(LONE_SURROGATE);
            expect(checked.visible).not.toMatch(/^\p{M}/u);
            for (const tag of openTags(c)) expect(opens.has(tag)).toBe(true);
            visible += checked.visible;
          }
          expect(noSpace(visible)).toBe(noSpace(original.visible));
          expect(chunks.flatMap((c) => graphemesOf(checkWellFormed(c).visible))).toEqual(
            graphemesOf(original.visible),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
