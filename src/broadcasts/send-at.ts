/**
 * When a scheduled broadcast goes, as an editor writes it: an ISO time with its zone
 * ("2026-12-05T10:00+07:00", "…Z"), a local date and time without one ("2026-12-05T10:00", as a
 * browser's datetime-local gives it, or "2026-12-05 10:00") in the newsroom's zone, or a bare
 * "HH:MM": the next such time there (today if it is still to come, else tomorrow).
 */
import { localParts, parseClockTime } from "../text/time";

export type SendAtVerdict =
  | { kind: "ok"; iso: string }
  | { kind: "bad" }
  | { kind: "past"; iso: string };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Minutes the zone is ahead of UTC at this instant. */
function offsetMinutes(instant: number, timeZone: string): number {
  const { date, time } = localParts(new Date(instant), timeZone);
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** A wall-clock date and time in `timeZone` as an instant (ms). */
export function zonedInstant(
  fields: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second?: number;
  },
  timeZone: string,
): number {
  const wall = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second ?? 0,
  );
  // Twice: the offset at the guess, then at the instant it gives (a change of offset between).
  let instant = wall - offsetMinutes(wall, timeZone) * 60_000;
  instant = wall - offsetMinutes(instant, timeZone) * 60_000;
  return instant;
}

/** Reads a send time; "past" when it is not after `now`. */
export function parseSendAt(text: string, timeZone: string, now: Date): SendAtVerdict {
  const raw = text.trim();
  let instant: number | null = null;
  const clock = parseClockTime(raw);
  if (clock !== null && /^\d{1,2}:\d{2}$/.test(raw)) {
    const today = localParts(now, timeZone).date.split("-").map(Number);
    const [year = 0, month = 0, day = 0] = today;
    const at = (plusDays: number) =>
      zonedInstant(
        { year, month, day: day + plusDays, hour: Math.floor(clock / 60), minute: clock % 60 },
        timeZone,
      );
    instant = at(0) > now.getTime() ? at(0) : at(1);
    if (instant <= now.getTime()) instant = at(1) + DAY_MS; // never: a day always comes after
  } else if (WITH_ZONE.test(raw)) {
    const parsed = Date.parse(raw);
    instant = Number.isNaN(parsed) ? null : parsed;
  } else {
    const m = LOCAL.exec(raw);
    if (m) {
      const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
      if (
        month !== undefined &&
        day !== undefined &&
        hour !== undefined &&
        minute !== undefined &&
        month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= 31 &&
        hour <= 23 &&
        minute <= 59
      ) {
        instant = zonedInstant(
          { year: year ?? 0, month, day, hour, minute, second: second ?? 0 },
          timeZone,
        );
        // 31/02 and the like roll over: refuse them rather than send on another day.
        if (localParts(new Date(instant), timeZone).date !== `${m[1]}-${m[2]}-${m[3]}`) {
          instant = null;
        }
      }
    }
  }
  if (instant === null || Number.isNaN(instant)) return { kind: "bad" };
  const iso = new Date(instant).toISOString();
  return instant <= now.getTime() ? { kind: "past", iso } : { kind: "ok", iso };
}
