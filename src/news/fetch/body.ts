/**
 * A response body to text: Content-Encoding undone (gzip, deflate, br) under a size cap, then
 * bytes decoded in the charset the BOM, the HTTP header or the document itself declares.
 */
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { TextDecoder } from "node:util";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
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

function makeDecoder(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

/**
 * Bytes to text: a byte-order mark wins, then the HTTP charset, then the XML prolog's
 * encoding, then an HTML `<meta charset>`, else UTF-8. Unknown labels fall back to UTF-8;
 * bytes that are not valid in the charset become U+FFFD rather than an error.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  const decoder =
    makeDecoder(sniffBom(bytes)) ??
    makeDecoder(labelFromContentType(contentType)) ??
    makeDecoder(labelFromDocument(bytes)) ??
    new TextDecoder("utf-8");
  return decoder.decode(bytes);
}
