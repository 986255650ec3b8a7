/**
 * What is wrong now, and what that changes (pure): from the facts a tick gathers (feeds' health,
 * dead letters and due rows per platform, this process's platforms) and the incidents open, which
 * incidents open and which clear. No database, no clock: the tick passes "now" in.
 */
import type { AlertIncident, AlertKind } from "./incidents";

export type AlertPlatform = "telegram" | "zalo";

/** What an incident says, stored with it when it opens (and read back to tell its clearing). */
export type AlertDetails =
  | { kind: "feed"; feedId: number; url: string; failures: number; lastError: string | null }
  | { kind: "dead"; platform: AlertPlatform; count: number; windowMinutes: number }
  | { kind: "lag"; platform: AlertPlatform; minutes: number; waiting: number }
  | { kind: "token"; platform: AlertPlatform; reason: string };

/** Something wrong now, under its incident key. */
export interface AlertCondition {
  key: string;
  kind: AlertKind;
  details: AlertDetails;
}

export interface AlertPolicy {
  /** Failed checks in a row before a feed is an incident (ADMIN_ALERT_FEED_FAILURES). */
  feedFailures: number;
  /** Dead letters of one platform within DEAD_LETTER_WINDOW_MINUTES (ADMIN_ALERT_DEAD_LETTERS). */
  deadLetters: number;
  /** Minutes the oldest due row of a platform may wait (ADMIN_ALERT_OUTBOX_LAG_MINUTES). */
  outboxLagMinutes: number;
}

/** Dead letters are counted over the last hour. */
export const DEAD_LETTER_WINDOW_MINUTES = 60;

/**
 * A platform is behind its rate when, besides a row waiting too long, fewer messages went in the
 * lag window than this share of what its rate allows: a long broadcast sent at full rate is not
 * an incident, a sender that stalls or is throttled is.
 */
export const BEHIND_RATE_SHARE = 0.5;

export interface FeedFact {
  id: number;
  url: string;
  failuresInRow: number;
  lastError: string | null;
}

/** The due rows of a platform: the oldest one's due time, how many, how many went lately. */
export interface QueueFact {
  oldestDue: string;
  waiting: number;
  /** Messages sent in the last `outboxLagMinutes` (only asked when a row waits too long). */
  sentLately: number;
}

/** What the database says; only the process leading the alerts job reads it. */
export interface StoredFacts {
  feeds: FeedFact[];
  /** Dead letters per platform within the window. */
  deadLetters: Map<AlertPlatform, number>;
  /** Platforms with rows due; absent: nothing due. */
  queues: Map<AlertPlatform, QueueFact>;
  /** Bulk sends a second per platform (TELEGRAM_RATE, ZALO_RATE). */
  rates: Record<AlertPlatform, number>;
}

/** One of the platforms this process serves: refused (and why), or running since. */
export interface PlatformFact {
  platform: AlertPlatform;
  refused: string | null;
  /** When this process started serving it (null: not started, or not yet). */
  startedAt: string | null;
}

export interface AlertFacts {
  now: string;
  /** Platforms whose tokens are set. */
  configured: readonly AlertPlatform[];
  /** Absent when this process does not judge the stored facts this tick (another one leads). */
  stored?: StoredFacts;
  /** The platforms this process serves; those it does not are judged elsewhere. */
  platforms: readonly PlatformFact[];
}

export interface AlertPlan {
  open: AlertCondition[];
  /** Incidents that cleared; `tell: false` when there is nothing to tell (a feed removed). */
  clear: { incident: AlertIncident; tell: boolean }[];
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

export function feedConditions(feeds: readonly FeedFact[], policy: AlertPolicy) {
  return feeds
    .filter((s) => s.failuresInRow >= policy.feedFailures)
    .map(
      (s): AlertCondition => ({
        key: `feed:${s.id}`,
        kind: "feed",
        details: {
          kind: "feed",
          feedId: s.id,
          url: s.url,
          failures: s.failuresInRow,
          lastError: s.lastError,
        },
      }),
    );
}

export function deadLetterConditions(
  deadLetters: ReadonlyMap<AlertPlatform, number>,
  configured: readonly AlertPlatform[],
  policy: AlertPolicy,
): AlertCondition[] {
  return configured.flatMap((platform) => {
    const count = deadLetters.get(platform) ?? 0;
    if (count < policy.deadLetters) return [];
    return [
      {
        key: `dead:${platform}`,
        kind: "dead" as const,
        details: { kind: "dead", platform, count, windowMinutes: DEAD_LETTER_WINDOW_MINUTES },
      },
    ];
  });
}

/** How long the oldest due row of a platform has waited, in whole minutes (0: none due). */
export function minutesBehind(queue: QueueFact | undefined, now: string): number {
  return queue ? Math.max(0, Math.floor(minutesBetween(queue.oldestDue, now))) : 0;
}

/** Whether a row waits too long: the first half of "behind its rate" (the cheap one). */
export function waitsTooLong(queue: QueueFact | undefined, now: string, policy: AlertPolicy) {
  return minutesBehind(queue, now) >= policy.outboxLagMinutes;
}

export function lagConditions(
  facts: { now: string; configured: readonly AlertPlatform[]; stored: StoredFacts },
  policy: AlertPolicy,
): AlertCondition[] {
  return facts.configured.flatMap((platform) => {
    const queue = facts.stored.queues.get(platform);
    if (!queue || !waitsTooLong(queue, facts.now, policy)) return [];
    const allowed = facts.stored.rates[platform] * policy.outboxLagMinutes * 60;
    if (queue.sentLately >= allowed * BEHIND_RATE_SHARE) return []; // busy at its rate
    return [
      {
        key: `lag:${platform}`,
        kind: "lag" as const,
        details: {
          kind: "lag",
          platform,
          minutes: minutesBehind(queue, facts.now),
          waiting: queue.waiting,
        },
      },
    ];
  });
}

export function tokenConditions(platforms: readonly PlatformFact[]): AlertCondition[] {
  return platforms.flatMap((c) =>
    c.refused
      ? [
          {
            key: `token:${c.platform}`,
            kind: "token" as const,
            details: { kind: "token", platform: c.platform, reason: c.refused },
          },
        ]
      : [],
  );
}

const platformOf = (incident: AlertIncident) =>
  incident.details.platform as AlertPlatform | undefined;

/**
 * Whether an open incident has cleared, stays, or is not this tick's to judge:
 * - a feed clears when its last check read it (no failure in a row); one removed clears untold;
 * - dead letters clear below the threshold, a queue when its oldest due row waits less than the
 *   lag (caught up, whatever its pace);
 * - a refused token clears when this process started serving the platform after the incident opened (the
 *   token was changed and bantin restarted); a platform served since before proves
 *   nothing, and a process that does not serve it cannot judge it;
 * - an incident of a platform no longer configured clears untold.
 */
function judge(
  incident: AlertIncident,
  facts: AlertFacts,
  policy: AlertPolicy,
  wrong: ReadonlySet<string>,
): "keep" | "clear" | "clear untold" | "not mine" {
  const platform = platformOf(incident);
  if (incident.kind === "token") {
    if (platform && !facts.configured.includes(platform)) return "clear untold";
    const served = facts.platforms.find((c) => c.platform === platform);
    if (!served) return "not mine";
    if (served.refused) return "keep";
    return served.startedAt && served.startedAt > incident.openedAt ? "clear" : "keep";
  }
  const stored = facts.stored;
  if (!stored) return "not mine";
  if (incident.kind === "feed") {
    // The key names the feed ("feed:12"); details written before 2026-12 say sourceId.
    const id = Number(incident.key.slice("feed:".length));
    const feed = stored.feeds.find((s) => s.id === id);
    if (!feed) return "clear untold";
    return feed.failuresInRow === 0 ? "clear" : "keep";
  }
  if (platform && !facts.configured.includes(platform)) return "clear untold";
  if (incident.kind === "lag") {
    return platform && waitsTooLong(stored.queues.get(platform), facts.now, policy)
      ? "keep"
      : "clear";
  }
  return wrong.has(incident.key) ? "keep" : "clear";
}

/** The incidents to open and to clear, token incidents first (they decide who can be told). */
export function planAlerts(
  facts: AlertFacts,
  policy: AlertPolicy,
  open: readonly AlertIncident[],
): AlertPlan {
  const conditions = [
    ...tokenConditions(facts.platforms),
    ...(facts.stored
      ? [
          ...feedConditions(facts.stored.feeds, policy),
          ...deadLetterConditions(facts.stored.deadLetters, facts.configured, policy),
          ...lagConditions({ ...facts, stored: facts.stored }, policy),
        ]
      : []),
  ];
  const openKeys = new Set(open.map((i) => i.key));
  const wrong = new Set(conditions.map((c) => c.key));
  const clear: AlertPlan["clear"] = [];
  for (const incident of open) {
    const verdict = judge(incident, facts, policy, wrong);
    if (verdict === "clear" || verdict === "clear untold") {
      clear.push({ incident, tell: verdict === "clear" });
    }
  }
  const first = (kind: AlertKind) => (kind === "token" ? 0 : 1);
  return {
    open: conditions
      .filter((c) => !openKeys.has(c.key))
      .sort((a, b) => first(a.kind) - first(b.kind)),
    clear: clear.sort((a, b) => first(a.incident.kind) - first(b.incident.kind)),
  };
}
