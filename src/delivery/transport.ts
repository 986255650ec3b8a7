import type { RenderedPart } from "../message/parts";

/** What a platform said to one message, in the terms the delivery engine acts on. */
export type SendOutcome =
  /** Delivered; with the platform's ids of the messages it made, where withdrawals need them. */
  | { kind: "sent"; messageIds?: number[] }
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
  /**
   * Deletes messages sent before (a retraction), on platforms that allow it (Telegram, within
   * 48 hours). A message already gone counts as deleted.
   */
  remove?(to: Recipient, messageIds: number[]): Promise<SendOutcome>;
  /** Replaces a sent message's text or caption and buttons with `part` (a correction). */
  edit?(to: Recipient, messageId: number, part: RenderedPart): Promise<SendOutcome>;
}
