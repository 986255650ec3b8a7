import type { Migration } from "kysely";
import * as m0001 from "./0001_initial";
import * as m0002 from "./0002_inbox";
import * as m0003 from "./0003_source_health";
import * as m0004 from "./0004_search_tiers";
import * as m0005 from "./0005_chat_memory";
import * as m0006 from "./0006_news_as_it_happens";
import * as m0007 from "./0007_alerts";
import * as m0008 from "./0008_admin_console";
import * as m0009 from "./0009_story_media";
import * as m0010 from "./0010_search_newest_first";
import * as m0011 from "./0011_story_hidden";
import * as m0012 from "./0012_outbox_sent_partial";
import * as m0013 from "./0013_broadcast_desk";
import * as m0014 from "./0014_broadcast_opens";
import * as m0015 from "./0015_story_desk";
import * as m0016 from "./0016_editor_names_matched_follows";
import * as m0017 from "./0017_digest_marks";
import * as m0018 from "./0018_outbox_unchecked_refs";
import * as m0019 from "./0019_outbox_key_per_reader";
import * as m0020 from "./0020_reader_digest_topics";

/**
 * Every migration, by name, in order. Listed statically (not read from the folder) so they load
 * the same under tsx, vitest and any bundler. Add new ones at the end; never edit old ones.
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_inbox": m0002,
  "0003_source_health": m0003,
  "0004_search_tiers": m0004,
  "0005_chat_memory": m0005,
  "0006_news_as_it_happens": m0006,
  "0007_alerts": m0007,
  "0008_admin_console": m0008,
  "0009_story_media": m0009,
  "0010_search_newest_first": m0010,
  "0011_story_hidden": m0011,
  "0012_outbox_sent_partial": m0012,
  "0013_broadcast_desk": m0013,
  "0014_broadcast_opens": m0014,
  "0015_story_desk": m0015,
  "0016_editor_names_matched_follows": m0016,
  "0017_digest_marks": m0017,
  "0018_outbox_unchecked_refs": m0018,
  "0019_outbox_key_per_reader": m0019,
  "0020_reader_digest_topics": m0020,
};
