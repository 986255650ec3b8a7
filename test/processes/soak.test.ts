/**
 * The soak's short form (issue 20; `npm run bench -- soak` is the long one): a newsroom's day
 * compressed to 25 s on a PostgreSQL server of the test's own, with the sending leader killed and
 * PostgreSQL restarted part-way. Counted from what the fake Bot API received. The processes' clock
 * jobs ask every 2 s (BANTIN_TICK_SECONDS), so the day need not wait for a minute's turn.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres";
import { runNewsroomDay, type SoakPlatform } from "../helpers/soak/day";
import { marksOf, type SoakSize } from "../helpers/soak/plan";
import { TEST_DATABASE_URL } from "../helpers/stores";

const SIZE: SoakSize = {
  readers: 2_000,
  daySeconds: 25,
  digestMinutes: 1,
  // Digests fall due a second or two before the sending leader is killed (AT.kill, 0.32): the
  // kill comes while they and broadcast 2 are being sent.
  digestsAt: 0.22,
  tickSeconds: 2,
  stories: 8,
  updatesPerSecond: 5,
  rate: 400,
  concurrency: 20,
  instantBatchMinutes: 0,
  leaseSeconds: 10,
  downSeconds: 2,
  drainSeconds: 90,
};

let fake: FakeTelegram | undefined;
let server: PrivatePostgres | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await server?.destroy();
  server = undefined;
});

function inThisProcess(f: FakeTelegram): SoakPlatform {
  const sent = () => f.calls.filter((c) => c.method === "sendMessage" && c.ok === true);
  return {
    apiRoot: f.apiRoot,
    token: f.token,
    bulkSent: async () => sent().filter((c) => c.params.allow_paid_broadcast).length,
    received: async () =>
      sent().map((c) => ({
        chatId: String(c.params.chat_id),
        marks: marksOf(String(c.params.text ?? "")),
      })),
  };
}

// PostgreSQL's server programs are needed for a server of the test's own; TEST_DATABASE_URL
// says PostgreSQL tests run on this machine.
(TEST_DATABASE_URL ? describe : describe.skip)("a newsroom's day with faults", () => {
  it("2,000 readers, three processes, a killed sender and a restarted PostgreSQL: nothing lost, everyone ready again", {
    timeout: 180_000,
  }, async () => {
    server = await startPrivatePostgres();
    fake = await startFakeTelegram({
      latencyMs: 20,
      limits: { globalPerSecond: 30, paidGlobalPerSecond: SIZE.rate, perChatPerSecond: 1 },
    });
    const report = await runNewsroomDay({
      size: SIZE,
      server,
      platform: inThisProcess(fake),
      log: (line) => process.stderr.write(`soak: ${line}\n`),
    });
    process.stderr.write(`${JSON.stringify(report)}\n`);
    const { counts } = report;
    expect(counts.digests.expected).toBe(SIZE.readers);
    expect(counts.broadcasts.expected).toBe((3 * SIZE.readers) / 4);
    expect(counts.instant.expected).toBeGreaterThan(0);
    expect(counts.replies.expected).toBeGreaterThan(100);
    expect(counts.total.lost).toBe(0);
    // Only sends in flight at a fault may go twice: outbox messages (SIGKILL, restart) and
    // answers being made when their process died.
    const bulk =
      counts.digests.duplicates + counts.broadcasts.duplicates + counts.instant.duplicates;
    expect(bulk).toBeLessThanOrEqual(report.inFlightBound);
    expect(counts.replies.duplicates).toBeLessThanOrEqual(10);
    expect(counts.unexpected).toBe(0);
    expect(report.unexpectedExits).toBe(0);
    expect(report.database.statusesWhileDown).toEqual([503, 503, 503]);
    expect(report.outbox.pending).toBe(0);
    expect(report.outbox.dead).toBe(0);
    // Every process's memory was followed: the three, the one killed and the one in its place.
    expect(report.rss.map((p) => p.role ?? "").sort()).toEqual(["", "", "killed", "started again"]);
    for (const p of report.rss) {
      expect(p.start).toBeGreaterThan(20);
      expect(p.end).toBeGreaterThan(20);
      expect(p.high).toBeGreaterThanOrEqual(p.low);
    }
    // The killed process led sending until the kill, and someone led it after.
    const killed = report.rss.find((p) => p.role === "killed");
    expect(killed?.led.sending.length).toBeGreaterThan(0);
    expect(
      report.rss.filter((p) => p.role !== "killed").some((p) => p.led.sending.length > 0),
    ).toBe(true);
    expect(report.rssByRole.sending.start).toBeGreaterThan(20);
  });
});
