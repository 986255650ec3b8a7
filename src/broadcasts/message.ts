import { DEFAULT_NEWSROOM_NAME } from "../config";
import { catalogue, type Locale } from "../message/i18n/index";
import { bold, type Line, link, type OutMessage } from "../message/model";
import type { Article } from "../news/articles";

/**
 * The breaking-news message itself, in one language: a header naming the newsroom, the text,
 * then the story if there is one; with a photo, the message is the photo and all that its caption.
 */
export function broadcastMessage(
  broadcast: { id?: number; text: string; photoUrl?: string | null },
  article: Article | null,
  locale: Locale,
  newsroom: string = DEFAULT_NEWSROOM_NAME,
): OutMessage {
  const t = catalogue(locale);
  const lines: Line[] = [[bold(t.breakingTitle(newsroom))]];
  if (broadcast.text) {
    for (const paragraph of broadcast.text.split("\n\n")) lines.push([], [paragraph]);
  }
  const photo = broadcast.photoUrl ? { photo: { url: broadcast.photoUrl } } : {};
  if (!article) return { lines, ...photo };
  lines.push([], [bold(article.title)]);
  if (article.lead) lines.push([article.lead]);
  lines.push([link(t.original, article.url)]);
  return {
    lines,
    ...photo,
    // The broadcast's id rides on the button, so an open within 24 h counts for it (opens.ts).
    buttons: [
      [
        {
          label: `📖 ${t.readButton}`,
          action: { kind: "read", articleId: article.id, broadcastId: broadcast.id },
        },
      ],
    ],
  };
}
