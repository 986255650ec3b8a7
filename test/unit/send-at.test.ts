import { describe, expect, it } from "vitest";
import { broadcastMessage } from "../../src/broadcasts/message";
import { parseSendAt } from "../../src/broadcasts/send-at";
import { renderPayload } from "../../src/message/payload";

const ZONE = "Asia/Ho_Chi_Minh";
const NOW = new Date("2026-01-27T03:00:00.000Z"); // 10:00 there

describe("a broadcast's send time", () => {
  it.each([
    ["12:00", "2026-01-27T05:00:00.000Z"], // later today
    ["9:30", "2026-01-28T02:30:00.000Z"], // passed today: tomorrow
    ["10:00", "2026-01-28T03:00:00.000Z"], // now is not "to come"
    ["00:05", "2026-01-27T17:05:00.000Z"], // after midnight there, still the 27th in UTC
    ["2026-01-27T12:00", "2026-01-27T05:00:00.000Z"], // datetime-local, in the zone
    ["2026-01-27 12:00", "2026-01-27T05:00:00.000Z"],
    ["2026-01-27T12:00+07:00", "2026-01-27T05:00:00.000Z"],
    ["2026-01-27T05:00Z", "2026-01-27T05:00:00.000Z"],
  ])("%s -> %s", (text, iso) => {
    expect(parseSendAt(text, ZONE, NOW)).toEqual({ kind: "ok", iso });
  });

  it("reads local times in other zones too", () => {
    expect(parseSendAt("2026-07-01T09:00", "Europe/Paris", NOW)).toEqual({
      kind: "ok",
      iso: "2026-07-01T07:00:00.000Z",
    });
  });

  it.each(["2026-01-27T09:59", "2026-01-27T10:00", "2025-12-31T23:00Z"])(
    "%s has passed",
    (text) => {
      expect(parseSendAt(text, ZONE, NOW).kind).toBe("past");
    },
  );

  it.each(["", "mai", "25:00", "7h", "2026-02-31T10:00", "2026-13-01T10:00", "12:00:00:00"])(
    "%o is not a time",
    (text) => {
      expect(parseSendAt(text, ZONE, NOW)).toEqual({ kind: "bad" });
    },
  );
});

describe("breaking news with a photo", () => {
  const message = broadcastMessage(
    { text: "Lũ về", photoUrl: "https://example.vn/lu.jpg" },
    null,
    "vi",
    "bantin",
  );
  it("is the photo with the message as its caption on Telegram", () => {
    expect(renderPayload("telegram", message, "vi").parts).toEqual([
      {
        kind: "photo",
        format: "html",
        url: "https://example.vn/lu.jpg",
        caption: "<b>🔴 TIN NÓNG · bantin</b>\n\nLũ về",
      },
    ]);
  });
  it("and on Zalo", () => {
    expect(renderPayload("zalo", message, "vi").parts).toEqual([
      {
        kind: "photo",
        format: "plain",
        url: "https://example.vn/lu.jpg",
        caption: "🔴 TIN NÓNG · bantin\n\nLũ về",
      },
    ]);
  });
});
