/**
 * Keeps an admin's view of a broadcast up to date while it goes out, on every platform: it
 * polls the broadcast's status and hands each changed view to the adapter, which edits the
 * message (Telegram) or sends a summary once it is finished (Zalo, where messages can't be
 * edited).
 */
import type { Logger } from "../logging";
import type { OutMessage } from "../message/model";
import type { ChatContext } from "./context";

export interface BroadcastView {
  message: OutMessage;
  finished: boolean;
}

export type ShowProgress = (view: BroadcastView) => Promise<void>;

export class ProgressFollower {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly view: (ctx: ChatContext, broadcastId: number) => Promise<BroadcastView>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  follow(ctx: ChatContext, broadcastId: number, show: ShowProgress): void {
    let last = "";
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const view = await this.view(ctx, broadcastId);
        if (view.finished) this.drop(timer);
        const shown = JSON.stringify(view.message);
        if (shown !== last || view.finished) {
          last = shown;
          await show(view);
        }
      } catch (error) {
        this.logger.warn(
          { broadcastId, error: (error as Error).message },
          "progress update failed",
        );
      } finally {
        busy = false;
      }
    }, this.intervalMs);
    this.timers.add(timer);
  }

  /** Stops every view still being kept up to date. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }

  private drop(timer: NodeJS.Timeout): void {
    clearInterval(timer);
    this.timers.delete(timer);
  }
}
