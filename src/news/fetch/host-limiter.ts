/** A counting semaphore per host, so one slow site is never hit by many requests at once. */
export class HostLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  /** Waits for a slot; an aborted `signal` stops the wait with the signal's reason. */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    let slot = this.slots.get(host);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(host, slot);
    }
    const s = slot;
    if (s.active < this.limit) {
      s.active++;
    } else {
      // The releaser hands its slot over directly, so `active` stays the same.
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = s.waiting.indexOf(granted);
          if (index >= 0) s.waiting.splice(index, 1);
          reject(signal?.reason);
        };
        const granted = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        s.waiting.push(granted);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      if (next) {
        next();
        return;
      }
      s.active--;
      if (s.active === 0) this.slots.delete(host);
    };
  }
}
