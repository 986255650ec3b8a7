import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  reader_id: number;
  platform: string;
  kind: string;
  priority: Generated<number>;
  /** The rendered messages, in outbox_payloads. */
  payload_id: number;
  broadcast_id: number | null;
  state: Generated<string>;
  attempts: Generated<number>;
  parts_sent: Generated<number>;
  next_attempt_at: Generated<string>;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  /** JSON [[id, ...] per part]: the platform's message ids of a sent row (0015). */
  message_ids: string | null;
  created_at: Generated<string>;
}
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type OutboxUpdate = Updateable<OutboxTable>;

export interface OutboxPayloadsTable {
  id: Generated<number>;
  /** JSON of a RenderedPayload: { parts: [...] } (older rows: { messages: [...] }). */
  body: string;
  created_at: Generated<string>;
}

/** Which stories a stored payload carries (0015). */
export interface OutboxPayloadStoriesTable {
  payload_id: number;
  article_id: number;
}
