/**
 * Three `bantin start` on one PostgreSQL database and one bot token: they share the platform's
 * rate (one of them sends at a time), and when the sending one is killed mid-broadcast another
 * takes over with nothing lost. Runs when TEST_DATABASE_URL names a PostgreSQL server.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db";
import { countOutboxByState } from "../../src/delivery/outbox-counts";
import type { FakeTelegram } from "../fakes/telegram-api";
import {
  addTelegramReaders,
  confirmBreakingNews,
  startSenders,
} from "../helpers/broadcast-senders";
import { exited, type RunningBot, waitUntil } from "../helpers/processes";
import { createPostgresDatabase, dropPostgresDatabase, TEST_DATABASE_URL } from "../helpers/stores";

const READERS = 3_000;
const RATE = 200; // messages a second the fake allows (paid broadcasts)
const CONCURRENCY = 40;

const children: ChildProcess[] = [];
let fake: FakeTelegram | undefined;
let database: string | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await fake?.close();
  fake = undefined;
  if (database && TEST_DATABASE_URL) await dropPostgresDatabase(TEST_DATABASE_URL, database);
  database = undefined;
});

async function readiness(bot: RunningBot): Promise<{ leading: string[] }> {
  return (await fetch(`${bot.url}/readyz`)).json() as Promise<{ leading: string[] }>;
}

(TEST_DATABASE_URL ? describe : describe.skip)(
  "three processes on PostgreSQL",
  { timeout: 120_000 },
  () => {
    it("share one rate and, when the sender is killed mid-broadcast, lose nothing", async () => {
      const created = await createPostgresDatabase(TEST_DATABASE_URL ?? "");
      database = created.name;
      const { db } = openDatabase({ kind: "postgres", url: created.url, poolSize: 2 });
      try {
        await migrateToLatest(db);
        await addTelegramReaders(db, READERS, 20_000);
        const broadcastId = await confirmBreakingNews(db, READERS);
        const started = await startSenders(created.url, { rate: RATE, concurrency: CONCURRENCY });
        fake = started.fake;
        const f = fake;
        const { bots } = started;
        for (const bot of bots) children.push(bot.child);
        const sent = () => f.calls.filter((c) => c.method === "sendMessage" && c.ok === true);
        await waitUntil(() => sent().length >= READERS / 3, 60_000, "a third of the broadcast");

        // Kill whoever sends now; another process takes over.
        const states = await Promise.all(bots.map(readiness));
        const senders = bots.filter((_, i) => states[i]?.leading.includes("send:telegram"));
        expect(senders).toHaveLength(1); // one sender for all three
        const sender = senders[0] as RunningBot;
        sender.child.kill("SIGKILL");
        await exited(sender.child);

        await waitUntil(
          async () => (await countOutboxByState(db, { broadcastId })).pending === 0,
          90_000,
          "the broadcast to finish",
        );

        const calls = sent();
        const perChat = new Map<string, number>();
        for (const call of calls) {
          const chat = String(call.params.chat_id);
          perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
        }
        // Nothing lost; only what was in flight at the kill may have gone twice.
        expect(perChat.size).toBe(READERS);
        const duplicates = calls.length - perChat.size;
        expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
        // The rate held for all processes together.
        expect(f.stats.tooManyRequests).toBeLessThanOrEqual(calls.length * 0.01);
        const bySecond = new Map<number, number>();
        for (const call of calls) {
          const second = Math.floor(call.at / 1000);
          bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
        }
        const full = [...bySecond.entries()]
          .sort((a, b) => a[0] - b[0])
          .slice(1, -1) // the first and last seconds are partial
          .map(([, n]) => n);
        expect(Math.max(...full)).toBeLessThanOrEqual(RATE);
        // Some whole seconds ran above half the rate: the shared limiter lets sending flow. How
        // close to the rate it comes is the broadcast benchmark's figure, not a test's: it moves
        // with the machine's load (it failed here at 160/s of 200 beside the soak test).
        expect(full.filter((n) => n > RATE / 2).length).toBeGreaterThan(0);
      } finally {
        await db.destroy();
      }
    });
  },
);
