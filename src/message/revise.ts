/**
 * A message already sent, revised after the fact (Telegram lets a bot edit its own messages): a
 * retracted story is struck from a list it was in, with a short "(đã gỡ)" beside it and its read
 * button gone; a story whose headline changed at its source gets the new one. Pure: it works on
 * the stored rendering (HTML parts), so any list that links a story by its address (a digest,
 * news as it happens) is revised the same way, without composing it again.
 */
import { escapeHtml, escapeHtmlAttribute } from "../text/html";
import { oneLine } from "../text/normalize";
import { decodeAction } from "./actions";
import { catalogue, type Locale } from "./i18n";
import type { PayloadButton, RenderedPart, RenderedPayload } from "./parts";

export interface RevisedStory {
  id: number;
  url: string;
  /** The headline as it is now. */
  title: string;
  retracted: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The story's read button, by its action. */
function opensStory(button: PayloadButton, id: number): boolean {
  if (!("data" in button)) return false;
  const action = decodeAction(button.data);
  return action?.kind === "read" && action.articleId === id;
}

function reviseHtml(html: string, stories: RevisedStory[], mark: string): string {
  let out = html;
  for (const story of stories) {
    const link = new RegExp(
      `<a href="${escapeRegExp(escapeHtmlAttribute(story.url))}">(.*?)</a>`,
      "g",
    );
    out = out.replace(link, (whole, text: string) => {
      if (story.retracted) return `<s>${text}</s> <i>${escapeHtml(mark)}</i>`;
      const title = oneLine(story.title);
      return title ? `<a href="${escapeHtmlAttribute(story.url)}">${escapeHtml(title)}</a>` : whole;
    });
  }
  return out;
}

function reviseButtons(
  buttons: PayloadButton[][] | undefined,
  retracted: number[],
): PayloadButton[][] | undefined {
  if (!buttons) return undefined;
  const rows = buttons
    .map((row) => row.filter((b) => !retracted.some((id) => opensStory(b, id))))
    .filter((row) => row.length > 0);
  return rows.length > 0 ? rows : undefined;
}

function revisePart(part: RenderedPart, stories: RevisedStory[], mark: string): RenderedPart {
  if (part.format !== "html") return part;
  const retracted = stories.filter((s) => s.retracted).map((s) => s.id);
  const withButtons = <T extends { buttons?: PayloadButton[][] }>(p: T): T => {
    const buttons = reviseButtons(p.buttons, retracted);
    const { buttons: _old, ...rest } = p;
    return (buttons ? { ...rest, buttons } : rest) as T;
  };
  switch (part.kind) {
    case "text":
      return withButtons({ ...part, text: reviseHtml(part.text, stories, mark) });
    case "photo":
      return withButtons({ ...part, caption: reviseHtml(part.caption, stories, mark) });
    case "album":
      return {
        ...part,
        photos: part.photos.map((p) => ({ ...p, caption: reviseHtml(p.caption, stories, mark) })),
      };
    case "media":
      return withButtons(part);
  }
}

/**
 * The payload as it should read now: each retracted story struck with its mark (in `locale`),
 * its read button removed; each other story's link showing its current headline.
 */
export function revisePayload(
  payload: RenderedPayload,
  stories: RevisedStory[],
  locale: Locale,
): RenderedPayload {
  const mark = catalogue(locale).storyRetractedMark;
  return { parts: payload.parts.map((part) => revisePart(part, stories, mark)) };
}

/**
 * Whether the payload is a list of stories, each linked by its headline (a digest, news as it
 * happens), rather than one story's post (a channel post, breaking news) that links "Read more".
 */
export function isStoryList(payload: RenderedPayload): boolean {
  return (payload.shown?.items?.length ?? 0) > 0;
}
