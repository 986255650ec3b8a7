import { describe, expect, it } from "vitest";
import { formatEditorDue, formatEditorTime } from "../../src/text/time";

const HANOI = "Asia/Ho_Chi_Minh";

describe("formatEditorTime: one time format for the CLI and the console", () => {
  it("says the local date and time in the newsroom's zone, with its offset", () => {
    expect(formatEditorTime("2026-12-05T01:00:00.000Z", HANOI)).toBe("2026-12-05 08:00 (GMT+7)");
    expect(formatEditorTime(new Date("2026-12-04T17:30:00Z"), HANOI)).toBe(
      "2026-12-05 00:30 (GMT+7)",
    );
    expect(formatEditorTime("2026-12-05T01:00:00Z", "UTC")).toBe("2026-12-05 01:00 (GMT+0)");
    expect(formatEditorTime("2026-12-05T01:00:00Z", "Asia/Kolkata")).toBe(
      "2026-12-05 06:30 (GMT+5:30)",
    );
  });

  it("follows daylight saving: the offset is the one at that instant", () => {
    expect(formatEditorTime("2026-01-15T12:00:00Z", "Europe/Berlin")).toBe(
      "2026-01-15 13:00 (GMT+1)",
    );
    expect(formatEditorTime("2026-07-15T12:00:00Z", "Europe/Berlin")).toBe(
      "2026-07-15 14:00 (GMT+2)",
    );
  });

  it("gives nothing for an instant that is not one", () => {
    expect(formatEditorTime("not a time", HANOI)).toBe("");
  });
});

describe("formatEditorDue: a time something is due", () => {
  const now = "2026-12-05T01:00:00.000Z";
  it("says the word for now once it is due, as a new feed's next check is", () => {
    expect(formatEditorDue("1970-01-01T00:00:00.000Z", HANOI, now, "now")).toBe("now");
    expect(formatEditorDue(now, HANOI, now, "ngay bây giờ")).toBe("ngay bây giờ");
  });

  it("says the time when it is still to come", () => {
    expect(formatEditorDue("2026-12-05T01:15:00.000Z", HANOI, now, "now")).toBe(
      "2026-12-05 08:15 (GMT+7)",
    );
  });
});
