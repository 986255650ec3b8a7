/**
 * The shape a Zalo event must have before it is stored. Copies of Zalo's docs disagree on
 * whether the body is `{ ok, result: event }` or the bare event: both are taken. Events of kinds
 * bantin does not read are acknowledged and ignored; a message event that does not fit is
 * refused with the reason (400).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { NewUpdate } from "../../chat/inbox";

const id = z.union([z.string().min(1).max(128), z.number().int().safe()]);
const messageEvent = z.looseObject({
  event_name: z.string().max(128),
  message: z.looseObject({
    from: z
      .looseObject({
        id: id.optional(),
        display_name: z.string().max(512).optional(),
        is_bot: z.boolean().optional(),
      })
      .optional(),
    chat: z.looseObject({ id, chat_type: z.string().max(32).optional() }),
    text: z.string().max(65_536).optional(),
    message_id: id.optional(),
    date: z.number().optional(),
  }),
});

export type ZaloEvent = z.infer<typeof messageEvent>;

/** The events bantin reads; others are acknowledged and ignored. */
export const MESSAGE_EVENTS = new Set([
  "message.text.received",
  "message.image.received",
  "message.sticker.received",
  "message.unsupported.received",
]);

/** Accepts `{ ok, result: { event_name, message } }` and bare `{ event_name, message }`. */
export function unwrapEvent(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const outer = body as { result?: unknown };
  const event = outer.result && typeof outer.result === "object" ? outer.result : body;
  return typeof (event as { event_name?: unknown }).event_name === "string"
    ? (event as Record<string, unknown>)
    : null;
}

function reason(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") || "the event"}: ${issue?.message ?? "not a Zalo event"}`;
}

/**
 * A Zalo webhook or poll body checked and keyed for the inbox: the update, `ignore` for an event
 * of another kind, or the reason it is refused.
 */
export function readZaloEvent(
  body: unknown,
): { update: NewUpdate } | { ignore: true } | { error: string } {
  const event = unwrapEvent(body);
  if (!event) return { error: "not a Zalo event (no event_name)" };
  if (!MESSAGE_EVENTS.has(event.event_name as string)) return { ignore: true };
  const parsed = messageEvent.safeParse(event);
  if (!parsed.success) return { error: reason(parsed.error) };
  const { message } = parsed.data;
  let json: string;
  try {
    json = JSON.stringify(parsed.data);
  } catch {
    return { error: "the event nests too deeply" };
  }
  // The platform's own id when there is one; otherwise the event itself names it.
  const key =
    message.message_id !== undefined
      ? `m:${message.message_id}`
      : `h:${createHash("sha256").update(json).digest("hex")}`;
  return { update: { platform: "zalo", key, chatKey: String(message.chat.id), json } };
}
