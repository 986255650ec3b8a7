/**
 * Deliveries as editors see and change them, from any front end: the messages the senders gave
 * up on (dead letters), and retrying one or all of them, each retry in the audit log.
 */
import type { Clock } from "../clock";
import type { Db } from "../db/schema";
import { type OutboxState, retryDeadLetters } from "../delivery/outbox";
import {
  countDeadLetters,
  type DeadLetter,
  listDeadLetters,
  outboxStateOf,
} from "../delivery/outbox-counts";
import { recordAudit } from "../editors/audit";

export type DeliveryProblem =
  | { code: "notFound"; id: number }
  /** Only a dead message can be retried: this one is (or has become) something else. */
  | { code: "notDead"; id: number; state: OutboxState };

/** A retry that cannot be made; `problem` lets each front end say it its own way. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(readonly problem: DeliveryProblem) {
    super(
      problem.code === "notFound"
        ? `no message with id ${problem.id}`
        : `message ${problem.id} is ${problem.state}, not dead: only dead messages are retried`,
    );
  }
}

export interface DeliveryService {
  deadLetters(page: { limit: number; offset: number }): Promise<DeadLetter[]>;
  countDead(): Promise<number>;
  /** Retries one dead message; answers how many went back in the queue (1). */
  retry(actor: string, id: number): Promise<number>;
  /** Retries every dead message; answers how many went back in the queue. */
  retryAll(actor: string): Promise<number>;
}

export function deliveryService(deps: { db: Db; clock: Clock }): DeliveryService {
  const { db } = deps;
  const now = () => deps.clock().toISOString();
  return {
    deadLetters: (page) => listDeadLetters(db, page),
    countDead: () => countDeadLetters(db),

    async retry(actor, id) {
      const at = now();
      // Only a row still dead changes: another editor (or a retry) may have got there first.
      const count = await retryDeadLetters(db, { ids: [id] }, at);
      if (count === 0) {
        const state = await outboxStateOf(db, id);
        throw new DeliveryError(
          state === undefined ? { code: "notFound", id } : { code: "notDead", id, state },
        );
      }
      await recordAudit(db, {
        actor,
        action: "delivery.retry",
        detail: { ids: [id], count },
        at,
      });
      return count;
    },

    async retryAll(actor) {
      const at = now();
      const count = await retryDeadLetters(db, {}, at);
      await recordAudit(db, { actor, action: "delivery.retry", detail: { ids: "all", count }, at });
      return count;
    },
  };
}
