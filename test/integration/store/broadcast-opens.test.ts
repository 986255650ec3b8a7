import { beforeEach, expect, it } from "vitest";
import { claimDraft, createBroadcast } from "../../../src/broadcasts/broadcasts";
import { broadcastOpens, countBroadcastOpen } from "../../../src/broadcasts/opens";
import type { DbHandle } from "../../../src/db/schema";
import { describeStores } from "../../helpers/stores";

const START = "2026-01-27T03:00:00.000Z";
const after = (ms: number) => new Date(Date.parse(START) + ms).toISOString();
const HOUR = 3_600_000;

describeStores("store: broadcast opens", (store) => {
  let db: DbHandle;
  let started: number;
  let draft: number;

  beforeEach(async () => {
    db = await store.db();
    const a = await createBroadcast(db, { author: "cli", text: "Tin", createdAt: START });
    await claimDraft(db, a.id, START);
    started = a.id;
    draft = (await createBroadcast(db, { author: "cli", text: "Nháp", createdAt: START })).id;
  });

  it("counts opens per platform up to 24 hours after the start, and no later", async () => {
    const open = (at: string, platform = "telegram", broadcastId = started) =>
      countBroadcastOpen(db, { broadcastId, platform, at });
    expect(await open(after(1000))).toBe(true);
    expect(await open(after(1000))).toBe(true); // the same reader again, or another: a count
    expect(await open(after(23 * HOUR), "zalo")).toBe(true);
    expect(await open(after(24 * HOUR))).toBe(true); // 24 h to the millisecond still counts
    expect(await open(after(24 * HOUR + 1))).toBe(false);
    expect(await open(after(1000), "telegram", draft)).toBe(false); // never started
    expect(await open(after(1000), "telegram", 987654)).toBe(false); // no such broadcast
    expect([...(await broadcastOpens(db, started))]).toEqual([
      ["telegram", 3],
      ["zalo", 1],
    ]);
    expect((await broadcastOpens(db, draft)).size).toBe(0);
    // Only the counters are kept: no reader, chat or time.
    const [row] = await db.selectFrom("broadcast_opens").selectAll().execute();
    const columns = Object.keys(row ?? {});
    expect(columns.sort()).toEqual(["broadcast_id", "count", "platform"]);
  });

  it("adds every one of many opens at once", async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        countBroadcastOpen(db, { broadcastId: started, platform: "telegram", at: after(5) }),
      ),
    );
    expect((await broadcastOpens(db, started)).get("telegram")).toBe(20);
  });
});
