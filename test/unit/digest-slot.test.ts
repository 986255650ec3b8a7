import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DigestSlot,
  dueSlot,
  localSlotInstant,
  type SlotReader,
  slotVerdictsAt,
} from "../../src/digest/slot";
import { formatClockTime, localParts } from "../../src/text/time";

const LONG_AGO = "2020-01-01T00:00:00.000Z";

function reader(overrides: Partial<SlotReader> = {}): SlotReader {
  return {
    id: 1,
    timeZone: "Asia/Ho_Chi_Minh",
    digestTime: "07:00",
    lastDigestDate: null,
    createdAt: LONG_AGO,
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);
const iso = (text: string) => new Date(text).toISOString();

describe("localSlotInstant", () => {
  it("places a wall-clock time in fixed-offset and DST zones", () => {
    expect(localSlotInstant("2026-01-27", "07:00", "Asia/Ho_Chi_Minh").toISOString()).toBe(
      iso("2026-01-27T00:00Z"),
    );
    expect(localSlotInstant("2026-01-27", "00:00", "Asia/Ho_Chi_Minh").toISOString()).toBe(
      iso("2026-01-26T17:00Z"),
    );
    expect(localSlotInstant("2026-01-26", "23:59", "Asia/Ho_Chi_Minh").toISOString()).toBe(
      iso("2026-01-26T16:59Z"),
    );
    expect(localSlotInstant("2026-01-27", "07:00", "Pacific/Kiritimati").toISOString()).toBe(
      iso("2026-01-26T17:00Z"),
    );
    expect(localSlotInstant("2026-01-26", "19:00", "America/Los_Angeles").toISOString()).toBe(
      iso("2026-01-27T03:00Z"),
    );
    expect(localSlotInstant("2026-07-01", "19:00", "America/Los_Angeles").toISOString()).toBe(
      iso("2026-07-02T02:00Z"),
    );
    expect(localSlotInstant("2026-01-27", "07:00", "Asia/Kathmandu").toISOString()).toBe(
      iso("2026-01-27T01:15Z"),
    );
  });

  it("moves a time in a spring-forward gap to the first instant after the gap", () => {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z; 02:30 never happens.
    expect(localSlotInstant("2026-03-29", "02:30", "Europe/Berlin").toISOString()).toBe(
      iso("2026-03-29T01:00Z"),
    );
    expect(localSlotInstant("2026-03-29", "02:00", "Europe/Berlin").toISOString()).toBe(
      iso("2026-03-29T01:00Z"),
    );
    expect(localSlotInstant("2026-03-29", "01:59", "Europe/Berlin").toISOString()).toBe(
      iso("2026-03-29T00:59Z"),
    );
    expect(localSlotInstant("2026-03-29", "03:00", "Europe/Berlin").toISOString()).toBe(
      iso("2026-03-29T01:00Z"),
    );
    expect(localSlotInstant("2026-03-29", "03:30", "Europe/Berlin").toISOString()).toBe(
      iso("2026-03-29T01:30Z"),
    );
    // Santiago, 2026-09-06: midnight itself does not exist (00:00 -04 is 01:00 -03).
    expect(localSlotInstant("2026-09-06", "00:00", "America/Santiago").toISOString()).toBe(
      iso("2026-09-06T04:00Z"),
    );
  });

  it("takes the earlier occurrence of a time repeated at fall-back", () => {
    // Berlin, 2026-10-25: 03:00 CEST goes back to 02:00 CET at 01:00Z; 02:30 happens twice.
    expect(localSlotInstant("2026-10-25", "02:30", "Europe/Berlin").toISOString()).toBe(
      iso("2026-10-25T00:30Z"),
    );
    expect(localSlotInstant("2026-10-24", "02:30", "Europe/Berlin").toISOString()).toBe(
      iso("2026-10-24T00:30Z"),
    );
    expect(localSlotInstant("2026-10-26", "02:30", "Europe/Berlin").toISOString()).toBe(
      iso("2026-10-26T01:30Z"),
    );
  });

  it("rejects unknown zones, bad times and bad dates with a RangeError", () => {
    expect(() => localSlotInstant("2026-01-27", "07:00", "Mars/Olympus_Mons")).toThrow(
      /Unknown time zone: "Mars\/Olympus_Mons"/,
    );
    expect(() => localSlotInstant("2026-01-27", "07:00", "")).toThrow(RangeError);
    expect(() => localSlotInstant("2026-01-27", "25:00", "UTC")).toThrow(RangeError);
    expect(() => localSlotInstant("2026-02-30", "07:00", "UTC")).toThrow(RangeError);
    expect(() => localSlotInstant("27/01/2026", "07:00", "UTC")).toThrow(RangeError);
  });
});

describe("dueSlot", () => {
  it("switches local day at local midnight in Ho Chi Minh City (UTC+7)", () => {
    const servedToday = reader({ lastDigestDate: "2026-01-26" });
    // 23:59 on the 26th: today's 07:00 slot was served.
    expect(dueSlot(servedToday, at("2026-01-26T16:59Z"))).toBeNull();
    // 00:00 on the 27th: a new day, but 07:00 has not come yet.
    expect(dueSlot(servedToday, at("2026-01-26T17:00Z"))).toBeNull();
    expect(dueSlot(servedToday, at("2026-01-26T23:59Z"))).toBeNull();
    expect(dueSlot(servedToday, at("2026-01-27T00:00Z"))).toEqual({
      localDate: "2026-01-27",
      slotAt: iso("2026-01-27T00:00Z"),
    });
  });

  it("serves a 00:00 digest at local midnight, not UTC midnight", () => {
    const r = reader({ digestTime: "00:00", lastDigestDate: "2026-01-26" });
    expect(dueSlot(r, at("2026-01-26T16:59Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-26T17:00Z"))).toEqual({
      localDate: "2026-01-27",
      slotAt: iso("2026-01-26T17:00Z"),
    });
    expect(dueSlot({ ...r, lastDigestDate: "2026-01-27" }, at("2026-01-27T00:00Z"))).toBeNull();
  });

  it("serves a 23:59 digest in the last minute of the local day", () => {
    const r = reader({ digestTime: "23:59", lastDigestDate: "2026-01-25" });
    expect(dueSlot(r, at("2026-01-26T16:58Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-26T16:59Z"))).toEqual({
      localDate: "2026-01-26",
      slotAt: iso("2026-01-26T16:59Z"),
    });
    // Missed by a minute: the 26th is over locally, the 27th's slot is not due yet.
    expect(dueSlot(r, at("2026-01-26T17:00Z"))).toBeNull();
  });

  it("uses the local date in Los Angeles when the UTC date is already tomorrow", () => {
    const r = reader({ timeZone: "America/Los_Angeles", digestTime: "07:00" });
    // 2026-01-27T03:00Z is 19:00 on the 26th in Los Angeles (UTC-8).
    expect(dueSlot({ ...r, lastDigestDate: "2026-01-25" }, at("2026-01-27T03:00Z"))).toEqual({
      localDate: "2026-01-26",
      slotAt: iso("2026-01-26T15:00Z"),
    });
    expect(dueSlot({ ...r, lastDigestDate: "2026-01-26" }, at("2026-01-27T03:00Z"))).toBeNull();
    // 15:00Z on the 27th is 07:00 local on the 27th.
    expect(dueSlot({ ...r, lastDigestDate: "2026-01-26" }, at("2026-01-27T15:00Z"))).toEqual({
      localDate: "2026-01-27",
      slotAt: iso("2026-01-27T15:00Z"),
    });
  });

  it("uses the local date on Kiritimati (UTC+14) when the UTC date is still yesterday", () => {
    const r = reader({ timeZone: "Pacific/Kiritimati", lastDigestDate: "2026-01-26" });
    // 2026-01-26T16:59Z is 06:59 on the 27th there; 17:00Z is 07:00.
    expect(dueSlot(r, at("2026-01-26T16:59Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-26T17:00Z"))).toEqual({
      localDate: "2026-01-27",
      slotAt: iso("2026-01-26T17:00Z"),
    });
    expect(dueSlot({ ...r, lastDigestDate: "2026-01-27" }, at("2026-01-26T23:00Z"))).toBeNull();
  });

  it("serves a time lost to spring-forward once the clock jumps past it (Berlin)", () => {
    const r = reader({
      timeZone: "Europe/Berlin",
      digestTime: "02:30",
      lastDigestDate: "2026-03-28",
    });
    expect(dueSlot(r, at("2026-03-29T00:59Z"))).toBeNull(); // 01:59 CET
    expect(dueSlot(r, at("2026-03-29T01:00Z"))).toEqual({
      localDate: "2026-03-29",
      slotAt: iso("2026-03-29T01:00Z"), // 03:00 CEST
    });
    expect(dueSlot({ ...r, lastDigestDate: "2026-03-29" }, at("2026-03-29T01:30Z"))).toBeNull();
  });

  it("serves a time repeated at fall-back once, at its first occurrence (Berlin)", () => {
    const r = reader({
      timeZone: "Europe/Berlin",
      digestTime: "02:30",
      lastDigestDate: "2026-10-24",
    });
    expect(dueSlot(r, at("2026-10-25T00:29Z"))).toBeNull(); // 02:29 CEST
    expect(dueSlot(r, at("2026-10-25T00:30Z"))).toEqual({
      localDate: "2026-10-25",
      slotAt: iso("2026-10-25T00:30Z"),
    });
    // 01:30Z is 02:30 CET, the second time: already served.
    expect(dueSlot({ ...r, lastDigestDate: "2026-10-25" }, at("2026-10-25T01:30Z"))).toBeNull();
    // Down through the first 02:30 but up for the second: served, still dated by the first.
    expect(dueSlot(r, at("2026-10-25T01:30Z"))).toEqual({
      localDate: "2026-10-25",
      slotAt: iso("2026-10-25T00:30Z"),
    });
  });

  it("catches up once after three days of downtime, not once per missed day", () => {
    const r = reader({ lastDigestDate: "2026-01-23" });
    const now = at("2026-01-26T05:00Z"); // 12:00 on the 26th
    const slot = dueSlot(r, now);
    expect(slot).toEqual({ localDate: "2026-01-26", slotAt: iso("2026-01-26T00:00Z") });
    const served = { ...r, lastDigestDate: slot?.localDate ?? null };
    expect(dueSlot(served, now)).toBeNull();
    expect(dueSlot(served, at("2026-01-26T16:59Z"))).toBeNull();
    expect(dueSlot(served, at("2026-01-27T00:00Z"))?.localDate).toBe("2026-01-27");
  });

  it("returns null when today's slot was already served", () => {
    expect(dueSlot(reader({ lastDigestDate: "2026-01-26" }), at("2026-01-26T10:00Z"))).toBeNull();
    // A reader whose zone moved west may carry a later date: wait until it has passed.
    expect(dueSlot(reader({ lastDigestDate: "2026-01-27" }), at("2026-01-26T10:00Z"))).toBeNull();
  });

  it("serves a first digest to a new reader when today's slot comes after registration", () => {
    const r = reader({ createdAt: "2026-01-25T20:00:00.000Z" }); // 03:00 on the 26th
    expect(dueSlot(r, at("2026-01-26T00:00Z"))?.localDate).toBe("2026-01-26");
  });

  it("makes a reader who registered after today's slot wait for tomorrow's", () => {
    const r = reader({ createdAt: "2026-01-26T02:00:00.000Z" }); // 09:00, after 07:00
    expect(dueSlot(r, at("2026-01-26T02:00Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-26T16:59Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-26T23:59Z"))).toBeNull();
    expect(dueSlot(r, at("2026-01-27T00:00Z"))).toEqual({
      localDate: "2026-01-27",
      slotAt: iso("2026-01-27T00:00Z"),
    });
    // Registering exactly at the slot instant is not "before" it.
    const exact = reader({ createdAt: "2026-01-26T00:00:00.000Z" });
    expect(dueSlot(exact, at("2026-01-26T00:05Z"))).toBeNull();
    // SQLite's zone-less "YYYY-MM-DD HH:MM:SS" is read as UTC.
    const sqlite = reader({ createdAt: "2026-01-26 02:00:00" });
    expect(dueSlot(sqlite, at("2026-01-26T10:00Z"))).toBeNull();
  });

  it("tells a slot passed over (signed up after it) from one due and from nothing to say", () => {
    const judge = slotVerdictsAt(at("2026-01-26T02:00Z")); // 09:00 in Hà Nội
    const slot = { localDate: "2026-01-26", slotAt: iso("2026-01-26T00:00Z") };
    expect(judge(reader())).toEqual({ slot, due: true });
    expect(judge(reader({ createdAt: "2026-01-26T01:00:00.000Z" }))).toEqual({ slot, due: false });
    expect(judge(reader({ createdAt: "2026-01-26T00:00:00.000Z" }))).toEqual({ slot, due: false });
    // Served today, or the slot not come yet: nothing to mark either way.
    expect(judge(reader({ lastDigestDate: "2026-01-26" }))).toBeNull();
    expect(
      judge(reader({ digestTime: "10:00", createdAt: "2026-01-26T01:00:00.000Z" })),
    ).toBeNull();
  });

  it("throws a RangeError for an unknown zone or a malformed reader", () => {
    expect(() => dueSlot(reader({ timeZone: "Asia/Saigon_City" }), new Date())).toThrow(
      /Unknown time zone/,
    );
    expect(() => dueSlot(reader({ digestTime: "7h" }), new Date())).toThrow(RangeError);
    expect(() => dueSlot(reader({ createdAt: "yesterday" }), at("2026-01-26T10:00Z"))).toThrow(
      RangeError,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const ZONES = [
  "UTC",
  "Asia/Ho_Chi_Minh",
  "Asia/Kathmandu",
  "America/Los_Angeles",
  "America/St_Johns",
  "America/Santiago",
  "America/Havana",
  "Europe/Berlin",
  "Europe/London",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Africa/Casablanca",
];

const MIN_NOW = Date.parse("2024-01-01T00:00:00Z");
const MAX_NOW = Date.parse("2030-12-31T00:00:00Z");

const zoneArb = fc.constantFrom(...ZONES);
const timeArb = fc.integer({ min: 0, max: 24 * 60 - 1 }).map(formatClockTime);
const instantArb = fc.integer({ min: MIN_NOW, max: MAX_NOW }).map((ms) => new Date(ms));

/** The local date of an instant, independently of the code under test (formatters cached). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function localDate(ms: number, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe("dueSlot properties", () => {
  it("returns only slots that have passed, dated by the local date of now", () => {
    fc.assert(
      fc.property(
        zoneArb,
        timeArb,
        instantArb,
        fc.option(fc.integer({ min: -4, max: 1 }), { nil: null }),
        fc.integer({ min: -4 * 86_400_000, max: 86_400_000 }),
        (timeZone, digestTime, now, lastShift, createdShift) => {
          const today = localParts(now, timeZone).date;
          const r = reader({
            timeZone,
            digestTime,
            lastDigestDate: lastShift === null ? null : shiftDate(today, lastShift),
            createdAt: new Date(now.getTime() + createdShift).toISOString(),
          });
          const slot = dueSlot(r, now);
          if (slot === null) return;
          expect(Date.parse(slot.slotAt)).toBeLessThanOrEqual(now.getTime());
          expect(slot.localDate).toBe(today);
          expect(Date.parse(r.createdAt)).toBeLessThan(Date.parse(slot.slotAt));
          if (r.lastDigestDate !== null) expect(r.lastDigestDate < slot.localDate).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a midnight gap: the slot is the day's first minute", () => {
    const slot = localSlotInstant("2028-09-03", "00:00", "America/Santiago");
    expect(localParts(slot, "America/Santiago")).toMatchObject({
      date: "2028-09-03",
      time: "01:00",
    });
    expect(localParts(new Date(slot.getTime() - 60_000), "America/Santiago").date).toBe(
      "2028-09-02",
    );
  });

  it("places a slot on its local date at its wall-clock time, or just after a gap", () => {
    fc.assert(
      fc.property(zoneArb, timeArb, instantArb, (timeZone, time, day) => {
        const date = day.toISOString().slice(0, 10);
        const slot = localSlotInstant(date, time, timeZone);
        const local = localParts(slot, timeZone);
        expect(local.date).toBe(date);
        expect(local.time >= time).toBe(true);
        if (local.time !== time) {
          // A gap: the minute before the slot reads earlier than the wanted time, or, when the
          // gap is at midnight (America/Santiago, 2028-09-03 00:00 -> 01:00), the day before.
          const before = localParts(new Date(slot.getTime() - 60_000), timeZone);
          expect(before.date < date || before.time < time).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  /** Ticks every `step` ms from `start` for `days`, serving whatever is due. */
  function simulate(r: SlotReader, start: number, days: number, step: number) {
    const served: { slot: DigestSlot; tick: number }[] = [];
    const ticks: number[] = [];
    let current = r;
    for (let t = start; t <= start + days * 86_400_000; t += step) {
      ticks.push(t);
      const slot = dueSlot(current, new Date(t));
      if (slot) {
        served.push({ slot, tick: t });
        current = { ...current, lastDigestDate: slot.localDate };
      }
    }
    return { served, ticks };
  }

  function expectOnePerLocalDay(r: SlotReader, start: number, days: number, step: number) {
    const { served, ticks } = simulate(r, start, days, step);
    // The local days on which some tick came at or after that day's slot, in order.
    const lastTick = new Map<string, number>();
    for (const t of ticks) lastTick.set(localDate(t, r.timeZone), t);
    const expected = [...lastTick]
      .filter(([date, t]) => t >= localSlotInstant(date, r.digestTime, r.timeZone).getTime())
      .map(([date]) => date);
    expect(served.map((s) => s.slot.localDate)).toEqual(expected);
    expect(new Set(served.map((s) => s.slot.localDate)).size).toBe(served.length);
    for (const { slot, tick } of served) {
      // Served at the first tick at or after the slot (or at the first tick, catching up).
      expect(tick).toBeGreaterThanOrEqual(Date.parse(slot.slotAt));
      if (tick !== start) expect(tick - Date.parse(slot.slotAt)).toBeLessThan(step);
    }
    return served;
  }

  it("serves exactly one slot per local day over three days of 10-minute ticks", () => {
    fc.assert(
      fc.property(zoneArb, timeArb, instantArb, (timeZone, digestTime, start) => {
        const r = reader({ timeZone, digestTime });
        const served = expectOnePerLocalDay(r, start.getTime(), 3, 10 * 60_000);
        // Three days of ticks touch four local dates, or five when the clock goes forward an
        // hour near the end (Pacific/Chatham, 00:00, from 2024-09-28T10:15Z: served 28 Sep-2 Oct).
        expect(served.length).toBeLessThanOrEqual(5);
        // A slot in the day's last 10 minutes can fall between two ticks and be skipped (the
        // next tick is already tomorrow); any earlier slot is served every day.
        if (digestTime <= "23:50") expect(served.length).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 100 },
    );
  });

  it("serves one slot per day across Berlin's DST changes, minute by minute", () => {
    for (const [start, time, slotAt] of [
      ["2026-03-27T12:00:00Z", "02:30", "2026-03-29T01:00:00.000Z"],
      ["2026-03-27T12:00:00Z", "02:00", "2026-03-29T01:00:00.000Z"],
      ["2026-10-23T12:00:00Z", "02:30", "2026-10-25T00:30:00.000Z"],
      ["2026-10-23T12:00:00Z", "02:59", "2026-10-25T00:59:00.000Z"],
    ] as const) {
      const r = reader({ timeZone: "Europe/Berlin", digestTime: time });
      const served = expectOnePerLocalDay(r, Date.parse(start), 3, 60_000);
      // The first tick (noon on day 1) catches up that day's slot; then one per day.
      expect(served).toHaveLength(4);
      const dstDay = served.find((s) => s.slot.localDate === slotAt.slice(0, 10));
      expect(dstDay?.slot.slotAt).toBe(slotAt);
      expect(dstDay?.tick).toBe(Date.parse(slotAt));
    }
  });
});
