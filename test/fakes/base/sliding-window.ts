/** A rate limit: at most `limit` events in any `windowMs`. */
export class SlidingWindow {
  private times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until one more event fits; 0 when it fits now. */
  waitMs(now: number): number {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) this.times.splice(0, drop);
    if (this.times.length < this.limit) return 0;
    return (this.times[this.times.length - this.limit] ?? now) + this.windowMs - now;
  }

  /** True when one more event fits now. */
  fits(now: number): boolean {
    return this.waitMs(now) === 0;
  }

  add(now: number): void {
    this.times.push(now);
  }
}
