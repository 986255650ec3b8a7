import { describe, expect, it } from "vitest";
import { formatReaderTime } from "../../src/text/time";

const HANOI = "Asia/Ho_Chi_Minh";
const NOW = new Date("2026-12-01T03:00:00Z");

describe("formatReaderTime: one date format for every screen", () => {
  it("writes time then day/month in the reader's zone, this year without the year", () => {
    expect(formatReaderTime("2026-01-27T02:15:00Z", HANOI, NOW)).toBe("09:15 27/01");
    expect(formatReaderTime(new Date("2026-11-30T17:05:00Z"), HANOI, NOW)).toBe("00:05 01/12");
  });

  it("adds the year for a story of another year (the issue's December 2023 story)", () => {
    expect(formatReaderTime("2023-12-08T10:30:00Z", HANOI, NOW)).toBe("17:30 08/12/2023");
    expect(formatReaderTime("2027-01-02T01:00:00Z", HANOI, NOW)).toBe("08:00 02/01/2027");
  });

  it("decides the year in the reader's zone on both sides of New Year", () => {
    // 2025-12-31 17:30 UTC is already 2026 in Hà Nội, still 2025 in New York.
    const instant = "2025-12-31T17:30:00Z";
    const newYearHanoi = new Date("2026-01-01T01:00:00Z");
    expect(formatReaderTime(instant, HANOI, newYearHanoi)).toBe("00:30 01/01");
    expect(formatReaderTime(instant, "America/New_York", newYearHanoi)).toBe("12:30 31/12");
    // For a reader in New York on 2 January, the same story is last year's.
    const laterInNewYork = new Date("2026-01-02T15:00:00Z");
    expect(formatReaderTime(instant, "America/New_York", laterInNewYork)).toBe("12:30 31/12/2025");
    // And in Hà Nội on 31 December 2025 (local), a story of 1 January 2026 there is next year's.
    const eveHanoi = new Date("2025-12-31T16:00:00Z"); // 23:00 in Hà Nội
    expect(formatReaderTime(instant, HANOI, eveHanoi)).toBe("00:30 01/01/2026");
  });

  it("takes the current year as a number too (a digest knows its local date)", () => {
    expect(formatReaderTime("2023-12-08T10:30:00Z", HANOI, 2023)).toBe("17:30 08/12");
    expect(formatReaderTime("2023-12-08T10:30:00Z", HANOI, 2026)).toBe("17:30 08/12/2023");
  });

  it("shows midnight as 00, not 24, and an invalid instant as nothing", () => {
    expect(formatReaderTime("2026-03-01T17:00:00Z", HANOI, NOW)).toBe("00:00 02/03");
    expect(formatReaderTime("not a date", HANOI, NOW)).toBe("");
  });
});
