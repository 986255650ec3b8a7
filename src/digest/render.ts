/**
 * A composed digest as a platform-neutral message: a dated title naming the newsroom, then per
 * topic its newest stories as numbered links with their local time ("09:15 27/01", the year
 * added for another year's story), and a "more" hint; one read button per shown
 * story, numbered like the text. Each channel renders it in its own idiom.
 */
import { DEFAULT_NEWSROOM_NAME } from "../config";
import { catalogue, type Locale } from "../message/i18n";
import {
  type ActionButton,
  bold,
  italic,
  type Line,
  link,
  type OutMessage,
} from "../message/model";
import { oneLine } from "../text/normalize";
import { formatReaderTime, isValidTimeZone } from "../text/time";
import type { Digest } from "./compose";

/** Telegram allows at most 100 buttons on one message. */
export const MAX_DIGEST_BUTTONS = 100;
export const BUTTONS_PER_ROW = 5;

/** The "latest in one topic" command as readers of each language know it. */
const LATEST_COMMAND: Record<Locale, string> = { vi: "/moi", en: "/latest" };

/** "2026-01-27" -> "27/01". */
function dayMonth(localDate: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) throw new RangeError(`Invalid local date (want YYYY-MM-DD): ${localDate}`);
  return `${match[2]}/${match[1]}`;
}

// A slot renders the same stories for many readers: each story's time is formatted once per
// zone and year (Intl formatting costs a few microseconds, times tens of thousands of lines).
const storyTimes = new Map<string, string>();

function storyTime(publishedAt: string, timeZone: string, year: number): string {
  const key = `${timeZone}|${year}|${publishedAt}`;
  let time = storyTimes.get(key);
  if (time === undefined) {
    time = formatReaderTime(publishedAt, timeZone, year);
    if (storyTimes.size >= 10_000) storyTimes.clear();
    storyTimes.set(key, time);
  }
  return time;
}

export function digestMessage(
  digest: Digest,
  options: {
    locale: Locale;
    timeZone: string;
    localDate: string;
    newsroom?: string;
    /** Whether readers can type commands there (false for a channel: no "more: /moi …"). */
    withCommands?: boolean;
    /** The "Most read" line (DIGEST_MOST_READ): the most-read stories, as links. */
    mostRead?: { title: string; url: string }[];
  },
): OutMessage {
  const { locale, timeZone, localDate } = options;
  const newsroom = options.newsroom ?? DEFAULT_NEWSROOM_NAME;
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
  }
  const t = catalogue(locale);
  const lines: Line[] = [[bold(oneLine(t.digestDailyTitle(dayMonth(localDate), newsroom)))]];
  // Local publication time as readers see it everywhere; the year when it is not this one.
  const year = Number(localDate.slice(0, 4));
  const buttons: ActionButton[] = [];

  const pinned = digest.pinned ?? [];
  if (digest.sections.length === 0 && pinned.length === 0) {
    lines.push([], [t.digestEmpty]);
  }

  let n = 0;
  const groups = [
    ...(pinned.length > 0
      ? [{ name: `📌 ${t.digestPinned}`, stories: pinned, more: 0, slug: "" }]
      : []),
    ...digest.sections.map((section) => ({
      name: oneLine(section.topic.name[locale]) || section.topic.slug,
      stories: section.stories,
      more: section.more,
      slug: section.topic.slug,
    })),
  ];
  for (const section of groups) {
    lines.push([], [bold(section.name)]);
    for (const story of section.stories) {
      n++;
      const title = oneLine(story.title) || story.url;
      const line: Line = [`${n}. `, link(title, story.url)];
      const time = storyTime(story.publishedAt, timeZone, year);
      if (time) line.push(" · ", italic(time));
      lines.push(line);
      if (n <= MAX_DIGEST_BUTTONS) {
        buttons.push({ label: `📖 ${n}`, action: { kind: "read", articleId: story.id }, item: n });
      }
    }
    if (section.more > 0 && options.withCommands !== false) {
      lines.push([t.digestMore(section.more, `${LATEST_COMMAND[locale]} ${section.slug}`)]);
    }
  }

  if (options.mostRead?.length) {
    const most: Line = [bold(`🔥 ${t.digestMostRead}: `)];
    options.mostRead.forEach((story, i) => {
      if (i > 0) most.push(" · ");
      most.push(link(oneLine(story.title) || story.url, story.url));
    });
    lines.push([], most);
  }

  const rows: ActionButton[][] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  }
  return rows.length > 0 ? { lines, buttons: rows } : { lines };
}
