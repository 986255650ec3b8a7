/** Events as Zalo would deliver them for what a user sends: text, an image, a sticker. */
import type { EventOptions, ZaloEvent, ZaloMessage } from "./types";

export class ZaloEventBuilder {
  private nextMessageId = 1;

  text(opts: EventOptions & { text: string }): ZaloEvent {
    return {
      event_name: "message.text.received",
      message: { ...this.base(opts), text: opts.text },
    };
  }

  image(opts: EventOptions & { photoUrl?: string; caption?: string }): ZaloEvent {
    const message: ZaloMessage = {
      ...this.base(opts),
      photo: opts.photoUrl ?? "https://photo.zalo.test/image.jpg",
    };
    if (opts.caption !== undefined) message.caption = opts.caption;
    return { event_name: "message.image.received", message };
  }

  sticker(opts: EventOptions & { sticker?: string }): ZaloEvent {
    const sticker = opts.sticker ?? "sticker-0001";
    return {
      event_name: "message.sticker.received",
      message: {
        ...this.base(opts),
        sticker,
        url: `https://sticker.zalo.test/${encodeURIComponent(sticker)}.png`,
      },
    };
  }

  private base(opts: EventOptions): ZaloMessage {
    return {
      from: {
        id: opts.fromId ?? opts.chatId,
        display_name: opts.displayName ?? "Lan",
        is_bot: false,
      },
      chat: { id: opts.chatId, chat_type: opts.chatType ?? "PRIVATE" },
      message_id: opts.messageId ?? `in${String(this.nextMessageId++).padStart(8, "0")}`,
      date: Date.now(),
    };
  }
}
