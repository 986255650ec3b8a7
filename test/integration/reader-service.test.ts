/**
 * The readers service, as every front end reaches readers: registering, the platforms' word on
 * reachability, and settings checked once (digest time and zone, quiet hours), on both stores.
 */
import { beforeEach, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { addTopic } from "../../src/news/topics";
import { type ReaderService, readerService } from "../../src/services/readers";
import { describeStores } from "../helpers/stores";

const NOW = new Date("2026-01-27T03:00:00.000Z");
const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };
const chat = (chatId: string) => ({
  platform: "zalo" as const,
  chatId,
  chatType: "private" as const,
  displayName: "Lan",
});

describeStores("the readers service", (store) => {
  let db: DbHandle;
  let readers: ReaderService;
  beforeEach(async () => {
    db = await store.db();
    readers = readerService({ db, clock: () => NOW, defaults: DEFAULTS });
  });

  it("registers a chat once, and keeps a stopped one stopped until it comes back", async () => {
    const first = await readers.forChat(chat("z1"));
    expect(first).toMatchObject({ isNew: true, reader: { status: "active", digestTime: "07:00" } });
    expect((await readers.forChat(chat("z1"))).isNew).toBe(false);
    await readers.stop(first.reader);
    expect((await readers.forChat(chat("z1"))).reader.status).toBe("stopped");
    expect((await readers.register(chat("z1"))).reader.status).toBe("active");
  });

  it("hears the platform: blocked, then back; a stranger allowing the bot becomes a reader", async () => {
    const { reader } = await readers.forChat(chat("z2"));
    await readers.setReachable(chat("z2"), false);
    expect((await readers.find("zalo", "z2"))?.status).toBe("blocked");
    await readers.setReachable(chat("z2"), true);
    expect((await readers.find("zalo", "z2"))?.status).toBe("active");
    // A reader who stopped is not turned back on by the platform, only by /start.
    await readers.stop(reader);
    await readers.setReachable(chat("z2"), true);
    expect((await readers.find("zalo", "z2"))?.status).toBe("stopped");
    await readers.setReachable(chat("z3"), true);
    expect((await readers.find("zalo", "z3"))?.status).toBe("active");
  });

  it("checks a digest time and zone once: the zone spelled as the runtime does", async () => {
    const { reader } = await readers.forChat(chat("z4"));
    expect(await readers.setDigestTime(reader, "25:00")).toEqual({ ok: false, problem: "time" });
    expect(await readers.setDigestTime(reader, "7:30", "Mars/Olympus")).toEqual({
      ok: false,
      problem: "zone",
    });
    const set = await readers.setDigestTime(reader, "7:30", "asia/bangkok");
    expect(set).toMatchObject({
      ok: true,
      reader: { digestTime: "07:30", timeZone: "Asia/Bangkok", digestEnabled: true },
    });
    const off = await readers.turnDigestOff(reader);
    expect(off).toMatchObject({ digestEnabled: false, digestTime: "07:30" });
    // Nothing refused was stored.
    expect((await readers.find("zalo", "z4"))?.timeZone).toBe("Asia/Bangkok");
  });

  it("checks quiet hours once; off is equal ends", async () => {
    const { reader } = await readers.forChat(chat("z5"));
    expect(await readers.setQuietHours(reader, "22h-22h")).toEqual({ ok: false, problem: "span" });
    expect(await readers.setQuietHours(reader, "22h-6h")).toMatchObject({
      ok: true,
      reader: { quietFrom: "22:00", quietUntil: "06:00" },
    });
    expect(await readers.setQuietHours(reader, null)).toMatchObject({
      ok: true,
      reader: { quietFrom: "00:00", quietUntil: "00:00" },
    });
  });

  it("follows topics and words for the reader", async () => {
    const { reader } = await readers.forChat(chat("z6"));
    const topic = await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } });
    expect(await readers.toggleTopic(reader, topic.id)).toBe(true);
    await readers.setTopicMode(reader, topic.id, "instant");
    expect(await readers.topicModes(reader)).toEqual([{ topicId: topic.id, mode: "instant" }]);
    expect(await readers.toggleTopic(reader, topic.id)).toBe(false);
    expect(await readers.topicIds(reader)).toEqual([]);
    expect((await readers.follow(reader, "bão lũ")).kind).toBe("added");
    expect((await readers.follow(reader, "Bao Lu")).kind).toBe("exists");
    expect((await readers.unfollow(reader, "1"))?.words).toBe("bão lũ");
    expect(await readers.follows(reader)).toEqual([]);
  });
});
