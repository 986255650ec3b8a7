/**
 * The alert rules as pure functions: what opens, what clears, what a process may not judge, and
 * the messages themselves (escaped on Telegram, a long error cut).
 */
import { describe, expect, it } from "vitest";
import {
  type AlertFacts,
  type AlertPolicy,
  planAlerts,
  type StoredFacts,
} from "../../src/alerts/detect";
import type { AlertIncident } from "../../src/alerts/incidents";
import { alertMessage, alertText } from "../../src/alerts/message";
import { refusalReason } from "../../src/alerts/run";
import { renderPayload } from "../../src/message/payload";

const POLICY: AlertPolicy = { feedFailures: 4, deadLetters: 20, outboxLagMinutes: 15 };
const NOW = "2026-01-27T03:00:00.000Z";
const FEED = { id: 7, url: "https://x.vn/rss", failuresInRow: 0, lastError: null };

function stored(over: Partial<StoredFacts> = {}): StoredFacts {
  return {
    feeds: [FEED],
    deadLetters: new Map(),
    queues: new Map(),
    rates: { telegram: 30, zalo: 5 },
    ...over,
  };
}
function facts(over: Partial<AlertFacts> = {}): AlertFacts {
  return { now: NOW, configured: ["telegram", "zalo"], stored: stored(), platforms: [], ...over };
}
function incident(key: string, details: Record<string, unknown>, openedAt = NOW): AlertIncident {
  return {
    key,
    kind: key.split(":")[0] as AlertIncident["kind"],
    openedAt,
    clearedAt: null,
    details,
  };
}
const keys = (plan: ReturnType<typeof planAlerts>) => ({
  open: plan.open.map((c) => c.key),
  clear: plan.clear.map((c) => `${c.incident.key}${c.tell ? "" : " (untold)"}`),
});

describe("planAlerts", () => {
  it("a feed opens at the threshold, stays open while it fails, clears on success", () => {
    const failing = (n: number) => stored({ feeds: [{ ...FEED, failuresInRow: n }] });
    expect(keys(planAlerts(facts({ stored: failing(3) }), POLICY, []))).toEqual({
      open: [],
      clear: [],
    });
    expect(keys(planAlerts(facts({ stored: failing(4) }), POLICY, []))).toEqual({
      open: ["feed:7"],
      clear: [],
    });
    const open = [incident("feed:7", { kind: "feed", sourceId: 7 })];
    expect(keys(planAlerts(facts({ stored: failing(9) }), POLICY, open))).toEqual({
      open: [],
      clear: [],
    });
    expect(keys(planAlerts(facts({ stored: failing(0) }), POLICY, open))).toEqual({
      open: [],
      clear: ["feed:7"],
    });
    expect(keys(planAlerts(facts({ stored: stored({ feeds: [] }) }), POLICY, open))).toEqual({
      open: [],
      clear: ["feed:7 (untold)"],
    });
  });

  it("a process that does not lead the job judges no stored incident", () => {
    const open = [
      incident("feed:7", { kind: "feed", sourceId: 7 }),
      incident("dead:telegram", { kind: "dead", platform: "telegram" }),
    ];
    const { stored: _, ...withoutStored } = facts();
    expect(keys(planAlerts(withoutStored, POLICY, open))).toEqual({ open: [], clear: [] });
  });

  it("dead letters count per configured platform", () => {
    const dead = stored({
      deadLetters: new Map([
        ["telegram", 20],
        ["zalo", 19],
      ]),
    });
    expect(keys(planAlerts(facts({ stored: dead }), POLICY, [])).open).toEqual(["dead:telegram"]);
    expect(
      keys(planAlerts(facts({ stored: dead, configured: ["zalo"] }), POLICY, [])).open,
    ).toEqual([]);
  });

  it("an outbox is behind when its oldest due row waits and little went lately", () => {
    const queue = (minutes: number, sentLately: number) =>
      stored({
        queues: new Map([
          [
            "zalo",
            {
              oldestDue: new Date(Date.parse(NOW) - minutes * 60_000).toISOString(),
              waiting: 40,
              sentLately,
            },
          ],
        ]),
      });
    // Zalo at 5/s: 15 minutes allow 4,500; half of that is keeping up.
    expect(keys(planAlerts(facts({ stored: queue(14, 0) }), POLICY, [])).open).toEqual([]);
    expect(keys(planAlerts(facts({ stored: queue(15, 2249) }), POLICY, [])).open).toEqual([
      "lag:zalo",
    ]);
    expect(keys(planAlerts(facts({ stored: queue(40, 2250) }), POLICY, [])).open).toEqual([]);
    const open = [incident("lag:zalo", { kind: "lag", platform: "zalo" })];
    // Open, it stays open while a row waits too long, even at full speed; caught up, it clears.
    expect(keys(planAlerts(facts({ stored: queue(40, 4500) }), POLICY, open)).clear).toEqual([]);
    expect(keys(planAlerts(facts({ stored: queue(3, 0) }), POLICY, open)).clear).toEqual([
      "lag:zalo",
    ]);
  });

  it("a refused token opens first, and clears only by the platform served again after it", () => {
    const refused = { platform: "telegram" as const, refused: "401 Unauthorized", startedAt: null };
    const failing = stored({ feeds: [{ ...FEED, failuresInRow: 5 }] });
    expect(
      keys(planAlerts(facts({ stored: failing, platforms: [refused] }), POLICY, [])).open,
    ).toEqual(["token:telegram", "feed:7"]);
    const open = [incident("token:telegram", { kind: "token", platform: "telegram" })];
    const running = (startedAt: string) => ({
      platform: "telegram" as const,
      refused: null,
      startedAt,
    });
    expect(keys(planAlerts(facts({ platforms: [] }), POLICY, open)).clear).toEqual([]);
    expect(keys(planAlerts(facts({ platforms: [running(NOW)] }), POLICY, open)).clear).toEqual([]);
    expect(
      keys(planAlerts(facts({ platforms: [running("2026-01-27T03:05:00.000Z")] }), POLICY, open))
        .clear,
    ).toEqual(["token:telegram"]);
    expect(keys(planAlerts(facts({ configured: ["zalo"] }), POLICY, open)).clear).toEqual([
      "token:telegram (untold)",
    ]);
  });
});

describe("alert messages", () => {
  it("are escaped on Telegram and cut when the error is long", () => {
    const details = {
      kind: "feed" as const,
      feedId: 1,
      url: "https://x.vn/rss?a=1&b=2",
      failures: 4,
      lastError: `<html> ${"lỗi ".repeat(200)}`,
    };
    const text = alertText(details, "opened", "vi");
    expect(text.length).toBeLessThan(400);
    expect(text).toContain("…");
    const [part] = renderPayload("telegram", alertMessage(details, "opened", "vi"), "vi").parts;
    const html = part?.kind === "text" ? part.text : "";
    expect(html).toContain("https://x.vn/rss?a=1&amp;b=2 lỗi 4 lần liên tiếp: &lt;html&gt; lỗi");
    expect(html).not.toContain("<html>");
  });

  it("name the platform and its token setting", () => {
    expect(
      alertText({ kind: "token", platform: "zalo", reason: "401 Unauthorized" }, "opened", "en"),
    ).toBe(
      "⚠️ Zalo refused the bot's token (401 Unauthorized): bantin stopped serving Zalo. Check ZALO_BOT_TOKEN and restart bantin.",
    );
    expect(
      alertText({ kind: "lag", platform: "telegram", minutes: 20, waiting: 3 }, "cleared", "vi"),
    ).toBe("✅ Hàng đợi gửi Telegram đã theo kịp.");
  });

  it("take the short reason of a channel's failure line", () => {
    expect(
      refusalReason(
        "Zalo refused the token (401 Unauthorized: invalid token): bantin stopped serving Zalo; check ZALO_BOT_TOKEN",
      ),
    ).toBe("401 Unauthorized: invalid token");
    expect(refusalReason("something else")).toBe("something else");
  });
});
