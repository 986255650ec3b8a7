/** A counting semaphore per host, so one slow site is never hit by many requests at once. */
export class HostLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async acquire(host: string): Promise<() => void> {
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
      await new Promise<void>((resolve) => s.waiting.push(resolve));
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
