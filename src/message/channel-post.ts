/**
 * One story as a post in a Telegram channel: the photo with the bold headline, the lead and a
 * "Read more" link to the story as its caption; a text message when the story has no photo.
 * The whole post fits one caption (or one message): the lead is cut to fit, never the link.
 */
import { truncate } from "../text/truncate";
import type { Catalogue } from "./i18n";
import { bold, type Line, link, type OutMessage } from "./model";
import { CAPTION_LIMIT, MESSAGE_LIMIT } from "./render/telegram-html";

export interface ChannelStory {
  title: string;
  lead: string;
  url: string;
  /** The story's photo; its own caption is not used (the post's caption is the story). */
  photo?: { url: string; caption?: string };
}

/** A headline longer than this is cut too, so a lead always has room. */
const TITLE_MAX = 300;

/** The text cut to at most `room` UTF-16 units (Telegram's measure), whole letters only. */
function fitUnits(text: string, room: number, atWordBoundary: boolean): string {
  if (room <= 1) return "";
  let max = room;
  let cut = truncate(text, max, { atWordBoundary });
  // truncate counts letters; a letter may take two units (emoji, some symbols).
  while (cut.length > room && max > 1) {
    max -= cut.length - room;
    cut = truncate(text, max, { atWordBoundary });
  }
  return cut.length > room ? "" : cut;
}

export function channelPost(story: ChannelStory, t: Catalogue): OutMessage {
  const limit = story.photo ? CAPTION_LIMIT : MESSAGE_LIMIT;
  const title = fitUnits(story.title, TITLE_MAX, true);
  const more = t.channelReadMore;
  // Lines are joined with "\n": title, blank, lead, blank, link.
  const fixed = title.length + more.length + 4;
  const lead = fitUnits(story.lead, limit - fixed, true);
  const lines: Line[] = [[bold(title)]];
  if (lead) lines.push([], [lead]);
  lines.push([], [link(more, story.url)]);
  return story.photo ? { lines, photo: { url: story.photo.url } } : { lines };
}
