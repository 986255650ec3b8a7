/**
 * A reader's rights over their data (Vietnam's Personal Data Protection Law): to see what bantin
 * keeps about them (/dulieu) and to have it erased (/xoadulieu). This is the one module that
 * erases a reader across tables, each through the table's own module, in one transaction.
 *
 * What stays after an erasure is anonymous: how often stories were opened (story_reads has no
 * reader), and one audit entry saying a reader on a platform erased their data (no chat id, no
 * name, no text), which the console's overview counts per month.
 */
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { deleteOutboxOfReader } from "../delivery/outbox";
import { auditTimes, recordAudit } from "../editors/audit";
import type { AuditAction } from "../editors/audit-actions";
import { forgetEditorName } from "../editors/editor-names";
import { editorName } from "../editors/editors";
import { deleteUpdatesOfChat } from "../inbox/updates";
import { dayBefore, readDay } from "../news/reads";
import { forgetChat, lastList } from "../readers/chat-memory";
import { deleteDigestMarkOf, digestMarkOf } from "../readers/digest-marks";
import { deleteInstantItemsOf } from "../readers/instant-items";
import { deleteFollowsOf } from "../readers/keywords";
import { deleteTopicsOf } from "../readers/reader-topics";
import { deleteReader, type Reader } from "../readers/readers";
import { hasQuietHours } from "../text/quiet-hours";

/** How far back "what was sent to you" goes. */
export const SENT_DAYS = 30;

/** Telegram keys a private chat's inline queries by its user ("user:<id>"): the same person. */
function chatKeysOf(reader: Reader): string[] {
  return reader.chatType === "private" ? [reader.chatId, `user:${reader.chatId}`] : [reader.chatId];
}

/**
 * How each table that holds a reader's rows (by reader id or chat id) is emptied of them, through
 * the table's own module, in this order (children before the reader row). A table is listed only
 * with the code that erases it; test/integration/reader-data.test.ts fails when the schema has a
 * table with a reader_id, chat_id or chat_key column that is not here.
 */
const ERASERS: Record<string, (db: Db, reader: Reader) => Promise<unknown>> = {
  // The payloads only this reader's rows used go with them.
  outbox: (db, reader) => deleteOutboxOfReader(db, reader.id),
  instant_items: (db, reader) => deleteInstantItemsOf(db, reader.id),
  keyword_follows: (db, reader) => deleteFollowsOf(db, reader.id),
  reader_topics: (db, reader) => deleteTopicsOf(db, reader.id),
  digest_marks: (db, reader) => deleteDigestMarkOf(db, reader.id),
  chat_memory: (db, reader) => forgetChat(db, reader),
  inbox_updates: (db, reader) => deleteUpdatesOfChat(db, reader.platform, chatKeysOf(reader)),
  // An editor who erases their own chat: the name their platform gave them goes too (a private
  // chat's id is its person's).
  editor_names: (db, reader) =>
    reader.chatType === "private"
      ? forgetEditorName(db, editorName(reader.platform, reader.chatId))
      : Promise.resolve(),
  readers: (db, reader) => deleteReader(db, reader.id),
};

/** Every table eraseReader empties of a reader's rows. */
export const ERASED_TABLES: readonly string[] = Object.keys(ERASERS);

const ERASE_ACTION: AuditAction = "reader.erase";

/** What bantin keeps about one reader, as the JSON file /dulieu sends says it. */
export interface ReaderData {
  exportedAt: string;
  reader: {
    platform: string;
    chatId: string;
    chatType: string;
    name: string | null;
    language: "vi" | "en";
    timeZone: string;
    status: string;
    joinedAt: string;
    digest: { enabled: boolean; time: string; lastSentDay: string | null };
    quietHours: { from: string; until: string } | null;
  };
  topics: { slug: string; name: string; delivery: string; since: string }[];
  keywordFollows: { words: string; since: string }[];
  /** Messages of the last SENT_DAYS days: digests, news as it happens, breaking news, … */
  messages: { at: string; kind: string; state: string }[];
  /** Stories pushed as they happened in the last SENT_DAYS days, and what matched them. */
  storiesPushed: { at: string | null; storyId: number; title: string; matched: string }[];
  /** The last list of stories shown in the chat (for "/doc N"). */
  lastListShown: number[] | null;
}

export async function readerData(db: Db, reader: Reader, now: Date): Promise<ReaderData> {
  const since = new Date(now.getTime() - SENT_DAYS * 86_400_000).toISOString();
  const [topics, follows, messages, pushed, list, mark] = await Promise.all([
    db
      .selectFrom("reader_topics")
      .innerJoin("categories", "categories.id", "reader_topics.category_id")
      .select([
        "categories.slug",
        "categories.name_vi",
        "categories.name_en",
        "reader_topics.mode",
        "reader_topics.created_at",
      ])
      .where("reader_topics.reader_id", "=", reader.id)
      .orderBy("categories.position")
      .orderBy("categories.id")
      .execute(),
    db
      .selectFrom("keyword_follows")
      .select(["words", "created_at"])
      .where("reader_id", "=", reader.id)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("outbox")
      .select(["kind", "state", "created_at", "sent_at"])
      .where("reader_id", "=", reader.id)
      .where("created_at", ">=", since)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("instant_items")
      .innerJoin("articles", "articles.id", "instant_items.article_id")
      .select(["articles.id", "articles.title", "instant_items.reason", "instant_items.sent_at"])
      .where("instant_items.reader_id", "=", reader.id)
      .where("instant_items.queued_at", ">=", since)
      .orderBy("instant_items.queued_at")
      .execute(),
    lastList(db, reader),
    digestMarkOf(db, reader.id),
  ]);
  const quiet = { from: reader.quietFrom, until: reader.quietUntil };
  return {
    exportedAt: now.toISOString(),
    reader: {
      platform: reader.platform,
      chatId: reader.chatId,
      chatType: reader.chatType,
      name: reader.displayName,
      language: reader.locale,
      timeZone: reader.timeZone,
      status: reader.status,
      joinedAt: reader.createdAt,
      digest: {
        enabled: reader.digestEnabled,
        time: reader.digestTime,
        // A day without a cut-off was passed over (signed up after it), not sent.
        lastSentDay: mark.lastDigestCutoff !== null ? mark.lastDigestDate : null,
      },
      quietHours: hasQuietHours(quiet) ? quiet : null,
    },
    topics: topics.map((t) => ({
      slug: t.slug,
      name: reader.locale === "en" ? t.name_en : t.name_vi,
      delivery: t.mode,
      since: t.created_at,
    })),
    keywordFollows: follows.map((f) => ({ words: f.words, since: f.created_at })),
    messages: messages.map((m) => ({
      at: m.sent_at ?? m.created_at,
      kind: m.kind,
      state: m.state,
    })),
    storiesPushed: pushed.map((p) => ({
      at: p.sent_at,
      storyId: p.id,
      title: p.title,
      matched: p.reason,
    })),
    lastListShown: list?.map((item) => item.articleId) ?? null,
  };
}

/**
 * The data as JSON text, one record a line: valid JSON that reads well in a file and splits
 * cleanly into chat messages on platforms that cannot send a file.
 */
export function readerDataJson(data: ReaderData): string {
  const fields = Object.entries(data).map(([key, value]) => {
    const name = JSON.stringify(key);
    if (!Array.isArray(value) || value.length === 0) return `${name}: ${JSON.stringify(value)}`;
    return `${name}: [\n${value.map((v) => `  ${JSON.stringify(v)}`).join(",\n")}\n]`;
  });
  return `{\n${fields.join(",\n")}\n}\n`;
}

/**
 * Erases a reader: every row that carries their reader id or chat id, and the audit entry (the
 * platform only; left out when not `counted`), in one transaction. A reader who writes again
 * afterwards starts afresh.
 */
export async function eraseReader(
  db: Db,
  reader: Reader,
  at: string,
  options: { counted?: boolean } = {},
): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const erase of Object.values(ERASERS)) await erase(trx, reader);
    if (options.counted === false) return;
    await recordAudit(trx, {
      actor: "reader",
      action: "reader.erase",
      detail: { platform: reader.platform },
      at,
    });
  });
}

/**
 * Erasures per month, the newsroom's months ("YYYY-MM"), oldest first, the last `months` of
 * them, the current one last.
 */
export async function erasuresPerMonth(
  db: Db,
  options: { now: Date; timeZone: string; months?: number },
): Promise<{ month: string; erasures: number }[]> {
  const count = options.months ?? 6;
  const thisMonth = readDay(options.now, options.timeZone).slice(0, 7);
  const months = Array.from({ length: count }, (_, i) => monthBefore(thisMonth, count - 1 - i));
  // A day more than asked: the first local month may start before its UTC date.
  const since = `${dayBefore(`${months[0] ?? thisMonth}-01`, 1)}T00:00:00.000Z`;
  const counts = new Map(months.map((m) => [m, 0]));
  for (const at of await auditTimes(db, ERASE_ACTION, since)) {
    const month = readDay(new Date(at), options.timeZone).slice(0, 7);
    const n = counts.get(month);
    if (n !== undefined) counts.set(month, n + 1);
  }
  return months.map((month) => ({ month, erasures: counts.get(month) ?? 0 }));
}

/** "2026-01" minus n months. */
function monthBefore(month: string, n: number): string {
  const [year = 0, m = 1] = month.split("-").map(Number);
  const index = year * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}
