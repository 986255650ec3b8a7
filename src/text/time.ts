/** True when the runtime knows this IANA time zone name. */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneValidity.size > 1000) zoneValidity.clear();
  zoneValidity.set(zone, valid);
  return valid;
}

const zoneValidity = new Map<string, boolean>();

/** "7:30" or "07:30" -> minutes after midnight; null for anything else ("25:00", "7h"). */
export function parseClockTime(text: string): number | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes after midnight -> "HH:MM". */
export function formatClockTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** "2026-01-26T01:27:00.000Z" in Asia/Ho_Chi_Minh -> "2026-01-26 08:27". */
export function formatLocalDateTime(iso: string, timeZone: string): string {
  const parts = localParts(new Date(iso), timeZone);
  return `${parts.date} ${parts.time}`;
}

/**
 * A time as editors read it, the one format of the CLI and the console: the local date and time
 * in the newsroom's zone, with the zone's offset, "2026-12-05 08:00 (GMT+7)". An invalid
 * instant gives "".
 */
export function formatEditorTime(instant: Date | string, timeZone: string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return "";
  const { date, time } = localParts(at, timeZone);
  return `${date} ${time} (${zoneOffsetName(at, timeZone)})`;
}

/**
 * A time that is due at or after `now` (a feed's next check, a scheduled send), as editors read
 * it: `nowWord` ("now", "ngay bây giờ") once it is due, as a new feed is; otherwise
 * formatEditorTime.
 */
export function formatEditorDue(
  instant: string,
  timeZone: string,
  now: Date | string,
  nowWord: string,
): string {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) return "";
  return at <= new Date(now).getTime() ? nowWord : formatEditorTime(instant, timeZone);
}

/** The zone's offset at an instant as the runtime names it: "GMT+7", "GMT+5:30", "GMT+0". */
function zoneOffsetName(instant: Date, timeZone: string): string {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "shortOffset" });
    if (offsetFormatters.size > 1000) offsetFormatters.clear();
    offsetFormatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value;
  return !name || name === "GMT" ? "GMT+0" : name;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * When something happened, as readers see it everywhere (lists, digests, the story screen,
 * broadcasts): "09:15 27/01" in the reader's zone, with the year ("17:30 08/12/2023") when it is
 * not the current year there. `current` is "now" (its year is taken in the same zone) or that
 * year itself. An invalid instant gives "".
 */
export function formatReaderTime(
  instant: Date | string,
  timeZone: string,
  current: Date | number,
): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return "";
  const { date, time } = localParts(at, timeZone);
  const [year, month, day] = date.split("-");
  const thisYear =
    typeof current === "number" ? String(current) : localParts(current, timeZone).date.slice(0, 4);
  return year === thisYear ? `${time} ${day}/${month}` : `${time} ${day}/${month}/${year}`;
}

/** The local calendar date ("YYYY-MM-DD") and time ("HH:MM") of an instant in a zone. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const fields = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${fields.year}-${fields.month}-${fields.day}`,
    time: `${fields.hour}:${fields.minute}`,
  };
}

// Building a formatter is costly (~0.1 ms); one per zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    if (formatters.size > 1000) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
