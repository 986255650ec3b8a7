/** What every webhook route needs: a secret compared in constant time, a capped JSON body. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./server";

/** Platforms send small updates; anything larger is refused (413) before it is read whole. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

/** Compares secrets in constant time, whatever their lengths. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The request's header as one string, if it was sent once. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Updates are shallow; a body nested deeper than this is refused (it would exhaust the stack). */
export const MAX_WEBHOOK_DEPTH = 64;

/** How deeply the JSON text nests arrays and objects (strings are skipped). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

/** 413, and the connection closes after the answer: the rest of the body is not read. */
function refuseTooLarge(res: ServerResponse): undefined {
  res.writeHead(413, { "content-type": "application/json; charset=utf-8", connection: "close" });
  res.end(JSON.stringify({ ok: false, description: "the body is larger than 1 MiB" }));
  return undefined;
}

/**
 * Reads a JSON body of at most MAX_WEBHOOK_BODY bytes. On failure it answers (413 too large,
 * 400 not JSON) and returns undefined; the route just returns.
 */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ body: unknown } | undefined> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY) return refuseTooLarge(res);
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_WEBHOOK_BODY);
  } catch (error) {
    if ((error as { status?: number }).status === 413) return refuseTooLarge(res);
    throw error;
  }
  const text = raw.toString("utf8");
  if (nestingDepth(text) > MAX_WEBHOOK_DEPTH) {
    sendJson(res, 400, { ok: false, description: "the body nests too deeply to be an update" });
    return undefined;
  }
  try {
    return { body: JSON.parse(text) };
  } catch {
    sendJson(res, 400, { ok: false, description: "the body is not JSON" });
    return undefined;
  }
}
