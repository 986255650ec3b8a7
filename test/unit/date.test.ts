import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findDayFirstDateTime, judgeDateTime, parseDateTime } from "../../src/text/date";

const NOW = new Date("2026-01-27T00:00:00Z");
const EXPECTED = "2026-01-26T01:27:00.000Z";

describe("parseDateTime: the forms it reads", () => {
  it.each([
    // ISO 8601
    ["2026-01-26T08:27:00+07:00", EXPECTED],
    ["2026-01-26T01:27:00Z", EXPECTED],
    ["2026-01-26T01:27:00.999z", EXPECTED],
    ["2026-01-26T08:27:00.123+0700", EXPECTED],
    ["2026-01-25T20:57:00-04:30", EXPECTED],
    ["2026-01-26 08:27", EXPECTED],
    ["2026-1-26 8:27", EXPECTED],
    ["2026-01-26", "2026-01-25T17:00:00.000Z"],
    // RFC 822 / 1123 / 2822, numeric and named zones
    ["Mon, 26 Jan 2026 08:27:00 +0700", EXPECTED],
    ["Mon, 26 Jan 2026 01:27:00 GMT", EXPECTED],
    ["Sun, 25 Jan 2026 20:27:00 EST", EXPECTED],
    ["Mon, 26 Jan 2026 08:27:00 ICT", EXPECTED],
    ["Mon, 26 Jan 2026 08:27:00 +0700 (ICT)", EXPECTED],
    ["26 Jan 2026 08:27:00 GMT+7", EXPECTED],
    ["Mon, 26 Jan 26 08:27 +0700", EXPECTED],
    ["Monday, 26-Jan-26 01:27:00 UTC", EXPECTED],
    ["Mon, 26 January 2026 08:27:00", EXPECTED],
    // English month-first spellings
    ["Jan 26, 2026 01:27 UTC", EXPECTED],
    ["Mon Jan 26 2026 08:27:00 GMT+0700 (Indochina Time)", EXPECTED],
    // Vietnamese day-first, always UTC+7
    ["26/01/2026 08:27", EXPECTED],
    ["26/01/2026", "2026-01-25T17:00:00.000Z"],
    ["08:27 26/01/2026", EXPECTED],
    ["26.01.2026 08h27", EXPECTED],
    ["26-01-2026, 08g27", EXPECTED],
    ["1/1/2026 6:05", "2025-12-31T23:05:00.000Z"],
  ])("%s -> %s", (text, iso) => {
    expect(parseDateTime(text)).toBe(iso);
    expect(parseDateTime(text, { findInText: true, now: NOW })).toBe(iso);
  });

  it("reads a leap second as :59", () => {
    expect(parseDateTime("Mon, 26 Jan 2026 08:27:60 +0700")).toBe("2026-01-26T01:27:59.000Z");
  });
});

describe("parseDateTime: what it refuses", () => {
  it.each([
    "",
    "hôm qua",
    "không có ngày",
    "Tue, 31 Feb 2026 08:27:00 +0700",
    "Mon, 26 Foo 2026 08:27:00 +0700",
    "Mon, 26 Jan 2026 08:27:00 XYZ",
    "2026-01-26T08:27:00+15:00",
    "31/02/2026 08:00",
    "26/13/2026",
    "25:00 26/01/2026",
    "2026-01-26T24:00",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "2026",
    "08:27",
  ])("%j", (text) => {
    expect(parseDateTime(text)).toBeNull();
    expect(parseDateTime(text, { findInText: true })).toBeNull();
  });

  it("takes null and undefined", () => {
    expect(parseDateTime(null)).toBeNull();
    expect(parseDateTime(undefined)).toBeNull();
  });

  it("ignores texts too long to be a dateline", () => {
    expect(parseDateTime(`${"x".repeat(200)} 26/01/2026`, { findInText: true })).toBeNull();
  });
});

describe("parseDateTime: a whole field versus a date in a line", () => {
  const lines = [
    "Thứ hai, 26/01/2026 08:27",
    "Thứ hai, 26/01/2026 - 08:27 (GMT+7)",
    "Cập nhật lúc 08:27 ngày 26/01/2026",
    "26/01/2026 | 08h27",
    "Minh Anh | 26/01/2026 08:27",
  ];

  it.each(lines)("finds the date in %j", (line) => {
    expect(parseDateTime(line, { findInText: true })).toBe(EXPECTED);
  });

  it.each(lines.filter((l) => l !== "26/01/2026 | 08h27"))("reads %j as no whole date", (line) => {
    expect(parseDateTime(line)).toBeNull();
  });

  it("ISO and RFC forms must be the whole text even when searching", () => {
    expect(parseDateTime("Đăng 2026-01-26T08:27:00+07:00", { findInText: true })).toBeNull();
    expect(
      parseDateTime("Published Mon, 26 Jan 2026 08:27:00 +0700", { findInText: true }),
    ).toBeNull();
  });

  it("lets the earliest day-first match decide", () => {
    expect(parseDateTime("25:00 26/01/2026", { findInText: true })).toBeNull();
    expect(parseDateTime("08:27 26/01/2026, sửa 09:00 27/01/2026", { findInText: true })).toBe(
      EXPECTED,
    );
  });

  it("locates the day-first part of a line", () => {
    expect(findDayFirstDateTime("Thứ hai, 26/01/2026 08:27 (GMT+7)")).toEqual({
      index: 9,
      length: 16,
    });
    expect(findDayFirstDateTime("không có ngày")).toBeNull();
  });
});

describe("judgeDateTime: the future", () => {
  it("allows a day ahead of now (clock skew), not more", () => {
    expect(judgeDateTime("2026-01-28T00:00:00Z", { now: NOW })).toEqual({
      kind: "ok",
      iso: "2026-01-28T00:00:00.000Z",
    });
    expect(judgeDateTime("2026-01-28T00:00:01Z", { now: NOW })).toEqual({ kind: "future" });
    expect(parseDateTime("26/01/2099 08:27", { findInText: true, now: NOW })).toBeNull();
  });

  it("does not judge without a now", () => {
    expect(parseDateTime("2099-01-01")).toBe("2098-12-31T17:00:00.000Z");
  });

  it("tells an unreadable text from a future one", () => {
    expect(judgeDateTime("hôm qua", { now: NOW })).toEqual({ kind: "none" });
  });
});

describe("parseDateTime: properties", () => {
  const instants = fc
    .integer({ min: Date.UTC(1990, 0, 2), max: Date.UTC(2199, 11, 30) })
    .map((ms) => new Date(Math.floor(ms / 1000) * 1000));
  const pad = (n: number) => String(n).padStart(2, "0");

  it("reads back what toUTCString and toISOString write", () => {
    fc.assert(
      fc.property(instants, (date) => {
        expect(parseDateTime(date.toUTCString())).toBe(date.toISOString());
        expect(parseDateTime(date.toISOString())).toBe(date.toISOString());
      }),
    );
  });

  it("reads any zone offset in ISO and RFC forms", () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -12 * 4, max: 14 * 4 }), (date, quarters) => {
        const offset = quarters * 15;
        const local = new Date(date.getTime() + offset * 60_000);
        const sign = offset < 0 ? "-" : "+";
        const hh = pad(Math.floor(Math.abs(offset) / 60));
        const mm = pad(Math.abs(offset) % 60);
        const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
        const iso = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${time}${sign}${hh}:${mm}`;
        const month = local.toUTCString().slice(8, 11);
        const rfc = `${local.getUTCDate()} ${month} ${local.getUTCFullYear()} ${time} ${sign}${hh}${mm}`;
        expect(parseDateTime(iso)).toBe(date.toISOString());
        expect(parseDateTime(rfc)).toBe(date.toISOString());
      }),
    );
  });

  it("reads Vietnamese local time as UTC+7, in both orders", () => {
    fc.assert(
      fc.property(instants, (date) => {
        const local = new Date(date.getTime() + 7 * 3_600_000);
        const day = `${local.getUTCDate()}/${local.getUTCMonth() + 1}/${local.getUTCFullYear()}`;
        const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
        expect(parseDateTime(`${day} ${time}`)).toBe(date.toISOString());
        expect(parseDateTime(`Ngày đăng: ${time} ${day}`, { findInText: true })).toBe(
          date.toISOString(),
        );
      }),
    );
  });

  it("never throws and gives ISO or null for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.boolean(), (text, findInText) => {
        const result = parseDateTime(text, { findInText, now: NOW });
        expect(result === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/.test(result)).toBe(
          true,
        );
      }),
    );
  });
});
