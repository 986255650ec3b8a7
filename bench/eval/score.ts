/**
 * Bag-of-words scores of extracted text against the expected text: words are runs of letters
 * and digits, lower-cased, NFC, counted with repeats; precision is the share of extracted words
 * that are expected, recall the share of expected words extracted, F1 their harmonic mean.
 */
export interface Score {
  precision: number;
  recall: number;
  f1: number;
}

export function words(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

export function score(extracted: string, expected: string): Score {
  const got = words(extracted);
  const want = words(expected);
  let overlap = 0;
  let gotTotal = 0;
  let wantTotal = 0;
  for (const [word, n] of got) {
    gotTotal += n;
    overlap += Math.min(n, want.get(word) ?? 0);
  }
  for (const n of want.values()) wantTotal += n;
  if (gotTotal === 0 || wantTotal === 0) {
    const same = gotTotal === wantTotal;
    return { precision: same ? 1 : 0, recall: same ? 1 : 0, f1: same ? 1 : 0 };
  }
  const precision = overlap / gotTotal;
  const recall = overlap / wantTotal;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
