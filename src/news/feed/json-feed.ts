/** JSON Feed 1.x (jsonfeed.org) documents to raw items. */
import { escapeHtml } from "../../text/html";
import { cleanLine } from "../../text/normalize";
import {
  absoluteHttpUrl,
  asArray,
  emptyToNull,
  FeedParseError,
  finishItems,
  firstImage,
  firstNonEmpty,
  isRecord,
  mediaOf,
  type ParsedFeed,
  type RawItem,
} from "./items";

function stringField(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function parseJsonFeed(text: string, feedUrl: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(doc) || !/^https?:\/\/jsonfeed\.org\/version\/1/.test(stringField(doc.version))) {
    throw new FeedParseError("this JSON document is not a JSON Feed (no jsonfeed.org version)");
  }
  const items = Array.isArray(doc.items) ? doc.items : [];
  const raws = items.map((value: unknown): RawItem => {
    const item = isRecord(value) ? value : {};
    const rawLink = cleanLine(stringField(item.url) || stringField(item.external_url));
    const link = absoluteHttpUrl(rawLink, feedUrl);
    const contentHtml = stringField(item.content_html);
    const summary = stringField(item.summary);
    // Plain-text fields are escaped so that the lead reads them as text, not markup.
    const html = summary
      ? escapeHtml(summary)
      : firstNonEmpty(contentHtml, escapeHtml(stringField(item.content_text)));
    const authors = [...asArray(item.authors as unknown[]), item.author].filter(isRecord);
    const imageFromContent = contentHtml ? firstImage(contentHtml, link ?? feedUrl) : null;
    return {
      title: cleanLine(stringField(item.title)),
      link,
      rawLink,
      guid: emptyToNull(cleanLine(stringField(item.id))),
      date: stringField(item.date_published) || stringField(item.date_modified) || null,
      html,
      extraImage:
        absoluteHttpUrl(stringField(item.image), link ?? feedUrl) ??
        absoluteHttpUrl(stringField(item.banner_image), link ?? feedUrl) ??
        imageFromContent,
      author: emptyToNull(cleanLine(stringField(authors[0]?.name))),
      media: asArray(item.attachments as unknown[])
        .filter(isRecord)
        .map((a) =>
          mediaOf(
            absoluteHttpUrl(stringField(a.url), link ?? feedUrl),
            stringField(a.mime_type),
            null,
            String(a.size_in_bytes ?? ""),
          ),
        )
        .filter((m) => m !== null),
    };
  });
  return { title: cleanLine(stringField(doc.title)), ...finishItems(raws, "item") };
}
