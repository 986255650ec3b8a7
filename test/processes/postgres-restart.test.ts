/**
 * PostgreSQL restarts under three `bantin start` processes in the middle of a broadcast (issue
 * 18's first problem: before, the lock connection was never reopened and no process led again).
 * Runs on a PostgreSQL server of the test's own, which it stops and starts, when
 * TEST_DATABASE_URL says PostgreSQL tests run here.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import { storeArticle } from "../../src/news/articles";
import { findTopicBySlug } from "../../src/news/topics";
import type { FakeTelegram } from "../fakes/telegram-api";
import {
  addTelegramReaders,
  confirmBreakingNews,
  startSenders,
} from "../helpers/broadcast-senders";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres";
import { exited, type RunningBot, waitUntil } from "../helpers/processes";
import { TEST_DATABASE_URL } from "../helpers/stores";
import { prepareNewsDb } from "../helpers/telegram-harness";

const READERS = 1_500;
const RATE = 150; // messages a second the fake allows (paid broadcasts): about 10 s in all
const CONCURRENCY = 20;
const DIGEST_CHAT = 7_777;
const HELP_CHAT = 8_888;
const STORY_TITLE = "Lào Cai khánh thành cầu mới qua sông Hồng";

const children: ChildProcess[] = [];
let fake: FakeTelegram | undefined;
let server: PrivatePostgres | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(children.map(exited));
  await fake?.close();
  fake = undefined;
  await server?.destroy();
  server = undefined;
});

interface Readiness {
  ready: boolean;
  database: boolean;
  leading: string[];
  problems: string[];
}

async function readiness(bot: RunningBot): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${bot.url}/readyz`).catch((error: Error) => {
    const { exitCode, signalCode } = bot.child;
    throw new Error(
      `${bot.url}/readyz: ${error.message} (exit ${exitCode ?? signalCode ?? "none yet"})\n${bot.stderr()}`,
    );
  });
  return { status: response.status, body: (await response.json()) as Readiness };
}

/** "HH:MM" (UTC) of the minute we are in: a digest time that has just passed. */
function thisMinute(): string {
  return new Date().toISOString().slice(11, 16);
}

/**
 * The digest job asks every TICK_SECONDS, not at each whole minute (BANTIN_TICK_SECONDS): the
 * digest due after the restart is made within seconds, not up to a minute later.
 */
const TICK_SECONDS = 2;
/**
 * DELIVERY_LEASE_SECONDS: the rows a sender held when its leadership went with the database
 * (left claimed, as they cannot be released then) are taken again once their lease runs out,
 * 10 s rather than the default minute (the soak's setting too).
 */
const LEASE_SECONDS = 10;

(TEST_DATABASE_URL ? describe : describe.skip)(
  "PostgreSQL restarted under three processes",
  { timeout: 180_000 },
  () => {
    it("mid-broadcast: every reader reached, polling answers, a later digest is made, /readyz 503 while down", async () => {
      server = await startPrivatePostgres();
      const { db } = await prepareNewsDb(server.url);
      const now = new Date().toISOString();
      const topic = (await findTopicBySlug(db, "thoi-su"))?.id as number;
      await storeArticle(db, {
        url: "https://baolaocai.vn/cau-moi-post999100.html",
        contentHash: "restart-story",
        title: STORY_TITLE,
        lead: "Cây cầu nối hai bờ sông Hồng.",
        body: ["Sáng nay, cầu mới được khánh thành."],
        photos: [],
        fullText: true,
        publishedAt: now,
        fetchedAt: now,
        topicId: topic,
      });
      // Their digest time is not today's (so the only digest is the one below).
      await addTelegramReaders(db, READERS, 40_000, { digest_enabled: 0 });
      const broadcastId = await confirmBreakingNews(db, READERS);
      const started = await startSenders(server.url, {
        rate: RATE,
        concurrency: CONCURRENCY,
        env: {
          BANTIN_TICK_SECONDS: String(TICK_SECONDS),
          DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
        },
      });
      fake = started.fake;
      const f = fake;
      const { bots } = started;
      for (const bot of bots) children.push(bot.child);
      const broadcastSent = () =>
        f.sentMessages().filter((c) => String(c.params.text ?? "").includes("Tin nóng"));
      await waitUntil(() => broadcastSent().length >= READERS / 4, 60_000, "a quarter sent");

      await server.stop();
      const sentAtStop = broadcastSent().length;
      // While it is down, every process says so.
      for (const bot of bots) {
        const { status, body } = await readiness(bot);
        expect(status).toBe(503);
        expect(body.database).toBe(false);
        expect(body.problems).toContain("the database does not answer");
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await server.start();
      // A digest due after the restart: its reader comes now, registered an hour ago, with a
      // digest time just passed today (made at the digest job's next tick, while the rest goes on).
      const reader = await db
        .insertInto("readers")
        .values({
          platform: "telegram",
          chat_id: String(DIGEST_CHAT),
          time_zone: "UTC",
          digest_time: thisMinute(),
          created_at: new Date(Date.now() - 3_600_000).toISOString(),
          updated_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("reader_topics")
        .values({ reader_id: reader.id, category_id: topic })
        .execute();

      // Sending goes on and ends with every reader reached (only what was in flight at the
      // stop may have gone twice).
      await waitUntil(
        async () =>
          (await countOutboxByState(db, { broadcastId }).catch(() => null))?.pending === 0,
        90_000,
        "the broadcast to finish after the restart",
      );
      expect(broadcastSent().length).toBeGreaterThan(sentAtStop);
      const perChat = new Map<string, number>();
      for (const call of broadcastSent()) {
        const chat = String(call.params.chat_id);
        perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      }
      expect(perChat.size).toBe(READERS);
      expect(broadcastSent().length - perChat.size).toBeLessThanOrEqual(CONCURRENCY);

      // Every process is ready again, and one of them leads each job.
      await waitUntil(
        async () => (await Promise.all(bots.map(readiness))).every((r) => r.status === 200),
        30_000,
        "every /readyz 200 again",
      );
      const leading = (await Promise.all(bots.map(readiness))).flatMap((r) => r.body.leading);
      expect(leading.sort()).toEqual(["poll:telegram", "send:telegram"]);

      // Polling answers again.
      f.pushUpdate(f.message({ chatId: HELP_CHAT, text: "/trogiup" }));
      await waitUntil(() => f.sentMessages(HELP_CHAT).length > 0, 30_000, "an answer to /trogiup");

      // The digest due after the restart is made and sent.
      await waitUntil(
        () =>
          f
            .sentMessages(DIGEST_CHAT)
            .some((c) => String(c.params.text ?? "").includes(STORY_TITLE)),
        90_000,
        "the digest due after the restart",
      );
      await db.destroy();
    });
  },
);
