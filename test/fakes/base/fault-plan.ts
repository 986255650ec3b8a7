import { seededRandom } from "./random";

export interface RandomFaults<K extends string> {
  /** Share of eligible calls that get a fault, 0–1. */
  rate: number;
  /** Default 1. */
  seed?: number;
  kinds: K[];
}

/**
 * The faults a fake injects: queues per key (a chat, or "*" for any), each entry used `times`
 * times before the next, and optionally faults at random from a seeded generator.
 */
export class FaultPlan<F, K extends string> {
  private readonly queues = new Map<string, { fault: F; remaining: number }[]>();
  private readonly random: { rate: number; kinds: K[]; next: () => number } | undefined;

  /** `build` makes the fault of a random kind for the call addressed to `key`. */
  constructor(
    random: RandomFaults<K> | undefined,
    private readonly build: (kind: K, key: string) => F | undefined,
  ) {
    if (random && random.kinds.length > 0) {
      this.random = {
        rate: random.rate,
        kinds: random.kinds,
        next: seededRandom(random.seed ?? 1),
      };
    }
  }

  add(key: string, fault: F, times = Number.POSITIVE_INFINITY): void {
    if (!(times > 0)) return;
    const queue = this.queues.get(key) ?? [];
    queue.push({ fault, remaining: times });
    this.queues.set(key, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /** Uses up one turn of the first queued fault under the first key that has one. */
  take(keys: readonly string[]): F | undefined {
    for (const key of keys) {
      const queue = this.queues.get(key);
      const entry = queue?.[0];
      if (!queue || !entry) continue;
      entry.remaining--;
      if (entry.remaining <= 0) queue.shift();
      if (queue.length === 0) this.queues.delete(key);
      return entry.fault;
    }
    return undefined;
  }

  /** A random fault for a call addressed to `key`, or undefined (no luck, or none planned). */
  roll(key: string): F | undefined {
    const r = this.random;
    if (!r || r.next() >= r.rate) return undefined;
    const kind = r.kinds[Math.floor(r.next() * r.kinds.length)] ?? r.kinds[0];
    return kind === undefined ? undefined : this.build(kind, key);
  }
}
