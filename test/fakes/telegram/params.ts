/**
 * Reading a Bot API request's parameters from the query string and a JSON, urlencoded or
 * multipart body, with form values turned back into the numbers, booleans and objects they were.
 */
import type { IncomingMessage } from "node:http";

export type Params = Record<string, unknown>;

const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "link_preview_options",
  "reply_parameters",
  "allowed_updates",
  "commands",
  "scope",
  "results",
  "media",
  "menu_button",
  "button",
  "rights",
  "reaction",
  "message_ids",
]);
const INT_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "reply_to_message_id",
  "message_thread_id",
  "cache_time",
  "max_connections",
  "until_date",
]);
const BOOL_FIELDS = new Set([
  "allow_paid_broadcast",
  "disable_notification",
  "protect_content",
  "show_alert",
  "is_personal",
  "drop_pending_updates",
  "disable_web_page_preview",
  "has_spoiler",
  "show_caption_above_media",
  "revoke_messages",
  "only_if_banned",
]);

function coerceField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (INT_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOL_FIELDS.has(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}

/**
 * A lenient multipart/form-data reader: grammY writes headers without a space after the colon
 * and file names unquoted, which stricter parsers (undici's) refuse.
 */
function parseMultipart(
  body: Buffer,
  contentType: string,
): { name: string; filename?: string; contentType?: string; data: Buffer }[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const value = boundary?.[1] ?? boundary?.[2];
  if (!value) throw new Error("multipart body without boundary");
  const delimiter = Buffer.from(`--${value}`);
  const parts: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error("unterminated multipart body");
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const split = part.indexOf("\r\n\r\n");
    const head = (split < 0 ? part : part.subarray(0, split)).toString("utf8");
    const data = split < 0 ? Buffer.alloc(0) : part.subarray(split + 4);
    let name: string | undefined;
    let filename: string | undefined;
    let type: string | undefined;
    for (const line of head.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const header = line.slice(0, colon).trim().toLowerCase();
      const rest = line.slice(colon + 1).trim();
      if (header === "content-type") type = rest;
      if (header !== "content-disposition") continue;
      for (const param of rest.split(";").slice(1)) {
        const eq = param.indexOf("=");
        if (eq < 0) continue;
        const key = param.slice(0, eq).trim().toLowerCase();
        let v = param.slice(eq + 1).trim();
        if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
        if (key === "name") name = v;
        if (key === "filename") filename = v;
      }
    }
    if (name !== undefined) parts.push({ name, filename, contentType: type, data });
    pos = next;
  }
  return parts;
}

export async function parseParams(req: IncomingMessage, body: Buffer, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = coerceField(key, value);
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return params;
  if (contentType.includes("application/json")) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      Object.assign(params, parsed);
    }
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) {
      params[key] = coerceField(key, value);
    }
  } else if (contentType.includes("multipart/form-data")) {
    for (const part of parseMultipart(body, req.headers["content-type"] ?? "")) {
      if (part.filename === undefined) {
        params[part.name] = coerceField(part.name, part.data.toString("utf8"));
      } else {
        params[part.name] = {
          filename: part.filename,
          size: part.data.length,
          type: part.contentType ?? "application/octet-stream",
          // Small uploads keep their bytes, as text, for tests to read (a document's JSON).
          ...(part.data.length <= 1_000_000 ? { text: part.data.toString("utf8") } : {}),
        };
      }
    }
  }
  return params;
}
