import { catalogue, type Locale } from "../message/i18n";
import { bold, type Line, link, type OutMessage } from "../message/model";
import type { Article } from "../news/articles";

/** The breaking-news message itself, in one language: the text, then the story if there is one. */
export function broadcastMessage(
  broadcast: { text: string },
  article: Article | null,
  locale: Locale,
): OutMessage {
  const t = catalogue(locale);
  const lines: Line[] = [[bold(t.breakingTitle)]];
  if (broadcast.text) {
    for (const paragraph of broadcast.text.split("\n\n")) lines.push([], [paragraph]);
  }
  if (!article) return { lines };
  lines.push([], [bold(article.title)]);
  if (article.lead) lines.push([article.lead]);
  lines.push([link(t.original, article.url)]);
  return {
    lines,
    buttons: [[{ label: `📖 ${t.readButton}`, action: { kind: "read", articleId: article.id } }]],
  };
}
