/**
 * The incidents told to the admins (table `alert_incidents`): one row per incident key, open
 * while `cleared_at` is null. Opening and clearing are each one conditional statement, so of two
 * processes (or two ticks) that see the same change, exactly one wins and tells the admins.
 */
import type { Db } from "../db/schema";
import type { AlertIncidentRow } from "../db/tables/alerts";

export type AlertKind = "feed" | "dead" | "lag" | "token";

export interface AlertIncident {
  key: string;
  kind: AlertKind;
  openedAt: string;
  clearedAt: string | null;
  /** What was seen when it opened (see alert-detect.ts). */
  details: Record<string, unknown>;
}

function toIncident(row: AlertIncidentRow): AlertIncident {
  return {
    key: row.key,
    kind: row.kind as AlertKind,
    openedAt: row.opened_at,
    clearedAt: row.cleared_at,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The incidents open now, oldest first. */
export async function openIncidents(db: Db): Promise<AlertIncident[]> {
  const rows = await db
    .selectFrom("alert_incidents")
    .selectAll()
    .where("cleared_at", "is", null)
    .orderBy("opened_at")
    .orderBy("key")
    .execute();
  return rows.map(toIncident);
}

export async function findIncident(db: Db, key: string): Promise<AlertIncident | undefined> {
  const row = await db
    .selectFrom("alert_incidents")
    .selectAll()
    .where("key", "=", key)
    .executeTakeFirst();
  return row && toIncident(row);
}

/**
 * Opens an incident unless it is open already (a key seen before and cleared opens again).
 * Returns the incident when this call opened it, undefined when it was open.
 */
export async function openIncident(
  db: Db,
  incident: { key: string; kind: AlertKind; details: Record<string, unknown>; at: string },
): Promise<AlertIncident | undefined> {
  const details = JSON.stringify(incident.details);
  const inserted = await db
    .insertInto("alert_incidents")
    .values({
      key: incident.key,
      kind: incident.kind,
      opened_at: incident.at,
      details,
      updated_at: incident.at,
    })
    .onConflict((oc) => oc.column("key").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return toIncident(inserted);
  // Checked again on the row itself: of two reopenings, the second finds it open and does nothing.
  const reopened = await db
    .updateTable("alert_incidents")
    .set({ opened_at: incident.at, cleared_at: null, details, updated_at: incident.at })
    .where("key", "=", incident.key)
    .where("cleared_at", "is not", null)
    .returningAll()
    .executeTakeFirst();
  return reopened && toIncident(reopened);
}

/** Clears an open incident. Returns it, cleared, when this call cleared it. */
export async function clearIncident(
  db: Db,
  key: string,
  at: string,
): Promise<AlertIncident | undefined> {
  const row = await db
    .updateTable("alert_incidents")
    .set({ cleared_at: at, updated_at: at })
    .where("key", "=", key)
    .where("cleared_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  return row && toIncident(row);
}
