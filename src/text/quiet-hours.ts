/**
 * Quiet hours: a local "HH:MM" to "HH:MM" span of the day when nothing is pushed as it happens.
 * The span may cross midnight (22:00-06:00); equal ends mean no quiet hours at all.
 */
import { formatClockTime, localParts, parseClockTime } from "./time";

export interface QuietHours {
  from: string;
  until: string;
}

/** "22:00-06:00", "22h-6h", "22:00 – 06:00" -> { from: "22:00", until: "06:00" }, or null. */
export function parseQuietHours(text: string): QuietHours | null {
  const match =
    /^\s*(\d{1,2})(?:[:h.](\d{2}))?h?\s*(?:-|–|—|đến|den|to)\s*(\d{1,2})(?:[:h.](\d{2}))?h?\s*$/i.exec(
      text.normalize("NFC"),
    );
  if (!match) return null;
  const from = parseClockTime(`${match[1]}:${match[2] ?? "00"}`);
  const until = parseClockTime(`${match[3]}:${match[4] ?? "00"}`);
  if (from === null || until === null || from === until) return null;
  return { from: formatClockTime(from), until: formatClockTime(until) };
}

/** True when quiet hours are set (their ends differ). */
export function hasQuietHours(quiet: QuietHours): boolean {
  return quiet.from !== quiet.until;
}

/** Whether `instant` falls in the quiet hours, read on the wall clock of `timeZone`. */
export function isQuietAt(instant: Date, timeZone: string, quiet: QuietHours): boolean {
  const from = parseClockTime(quiet.from);
  const until = parseClockTime(quiet.until);
  if (from === null || until === null || from === until) return false;
  const now = parseClockTime(localParts(instant, timeZone).time);
  if (now === null) return false;
  return from < until ? now >= from && now < until : now >= from || now < until;
}
