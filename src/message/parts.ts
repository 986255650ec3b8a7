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
    }
  /**
   * 2–10 photos sent together (Telegram's sendMediaGroup), each with its caption; an album has
   * no buttons. Platforms without albums send its photos one by one.
   */
  | {
      kind: "album";
      format: PartFormat;
      photos: { url: string; caption: string }[];
      buttons?: never;
    }
  /** A sound or a film the platform fetches from its address and plays (sendAudio / sendVideo). */
  | {
      kind: "media";
      format: PartFormat;
      media: "audio" | "video";
      url: string;
      buttons?: PayloadButton[][];
    };

/**
 * What the message shows that the chat must remember once it is delivered: its story list
 * ([number, story id]) and, on platforms without buttons, its numbered choices ([number,
 * encoded action]), so that "đọc 2" or a bare "2" typed after a digest answers that digest.
 */
export interface PayloadShown {
  items?: [number, number][];
  choices?: [number, string][];
}

export interface RenderedPayload {
  parts: RenderedPart[];
  shown?: PayloadShown;
}
