/**
 * Webhook updates at a steady rate from many chats, as Telegram delivers them: each "/trogiup" is
 * POSTed to one of the processes (round robin, as a load balancer would) and, until one answers
 * 200, tried again a moment later at the next (Telegram retries what was not acknowledged).
 */
import { postRaw, type RunningBot } from "../processes";
import { telegramHeaders } from "../telegram-harness";
import { chatOf } from "./plan";

export class WebhookUpdates {
  /** Updates acknowledged (200) per chat: each must be answered once. */
  readonly accepted = new Map<string, number>();
  /** POSTs refused or unanswered (retried): the faults seen from outside. */
  refused = 0;
  private next = 0;
  private updateId = 1;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bots: () => RunningBot[],
    private readonly readers: number,
  ) {}

  /** Starts sending `perSecond` updates a second. */
  start(perSecond: number): void {
    let sent = 0;
    const started = Date.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) * perSecond) / 1000);
      for (; sent < due; sent++) {
        const done = this.deliver(this.chatFor(sent)).finally(() => this.inFlight.delete(done));
        this.inFlight.add(done);
      }
    }, 50);
  }

  /** Stops sending new updates; resolves once every one sent so far is acknowledged. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  /** Spreads updates over many chats (a stride through the readers). */
  private chatFor(n: number): string {
    return chatOf((n * 7_919) % this.readers);
  }

  private async deliver(chat: string): Promise<void> {
    const id = this.updateId++;
    const update = {
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(chat), type: "private", first_name: "Độc giả" },
        from: { id: Number(chat), is_bot: false, first_name: "Độc giả", language_code: "vi" },
        text: "/trogiup",
        entities: [{ type: "bot_command", offset: 0, length: 8 }],
      },
    };
    const body = JSON.stringify(update);
    for (;;) {
      const bots = this.bots();
      const bot = bots[this.next++ % bots.length] as RunningBot;
      const answer = await postRaw(`${bot.url}/telegram/webhook`, body, telegramHeaders).catch(
        () => ({ status: 0 }),
      );
      if (answer.status === 200) break;
      this.refused++;
      await new Promise((r) => setTimeout(r, 500));
    }
    this.accepted.set(chat, (this.accepted.get(chat) ?? 0) + 1);
  }
}
