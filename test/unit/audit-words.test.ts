/**
 * The audit log in plain words (editors/audit-actions.ts with the console catalogues): every
 * action said in both languages with no field names, no `null`, `undefined` or JSON, and
 * entries this version does not know said by their values alone.
 */
import { describe, expect, it } from "vitest";
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditDetails,
  describeAudit,
  plainValues,
} from "../../src/editors/audit-actions";
import { catalogue } from "../../src/message/i18n";

/** One entry of each action as a service writes it (optional fields left out where allowed). */
const SAMPLES: { [A in AuditAction]: AuditDetails[A] } = {
  "feed.add": { feedId: 3, url: "https://baolaocai.vn/rss", topic: "thoi-su", fullText: true },
  "feed.check": {
    feedId: 3,
    url: "https://baolaocai.vn/rss",
    status: "failed",
    new: 0,
    updated: 0,
    error: "this is an HTML page, not a feed",
  },
  "feed.pause": { feedId: 3, url: "https://baolaocai.vn/rss" },
  "feed.resume": { feedId: 3, url: "https://baolaocai.vn/rss" },
  "feed.remove": { feedId: 3, url: "https://baolaocai.vn/rss" },
  "topic.add": { topicId: 1, slug: "thoi-su", vi: "Thời sự", en: "News" },
  "topic.rename": {
    topicId: 1,
    slug: "thoi-su",
    vi: "Thời sự",
    en: "News",
    before: { vi: "Thoi su", en: "Current" },
  },
  "topic.move": { topicId: 1, slug: "thoi-su", direction: "up", position: 1 },
  "topic.remove": {
    topicId: 1,
    slug: "thoi-su",
    vi: "Thời sự",
    en: "News",
    told: 1,
    feeds: 0,
    stories: 4,
  },
  "story.hide": { articleId: 9, title: "Tin sai" },
  "story.unhide": { articleId: 9, title: "Tin sai" },
  "story.retract": {
    articleId: 9,
    title: "Tin sai",
    reason: "Sai địa điểm",
    deleted: 2,
    edited: 3,
    tooOld: 1,
    zaloNotices: 4,
    zaloOlder: 0,
    queued: 0,
  },
  "story.refresh": { articleId: 9, title: "Tin sai", edited: 3, posts: 1, tooOld: 0 },
  "story.pin": { articleId: 9, title: "Tin sai", until: "2026-01-27T11:00:00.000Z" },
  "story.unpin": { articleId: 9, title: "Tin sai" },
  "delivery.retry": { ids: [4], count: 1 },
  "channel.add": {
    chatId: "-1001",
    title: "Kênh Lào Cai",
    topics: ["thoi-su"],
    mode: "digest",
    digestTime: "07:00",
  },
  "channel.update": {
    chatId: "-1001",
    title: "Kênh Lào Cai",
    topics: ["thoi-su"],
    mode: "instant",
    digestTime: "07:00",
  },
  "channel.remove": { chatId: "-1001", title: "Kênh Lào Cai" },
  "broadcast.prepare": { broadcastId: 2, audience: 1 },
  "broadcast.confirm": { broadcastId: 2, total: 20 },
  "broadcast.cancel": { broadcastId: 2, held: 1 },
  "broadcast.schedule": { broadcastId: 2, sendAt: "2026-01-27T05:00:00.000Z" },
  "broadcast.change": { broadcastId: 2, sendAt: "2026-01-27T06:30:00.000Z", text: true },
  "broadcast.test": { broadcastId: 2, chats: 1 },
  "console.sign-in": { how: "link" },
  "reader.erase": { platform: "zalo" },
};

const RAW = /\bnull\b|\bundefined\b|\[object|[{}]|\b[a-z]+[A-Z]\w*:|\b(topic|platform|detail): /;

describe("the audit log in plain words", () => {
  for (const locale of ["vi", "en"] as const) {
    const say = catalogue(locale).console.audit.say;
    it(`says every action in ${locale}, with no field names, nulls or JSON`, () => {
      for (const action of AUDIT_ACTIONS) {
        const detail = SAMPLES[action] as unknown as Record<string, unknown>;
        expect(detail, `no sample for ${action}`).toBeDefined();
        const words = describeAudit({ action, detail }, say);
        expect(words.length, action).toBeGreaterThan(0);
        expect(words, action).not.toMatch(RAW);
      }
    });
  }

  it("says a platform by its name and counts with the right plural", () => {
    const en = catalogue("en").console.audit.say;
    const vi = catalogue("vi").console.audit.say;
    const prepare = { broadcastId: 2, audience: 1, topic: "thoi-su", platform: "zalo" };
    expect(describeAudit({ action: "broadcast.prepare", detail: prepare }, en)).toBe(
      "Drafted breaking news 2 for 1 reader of thoi-su on Zalo",
    );
    expect(describeAudit({ action: "broadcast.prepare", detail: prepare }, vi)).toBe(
      "Soạn tin nóng 2 cho 1 người đọc chủ đề thoi-su trên Zalo",
    );
    expect(
      describeAudit({ action: "broadcast.confirm", detail: { broadcastId: 2, total: 20 } }, en),
    ).toBe("Sent breaking news 2 to 20 readers");
  });

  it("says a time as editors read times, in the newsroom's zone", () => {
    const en = catalogue("en").console.audit.say;
    const zone = { timeZone: "Asia/Ho_Chi_Minh" };
    const schedule = { broadcastId: 2, sendAt: "2026-01-27T05:00:00.000Z" };
    expect(describeAudit({ action: "broadcast.schedule", detail: schedule }, en, zone)).toBe(
      "Scheduled breaking news 2 for 2026-01-27 12:00 (GMT+7)",
    );
    const change = { broadcastId: 2, sendAt: "2026-01-27T06:30:00.000Z" };
    expect(describeAudit({ action: "broadcast.change", detail: change }, en, zone)).toContain(
      "new time 2026-01-27 13:30 (GMT+7)",
    );
  });

  it("leaves out what an older entry stored as null", () => {
    const en = catalogue("en").console.audit.say;
    const old = { broadcastId: 2, audience: 5, topic: null, platform: null, articleId: null };
    expect(describeAudit({ action: "broadcast.prepare", detail: old }, en)).toBe(
      "Drafted breaking news 2 for 5 readers",
    );
  });

  it("lets the front end explain a feed check's error in its own words", () => {
    const vi = catalogue("vi").console.audit.say;
    const words = describeAudit({ action: "feed.check", detail: SAMPLES["feed.check"] }, vi, {
      explainError: () => "Đây là một trang web (HTML), không phải nguồn tin",
    });
    expect(words).toBe(
      "Kiểm tra nguồn tin 3: lỗi — Đây là một trang web (HTML), không phải nguồn tin",
    );
  });

  it("says an entry it does not know by its values alone", () => {
    const say = catalogue("vi").console.audit.say;
    const detail = {
      id: 2,
      text: "Tin nóng",
      topic: null,
      tags: ["a", "b"],
      on: true,
      more: { n: 3 },
    };
    expect(describeAudit({ action: "future.thing", detail }, say)).toBe("2 · Tin nóng · a · b · 3");
    expect(plainValues({ empty: "", none: null })).toBe("");
  });
});
