/**
 * The hostile corpus for what comes in from chat platforms (test/fixtures/hostile/): webhook
 * bodies that are not updates, and what readers may type. Each body gets a 4xx with a reason or
 * is taken without harm, never a 500; each input gets an answer (or none) without an error, in
 * HTML Telegram accepts; afterwards the bot still answers.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatCore } from "../../src/chat/core";
import { countUpdatesByState } from "../../src/inbox/updates";
import { silentLogger } from "../../src/logging";
import {
  type Harness,
  prepareNewsDb,
  startTelegramHarness,
  WEBHOOK_SECRET,
} from "../helpers/telegram-harness";
import {
  startZaloHarness,
  ZALO_SECRET,
  type ZaloHarness,
  zaloTexts,
} from "../helpers/zalo-harness";

interface BodyCase {
  name: string;
  body?: unknown;
  raw?: string;
  raw_hex?: string;
}

const corpus = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/hostile/${name}`, import.meta.url), "utf8")) as {
    cases?: BodyCase[];
    inputs?: string[];
  };

const TELEGRAM_BODIES = corpus("telegram-updates.json").cases ?? [];
const ZALO_BODIES = corpus("zalo-events.json").cases ?? [];
const INPUTS = corpus("chat-inputs.json").inputs ?? [];

/**
 * Text that turns the way a reply reads (bidi overrides and isolates) or hides in it (zero-width
 * characters): what the reader typed is never echoed with them.
 */
const INVISIBLE_INPUTS = [
  "/tim \u202Eexe.gnp\u202C",
  "/tim b\u00e3o\u200B l\u0169\u200D",
  "\u202Et\u00ecm b\u00e3o",
  "/theodoi \u2066n\u00f3ng\u2069 \uFEFF",
  "/gio 7\u200B:30 \u202EAsia/Bangkok",
  "/yenlang \u200F22h-6h\u200E",
  "/nonsense\u202E",
];
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

function bytesOf(c: BodyCase): Buffer {
  if (c.raw_hex !== undefined) return Buffer.from(c.raw_hex, "hex");
  if (c.raw !== undefined) return Buffer.from(c.raw, "utf8");
  return Buffer.from(JSON.stringify(c.body), "utf8");
}

function post(url: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("hostile Telegram webhook bodies", () => {
  let h: Harness;
  let url: string;
  const headers = {
    "content-type": "application/json",
    "x-telegram-bot-api-secret-token": WEBHOOK_SECRET,
  };
  beforeAll(async () => {
    h = await startTelegramHarness("webhook");
    url = `${h.running.http.url}/telegram/webhook`;
  });
  afterAll(() => h?.stop());

  it.each(TELEGRAM_BODIES.map((c) => [c.name, c] as const))(
    "%s: 200 or 400, never 500",
    async (_, c) => {
      const status = await post(url, bytesOf(c), headers);
      expect([200, 400]).toContain(status);
      await h.running.idle();
      expect((await countUpdatesByState(h.db)).failed ?? 0).toBe(0);
    },
  );

  it("any JSON at all: never a 500 (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), async (text) => {
        const status = await post(url, Buffer.from(text), headers);
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 150 },
    );
    await h.running.idle();
    expect((await countUpdatesByState(h.db)).failed ?? 0).toBe(0);
  });

  it("every hostile input typed in a chat is answered without an error, in valid HTML", async () => {
    const chatId = 71_000;
    for (const text of INPUTS) {
      const calls = await h.send(h.fake.message({ chatId, text }));
      // The fake validates like Telegram: text and caption sizes, the HTML subset.
      const refused = calls.filter((c) => c.ok === false);
      expect(refused, JSON.stringify(text.slice(0, 60))).toEqual([]);
    }
    expect((await countUpdatesByState(h.db)).failed ?? 0).toBe(0);
    const after = await h.send(h.fake.message({ chatId, text: "/trogiup" }));
    expect(after.some((c) => c.method === "sendMessage" && c.ok)).toBe(true);
  });

  it("echoes what was typed without bidi controls or zero-width characters", async () => {
    const chatId = 71_001;
    const greeting = await h.send(
      h.fake.message({ chatId: 71_002, text: "/start", firstName: "\u202ELan\u202C\u200B" }),
    );
    const hello = greeting.filter((c) => c.method === "sendMessage" && c.ok);
    expect(String(hello[0]?.params.text)).toContain("Lan");
    for (const call of hello) expect(String(call.params.text)).not.toMatch(INVISIBLE);
    for (const text of INVISIBLE_INPUTS) {
      const calls = await h.send(h.fake.message({ chatId, text }));
      const sent = calls.filter((c) => c.method === "sendMessage" && c.ok);
      expect(sent.length, JSON.stringify(text)).toBeGreaterThan(0);
      for (const call of sent) expect(String(call.params.text)).not.toMatch(INVISIBLE);
    }
  });
});

describe("hostile Zalo webhook bodies", () => {
  let h: ZaloHarness;
  let url: string;
  const headers = { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET };
  beforeAll(async () => {
    h = await startZaloHarness("webhook");
    url = `${h.running.http.url}/zalo/webhook`;
  });
  afterAll(() => h?.stop());

  it.each(ZALO_BODIES.map((c) => [c.name, c] as const))(
    "%s: 200 or 400, never 500",
    async (_, c) => {
      const status = await post(url, bytesOf(c), headers);
      expect([200, 400]).toContain(status);
      await h.running.idle();
      expect((await countUpdatesByState(h.db)).failed ?? 0).toBe(0);
    },
  );

  it("no reader is ever made from a chat id that is not one", async () => {
    const readers = await h.db.selectFrom("readers").select("chat_id").execute();
    for (const { chat_id } of readers) expect(chat_id).not.toMatch(/object|^$|,/);
  });

  it("every hostile input typed in a chat is answered without an error, under 2,000 characters", async () => {
    for (const text of INPUTS) {
      const calls = await h.send(h.zalo.textEvent({ chatId: "zhostile", text }));
      expect(
        calls.filter((c) => c.ok === false),
        JSON.stringify(text.slice(0, 60)),
      ).toEqual([]);
      for (const reply of zaloTexts(calls)) expect(reply.length).toBeLessThanOrEqual(2000);
    }
    expect((await countUpdatesByState(h.db)).failed ?? 0).toBe(0);
  });

  it("echoes what was typed without bidi controls or zero-width characters", async () => {
    for (const text of INVISIBLE_INPUTS) {
      const replies = zaloTexts(await h.send(h.zalo.textEvent({ chatId: "zinvisible", text })));
      expect(replies.length, JSON.stringify(text)).toBeGreaterThan(0);
      for (const reply of replies) expect(reply).not.toMatch(INVISIBLE);
    }
  });
});

describe("the chat never throws on what is typed (property)", () => {
  it("any text, in a private chat and in a group, on a platform with and without buttons", async () => {
    const { db } = await prepareNewsDb();
    const core = createChatCore({
      db,
      clock: () => new Date("2026-01-27T03:00:00.000Z"),
      defaults: { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
      logger: silentLogger(),
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: "grapheme", maxLength: 400 }),
          fc.boolean(),
          fc.boolean(),
          async (text, group, buttons) => {
            const output = await core.handle(
              {
                platform: buttons ? "telegram" : "zalo",
                chatId: group ? "-1001" : "1001",
                chatType: group ? "group" : "private",
                user: { id: "1001", name: null },
                isGroupAdmin: async () => false,
                buttons,
              },
              { kind: "text", text },
            );
            expect(Array.isArray(output.replies)).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    } finally {
      core.close();
      await db.destroy();
    }
  });
});
