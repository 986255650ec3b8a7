import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "../../src/delivery/limiter";

/**
 * On fake timers (setTimeout and performance.now): the limiter's waits take no real time, and
 * every gap measured is exactly what the limiter chose, whatever else the machine is doing.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** 1,000 messages a second, no gap per chat: only the global rate and pauses hold a send back. */
const bulkLimiter = () =>
  new RateLimiter({ perSecond: 1000, perChatIntervalMs: 0, perGroupIntervalMs: 0 });

/** How long one bulk send to `key` waited for its turn, in the fake clock's milliseconds. */
async function waitedMs(limiter: RateLimiter, key: string, priority = 1): Promise<number> {
  const t0 = performance.now();
  await settled(limiter.acquire({ key, group: false }, priority));
  return performance.now() - t0;
}

/** Runs the clock until every wait is over, then answers what `work` answered. */
async function settled<T>(work: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return work;
}

describe("RateLimiter", () => {
  it("never lets more than the rate through in any one-second window", async () => {
    const limiter = new RateLimiter({ perSecond: 50, perChatIntervalMs: 0, perGroupIntervalMs: 0 });
    const grants: number[] = [];
    const started = performance.now();
    await settled(
      Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          limiter
            .acquire({ key: `c${i}`, group: false }, 1)
            .then(() => grants.push(performance.now())),
        ),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    for (const t of grants) {
      const inWindow = grants.filter((g) => g >= t && g < t + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(50);
    }
    // ...and keeps close to it: 120 grants at 50/s take a little over 2 s, not much more.
    expect(elapsed).toBeGreaterThan(1.9);
    expect(elapsed).toBeLessThan(3.2);
  });

  it("spaces messages to one chat, longer for groups", async () => {
    const limiter = new RateLimiter({
      perSecond: 1000,
      perChatIntervalMs: 200,
      perGroupIntervalMs: 500,
    });
    const at = async (key: string, group: boolean) => {
      await limiter.acquire({ key, group }, 1);
      return performance.now();
    };
    const [a1, a2, a3] = await settled(
      Promise.all([at("a", false), at("a", false), at("a", false)]),
    );
    expect((a2 as number) - (a1 as number)).toBeGreaterThanOrEqual(190);
    expect((a3 as number) - (a2 as number)).toBeGreaterThanOrEqual(190);
    const [g1, g2] = await settled(Promise.all([at("g", true), at("g", true)]));
    expect((g2 as number) - (g1 as number)).toBeGreaterThanOrEqual(490);
  });

  it("forgets chats free again, so a broadcast to many does not grow it, and still spaces one", async () => {
    // A timer a send or so: more than the fake clock's default limit of 10,000 timers a run.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"], loopLimit: 100_000 });
    const limiter = new RateLimiter({
      perSecond: 1000,
      perChatIntervalMs: 1000,
      perGroupIntervalMs: 3000,
    });
    const sends: Promise<void>[] = [];
    for (let chat = 0; chat < 12_000; chat++)
      sends.push(limiter.acquire({ key: `c${chat}`, group: false }, 1));
    await settled(Promise.all(sends));
    expect(limiter.chatsRemembered).toBeLessThanOrEqual(6_000);
    // The last chat was sent to just now: a second message to it still waits a second.
    expect(await waitedMs(limiter, "c11999")).toBeGreaterThanOrEqual(900);
  });

  it("lets other chats go while one chat waits", async () => {
    const limiter = new RateLimiter({
      perSecond: 1000,
      perChatIntervalMs: 1000,
      perGroupIntervalMs: 1000,
    });
    const order: string[] = [];
    await settled(limiter.acquire({ key: "busy", group: false }, 1));
    await settled(
      Promise.all([
        limiter.acquire({ key: "busy", group: false }, 1).then(() => order.push("busy")),
        limiter.acquire({ key: "free", group: false }, 1).then(() => order.push("free")),
      ]),
    );
    expect(order).toEqual(["free", "busy"]);
  });

  it("serves interactive replies (priority 0) before bulk sends", async () => {
    const limiter = new RateLimiter({ perSecond: 20, perChatIntervalMs: 0, perGroupIntervalMs: 0 });
    const order: string[] = [];
    const bulk = Array.from({ length: 10 }, (_, i) =>
      limiter.acquire({ key: `b${i}`, group: false }, 1).then(() => order.push(`bulk${i}`)),
    );
    await vi.advanceTimersByTimeAsync(10);
    const reply = limiter.acquire({ key: "r", group: false }, 0).then(() => order.push("reply"));
    await settled(Promise.all([...bulk, reply]));
    expect(order.indexOf("reply")).toBeLessThan(3);
  });

  it("pauses everyone after a 429", async () => {
    const limiter = bulkLimiter();
    await settled(limiter.acquire({ key: "x", group: false }, 1));
    limiter.pauseFor(300);
    expect(await waitedMs(limiter, "y", 0)).toBeGreaterThanOrEqual(290);
  });

  it("holds back after an answer far later than usual, by its lateness", async () => {
    const limiter = bulkLimiter();
    await settled(limiter.acquire({ key: "x", group: false }, 1));
    // 500 answers at 50 ± 2 ms: usual median 50 ms, spread small, so the spare room rules
    // (30 ms of a second at 97 %, less the 10-send burst's 9.3 ms: about 20.7 ms).
    for (let i = 0; i < 500; i++) limiter.noteAnswer(48 + (i % 5));
    limiter.noteAnswer(60); // late, but within the spare room: no hold-back
    expect(await waitedMs(limiter, "y")).toBeLessThan(5);
    limiter.noteAnswer(130); // a stall of 80 ms on the way: hold back 80 ms
    const heldBack = await waitedMs(limiter, "z");
    expect(heldBack).toBeGreaterThanOrEqual(79);
    expect(heldBack).toBeLessThan(83);
    limiter.noteAnswer(5_000); // however late, one hold-back is at most 250 ms
    expect(await waitedMs(limiter, "w")).toBeLessThanOrEqual(251);
  });

  it("does not hold back for lateness that is usual on a jittery network", async () => {
    const limiter = bulkLimiter();
    // Answers spread from 80 to 479 ms: 99.8 % within about 200 ms of the 280 ms median.
    for (let i = 0; i < 500; i++) limiter.noteAnswer(80 + ((i * 37) % 400));
    limiter.noteAnswer(450);
    expect(await waitedMs(limiter, "y")).toBeLessThan(5);
  });

  it("after a gap in answers, holds back for lateness the usual spread would let through", async () => {
    const limiter = bulkLimiter();
    // Answers a millisecond apart, spread over 80-479 ms (median about 280 ms).
    for (let i = 0; i < 500; i++) {
      limiter.noteAnswer(80 + ((i * 37) % 400));
      vi.advanceTimersByTime(1);
    }
    limiter.noteAnswer(450); // as late as usual here, the answers still coming: nothing held
    expect(await waitedMs(limiter, "y")).toBeLessThan(5);
    vi.advanceTimersByTime(60); // then no answer for 60 ms...
    limiter.noteAnswer(290); // ...and one on time: nothing held
    expect(await waitedMs(limiter, "z")).toBeLessThan(5);
    vi.advanceTimersByTime(60); // no answer for 60 ms again, and one 60 ms late: a stall
    limiter.noteAnswer(340);
    const heldBack = await waitedMs(limiter, "w");
    expect(heldBack).toBeGreaterThanOrEqual(55);
    expect(heldBack).toBeLessThan(66);
  });

  it("holds nothing back before it knows the usual time to answer", async () => {
    const limiter = bulkLimiter();
    for (let i = 0; i < 10; i++) limiter.noteAnswer(50);
    limiter.noteAnswer(400);
    expect(await waitedMs(limiter, "y")).toBeLessThan(5);
  });

  it("refuses a rate that is not positive", () => {
    expect(
      () => new RateLimiter({ perSecond: 0, perChatIntervalMs: 0, perGroupIntervalMs: 0 }),
    ).toThrow(RangeError);
  });
});
