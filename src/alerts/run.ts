/**
 * Alerts to admins: every minute (scheduler/jobs.ts) the tick gathers what is wrong (a feed
 * failing ADMIN_ALERT_FEED_FAILURES checks in a row, dead letters over ADMIN_ALERT_DEAD_LETTERS
 * within an hour, a platform's outbox behind its rate by ADMIN_ALERT_OUTBOX_LAG_MINUTES, a
 * platform refusing the bot's token), opens and clears incidents (alert-incidents.ts), and tells
 * every admin in ADMINS once when an incident opens and once when it clears, in the private chat
 * with the bot, through the outbox.
 *
 * Once, whatever runs: the incident's change and its messages are one transaction, and only the
 * statement that changed the incident enqueues, so two processes (or a restart) never tell
 * twice; the outbox keys (`alert:<key>:<opened|cleared>:<opened at>:<reader>`) hold it too.
 *
 * Who is told: the admins on platforms whose token is set and not refused (a refused token is
 * told on the other platforms). An admin's private chat is the user id on both platforms; an
 * admin who never wrote to the bot gets a reader row for it (ensureReader), so the alert is
 * tried, and Telegram's refusal ("bot can't initiate conversation") marks it blocked until the
 * admin sends /start. An admin who stopped or blocked the bot is not written to.
 */
import type { Clock } from "../clock";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { enqueue, type NewOutboxItem } from "../delivery/outbox";
import type { Logger } from "../logging";
import { toLocale } from "../message/i18n/index";
import type { RenderedPayload } from "../message/parts";
import { renderPayload } from "../message/payload";
import { listFeeds } from "../news/feeds";
import { ensureReader, type ReaderDefaults } from "../readers/readers";
import {
  type AlertDetails,
  type AlertPlatform,
  type AlertPolicy,
  DEAD_LETTER_WINDOW_MINUTES,
  type PlatformFact,
  planAlerts,
  type QueueFact,
  type StoredFacts,
  waitsTooLong,
} from "./detect";
import { type AlertIncident, clearIncident, openIncident, openIncidents } from "./incidents";
import { type AlertPhase, alertMessage } from "./message";

export type { AlertPolicy, PlatformFact } from "./detect";

export interface AlertsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  admins: readonly AdminId[];
  policy: AlertPolicy;
  /** Platforms whose tokens are set. */
  configured: readonly AlertPlatform[];
  /** Bulk sends a second per platform (TELEGRAM_RATE, ZALO_RATE). */
  rates: Record<AlertPlatform, number>;
  /** For the reader row of an admin who never wrote to the bot. */
  defaults: ReaderDefaults;
}

export interface AlertsTickResult {
  opened: string[];
  cleared: string[];
  /** Messages put in the outbox. */
  messages: number;
}

const minutesBefore = (now: string, minutes: number) =>
  new Date(Date.parse(now) - minutes * 60_000).toISOString();

/** Feeds, dead letters and due rows, as the alert rules need them. */
export async function readStoredFacts(
  db: Db,
  at: { now: string; configured: readonly AlertPlatform[] },
  policy: AlertPolicy,
  rates: Record<AlertPlatform, number>,
): Promise<StoredFacts> {
  const facts: StoredFacts = {
    feeds: (await listFeeds(db)).map((s) => ({
      id: s.id,
      url: s.url,
      // A paused feed is not checked: an editor chose that, nothing to tell.
      failuresInRow: s.pausedAt ? 0 : s.failuresInRow,
      lastError: s.lastError,
    })),
    deadLetters: new Map(),
    queues: new Map(),
    rates,
  };
  if (at.configured.length === 0) return facts;
  // A row dies at its last try, which was due at its next_attempt_at.
  const dead = await db
    .selectFrom("outbox")
    .select(["platform", (eb) => eb.fn.countAll<number>().as("n")])
    .where("state", "=", "dead")
    .where("platform", "in", [...at.configured])
    .where("next_attempt_at", ">=", minutesBefore(at.now, DEAD_LETTER_WINDOW_MINUTES))
    .groupBy("platform")
    .execute();
  for (const row of dead) facts.deadLetters.set(row.platform as AlertPlatform, Number(row.n));
  const due = await db
    .selectFrom("outbox")
    .select([
      "platform",
      (eb) => eb.fn.min("next_attempt_at").as("oldest"),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("state", "=", "pending")
    .where("platform", "in", [...at.configured])
    .where("next_attempt_at", "<=", at.now)
    .groupBy("platform")
    .execute();
  for (const row of due) {
    const queue: QueueFact = { oldestDue: row.oldest, waiting: Number(row.n), sentLately: 0 };
    // What went lately is counted only when a row waits too long (sent rows are many).
    if (waitsTooLong(queue, at.now, policy)) {
      const sent = await db
        .selectFrom("outbox")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("state", "=", "sent")
        .where("platform", "=", row.platform)
        .where("sent_at", ">=", minutesBefore(at.now, policy.outboxLagMinutes))
        .executeTakeFirst();
      queue.sentLately = Number(sent?.n ?? 0);
    }
    facts.queues.set(row.platform as AlertPlatform, queue);
  }
  return facts;
}

/**
 * One run: judges the stored facts when `stored` (this process leads the alerts job) and the
 * platforms this process serves, then opens and clears incidents and tells the admins.
 */
export async function runAlertsTick(
  deps: AlertsDeps,
  what: { stored: boolean; platforms: readonly PlatformFact[] },
): Promise<AlertsTickResult> {
  const { db, policy, configured } = deps;
  const log = deps.logger.child({ subsystem: "alerts" });
  const now = deps.clock().toISOString();
  const result: AlertsTickResult = { opened: [], cleared: [], messages: 0 };
  const stored = what.stored
    ? await readStoredFacts(db, { now, configured }, policy, deps.rates)
    : undefined;
  const plan = planAlerts(
    { now, configured, platforms: what.platforms, ...(stored ? { stored } : {}) },
    policy,
    await openIncidents(db),
  );
  for (const condition of plan.open) {
    const told = await inTransaction(db, async (trx) => {
      const incident = await openIncident(trx, { ...condition, at: now });
      if (!incident) return null; // open already (another process got there first)
      return tellAdmins(trx, deps, incident, condition.details, "opened", now);
    });
    if (told === null) continue;
    result.opened.push(condition.key);
    result.messages += told;
    log.warn({ key: condition.key, details: condition.details, told }, "alert opened");
  }
  for (const { incident, tell } of plan.clear) {
    const told = await inTransaction(db, async (trx) => {
      const cleared = await clearIncident(trx, incident.key, now);
      if (!cleared) return null;
      if (!tell) return 0;
      return tellAdmins(trx, deps, cleared, cleared.details as AlertDetails, "cleared", now);
    });
    if (told === null) continue;
    result.cleared.push(incident.key);
    result.messages += told;
    log.info({ key: incident.key, told }, "alert cleared");
  }
  return result;
}

/** Puts one message per admin who can be told in the outbox; returns how many. */
async function tellAdmins(
  db: Db,
  deps: AlertsDeps,
  incident: AlertIncident,
  details: AlertDetails,
  phase: AlertPhase,
  now: string,
): Promise<number> {
  const refused = new Set(
    (await openIncidents(db))
      .filter((i) => i.kind === "token")
      .map((i) => i.details.platform as string),
  );
  const renderings = new Map<string, RenderedPayload>();
  const rows: NewOutboxItem[] = [];
  for (const admin of deps.admins) {
    if (!deps.configured.includes(admin.platform) || refused.has(admin.platform)) continue;
    const reader = await ensureReader(
      db,
      { platform: admin.platform, chatId: admin.userId, chatType: "private" },
      deps.defaults,
      now,
    );
    if (reader.status !== "active") continue; // stopped or blocked the bot: not written to
    const locale = toLocale(reader.locale);
    const renderKey = `${reader.platform}|${locale}`;
    let payload = renderings.get(renderKey);
    if (!payload) {
      payload = renderPayload(reader.platform, alertMessage(details, phase, locale), locale);
      renderings.set(renderKey, payload);
    }
    rows.push({
      idempotencyKey: `alert:${incident.key}:${phase}:${incident.openedAt}:${reader.id}`,
      readerId: reader.id,
      platform: reader.platform,
      kind: "alert",
      payload,
      nextAttemptAt: now,
    });
  }
  return rows.length === 0 ? 0 : enqueue(db, rows);
}

/** The short reason of a platform's failure line: "(401 Unauthorized)" in it, or all of it. */
export function refusalReason(failure: string): string {
  return /\((\d{3}\b[^)]*)\)/.exec(failure)?.[1] ?? failure;
}
