import type { Kysely, Transaction } from "kysely";
import type { AdminAuditTable } from "./tables/admin-audit";
import type { AdminWebKeysTable, AdminWebSessionsTable } from "./tables/admin-web";
import type { AlertIncidentsTable } from "./tables/alerts";
import type { ArticleCategoriesTable, ArticleSearchTable, ArticlesTable } from "./tables/articles";
import type { BroadcastOpensTable, BroadcastsTable } from "./tables/broadcasts";
import type { CategoriesTable } from "./tables/categories";
import type { ChatMemoryTable } from "./tables/chat-memory";
import type { EditorNamesTable } from "./tables/editor-names";
import type { InboxUpdatesTable } from "./tables/inbox";
import type { InstantItemsTable, JobCursorsTable, KeywordFollowsTable } from "./tables/instant";
import type { OutboxPayloadsTable, OutboxTable } from "./tables/outbox";
import type { DigestMarksTable, ReadersTable, ReaderTopicsTable } from "./tables/readers";
import type { SourcesTable } from "./tables/sources";
import type { StoryReadsTable } from "./tables/story-reads";

export interface Database {
  categories: CategoriesTable;
  sources: SourcesTable;
  articles: ArticlesTable;
  article_categories: ArticleCategoriesTable;
  article_search: ArticleSearchTable;
  readers: ReadersTable;
  reader_topics: ReaderTopicsTable;
  digest_marks: DigestMarksTable;
  outbox: OutboxTable;
  outbox_payloads: OutboxPayloadsTable;
  broadcasts: BroadcastsTable;
  broadcast_opens: BroadcastOpensTable;
  admin_audit: AdminAuditTable;
  inbox_updates: InboxUpdatesTable;
  keyword_follows: KeywordFollowsTable;
  instant_items: InstantItemsTable;
  job_cursors: JobCursorsTable;
  chat_memory: ChatMemoryTable;
  story_reads: StoryReadsTable;
  alert_incidents: AlertIncidentsTable;
  admin_web_sessions: AdminWebSessionsTable;
  admin_web_keys: AdminWebKeysTable;
  editor_names: EditorNamesTable;
}

/** The database or a transaction: repository functions take either as their first argument. */
export type Db = Kysely<Database> | Transaction<Database>;
export type DbHandle = Kysely<Database>;
