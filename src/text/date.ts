/**
 * One reader for the dates that feeds and article pages carry:
 *
 * - ISO 8601: "2026-01-26T08:27:00+07:00", "2026-01-26 08:27", "2026-01-26";
 * - RFC 822/1123/2822 and the English spellings near it: "Mon, 26 Jan 2026 08:27:00 +0700",
 *   "26 Jan 26 08:27 GMT+7", "Jan 26, 2026 08:27 UTC", with numeric or named zones;
 * - Vietnamese day-first date-times: "26/01/2026 08:27", "08:27 26/01/2026", "26.01.2026 08h27".
 *
 * A time without a zone is Vietnamese local time (UTC+7, no daylight saving). Feeds hand over a
 * field that is the date and nothing else; pages hand over datelines ("Thứ hai, 26/01/2026 - 08:27
 * (GMT+7)") in which the day-first date-time is found wherever it stands (`findInText`).
 */
import { cleanLine } from "./normalize";

export const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** Longer texts are not datelines; the limit also bounds the regular expressions' work. */
const MAX_TEXT_CHARS = 200;
/** Years outside this range are placeholders ("01 Jan 1970") or typing errors, not news. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2200;
/** How far ahead of "now" a date may be (clock skew between sites and us). */
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

export interface DateParseOptions {
  /**
   * Find a day-first date-time anywhere in the text ("Cập nhật: 08:27 26/01/2026 (GMT+7)")
   * instead of reading the whole text as one date. ISO and RFC forms must still be the whole text.
   */
  findInText?: boolean;
  /** When given, dates more than a day after this instant are refused as "future". */
  now?: Date;
}

export type DateVerdict = { kind: "ok"; iso: string } | { kind: "future" } | { kind: "none" };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Minutes east of UTC of the zone names RFC 822 knows, plus Indochina Time. */
const NAMED_ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  ICT: 420,
};

const CLOCK = String.raw`(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?`;
/** Fractions of a second are dropped. */
const ISO_CLOCK = String.raw`(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:[.,]\d+)?)?`;
const ISO = new RegExp(
  String.raw`^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})(?:[T\s]+${ISO_CLOCK}\s*(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$`,
  "i",
);
const WEEKDAY = String.raw`(?:[A-Za-z]{2,9}\b\.?,?\s*)?`;
/** "Mon, 26 Jan 2026 08:27:00 +0700": day, month name, year, time, zone. */
const DAY_MONTH_NAME = new RegExp(
  String.raw`^${WEEKDAY}(?<day>\d{1,2})[\s-]+(?<monthName>[A-Za-z]{3,9})\.?[\s-]+(?<year>\d{2,4})\s+${CLOCK}\s*(?<zone>.*)$`,
);
/** "Jan 26, 2026 08:27 UTC", "Mon Jan 26 2026 08:27:00 GMT+0700 (ICT)": month name first. */
const MONTH_NAME_DAY = new RegExp(
  String.raw`^${WEEKDAY}(?<monthName>[A-Za-z]{3,9})\.?\s+(?<day>\d{1,2}),?\s+(?<year>\d{4}),?\s+${CLOCK}\s*(?<zone>.*)$`,
);
const DAY_FIRST_DATE = String.raw`(?<day>\d{1,2})\s*[/.-]\s*(?<month>\d{1,2})\s*[/.-]\s*(?<year>\d{4})`;
const DAY_FIRST_CLOCK = String.raw`(?<hour>\d{1,2})\s*[:hg]\s*(?<minute>\d{2})(?::(?<second>\d{2}))?`;
/** "26/01/2026 08:27", "26/01/2026 | 08h27", "26.01.2026": a few filler characters between. */
const DATE_THEN_TIME = String.raw`${DAY_FIRST_DATE}(?:[^\d/]{1,16}?${DAY_FIRST_CLOCK})?`;
/** "08:27 26/01/2026", "08g27, 26-01-2026". */
const TIME_THEN_DATE = String.raw`${DAY_FIRST_CLOCK}[^\d/:]{1,16}?${DAY_FIRST_DATE}`;
const DAY_FIRST_ANYWHERE = {
  dateThenTime: new RegExp(DATE_THEN_TIME, "iu"),
  timeThenDate: new RegExp(TIME_THEN_DATE, "iu"),
};
const DAY_FIRST_WHOLE = {
  dateThenTime: new RegExp(`^(?:${DATE_THEN_TIME})$`, "iu"),
  timeThenDate: new RegExp(`^(?:${TIME_THEN_DATE})$`, "iu"),
};

type Groups = Partial<Record<string, string>>;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
}

function num(value: string | undefined): number {
  return value === undefined ? 0 : Number(value);
}

function fields(g: Groups, month: number, year: number, offset: number): Fields {
  return {
    year,
    month,
    day: num(g.day),
    hour: num(g.hour),
    minute: num(g.minute),
    second: num(g.second),
    offset,
  };
}

/** The instant the fields name, or null when any field is out of range or the day impossible. */
function toInstant(f: Fields): Date | null {
  if (f.year < MIN_YEAR || f.year > MAX_YEAR) return null;
  if (f.month < 1 || f.month > 12 || f.day < 1) return null;
  // 60 is a leap second (RFC 2822 allows it); it is read as 59.
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return null;
  if (f.day > new Date(Date.UTC(f.year, f.month, 0)).getUTCDate()) return null;
  const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, Math.min(f.second, 59));
  return new Date(local - f.offset * 60_000);
}

/** Minutes east of UTC; UTC+7 when there is no zone; null when the zone cannot be read. */
function zoneOffset(raw: string | undefined): number | null {
  const zone = (raw ?? "")
    .replace(/\s*\(.*\)$/, "")
    .trim()
    .toUpperCase();
  if (zone === "") return VIETNAM_OFFSET_MINUTES;
  const named = NAMED_ZONES[zone];
  if (named !== undefined) return named;
  const numeric = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!numeric) return null;
  const hours = num(numeric[2]);
  const minutes = num(numeric[3]);
  if (hours > 14 || minutes > 59) return null;
  return (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

function readIso(text: string): Date | null {
  const g: Groups | undefined = ISO.exec(text)?.groups;
  if (!g) return null;
  const offset = zoneOffset(g.zone);
  return offset === null ? null : toInstant(fields(g, num(g.month), num(g.year), offset));
}

function readNamedMonth(text: string): Date | null {
  const g: Groups | undefined = (DAY_MONTH_NAME.exec(text) ?? MONTH_NAME_DAY.exec(text))?.groups;
  if (!g) return null;
  const month = MONTHS[(g.monthName ?? "").slice(0, 3).toLowerCase()];
  const offset = zoneOffset(g.zone);
  if (month === undefined || offset === null) return null;
  let year = num(g.year);
  if (g.year?.length === 2) year += year < 50 ? 2000 : 1900;
  return toInstant(fields(g, month, year, offset));
}

/** The earliest day-first date-time in the text ("date time" or "time date"), unjudged. */
function matchDayFirst(text: string, whole: boolean): RegExpExecArray | null {
  const patterns = whole ? DAY_FIRST_WHOLE : DAY_FIRST_ANYWHERE;
  const dateFirst = patterns.dateThenTime.exec(text);
  const timeFirst = patterns.timeThenDate.exec(text);
  return timeFirst && (!dateFirst || timeFirst.index < dateFirst.index) ? timeFirst : dateFirst;
}

/**
 * Where the first Vietnamese day-first date-time stands in a line ("Thứ hai, 26/01/2026 08:27"
 * -> the "26/01/2026 08:27" part), valid or not; null when there is none.
 */
export function findDayFirstDateTime(text: string): { index: number; length: number } | null {
  const found = matchDayFirst(text, false);
  return found ? { index: found.index, length: found[0].length } : null;
}

function readDate(text: string, findInText: boolean): Date | null {
  const whole = readIso(text) ?? readNamedMonth(text);
  if (whole) return whole;
  // Only the earliest match counts: "25:00 26/01/2026" is a bad time, not a bare date.
  const g: Groups | undefined = matchDayFirst(text, !findInText)?.groups;
  return g ? toInstant(fields(g, num(g.month), num(g.year), VIETNAM_OFFSET_MINUTES)) : null;
}

/** Reads a date-time and says whether it is usable, too far in the future, or not a date. */
export function judgeDateTime(
  raw: string | null | undefined,
  options: DateParseOptions = {},
): DateVerdict {
  if (!raw) return { kind: "none" };
  const text = cleanLine(raw);
  if (!text || text.length > MAX_TEXT_CHARS) return { kind: "none" };
  const date = readDate(text, options.findInText ?? false);
  if (!date || Number.isNaN(date.getTime())) return { kind: "none" };
  if (options.now && date.getTime() > options.now.getTime() + MAX_AHEAD_MS) {
    return { kind: "future" };
  }
  return { kind: "ok", iso: date.toISOString() };
}

/** A date-time as ISO 8601 in UTC ("2026-01-26T01:27:00.000Z"), or null (see judgeDateTime). */
export function parseDateTime(
  raw: string | null | undefined,
  options: DateParseOptions = {},
): string | null {
  const verdict = judgeDateTime(raw, options);
  return verdict.kind === "ok" ? verdict.iso : null;
}
