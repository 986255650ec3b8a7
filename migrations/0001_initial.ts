import { type ColumnDefinitionBuilder, type Kysely, sql } from "kysely";
import { isPostgres, nowText } from "./dialect";

// Frozen: a migration never imports application code. Times are ISO 8601 UTC text
// ("2026-01-26T01:27:00.000Z"), which sorts correctly; flags are integers 0/1.
//
// The same tables on SQLite and PostgreSQL. Where the SQL must differ: ids (SQLite's
// AUTOINCREMENT; an identity column on PostgreSQL), the text default "now" (strftime; to_char),
// and the search index (an FTS5 table; on PostgreSQL a plain table of the same folded text with a
// generated weighted tsvector and a GIN index). On SQLite every statement is what it always was.

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  const pg = isPostgres(db);
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

  await db.schema
    .createTable("categories")
    .addColumn("id", "integer", id)
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name_vi", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("sources")
    .addColumn("id", "integer", id)
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("category_id", "integer", (c) =>
      c.notNull().references("categories.id").onDelete("restrict"),
    )
    .addColumn("full_text", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("selectors", "text") // JSON: per-source CSS selectors for the extractor
    .addColumn("etag", "text")
    .addColumn("last_modified", "text")
    .addColumn("next_check_at", "text", (c) => c.notNull().defaultTo("1970-01-01T00:00:00.000Z")) // new feeds are due at once
    .addColumn("failures_in_row", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("last_error_at", "text")
    .addColumn("last_success_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("sources_due").on("sources").column("next_check_at").execute();

  await db.schema
    .createTable("articles")
    .addColumn("id", "integer", id)
    .addColumn("url", "text", (c) => c.notNull().unique()) // canonical: tracking params stripped
    .addColumn("guid", "text")
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("feed_hash", "text") // hash of the feed item as last seen: unchanged items skip the page fetch
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("lead", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body", "text", (c) => c.notNull().defaultTo("")) // paragraphs split by blank lines
    .addColumn("photos", "text", (c) => c.notNull().defaultTo("[]")) // JSON [{ url, caption }]
    .addColumn("author", "text")
    .addColumn("full_text", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("fetched_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("category_id", "integer", (c) =>
      c.notNull().references("categories.id").onDelete("restrict"),
    )
    .addColumn("source_id", "integer", (c) => c.references("sources.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("articles_published").on("articles").column("published_at").execute();
  await db.schema.createIndex("articles_first_seen").on("articles").column("fetched_at").execute();
  await db.schema
    .createIndex("articles_guid")
    .on("articles")
    .columns(["source_id", "guid"])
    .execute();
  await db.schema.createIndex("articles_hash").on("articles").column("content_hash").execute();

  // A story can sit in several category feeds; it is stored once and listed in each.
  await db.schema
    .createTable("article_categories")
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("category_id", "integer", (c) =>
      c.notNull().references("categories.id").onDelete("cascade"),
    )
    .addColumn("published_at", "text", (c) => c.notNull()) // copy of the article's, for the digest query
    .addPrimaryKeyConstraint("article_categories_pk", ["article_id", "category_id"])
    .execute();
  await db.schema
    .createIndex("article_categories_by_topic")
    .on("article_categories")
    .columns(["category_id", "published_at"])
    .execute();

  // Full-text index over accent-folded text (the app folds; FTS only tokenises).
  if (pg) {
    // The same folded words, one space apart; rowid is the article id, as in FTS5. Headline,
    // lead and body are weighted A, B and C, so a query can ask for a word in one of them.
    await sql`CREATE TABLE article_search (
      rowid integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      title text NOT NULL DEFAULT '',
      lead text NOT NULL DEFAULT '',
      body text NOT NULL DEFAULT '',
      document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', lead), 'B') ||
        setweight(to_tsvector('simple', body), 'C')
      ) STORED
    )`.execute(db);
    await sql`CREATE INDEX article_search_document ON article_search USING gin (document)`.execute(
      db,
    );
  } else {
    await sql`CREATE VIRTUAL TABLE article_search USING fts5(
    title, lead, body,
    tokenize = "unicode61 remove_diacritics 2"
  )`.execute(db);
  }

  await db.schema
    .createTable("readers")
    .addColumn("id", "integer", id)
    .addColumn("platform", "text", (c) => c.notNull()) // telegram | zalo | console
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("chat_type", "text", (c) => c.notNull().defaultTo("private")) // private | group | supergroup | channel
    .addColumn("display_name", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("vi"))
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("Asia/Ho_Chi_Minh"))
    .addColumn("digest_time", "text", (c) => c.notNull().defaultTo("07:00")) // HH:MM local
    .addColumn("digest_enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active")) // active | stopped | blocked
    .addColumn("last_digest_cutoff", "text") // stories up to here were in a digest
    .addColumn("last_digest_date", "text") // local YYYY-MM-DD of the last digest slot
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("readers_chat", ["platform", "chat_id"])
    .execute();
  await db.schema
    .createIndex("readers_digest_due")
    .on("readers")
    .columns(["status", "digest_enabled", "time_zone", "digest_time"])
    .execute();

  await db.schema
    .createTable("reader_topics")
    .addColumn("reader_id", "integer", (c) =>
      c.notNull().references("readers.id").onDelete("cascade"),
    )
    .addColumn("category_id", "integer", (c) =>
      c.notNull().references("categories.id").onDelete("cascade"),
    )
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("reader_topics_pk", ["reader_id", "category_id"])
    .execute();
  await db.schema
    .createIndex("reader_topics_by_topic")
    .on("reader_topics")
    .column("category_id")
    .execute();

  await db.schema
    .createTable("broadcasts")
    .addColumn("id", "integer", id)
    .addColumn("author", "text", (c) => c.notNull()) // "telegram:123", "zalo:abc", "cli"
    .addColumn("text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("article_id", "integer", (c) => c.references("articles.id").onDelete("set null"))
    .addColumn("audience_category_id", "integer", (c) =>
      c.references("categories.id").onDelete("set null"),
    )
    .addColumn("audience_platform", "text")
    .addColumn("state", "text", (c) => c.notNull().defaultTo("draft")) // draft | sending | done | cancelled
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .execute();

  await db.schema
    .createTable("outbox_payloads")
    .addColumn("id", "integer", id)
    .addColumn("body", "text", (c) => c.notNull()) // JSON: { messages: [...] }
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", id)
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("reader_id", "integer", (c) =>
      c.notNull().references("readers.id").onDelete("cascade"),
    )
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull()) // digest | broadcast | reply
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0)) // lower goes first
    // The rendered messages, shared: readers who get the same digest share one payload row.
    .addColumn("payload_id", "integer", (c) =>
      c.notNull().references("outbox_payloads.id").onDelete("restrict"),
    )
    .addColumn("broadcast_id", "integer", (c) => c.references("broadcasts.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("pending")) // pending | sent | blocked | dead | cancelled
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("parts_sent", "integer", (c) => c.notNull().defaultTo(0)) // of a multi-message payload
    .addColumn("next_attempt_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("sent_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("outbox_due")
    .on("outbox")
    .columns(["state", "platform", "priority", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("outbox_by_broadcast")
    .on("outbox")
    .columns(["broadcast_id", "state"])
    .where(sql.ref("broadcast_id"), "is not", null) // digests (most rows) stay out of it
    .execute();
  await db.schema.createIndex("outbox_by_reader").on("outbox").column("reader_id").execute();

  await db.schema
    .createTable("admin_audit")
    .addColumn("id", "integer", id)
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}")) // JSON
    .execute();
  await db.schema.createIndex("admin_audit_at").on("admin_audit").column("at").execute();

  // Platforms deliver updates at least once: remember what was handled.
  await db.schema
    .createTable("processed_updates")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("update_key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("processed_updates_pk", ["platform", "update_key"])
    .execute();
  await db.schema
    .createIndex("processed_updates_at")
    .on("processed_updates")
    .column("at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped on purpose
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "processed_updates",
    "admin_audit",
    "outbox",
    "outbox_payloads",
    "broadcasts",
    "reader_topics",
    "readers",
    "article_search",
    "article_categories",
    "articles",
    "sources",
    "categories",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
