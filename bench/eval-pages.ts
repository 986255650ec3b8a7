/**
 * `npm run eval:pages -- <folder> [--json] [--worst N]`: bantin's extractor scored against a
 * corpus with expected texts (bench/eval/corpus.ts), side by side with plain Readability on
 * linkedom, on the same pages and the same measure (bench/eval/score.ts): mean F1, precision and
 * recall, pages refused, pages worse than Readability by more than 0.1, and the worst pages.
 * bantin's text is what a reader gets: lead, body and captions.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { extractArticlePage } from "../src/news/extract";
import { type CorpusPage, readCorpus } from "./eval/corpus";
import { type Score, score } from "./eval/score";

interface PageResult {
  name: string;
  url: string;
  bantin: Score;
  readability: Score;
  refused: { bantin: boolean; readability: boolean };
}

function bantinText(page: CorpusPage): string | null {
  const story = extractArticlePage(page.html, page.url);
  if (!story) return null;
  return [story.lead, ...story.body, ...story.photos.map((p) => p.caption)]
    .filter((t) => t)
    .join("\n");
}

function readabilityText(page: CorpusPage): string | null {
  try {
    const { document } = parseHTML(page.html);
    const article = new Readability(
      document as unknown as ConstructorParameters<typeof Readability>[0],
    ).parse();
    return article?.textContent ?? null;
  } catch {
    return null;
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const fixed = (n: number) => n.toFixed(3);

function evaluate(pages: CorpusPage[]): PageResult[] {
  return pages.map((page) => {
    const ours = bantinText(page);
    const theirs = readabilityText(page);
    return {
      name: page.name,
      url: page.url,
      bantin: score(ours ?? "", page.expected),
      readability: score(theirs ?? "", page.expected),
      refused: { bantin: ours === null, readability: theirs === null },
    };
  });
}

function summary(results: PageResult[]) {
  const side = (key: "bantin" | "readability") => ({
    f1: mean(results.map((r) => r[key].f1)),
    precision: mean(results.map((r) => r[key].precision)),
    recall: mean(results.map((r) => r[key].recall)),
    refused: results.filter((r) => r.refused[key]).length,
  });
  return {
    pages: results.length,
    bantin: side("bantin"),
    readability: side("readability"),
    worseByMoreThan01: results.filter((r) => r.readability.f1 - r.bantin.f1 > 0.1).length,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const folder = args.find((a) => !a.startsWith("--"));
  if (!folder) {
    process.stderr.write("usage: npm run eval:pages -- <corpus folder> [--json] [--worst N]\n");
    process.exit(2);
  }
  const worstAt = args.indexOf("--worst");
  const worstCount = worstAt >= 0 ? Number(args[worstAt + 1] ?? 10) : 10;
  const started = performance.now();
  const results = evaluate(readCorpus(folder));
  const figures = summary(results);
  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify({ ...figures, results })}\n`);
    return;
  }
  const line = (name: string, s: ReturnType<typeof summary>["bantin"]) =>
    `${name.padEnd(12)} F1 ${fixed(s.f1)}  precision ${fixed(s.precision)}  recall ${fixed(s.recall)}  refused ${s.refused}`;
  const out = [
    `${figures.pages} pages from ${folder} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    line("bantin", figures.bantin),
    line("Readability", figures.readability),
    `pages where bantin is worse than Readability by > 0.1 F1: ${figures.worseByMoreThan01}`,
    "",
    `worst ${worstCount} for bantin (F1 bantin / Readability, page):`,
    ...[...results]
      .sort((a, b) => a.bantin.f1 - a.readability.f1 - (b.bantin.f1 - b.readability.f1))
      .slice(0, worstCount)
      .map(
        (r) =>
          `  ${fixed(r.bantin.f1)} / ${fixed(r.readability.f1)}  ${r.refused.bantin ? "refused  " : ""}${r.name}  ${r.url}`,
      ),
    // A JSON line last, for scripts.
    JSON.stringify(figures),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}

main();
