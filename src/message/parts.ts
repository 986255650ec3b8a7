/**
 * A message rendered once for one platform, as the parts its sender sends one by one: what the
 * outbox stores (shared by every reader who gets the same message) and what a chat reply sends.
 * The shape is the same for every platform; only the text inside is HTML or plain.
 */

/** A button as sent: an encoded action (callback data) or a link. */
export type PayloadButton = { label: string; data: string } | { label: string; url: string };

export type PartFormat = "html" | "plain";

export type RenderedPart =
  | { kind: "text"; format: PartFormat; text: string; buttons?: PayloadButton[][] }
  | {
      kind: "photo";
      format: PartFormat;
      url: string;
      caption: string;
      buttons?: PayloadButton[][];
    };

export interface RenderedPayload {
  parts: RenderedPart[];
}
