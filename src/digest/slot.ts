/**
 * When a reader's daily digest is due. Pure: the reader's zone, digest time and last served
 * local date go in, the slot to serve now (or null) comes out. The scheduler only asks.
 *
 * A slot is the reader's digest time on a local calendar date, in the reader's zone. At most one
 * slot per local date is served; after downtime only today's slot is served (one catch-up digest,
 * never one per missed day).
 */
import { isValidTimeZone, parseClockTime } from "../text/time";

export interface SlotReader {
  id: number;
  /** IANA zone name, e.g. "Asia/Ho_Chi_Minh". */
  timeZone: string;
  /** "HH:MM" (local wall-clock time). */
  digestTime: string;
  /** Local "YYYY-MM-DD" of the last slot served, or null if never served. */
  lastDigestDate: string | null;
  /** ISO UTC instant the reader registered. */
  createdAt: string;
}

export interface DigestSlot {
  /** Local "YYYY-MM-DD" the slot belongs to. */
  localDate: string;
  /** ISO UTC instant of the digest time on localDate in the reader's zone. */
  slotAt: string;
}

const SECOND = 1000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function checkZone(timeZone: string): void {
  if (!formatters.has(timeZone) && !isValidTimeZone(timeZone)) {
    throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    checkZone(timeZone);
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall-clock reading of an instant (ms, truncated to whole seconds) in a zone, expressed as
 * milliseconds of the same reading taken as UTC.
 */
// The same few instants are read for every reader of a tick: remember the last readings.
const wallCache = new Map<string, number>();

function wallClock(ms: number, timeZone: string): number {
  const key = `${timeZone}|${ms}`;
  const cached = wallCache.get(key);
  if (cached !== undefined) return cached;
  const wall = readWallClock(ms, timeZone);
  if (wallCache.size > 10_000) wallCache.clear();
  wallCache.set(key, wall);
  return wall;
}

function readWallClock(ms: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) fields[p.type] = p.value;
  let year = Number(fields.year);
  if (fields.era === "BC" || fields.era === "B") year = 1 - year;
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(fields.month) - 1, Number(fields.day));
  wall.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  return wall.getTime();
}

function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

/** Zone offset (wall clock minus UTC) at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const at = floorSecond(ms);
  return wallClock(at, timeZone) - at;
}

/** "YYYY-MM-DD" of a wall-clock value (ms of the reading taken as UTC). */
function wallDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** The local calendar date ("YYYY-MM-DD") of an instant in a zone. */
export function localDateAt(instant: Date, timeZone: string): string {
  return wallDate(wallClock(floorSecond(instant.getTime()), timeZone));
}

function parseLocalDate(localDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Invalid local date (want YYYY-MM-DD): ${JSON.stringify(localDate)}`);
}

/**
 * The UTC instant at which a zone's wall clock reads `time` ("HH:MM") on `localDate`
 * ("YYYY-MM-DD"). In a spring-forward gap (the reading never happens) this is the first instant
 * after the gap, i.e. the moment of the transition; in a fall-back overlap (the reading happens
 * twice) it is the first, earlier, occurrence.
 */
export function localSlotInstant(localDate: string, time: string, timeZone: string): Date {
  const key = `${timeZone}|${localDate}|${time}`;
  let ms = slotCache.get(key);
  if (ms === undefined) {
    ms = computeSlot(localDate, time, timeZone);
    if (slotCache.size >= SLOT_CACHE_SIZE) slotCache.clear();
    slotCache.set(key, ms);
  }
  return new Date(ms);
}

/** Readers share zones and digest times, and a tick asks about the same few days: memoise. */
const SLOT_CACHE_SIZE = 10_000;
const slotCache = new Map<string, number>();

function computeSlot(localDate: string, time: string, timeZone: string): number {
  checkZone(timeZone);
  const { year, month, day } = parseLocalDate(localDate);
  const minutes = parseClockTime(time);
  if (minutes === null) {
    throw new RangeError(`Invalid digest time (want HH:MM): ${JSON.stringify(time)}`);
  }
  const target = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);

  // Offsets in force well before and well after the target, refined once each. Real offsets stay
  // within ±1 day, so these bracket every transition near the target.
  const offsets = new Set<number>();
  for (const probe of [target - DAY, target + DAY]) {
    const o = offsetAt(probe, timeZone);
    offsets.add(o);
    offsets.add(offsetAt(target - o, timeZone));
  }

  let best: number | null = null;
  for (const o of offsets) {
    const candidate = target - o;
    if (wallClock(candidate, timeZone) === target && (best === null || candidate < best)) {
      best = candidate;
    }
  }
  if (best !== null) return best;

  // A gap: the wall clock jumps over the target. Find the first instant whose reading is past it.
  let lo = floorSecond(target - Math.max(...offsets));
  let hi = floorSecond(target - Math.min(...offsets));
  if (!(wallClock(lo, timeZone) < target && wallClock(hi, timeZone) > target)) {
    throw new Error(`Cannot place ${localDate} ${time} in ${timeZone}`);
  }
  while (hi - lo > SECOND) {
    const mid = floorSecond(lo + (hi - lo) / 2);
    if (wallClock(mid, timeZone) > target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function parseInstant(iso: string, what: string): number {
  // Stored instants end in "Z" (checked once per reader of a tick: the common case goes first).
  if (iso.endsWith("Z")) {
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) return ms;
  }
  // Accept SQLite's "YYYY-MM-DD HH:MM:SS" too, which is UTC but carries no zone designator.
  const text = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)
    ? `${iso.replace(" ", "T")}Z`
    : iso;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid ${what}: ${JSON.stringify(iso)}`);
  return ms;
}

/**
 * The slot to serve this reader now, or null. With D the reader's local date at `now`, the slot
 * of D is due when its instant has passed, no slot of D (or later) was served yet, and the reader
 * registered before it (someone who registers after today's digest time waits for tomorrow's).
 */
export function dueSlot(reader: SlotReader, now: Date): DigestSlot | null {
  return dueSlotsAt(now)(reader);
}

/**
 * `dueSlot` for many readers at one `now`: the local date and slot instant are worked out once
 * per zone and digest time, not once per reader (a digest tick asks about millions).
 */
export function dueSlotsAt(now: Date): (reader: SlotReader) => DigestSlot | null {
  const judge = slotVerdictsAt(now);
  return (reader) => {
    const verdict = judge(reader);
    return verdict?.due ? verdict.slot : null;
  };
}

/**
 * Today's slot, where it has passed and was not served yet: due, or not for this reader, who
 * signed up at or after it (their first digest is tomorrow's).
 */
export type SlotVerdict = { slot: DigestSlot; due: boolean };

/**
 * `dueSlotsAt`, telling also the readers who signed up after today's slot had passed; null
 * when there is nothing to say (served already, or the slot is still to come).
 */
export function slotVerdictsAt(now: Date): (reader: SlotReader) => SlotVerdict | null {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("Invalid `now`");
  const slots = new Map<string, ZoneSlot>();
  // Readers come grouped by zone and time: the last one's slot is most often this one's.
  let last: { timeZone: string; digestTime: string; slot: ZoneSlot } | undefined;
  const slotOf = (reader: SlotReader): ZoneSlot => {
    if (last && last.timeZone === reader.timeZone && last.digestTime === reader.digestTime) {
      return last.slot;
    }
    const key = `${reader.timeZone}|${reader.digestTime}`;
    let slot = slots.get(key);
    if (!slot) {
      checkZone(reader.timeZone);
      const localDate = localDateAt(now, reader.timeZone);
      const at = localSlotInstant(localDate, reader.digestTime, reader.timeZone);
      const slotAt = at.toISOString();
      const due = Object.freeze({ localDate, slotAt });
      slot = {
        slotMs: at.getTime(),
        due,
        verdicts: {
          due: Object.freeze({ slot: due, due: true }),
          late: Object.freeze({ slot: due, due: false }),
        },
      };
      slots.set(key, slot);
    }
    last = { timeZone: reader.timeZone, digestTime: reader.digestTime, slot };
    return slot;
  };
  return (reader) => {
    const slot = slotOf(reader);
    if (reader.lastDigestDate !== null && reader.lastDigestDate >= slot.due.localDate) return null;
    if (slot.slotMs > nowMs) return null;
    return registeredBy(reader.createdAt, slot) < 0 ? slot.verdicts.due : slot.verdicts.late;
  };
}

interface ZoneSlot {
  slotMs: number;
  /** What dueSlot answers: one object for every reader of the slot. */
  due: DigestSlot;
  /** What slotVerdictsAt answers, likewise shared. */
  verdicts: { due: SlotVerdict; late: SlotVerdict };
}

/** Compares a sign-up instant with a slot's: < 0 before it, else at or after it. */
function registeredBy(createdAt: string, slot: ZoneSlot): number {
  // Stored instants are canonical (toISOString): as text they sort as in time, no parsing.
  if (createdAt.length === 24 && createdAt[10] === "T" && createdAt[23] === "Z") {
    return createdAt < slot.due.slotAt ? -1 : 0;
  }
  return parseInstant(createdAt, "createdAt") - slot.slotMs;
}
