/** How often feeds are checked, how failures back off, how many at once and for how long. */
export interface CheckPolicy {
  /** Minutes between checks of a healthy feed. */
  intervalMinutes: number;
  /** The longest wait after failures in a row. */
  maxBackoffMinutes: number;
  /** Feeds checked at once (FEED_CONCURRENCY); default 8. */
  concurrency?: number;
  /** One deadline for a feed check, its story pages included (FEED_DEADLINE_SECONDS); default 60. */
  deadlineSeconds?: number;
}

export const DEFAULT_FEED_CONCURRENCY = 8;
export const DEFAULT_DEADLINE_SECONDS = 60;

export const DEFAULT_CHECK_POLICY: CheckPolicy = { intervalMinutes: 15, maxBackoffMinutes: 6 * 60 };

const MINUTE = 60_000;

export function nextCheckAfterSuccess(now: Date, policy: CheckPolicy): string {
  return new Date(now.getTime() + policy.intervalMinutes * MINUTE).toISOString();
}

/** After the n-th failure in a row: interval x 2^(n-1), capped. */
export function nextCheckAfterFailure(
  now: Date,
  failuresInRow: number,
  policy: CheckPolicy,
): string {
  const exponent = Math.max(0, Math.min(failuresInRow - 1, 20));
  const minutes = Math.min(policy.intervalMinutes * 2 ** exponent, policy.maxBackoffMinutes);
  return new Date(now.getTime() + minutes * MINUTE).toISOString();
}
