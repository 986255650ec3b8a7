const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** At most `max` visible letters, whole letters only (a letter keeps its marks), "…" if cut. */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const parts = Array.from(graphemes.segment(clean), (s) => s.segment);
  return parts.length <= max
    ? clean
    : `${parts
        .slice(0, Math.max(0, max - 1))
        .join("")
        .trimEnd()}…`;
}
