/**
 * Extraction corpora, read from a folder outside the repository (never committed). Two shapes:
 *
 * - scrapinghub/article-extraction-benchmark: `ground-truth.json` ({ id: { url, articleBody } })
 *   beside `html/<id>.html.gz` (or `.html`);
 * - a plain folder: `<name>.html` beside `<name>.txt` (the expected text), and optionally
 *   `<name>.url` (the page's address).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";

export interface CorpusPage {
  name: string;
  url: string;
  html: string;
  expected: string;
}

function readHtml(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

export function readCorpus(folder: string): CorpusPage[] {
  const truthPath = join(folder, "ground-truth.json");
  if (existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, "utf8")) as Record<
      string,
      { url?: string; articleBody?: string }
    >;
    return Object.entries(truth).flatMap(([id, entry]) => {
      const path = [".html.gz", ".html"]
        .map((ext) => join(folder, "html", `${id}${ext}`))
        .find((candidate) => existsSync(candidate));
      if (!path || typeof entry.articleBody !== "string") return [];
      return [
        {
          name: id.slice(0, 12),
          url: entry.url ?? `https://example.org/${id}`,
          html: readHtml(path),
          expected: entry.articleBody,
        },
      ];
    });
  }
  const pages: CorpusPage[] = [];
  for (const file of readdirSync(folder).sort()) {
    if (!file.endsWith(".html")) continue;
    const name = basename(file, ".html");
    const expectedPath = join(folder, `${name}.txt`);
    if (!existsSync(expectedPath)) continue;
    const urlPath = join(folder, `${name}.url`);
    pages.push({
      name,
      url: existsSync(urlPath)
        ? readFileSync(urlPath, "utf8").trim()
        : `https://example.org/${encodeURIComponent(name)}`,
      html: readFileSync(join(folder, file), "utf8"),
      expected: readFileSync(expectedPath, "utf8"),
    });
  }
  if (pages.length === 0) {
    throw new Error(
      `${folder}: no corpus here (ground-truth.json with html/, or <name>.html beside <name>.txt)`,
    );
  }
  return pages;
}
