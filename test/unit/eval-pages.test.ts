/** The extraction evaluation's measure and corpus reading (bench/eval, docs/EXTRACTION.md). */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readCorpus } from "../../bench/eval/corpus";
import { score } from "../../bench/eval/score";

describe("the bag-of-words score", () => {
  it("counts words with repeats, case and composition aside", () => {
    expect(score("Lào Cai lào cai", "LÀO CAI")).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3 });
    // NFD and NFC spellings are the same word.
    expect(score("Hà Nội".normalize("NFD"), "Hà Nội").f1).toBe(1);
    expect(score("", "some words").f1).toBe(0);
    expect(score("a b c d", "c d e f")).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });
});

describe("reading a corpus", () => {
  it("reads the benchmark's shape and the plain shape", () => {
    const bench = mkdtempSync(join(tmpdir(), "eval-"));
    mkdirSync(join(bench, "html"));
    writeFileSync(join(bench, "html", "abc.html.gz"), gzipSync("<p>Xin chào</p>"));
    writeFileSync(
      join(bench, "ground-truth.json"),
      JSON.stringify({ abc: { url: "https://x.vn/a", articleBody: "Xin chào" } }),
    );
    expect(readCorpus(bench)).toEqual([
      { name: "abc", url: "https://x.vn/a", html: "<p>Xin chào</p>", expected: "Xin chào" },
    ]);

    const plain = mkdtempSync(join(tmpdir(), "eval-"));
    writeFileSync(join(plain, "one.html"), "<p>Một</p>");
    writeFileSync(join(plain, "one.txt"), "Một");
    writeFileSync(join(plain, "lonely.html"), "<p>no expected text: left out</p>");
    expect(readCorpus(plain).map((p) => [p.name, p.expected])).toEqual([["one", "Một"]]);
    expect(() => readCorpus(mkdtempSync(join(tmpdir(), "eval-")))).toThrow(/no corpus here/);
  });
});
