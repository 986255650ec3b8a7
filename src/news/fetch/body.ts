/**
 * A response body to text: Content-Encoding undone (gzip, deflate, br) under a size cap, then
 * bytes decoded in the charset the BOM, the HTTP header or the document itself declares.
 */
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { TextDecoder } from "node:util";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import chardet from "chardet";
import iconv from "iconv-lite";
import { FetchError, formatBytes } from "./fetch-error";

/** Drops a body we will not read; the error a destroyed body emits is expected, not a crash. */
export function discard(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

function decoderFor(encoding: string): NodeJS.ReadWriteStream | null {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

/** Reads the body, undoing Content-Encoding, and stops as soon as it passes `maxBytes`. */
export async function readBody(
  body: Readable,
  contentEncoding: string | null,
  maxBytes: number,
): Promise<Buffer> {
  const encodings = (contentEncoding ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== "" && e !== "identity");
  let stream: NodeJS.ReadableStream = body;
  // Encodings are listed in the order applied, so undo them from the last one.
  for (const encoding of encodings.reverse()) {
    const decoder = decoderFor(encoding);
    if (!decoder) {
      discard(body);
      throw new FetchError("http", `the site used an unsupported content encoding: ${encoding}`);
    }
    stream = pipeline(stream, decoder, () => {});
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new FetchError("too-large", `response larger than ${formatBytes(maxBytes)}`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const code = (err as { code?: string } | null)?.code ?? "";
    if (code.startsWith("Z_") || code.startsWith("ERR_BROTLI") || code === "ERR__ERROR_FORMAT") {
      throw new FetchError(
        "network",
        `could not decompress the response (${encodings.join(", ")})`,
        {
          cause: err,
        },
      );
    }
    throw err;
  } finally {
    if (!body.destroyed) discard(body);
    if (stream !== body) {
      const decoded = stream as Readable;
      decoded.on("error", () => {});
      decoded.destroy();
    }
  }
  return Buffer.concat(chunks, total);
}

function labelFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1] ?? null;
}

/** Charset declared inside the document: the XML prolog, else an HTML meta tag. */
function labelFromDocument(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  const prolog = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (prolog?.[1]) return prolog[1];
  if (/^\s*<\?xml/.test(head)) return null;
  const meta =
    /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

function sniffBom(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return "utf-8";
  if (a === 0xfe && b === 0xff) return "utf-16be";
  if (a === 0xff && b === 0xfe) return "utf-16le";
  // "<?" in UTF-16 without a BOM.
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return "utf-16le";
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return "utf-16be";
  return null;
}

/**
 * Labels the web reads as windows-1252 (the WHATWG Encoding Standard): a page that says
 * ISO-8859-1 or ASCII means windows-1252, curly quotes and dashes in 0x80-0x9F included.
 */
const WINDOWS_1252 = new Set([
  "windows-1252",
  "cp1252",
  "x-cp1252",
  "iso-8859-1",
  "iso8859-1",
  "iso_8859-1",
  "latin1",
  "l1",
  "us-ascii",
  "ascii",
  "ansi_x3.4-1968",
  "cp819",
  "ibm819",
]);

/** Bytes to text in the charset `label` names; null when nobody here knows it. */
function decodeAs(bytes: Uint8Array, label: string | null): string | null {
  if (!label) return null;
  const name = label.trim().toLowerCase();
  // Node 20.20's TextDecoder decodes windows-1252 as Latin-1 (C1 controls for ’ “ ” – …,
  // nodejs/node#60888): iconv-lite has the real table.
  if (WINDOWS_1252.has(name)) return iconv.decode(Buffer.from(bytes), "windows-1252");
  try {
    return new TextDecoder(name).decode(bytes);
  } catch {
    // A label the platform's decoder lacks (a smaller ICU) may still be one iconv-lite knows.
    return iconv.encodingExists(name) ? iconv.decode(Buffer.from(bytes), name) : null;
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The text, if the bytes are valid UTF-8. */
function asUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The charset of bytes nobody declared and that are not UTF-8 (an old page in Big5, EUC-JP,
 * EUC-KR, Shift_JIS, a Windows code page), guessed from their statistics; windows-1252 when no
 * guess is confident (the web's default for undeclared legacy pages).
 */
function sniffCharset(bytes: Uint8Array): string {
  const guesses = chardet.analyse(bytes);
  const best = guesses.find((guess) => guess.confidence >= 30 && guess.name !== "UTF-8");
  return best?.name ?? "windows-1252";
}

/**
 * Bytes to text: a byte-order mark wins, then the HTTP charset, then the XML prolog's
 * encoding, then an HTML `<meta charset>`; undeclared, UTF-8 when the bytes are UTF-8, else the
 * charset their statistics suggest. Unknown labels count as undeclared; bytes that are not valid
 * in the charset become U+FFFD rather than an error.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  return (
    decodeAs(bytes, sniffBom(bytes)) ??
    decodeAs(bytes, labelFromContentType(contentType)) ??
    decodeAs(bytes, labelFromDocument(bytes)) ??
    asUtf8(bytes) ??
    decodeAs(bytes, sniffCharset(bytes)) ??
    new TextDecoder("utf-8").decode(bytes)
  );
}
