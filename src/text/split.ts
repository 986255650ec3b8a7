/**
 * Cutting long stories into chat messages that fit the platforms' limits.
 *
 * Telegram counts a message's length in UTF-16 code units of the visible text, after HTML tags
 * and entities are parsed (4096 for a message, 1024 for a caption). Zalo counts characters (2000);
 * UTF-16 units are used there too, which is never more lenient than counting code points.
 *
 * Cuts prefer, in order: paragraph breaks (a blank line), line breaks and sentence ends
 * (". ", "! ", "? ", "… ", optionally followed by closing quotes or brackets), spaces, and
 * finally any grapheme boundary (Intl.Segmenter), so a Vietnamese letter written as base letter
 * plus combining marks, an emoji ZWJ sequence or a flag is never cut apart.
 *
 * Only when a single grapheme is longer than the limit (e.g. limit 5 and an 11-unit family emoji)
 * is it cut between code points; a surrogate pair is never split, so with limit 1 an astral
 * character comes out alone as a 2-unit chunk.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

const SENTENCE_END = new Set([".", "!", "?", "…", "。", "！", "？"]);
const CLOSERS = new Set(['"', "'", "”", "’", "»", ")", "]", "}"]);

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
  }
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Largest x in the sorted list with lo < x <= hi, or -1. */
function lastWithin(sorted: number[], lo: number, hi: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((sorted[mid] as number) <= hi) a = mid + 1;
    else b = mid;
  }
  const found = a > 0 ? (sorted[a - 1] as number) : -1;
  return found > lo ? found : -1;
}

function sentenceEndsBefore(text: string, index: number): boolean {
  let j = index - 1;
  while (j >= 0 && CLOSERS.has(text[j] as string)) j--;
  return j >= 0 && SENTENCE_END.has(text[j] as string);
}

/**
 * Plans the chunks of `text` as [start, end) ranges: each trimmed, non-empty, at most `limit`
 * UTF-16 units, together covering every non-whitespace character in order.
 */
function planChunks(text: string, limit: number): Array<[number, number]> {
  const n = text.length;
  const boundary = new Uint8Array(n + 1);
  for (const seg of graphemes.segment(text)) boundary[seg.index] = 1;
  boundary[n] = 1;

  // Candidate cut points: the start of each whitespace run, ranked by what the run separates.
  const paragraphs: number[] = [];
  const sentences: number[] = [];
  const words: number[] = [];
  for (const m of text.matchAll(/\s+/g)) {
    const at = m.index;
    if (at === 0 || !boundary[at]) continue;
    const newlines = m[0].split("\n").length - 1;
    if (newlines >= 2) paragraphs.push(at);
    else if (newlines === 1 || sentenceEndsBefore(text, at)) sentences.push(at);
    else words.push(at);
  }

  let end = n;
  while (end > 0 && isSpace(text[end - 1])) end--;
  let start = 0;
  while (start < end && isSpace(text[start])) start++;

  const chunks: Array<[number, number]> = [];
  while (start < end) {
    if (end - start <= limit) {
      chunks.push([start, end]);
      break;
    }
    const max = start + limit;
    let cut = lastWithin(paragraphs, start, max);
    if (cut < 0) cut = lastWithin(sentences, start, max);
    if (cut < 0) cut = lastWithin(words, start, max);
    if (cut < 0) {
      for (let p = max; p > start; p--) {
        if (boundary[p]) {
          cut = p;
          break;
        }
      }
    }
    if (cut < 0) {
      // A single grapheme longer than the limit: cut between code points.
      cut = max;
      if (isLowSurrogate(text.charCodeAt(cut)) && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
      if (cut <= start) cut = start + String.fromCodePoint(text.codePointAt(start) ?? 0).length;
    }
    let chunkEnd = cut;
    while (chunkEnd > start && isSpace(text[chunkEnd - 1])) chunkEnd--;
    chunks.push([start, chunkEnd]);
    start = cut;
    while (start < end && isSpace(text[start])) start++;
  }
  return chunks;
}

/**
 * Splits plain text (Zalo messages) into chunks of at most `limit` UTF-16 units, packing whole
 * paragraphs where they fit and cutting long ones at sentences, then words, then graphemes.
 * Chunks are trimmed and non-empty; whitespace inside a chunk is kept as it was.
 */
export function splitPlainText(text: string, limit: number): string[] {
  checkLimit(limit);
  return planChunks(text, limit).map(([s, e]) => text.slice(s, e));
}

// ---------------------------------------------------------------------------------------------
// Telegram HTML

type Token =
  | { kind: "open"; name: string; raw: string }
  | { kind: "close"; name: string }
  | { kind: "void"; raw: string }
  | { kind: "text"; raw: string; visible: string };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+(?:[^>"']|"[^"]*"|'[^']*')*)?)>/y;
const ENTITY = /&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot));/y;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decodeEntity(m: RegExpExecArray): string | undefined {
  const [, dec, hex, name] = m;
  if (name !== undefined) return NAMED[name];
  const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
  if (code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/**
 * Reads Telegram HTML into tags and visible atoms (a character or a whole entity). Stray `<`,
 * `>` and `&` that are not part of a tag or a known entity become text and are escaped on output.
 */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === "<") {
      TAG.lastIndex = i;
      const m = TAG.exec(html);
      if (m) {
        const raw = m[0];
        const name = (m[2] as string).toLowerCase();
        if (m[1] === "/") tokens.push({ kind: "close", name });
        else if (raw.endsWith("/>")) tokens.push({ kind: "void", raw });
        else tokens.push({ kind: "open", name, raw });
        i += raw.length;
        continue;
      }
      tokens.push({ kind: "text", raw: "&lt;", visible: "<" });
      i++;
      continue;
    }
    if (ch === "&") {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(html);
      const decoded = m ? decodeEntity(m) : undefined;
      if (m && decoded !== undefined) {
        tokens.push({ kind: "text", raw: m[0], visible: decoded });
        i += m[0].length;
        continue;
      }
      tokens.push({ kind: "text", raw: "&amp;", visible: "&" });
      i++;
      continue;
    }
    const cp = String.fromCodePoint(html.codePointAt(i) ?? 0);
    tokens.push({ kind: "text", raw: cp === ">" ? "&gt;" : cp, visible: cp });
    i += cp.length;
  }
  return tokens;
}

/** Makes the tag structure properly nested: stray closers dropped, unclosed tags closed. */
function balance(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const stack: string[] = [];
  for (const t of tokens) {
    if (t.kind === "open") {
      stack.push(t.name);
      out.push(t);
    } else if (t.kind === "close") {
      const at = stack.lastIndexOf(t.name);
      if (at < 0) continue;
      while (stack.length > at) out.push({ kind: "close", name: stack.pop() as string });
    } else {
      out.push(t);
    }
  }
  while (stack.length > 0) out.push({ kind: "close", name: stack.pop() as string });
  return out;
}

/**
 * Length of the text Telegram shows for an HTML-mode message, in UTF-16 units: tags count 0,
 * an entity (&lt; &gt; &amp; &quot; &#NNN; &#xHH;) counts as the character it stands for.
 */
export function visibleLength(html: string): number {
  let length = 0;
  for (const t of tokenize(html)) if (t.kind === "text") length += t.visible.length;
  return length;
}

/**
 * Splits Telegram HTML into chunks whose visible length is at most `limit`. Tags open at a cut
 * are closed at the end of the chunk and reopened (same tag, same attributes) at the start of
 * the next, so each chunk is well-formed on its own. Tags and entities are never cut.
 */
export function splitTelegramHtml(html: string, limit: number): string[] {
  checkLimit(limit);
  const tokens = balance(tokenize(html));

  // The visible text, and for each of its UTF-16 units the token it came from.
  let visible = "";
  const owner: number[] = [];
  tokens.forEach((t, index) => {
    if (t.kind !== "text") return;
    visible += t.visible;
    for (let k = 0; k < t.visible.length; k++) owner.push(index);
  });

  const chunks: string[] = [];
  const stack: Array<{ name: string; raw: string }> = [];
  const apply = (t: Token) => {
    if (t.kind === "open") stack.push({ name: t.name, raw: t.raw });
    else if (t.kind === "close") stack.pop();
  };
  let next = 0;
  for (const [s, e] of planChunks(visible, limit)) {
    const first = owner[s] as number;
    const last = owner[e - 1] as number;
    for (; next < first; next++) apply(tokens[next] as Token);
    let out = stack.map((o) => o.raw).join("");
    for (; next <= last; next++) {
      const t = tokens[next] as Token;
      out += t.kind === "close" ? `</${t.name}>` : t.raw;
      apply(t);
    }
    for (let k = stack.length - 1; k >= 0; k--) out += `</${(stack[k] as { name: string }).name}>`;
    chunks.push(out);
  }
  return chunks;
}
