import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commandMenu, parseText } from "../../src/chat/commands";
import {
  type Action,
  decodeAction,
  encodeAction,
  MAX_ACTION_BYTES,
} from "../../src/message/actions";
import { catalogue } from "../../src/message/i18n";
import { en } from "../../src/message/i18n/en";
import { vi } from "../../src/message/i18n/vi";

describe("parseText", () => {
  it.each([
    ["/start", "start", ""],
    ["/start topic_kinh-te", "start", "topic_kinh-te"],
    ["/tim bão lũ", "search", "bão lũ"],
    ["/search@bantin_bot flood", "search", "flood"],
    ["/moi thoi-su", "latest", "thoi-su"],
    ["/doc 12", "read", "12"],
    ["/gio 07:30", "time", "07:30"],
    ["/huy", "stop", ""],
    ["/trogiup", "help", ""],
    ["/chude", "topics", ""],
    ["/bantin", "digest", ""],
    ["/LANG en", "lang", "en"],
    ["tìm bão lũ", "search", "bão lũ"],
    ["Tim bao lu", "search", "bao lu"],
    ["đọc 12", "read", "12"],
    ["chủ đề", "topics", ""],
    ["mới", "latest", ""],
    ["tin mới", "latest", ""],
    ["bản tin", "digest", ""],
    ["giờ 7:30", "time", "7:30"],
    ["dừng", "stop", ""],
    ["trợ giúp", "help", ""],
    ["/dulieu", "mydata", ""],
    ["/mydata", "mydata", ""],
    ["/dữ_liệu", "mydata", ""],
    ["dữ liệu", "mydata", ""],
    ["du lieu cua toi", "mydata", ""],
    ["/xoadulieu", "deleteme", ""],
    ["/deleteme", "deleteme", ""],
    ["xóa dữ liệu", "deleteme", ""],
    ["Xoa du lieu", "deleteme", ""],
  ])("%s -> %s %s", (text, name, args) => {
    expect(parseText(text, "bantin_bot")).toEqual({ kind: "command", name, args });
  });

  it("keeps ambiguous plain text as text", () => {
    for (const text of [
      "đọc báo hôm nay",
      "giờ làm việc của tòa soạn",
      "mới đây có mưa lớn",
      "dừng xe",
      "dữ liệu dân cư",
      "xóa dữ liệu cũ",
    ]) {
      expect(parseText(text).kind).toBe("text");
    }
  });

  it("tells unknown commands and commands for other bots apart", () => {
    expect(parseText("/xyz abc")).toEqual({ kind: "unknownCommand", command: "/xyz" });
    expect(parseText("/start@other_bot", "bantin_bot")).toEqual({ kind: "notForUs" });
  });

  it("never throws on any input (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        expect(["command", "unknownCommand", "notForUs", "text"]).toContain(parseText(text).kind);
      }),
    );
  });
});

describe("button actions", () => {
  const actions: Action[] = [
    { kind: "topic", topicId: 3 },
    { kind: "topicsDone" },
    { kind: "read", articleId: 123456 },
    { kind: "read", articleId: 2147483647, broadcastId: 2147483647 },
    { kind: "latest", topicId: null, page: 2 },
    { kind: "latest", topicId: 7, page: 0 },
    { kind: "search", page: 1, query: "doi ngoai" },
    { kind: "digest", page: 3 },
    { kind: "stop", confirm: true },
    { kind: "stop", confirm: false },
    { kind: "lang", locale: "en" },
    { kind: "broadcast", id: 12, confirm: true },
    { kind: "broadcast", id: 12, confirm: false },
    { kind: "erase", confirm: true },
    { kind: "erase", confirm: false },
    { kind: "noop" },
  ];

  it("round-trip and fit Telegram's 64 bytes", () => {
    for (const action of actions) {
      const data = encodeAction(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_ACTION_BYTES);
      expect(decodeAction(data)).toEqual(action);
    }
  });

  it("cut a long search query to fit, at a whole character", () => {
    const data = encodeAction({ kind: "search", page: 12, query: "đường ".repeat(40) });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_ACTION_BYTES);
    expect(decodeAction(data)).toMatchObject({ kind: "search", page: 12 });
    expect(data).not.toMatch(/\uFFFD/);
  });

  it("decode anything forged or stale to null, never throwing (property)", () => {
    for (const data of [
      "",
      "r:",
      "r:0",
      "r:-1",
      "r:5:0",
      "r:5:",
      "r:5:6:7",
      "r:1e9",
      "t:abc",
      "l:x:1",
      "x:2",
      "e:2",
      "e:1:1",
      "g:fr",
      "td:1",
      "n:1",
    ]) {
      expect(decodeAction(data)).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (data) => {
        const action = decodeAction(data);
        if (action) expect(decodeAction(encodeAction(action))).toEqual(action);
      }),
    );
  });
});

describe("the command menus and /help", () => {
  it("offer a reader's own data in both languages", () => {
    const names = (locale: "vi" | "en") => commandMenu(locale, (n) => n).map((c) => c.command);
    expect(names("vi")).toEqual(expect.arrayContaining(["dulieu", "xoadulieu"]));
    expect(names("en")).toEqual(expect.arrayContaining(["mydata", "deleteme"]));
    expect(vi.help.join("\n")).toMatch(/^\/dulieu — .*\n\/xoadulieu — xóa/m);
    expect(en.help.join("\n")).toMatch(/^\/mydata — .*\n\/deleteme — erase/m);
    expect(vi.commands.mydata).toBe("Dữ liệu của tôi");
    expect(en.commands.deleteme).toBe("Delete my data");
  });
});

describe("catalogues", () => {
  it("have the same keys in vi and en, all text in NFC", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    const strings = JSON.stringify([vi, en, vi.help, en.help, vi.commands, en.commands]);
    expect(strings).toBe(strings.normalize("NFC"));
    expect(catalogue("vi").welcome("Lan", "Báo Lào Cai")).toMatch(
      /^Xin chào Lan! Tôi là bản tin của Báo Lào Cai:/,
    );
    expect(catalogue("en").welcome(null, "bantin")).toMatch(/^Hello! .* of bantin:/);
  });
});
