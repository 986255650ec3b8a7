import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";

export const BENCHMARKS_FILE = new URL("../docs/BENCHMARKS.md", import.meta.url);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export function machine(): string {
  return `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}`;
}

/**
 * Replaces one section (## title) of docs/BENCHMARKS.md with fresh figures, keeping the others.
 */
export function writeSection(title: string, body: string): void {
  const header =
    "# Benchmarks\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n";
  const text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, "utf8") : header;
  const sections = text.split(/\n(?=## )/);
  const fresh = `## ${title}\n\n${body.trim()}\n`;
  const index = sections.findIndex((s) => s.startsWith(`## ${title}\n`));
  if (index >= 0) sections[index] = fresh;
  else sections.push(fresh);
  writeFileSync(BENCHMARKS_FILE, `${sections.map((s) => s.trimEnd()).join("\n\n")}\n`);
}

let recorded: Record<string, unknown> | null = null;

/** A section's figures, printed as one JSON line after its report (bench/index.ts). */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
  recorded = { section, ...figures };
}

/** The figures a section recorded while it ran, if it did (then forgotten). */
export function takeFigures(): Record<string, unknown> | null {
  const figures = recorded;
  recorded = null;
  return figures;
}
