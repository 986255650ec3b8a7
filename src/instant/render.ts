/**
 * Messages of stories as they happen. Pure. A reader gets one message of the stories waiting,
 * numbered (newest first) with a read button each, like the digest's lists. (A Telegram channel
 * gets one post per story instead: message/channel-post.ts.)
 */
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
import { formatReaderTime } from "../text/time";

export interface InstantStory {
  id: number;
  title: string;
  url: string;
  lead: string;
  /** ISO instant. */
  publishedAt: string;
  photo?: { url: string; caption?: string };
  /** The reader's keyword follows that matched it, as they typed them (none: a topic did). */
  keywords?: string[];
}

const BUTTONS_PER_ROW = 5;

/** One message of the stories waiting for a reader, newest first. */
export function instantMessage(
  stories: InstantStory[],
  options: { locale: Locale; timeZone: string; now: Date },
): OutMessage {
  const t = catalogue(options.locale);
  const lines: Line[] = [[bold(t.instantTitle)]];
  const buttons: ActionButton[] = [];
  const newestFirst = [...stories].sort(
    (a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || b.id - a.id,
  );
  newestFirst.forEach((story, i) => {
    const n = i + 1;
    const line: Line = [`${n}. `, link(oneLine(story.title) || story.url, story.url)];
    const time = formatReaderTime(story.publishedAt, options.timeZone, options.now);
    if (time) line.push(" · ", italic(time));
    lines.push([], line);
    if (story.keywords?.length) lines.push([italic(t.instantFollowMatched(story.keywords))]);
    buttons.push({
      label: `📖 ${t.readButton} ${n}`,
      action: { kind: "read", articleId: story.id },
      item: n,
    });
  });
  const rows: ActionButton[][] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  }
  return { lines, buttons: rows };
}
