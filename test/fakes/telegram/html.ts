/** Telegram's HTML parse mode, parsed the way the Bot API does, to check what a bot sends. */
import type { MessageEntity } from "grammy/types";

export type HtmlParseResult =
  | { ok: true; text: string; entities: MessageEntity[] }
  | { ok: false; error: string };

const HTML_TAGS = new Set([
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
  "span",
  "tg-emoji",
]);

const TAG_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  "tg-emoji": "custom_emoji",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY_RE = /^&(?:([a-zA-Z]+)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));/;

/** Decodes one character entity at `text[i]` ("&"); undefined when it is not a valid one. */
function decodeEntityAt(text: string, i: number): { char: string; length: number } | undefined {
  const m = ENTITY_RE.exec(text.slice(i, i + 16));
  if (!m) return undefined;
  if (m[1] !== undefined) {
    const char = NAMED_ENTITIES[m[1]];
    return char === undefined ? undefined : { char, length: m[0].length };
  }
  const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? "", 16);
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { char: String.fromCodePoint(code), length: m[0].length };
}

/**
 * Parses text in Telegram's HTML parse mode the way the Bot API does (tdlib's parse_html),
 * stricter on one point: a bare `&` that does not start &lt; &gt; &amp; &quot; or &#…; is an
 * error. Returns the visible text and its entities (offsets in UTF-16 code units), or the
 * description the API would answer with after "Bad Request: can't parse entities: ".
 */
export function parseTelegramHtml(input: string): HtmlParseResult {
  const byteOffset = (i: number) => Buffer.byteLength(input.slice(0, i), "utf8");
  const fail = (error: string): HtmlParseResult => ({ ok: false, error });
  const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
  interface Open {
    name: string;
    start: number;
    attrs: Map<string, string>;
    language?: string;
  }
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let out = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "&") {
      const decoded = decodeEntityAt(input, i);
      if (!decoded) {
        return fail(`Unescaped "&" at byte offset ${byteOffset(i)}: use "&amp;"`);
      }
      out += decoded.char;
      i += decoded.length;
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i++;
      continue;
    }
    const tagAt = i;
    if (input[i + 1] === "/") {
      const end = input.indexOf(">", i + 2);
      if (end < 0) return fail(`Unclosed end tag at byte offset ${byteOffset(tagAt)}`);
      const name = input
        .slice(i + 2, end)
        .trim()
        .toLowerCase();
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag at byte offset ${byteOffset(tagAt)}`);
      if (open.name !== name) {
        return fail(
          `Unmatched end tag at byte offset ${byteOffset(tagAt)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const length = out.length - open.start;
      const parent = stack[stack.length - 1];
      const codeClass = open.attrs.get("class") ?? "";
      if (open.name === "code" && parent?.name === "pre" && codeClass.startsWith("language-")) {
        parent.language = codeClass.slice("language-".length);
      } else if (length > 0) {
        const entity: Record<string, unknown> = {
          type: TAG_ENTITY[open.name],
          offset: open.start,
          length,
        };
        if (open.name === "a") {
          entity.url = open.attrs.get("href") ?? out.slice(open.start);
        } else if (open.name === "pre" && open.language) {
          entity.language = open.language;
        } else if (open.name === "blockquote" && open.attrs.has("expandable")) {
          entity.type = "expandable_blockquote";
        } else if (open.name === "tg-emoji") {
          entity.custom_emoji_id = open.attrs.get("emoji-id");
        }
        entities.push(entity as unknown as MessageEntity);
      }
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < input.length && !isSpace(input[j]) && input[j] !== ">") j++;
    const name = input.slice(i + 1, j).toLowerCase();
    if (!HTML_TAGS.has(name)) {
      return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagAt)}`);
    }
    const attrs = new Map<string, string>();
    for (;;) {
      while (isSpace(input[j])) j++;
      if (j >= input.length) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
      if (input[j] === ">") {
        j++;
        break;
      }
      const nameStart = j;
      while (j < input.length && !isSpace(input[j]) && input[j] !== "=" && input[j] !== ">") j++;
      const attrName = input.slice(nameStart, j).toLowerCase();
      while (isSpace(input[j])) j++;
      if (input[j] !== "=") {
        if (name === "blockquote" && attrName === "expandable") {
          attrs.set(attrName, "");
          continue;
        }
        if (j >= input.length) {
          return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
        }
        return fail(
          `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(tagAt)}`,
        );
      }
      j++;
      while (isSpace(input[j])) j++;
      if (j >= input.length) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
      let raw: string;
      const quote = input[j];
      if (quote === '"' || quote === "'") {
        const close = input.indexOf(quote, j + 1);
        if (close < 0) return fail(`Unclosed start tag at byte offset ${byteOffset(tagAt)}`);
        raw = input.slice(j + 1, close);
        j = close + 1;
      } else {
        const valueStart = j;
        while (j < input.length && !isSpace(input[j]) && input[j] !== ">") j++;
        raw = input.slice(valueStart, j);
      }
      let value = "";
      for (let k = 0; k < raw.length; ) {
        const decoded = raw[k] === "&" ? decodeEntityAt(raw, k) : undefined;
        if (decoded) {
          value += decoded.char;
          k += decoded.length;
        } else {
          value += raw[k];
          k++;
        }
      }
      attrs.set(attrName, value);
    }
    if (name === "span" && attrs.get("class") !== "tg-spoiler") {
      return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagAt)}`);
    }
    if (name === "tg-emoji" && !attrs.get("emoji-id")) {
      return fail(
        `Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset(tagAt)}`,
      );
    }
    stack.push({ name, start: out.length, attrs });
    i = j;
  }
  const open = stack.pop();
  if (open) return fail(`Can't find end tag corresponding to start tag "${open.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text: out, entities };
}
