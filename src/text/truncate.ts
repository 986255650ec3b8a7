const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

export interface TruncateOptions {
  /**
   * Cut after the last whole word when one ends in the last 40% of the room, and drop the
   * punctuation left hanging ("…, and" -> "…"): for leads, where half a word reads badly.
   */
  atWordBoundary?: boolean;
}

/** The text's first graphemes, enough to tell whether it has more than `max` (then max + 1). */
function leadingGraphemes(text: string, max: number): string[] {
  const parts: string[] = [];
  // A grapheme is at least one UTF-16 unit, so a text this short cannot have too many.
  if (text.length <= max) return parts;
  for (const { segment } of graphemes.segment(text)) {
    parts.push(segment);
    if (parts.length > max) break;
  }
  return parts;
}

function toWordBoundary(cut: string): string {
  const space = cut.lastIndexOf(" ");
  return (space > cut.length * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/u, "");
}

/**
 * At most `max` visible letters, whole letters only (a letter keeps its marks), "…" if cut.
 * Whitespace runs become one space.
 */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const parts = leadingGraphemes(clean, max);
  if (parts.length <= max) return clean;
  const cut = parts
    .slice(0, Math.max(0, max - 1))
    .join("")
    .trimEnd();
  return `${options.atWordBoundary ? toWordBoundary(cut) : cut}…`;
}
