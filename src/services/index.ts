/**
 * The services every front end calls (the CLI, the web console, chat): one per domain, each
 * checking its input once, changing its tables through their owners and writing the audit entry.
 * Front ends only translate input and output. Breaking news (broadcasts.ts) and Telegram channel
 * posts (channels.ts) take the database per call, as they did before the others were gathered here.
 */
import type { Clock } from "../clock";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import type { FeedSummary } from "../news/check-feed";
import type { Feed } from "../news/feeds";
import type { FeedProbe } from "../news/probe-feed";
import { type ConsoleAccess, consoleAccess } from "./console-access";
import { type DeliveryService, deliveryService } from "./deliveries";
import { type FeedService, feedService } from "./feeds";
import { type StoryService, storyService } from "./stories";
import { type TopicService, topicService } from "./topics";

export interface EditorServices {
  feeds: FeedService;
  topics: TopicService;
  stories: StoryService;
  deliveries: DeliveryService;
  access: ConsoleAccess;
}

export function editorServices(deps: {
  db: Db;
  clock: Clock;
  editors: readonly AdminId[];
  /** ADMIN_WEB_TOKEN, while it is set. */
  webToken?: string;
  /** Reads one feed now (ingest); unset where nothing may fetch. */
  checkFeed?: (feed: Feed) => Promise<FeedSummary>;
  /** Reads an address once before it is added as a feed; unset where nothing may fetch. */
  probeFeed?: (url: string) => Promise<FeedProbe>;
}): EditorServices {
  const { db, clock } = deps;
  return {
    feeds: feedService({
      db,
      clock,
      ...(deps.checkFeed ? { check: deps.checkFeed } : {}),
      ...(deps.probeFeed ? { probe: deps.probeFeed } : {}),
    }),
    topics: topicService({ db, clock }),
    stories: storyService({ db, clock }),
    deliveries: deliveryService({ db, clock }),
    access: consoleAccess({
      db,
      clock,
      editors: deps.editors,
      ...(deps.webToken !== undefined ? { webToken: deps.webToken } : {}),
    }),
  };
}
