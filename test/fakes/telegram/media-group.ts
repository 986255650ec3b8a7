/**
 * The fake's albums (sendMediaGroup) and the pictures it cannot fetch. Like the real server it
 * takes 2–10 media (photos and videos together, documents or audio only with their own kind),
 * each caption at most 1024 characters after parse_mode, counts every media against the flood
 * limits, and answers with one message per media sharing a media_group_id.
 *
 * A URL on a host under ".invalid" (RFC 2606: it can never resolve) stands for a picture
 * Telegram cannot download: sendPhoto answers 400 "wrong file identifier/HTTP URL specified",
 * an album holding one answers 400 "failed to send message #n ...".
 */
import { type ErrorReply, ok, type Reply } from "../base/call-log";
import type { Params } from "./params";
import { badRequest, parseFormatted } from "./validate";

const ALBUM_TYPES = new Set(["photo", "video", "document", "audio"]);
export const UNFETCHABLE = "wrong file identifier/HTTP URL specified";

/** True for an http(s) URL the fake pretends it cannot download. */
export function unfetchable(media: unknown): boolean {
  if (typeof media !== "string" || !/^https?:\/\//i.test(media)) return false;
  try {
    return new URL(media).hostname.toLowerCase().endsWith(".invalid");
  } catch {
    return true;
  }
}

export interface AlbumHooks {
  /** The flood limits for one send (a 429 when over). */
  admit(params: Params): ErrorReply | undefined;
  /** Stores one message of the album and returns it. */
  newMessage(content: Record<string, unknown>, contentKey: string): Record<string, unknown>;
}

/** A running number for album and file ids. */
let sequence = 0;

function mixingError(types: string[]): ErrorReply | undefined {
  for (const only of ["document", "audio"]) {
    if (types.includes(only) && types.some((t) => t !== only)) {
      return badRequest(`${only} can't be mixed with other media types`);
    }
  }
  return undefined;
}

export function sendMediaGroup(params: Params, hooks: AlbumHooks): Reply {
  const media = params.media;
  if (media === undefined || media === "") return badRequest('parameter "media" is required');
  if (!Array.isArray(media)) return badRequest("can't parse media JSON object");
  if (media.length === 0) return badRequest("media to send are not specified");
  if (media.length === 1) return badRequest("too few messages to send as an album");
  if (media.length > 10) return badRequest("too much messages to send as an album");
  const items: { type: string; media: string; caption?: ReturnType<typeof parseFormatted> }[] = [];
  for (const raw of media as unknown[]) {
    if (!raw || typeof raw !== "object") return badRequest("can't parse InputMedia JSON object");
    const item = raw as Record<string, unknown>;
    if (typeof item.type !== "string" || !ALBUM_TYPES.has(item.type)) {
      return badRequest("can't parse InputMedia: unsupported media type");
    }
    if (typeof item.media !== "string" || item.media === "") {
      return badRequest("can't parse InputMedia: media not found");
    }
    let caption: ReturnType<typeof parseFormatted> | undefined;
    if (item.caption !== undefined) {
      if (typeof item.caption !== "string") return badRequest("can't parse InputMedia: caption");
      caption = parseFormatted(item.caption, item.parse_mode);
      if (!caption.ok) return caption.reply;
      if (caption.text.length > 1024) return badRequest("message caption is too long");
    }
    items.push({ type: item.type, media: item.media, ...(caption ? { caption } : {}) });
  }
  const mixed = mixingError(items.map((i) => i.type));
  if (mixed) return mixed;
  const bad = items.findIndex((i) => unfetchable(i.media));
  if (bad >= 0) {
    return badRequest(
      `failed to send message #${bad + 1} with the error message "${UNFETCHABLE[0]?.toUpperCase()}${UNFETCHABLE.slice(1)}"`,
    );
  }
  for (let i = 0; i < items.length; i++) {
    const refused = hooks.admit(params);
    if (refused) return refused;
  }
  const group = `album-${++sequence}`;
  const messages = items.map((item) => {
    const n = ++sequence;
    const file = { file_id: `${item.type}-${n}`, file_unique_id: `u${n}`, file_size: 1024 };
    const content: Record<string, unknown> = {
      media_group_id: group,
      [item.type]:
        item.type === "photo"
          ? [
              { ...file, file_id: `${file.file_id}-s`, width: 90, height: 60 },
              { ...file, width: 1280, height: 853 },
            ]
          : file,
    };
    const caption = item.caption?.ok ? item.caption : undefined;
    if (caption?.text) content.caption = caption.text;
    if (caption?.entities.length) content.caption_entities = caption.entities;
    return hooks.newMessage(content, JSON.stringify([item.media, caption?.text ?? ""]));
  });
  return ok(messages);
}
