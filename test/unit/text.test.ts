import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cleanLine,
  cleanParagraphs,
  dropLoneSurrogates,
  escapeHtml,
  escapeHtmlAttribute,
  foldAccents,
  foldForSearch,
  formatClockTime,
  isValidTimeZone,
  parseClockTime,
  searchTokens,
  toNfc,
  truncate,
} from "../../src/text";

const TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]; // none, huyền, sắc, ngã, hỏi, nặng
const VOWELS: [string, string][] = [
  ["a", "a"],
  ["ă", "a"],
  ["â", "a"],
  ["e", "e"],
  ["ê", "e"],
  ["i", "i"],
  ["o", "o"],
  ["ô", "o"],
  ["ơ", "o"],
  ["u", "u"],
  ["ư", "u"],
  ["y", "y"],
];

describe("foldAccents", () => {
  it("folds every Vietnamese vowel with every tone, in both cases and both normal forms", () => {
    for (const [vowel, base] of VOWELS) {
      for (const tone of TONES) {
        const nfc = (vowel + tone).normalize("NFC");
        expect([...nfc]).toHaveLength(1); // a real precomposed letter
        expect(foldAccents(nfc)).toBe(base);
        expect(foldAccents(nfc.normalize("NFD"))).toBe(base);
        expect(foldAccents(nfc.toUpperCase())).toBe(base.toUpperCase());
      }
    }
  });

  it("maps đ and Đ to d and D, which decomposition does not do", () => {
    expect("đ".normalize("NFD")).toBe("đ");
    expect(foldAccents("đường Đông")).toBe("duong Dong");
  });

  it("folds whole phrases", () => {
    expect(foldAccents("Thông tin đối ngoại về quyền con người")).toBe(
      "Thong tin doi ngoai ve quyen con nguoi",
    );
    expect(foldForSearch("  Đối   NGOẠI ")).toBe("doi ngoai");
  });

  it("leaves ASCII alone and never grows or keeps a combining mark (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const folded = foldAccents(s);
        expect(folded).not.toMatch(/\p{M}/u);
        expect(foldAccents(folded)).toBe(folded);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[\x20-\x7e]*$/), (s) => {
        expect(foldAccents(s)).toBe(s);
      }),
    );
  });

  it("gives the same result for NFC and NFD input (property)", () => {
    const letter = fc.constantFrom(
      ..."aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ".split(""),
      ...TONES.filter(Boolean),
    );
    fc.assert(
      fc.property(fc.array(letter, { maxLength: 30 }), (letters) => {
        const s = letters.join("");
        expect(foldForSearch(s.normalize("NFC"))).toBe(foldForSearch(s.normalize("NFD")));
      }),
    );
  });
});

describe("searchTokens", () => {
  it("cuts folded words and drops punctuation", () => {
    expect(searchTokens('Hội nghị "đối ngoại", 2025!')).toEqual([
      "hoi",
      "nghi",
      "doi",
      "ngoai",
      "2025",
    ]);
    expect(searchTokens("AND( * \" ' ;--")).toEqual(["and"]);
    expect(searchTokens("🎉🎉")).toEqual([]);
  });

  it("ignores format characters, so an invisible one never splits a word", () => {
    expect(searchTokens("Hà N\u200Bội")).toEqual(["ha", "noi"]);
    expect(searchTokens("đối ng\u200Coại, Hà N\u200Dội")).toEqual(["doi", "ngoai", "ha", "noi"]);
    expect(searchTokens("\uFEFFcông t\u00ADác \u202Bx\u202C")).toEqual(["cong", "tac", "x"]);
    expect(foldForSearch("N\u2060ội")).toBe("noi");
  });

  it("the tokens of a text do not change when format characters are sprinkled in (property)", () => {
    const format = fc.constantFrom(
      "\u200B",
      "\u200C",
      "\u200D",
      "\u2060",
      "\uFEFF",
      "\u00AD",
      "\u200E",
      "\u202A",
      "\u202C",
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "grapheme" }), fc.option(format, { nil: "" }))),
        (parts) => {
          const plain = parts.map(([text]) => text).join("");
          const sprinkled = parts.map(([text, f]) => text + f).join("");
          expect(searchTokens(sprinkled)).toEqual(searchTokens(plain));
        },
      ),
    );
  });
});

describe("normalisation", () => {
  it("turns NFD into NFC", () => {
    const nfd = "Thời sự".normalize("NFD");
    expect(nfd).not.toBe("Thời sự");
    expect(toNfc(nfd)).toBe("Thời sự");
  });

  it("cleans a line: NFC, no zero-width or control characters, single spaces", () => {
    expect(cleanLine(" Hòa\u200B  Bình\u0007\u00A0\n nay ")).toBe("Hòa Bình nay");
  });

  it("drops every format character (Cf) from stored text, except the glue inside an emoji", () => {
    // Zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, bidi marks/embeddings.
    expect(cleanLine("Hà N\u200Bội")).toBe("Hà Nội");
    expect(cleanLine("Hà N\u200Dội đối ng\u200Coại")).toBe("Hà Nội đối ngoại");
    expect(cleanLine("\uFEFFcông t\u00ADác\u2060 \u200E\u200Fx")).toBe("công tác x");
    expect(cleanLine("\u202BLào Cai\u202C \u2066Sa Pa\u2069")).toBe("Lào Cai Sa Pa");
    expect(cleanLine("gia đình 👨\u200D👩\u200D👧")).toBe("gia đình 👨\u200D👩\u200D👧");
    const england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
    expect(cleanLine(`${england} Anh`)).toBe(`${england} Anh`);
    expect(cleanLine("a\u{E0067}b")).toBe("ab");
  });

  it("no format character survives cleanLine but inside an emoji (property)", () => {
    const formats = fc.constantFrom(
      "\u00AD",
      "\u061C",
      "\u200B",
      "\u200C",
      "\u200D",
      "\u200E",
      "\u200F",
      "\u202A",
      "\u202E",
      "\u2060",
      "\u2066",
      "\u2069",
      "\uFEFF",
      "\u{E0001}",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), formats)), (parts) => {
        const text = parts.join("");
        const out = cleanLine(text);
        const outside = out.replace(/\p{Extended_Pictographic}[\u200D\u{E0020}-\u{E007F}]+/gu, "");
        expect(outside).not.toMatch(/\p{Cf}/u);
      }),
    );
  });

  it("keeps paragraph breaks", () => {
    expect(cleanParagraphs("Một  hai\r\n\r\n\r\nBa\n\n  \n\nBốn")).toBe("Một hai\n\nBa\n\nBốn");
  });

  it("cleanLine output is always NFC and trimmed (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const out = cleanLine(s);
        expect(out).toBe(out.normalize("NFC"));
        expect(out).toBe(out.trim());
      }),
    );
  });
});

describe("escapeHtml", () => {
  it("escapes what Telegram's HTML mode needs", () => {
    expect(escapeHtml("Giá <10% & tăng > 5")).toBe("Giá &lt;10% &amp; tăng &gt; 5");
    expect(escapeHtmlAttribute('a"b<')).toBe("a&quot;b&lt;");
  });

  it("never leaves a raw < > or an unescaped & (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        const back = out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
        expect(back).toBe(s);
      }),
    );
  });
});

describe("clock times and zones", () => {
  it("parses HH:MM and rejects nonsense", () => {
    expect(parseClockTime("07:00")).toBe(420);
    expect(parseClockTime("7:30")).toBe(450);
    expect(parseClockTime("23:59")).toBe(1439);
    for (const bad of ["25:00", "24:00", "7", "7h30", "07:60", "", "-1:00", "07:00:00"]) {
      expect(parseClockTime(bad)).toBeNull();
    }
    expect(formatClockTime(450)).toBe("07:30");
  });

  it("round-trips every minute of the day (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), (m) => {
        expect(parseClockTime(formatClockTime(m))).toBe(m);
      }),
    );
  });

  it("knows IANA zones", () => {
    expect(isValidTimeZone("Asia/Ho_Chi_Minh")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("dropLoneSurrogates", () => {
  it("drops unpaired halves and keeps pairs", () => {
    expect(dropLoneSurrogates("a\uD800b\uDC00c😀")).toBe("abc😀");
  });
});

describe("truncate", () => {
  const graphemes = (text: string) =>
    Array.from(new Intl.Segmenter("vi", { granularity: "grapheme" }).segment(text)).length;

  it("leaves short text alone, with its spaces collapsed", () => {
    expect(truncate("  Hà   Nội ", 10)).toBe("Hà Nội");
    expect(truncate("Hà Nội", 6)).toBe("Hà Nội");
  });

  it("cuts to max letters with the ellipsis, never inside a letter", () => {
    expect(truncate("Hà Nội mùa thu", 8)).toBe("Hà Nội…");
    expect(truncate("abcdef", 4)).toBe("abc…");
    const nfd = "Nội".normalize("NFD").repeat(5);
    expect(truncate(nfd, 4)).toBe(`${"Nội".normalize("NFD")}…`);
    expect(truncate("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 2)).toBe("👨‍👩‍👧…");
  });

  it("at a word boundary, drops the half word and the punctuation left hanging", () => {
    const text = "Sáng nay, tỉnh Lào Cai tổ chức hội nghị tổng kết";
    expect(truncate(text, 30)).toBe("Sáng nay, tỉnh Lào Cai tổ chứ…");
    expect(truncate(text, 30, { atWordBoundary: true })).toBe("Sáng nay, tỉnh Lào Cai tổ…");
    expect(truncate("Sáng nay, tỉnh Lào Cai", 11, { atWordBoundary: true })).toBe("Sáng nay…");
    // No space late enough: cut inside the word rather than lose most of the room.
    expect(truncate("Xinchàoquýbạnđọc thân mến", 12, { atWordBoundary: true })).toBe(
      "Xinchàoquýb…",
    );
  });

  it("never gives more than max letters, and keeps the start (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (text, max, atWordBoundary) => {
          const out = truncate(text, max, { atWordBoundary });
          const clean = text.replace(/\s+/g, " ").trim();
          expect(graphemes(out)).toBeLessThanOrEqual(max);
          if (out.endsWith("…") && out !== clean) {
            expect(clean.startsWith(out.slice(0, -1))).toBe(true);
          } else {
            expect(out).toBe(clean);
          }
        },
      ),
    );
  });
});
