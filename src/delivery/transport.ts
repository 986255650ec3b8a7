import type { RenderedPart } from "../message/parts";

/** What a platform said to one message, in the terms the delivery engine acts on. */
export type SendOutcome =
  | { kind: "sent" }
  /** 429: the platform wants a pause; the message is tried again after it. */
  | { kind: "retryAfter"; seconds: number }
  /** Blocked, kicked, deactivated, unknown chat: stop sending to this reader. */
  | { kind: "unreachable"; reason: string }
  /** A Telegram group became a supergroup with a new id: move the reader and send there. */
  | { kind: "migrated"; toChatId: string }
  /** 5xx, timeouts, network: try again later with backoff. */
  | { kind: "transient"; error: string }
  /** The message itself is wrong (400): trying again will not help. */
  | { kind: "permanent"; error: string }
  /** The token was refused: the platform's adapter must stop. */
  | { kind: "unauthorized"; error: string };

export interface Recipient {
  chatId: string;
  chatType: string;
}

/** One platform's sender for pre-rendered parts (of an outbox payload or a chat reply). */
export interface Transport {
  platform: string;
  send(to: Recipient, part: RenderedPart): Promise<SendOutcome>;
}
