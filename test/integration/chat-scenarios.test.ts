import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTerminalChat } from "../../src/adapters/terminal/terminal-chat";
import { type ChatCore, createChatCore } from "../../src/chat/core";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import { findReader, type Reader } from "../../src/readers/readers";
import { parseTelegramHtml, type RecordedCall } from "../fakes/telegram-api";
import { describeStores, type TestStore } from "../helpers/stores";
import {
  type Harness,
  NOW,
  prepareNewsDb,
  startTelegramHarness,
} from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness, zaloTexts } from "../helpers/zalo-harness";
import { SCENARIOS, type Step } from "../scenarios";

/**
 * One table of chat scenarios, run on every platform where the behaviour is the same. A driver
 * speaks each platform's idiom: Telegram presses inline buttons; Zalo types the choice's number.
 */
interface ChatDriver {
  /** Sends text; returns the visible text of every reply. */
  say(text: string): Promise<string[]>;
  /** Picks the choice whose label matches, from the last message that offered choices. */
  choose(label: RegExp): Promise<string[]>;
  reader(): Promise<Reader | undefined>;
}

async function run(driver: ChatDriver, steps: Step[]) {
  for (const step of steps) {
    if ("check" in step) {
      step.check(await driver.reader());
      continue;
    }
    const texts = "say" in step ? await driver.say(step.say) : await driver.choose(step.choose);
    const all = texts.join("\n---\n");
    for (const pattern of step.expect ?? [])
      expect(all, `after ${JSON.stringify(step)}`).toMatch(pattern);
    for (const pattern of step.not ?? []) expect(all).not.toMatch(pattern);
  }
}

// ---- Telegram driver -------------------------------------------------------------------------

function telegramDriver(h: Harness, chatId: number): ChatDriver {
  let lastKeyboard: {
    messageId: number;
    buttons: { text: string; callback_data?: string }[];
  } | null = null;
  const visible = (calls: RecordedCall[]) => {
    const texts: string[] = [];
    for (const call of calls) {
      if (call.method === "answerCallbackQuery" && call.params.text)
        texts.push(String(call.params.text));
      // An album: each photo's caption, in order, as the reader sees them.
      if (call.method === "sendMediaGroup" && call.ok !== false) {
        for (const media of call.params.media as { caption?: string }[]) {
          const parsed = parseTelegramHtml(String(media.caption ?? ""));
          expect(parsed.ok, media.caption).toBe(true);
          if (parsed.ok && parsed.text) texts.push(parsed.text);
        }
      }
      if (
        !["sendMessage", "sendPhoto", "editMessageText"].includes(call.method) ||
        call.ok === false
      )
        continue;
      const html = String(call.params.text ?? call.params.caption ?? "");
      const parsed = parseTelegramHtml(html);
      expect(parsed.ok, html).toBe(true);
      texts.push(parsed.ok ? parsed.text : html);
      const markup = call.params.reply_markup as
        | { inline_keyboard?: { text: string; callback_data?: string }[][] }
        | undefined;
      // Buttons are part of what the reader sees.
      for (const row of markup?.inline_keyboard ?? [])
        texts.push(row.map((b) => b.text).join(" | "));
      if (markup?.inline_keyboard) {
        const messageId =
          call.method === "editMessageText"
            ? Number(call.params.message_id)
            : Number((call.result as { message_id?: number } | undefined)?.message_id);
        lastKeyboard = { messageId, buttons: markup.inline_keyboard.flat() };
      }
    }
    return texts;
  };
  return {
    say: async (text) => visible(await h.send(h.fake.message({ chatId, text, firstName: "Lan" }))),
    async choose(label) {
      const button = lastKeyboard?.buttons.find((b) => label.test(b.text));
      if (!button?.callback_data || !lastKeyboard) throw new Error(`no button ${label} offered`);
      return visible(
        await h.send(
          h.fake.callbackQuery({
            chatId,
            data: button.callback_data,
            messageId: lastKeyboard.messageId,
          }),
        ),
      );
    },
    reader: () => findReader(h.db, "telegram", String(chatId)),
  };
}

// ---- numbered choices (Zalo, the terminal) ------------------------------------------------------

/** A driver for platforms without buttons: choices are "[n] label" lines, answered by number. */
function numberedDriver(
  sayText: (text: string) => Promise<string[]>,
  reader: () => Promise<Reader | undefined>,
): ChatDriver {
  // Each choice with the number shown beside it (a list item's is its item number).
  let lastChoices: { number: string; label: string }[] = [];
  const say = async (text: string) => {
    const texts = await sayText(text);
    for (const reply of texts) {
      const choices = [...reply.matchAll(/^\[(\d+)\] (.+)$/gm)].map((m) => ({
        number: m[1] as string,
        label: m[2] as string,
      }));
      if (choices.length > 0) lastChoices = choices;
    }
    return texts;
  };
  return {
    say,
    async choose(label) {
      const choice = lastChoices.find((c) => label.test(c.label));
      if (!choice) {
        const offered = lastChoices.map((c) => c.label).join(" | ");
        throw new Error(`no choice ${label} offered (have ${offered})`);
      }
      return say(choice.number);
    },
    reader,
  };
}

function zaloDriver(h: ZaloHarness, chatId: string): ChatDriver {
  return numberedDriver(
    async (text) => zaloTexts(await h.send(h.zalo.textEvent({ chatId, text, displayName: "Lan" }))),
    () => findReader(h.db, "zalo", chatId),
  );
}

// ---- terminal driver -------------------------------------------------------------------------

/**
 * The terminal adapter as the demo runs it: lines typed into its input, the replies read off its
 * output (each reply is one write; the prompt "> " says the line was handled).
 */
function terminalDriver(core: ChatCore, db: DbHandle, chatId: string) {
  const input = new PassThrough();
  let replies: string[] = [];
  let prompted: (() => void) | null = null;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      const text = String(chunk);
      if (text === "> ") prompted?.();
      else if (text.trim()) replies.push(text.trimEnd());
      callback();
    },
  });
  const session = runTerminalChat({
    core,
    chat: {
      platform: "terminal",
      chatId,
      chatType: "private",
      user: { id: chatId, name: "Lan" },
      isGroupAdmin: async () => true,
      buttons: false,
    },
    input,
    output,
  });
  const say = async (text: string) => {
    replies = [];
    const handled = new Promise<void>((resolve) => {
      prompted = resolve;
    });
    input.write(`${text}\n`);
    await handled;
    return replies;
  };
  const driver = numberedDriver(say, () => findReader(db, "terminal", chatId));
  return {
    driver,
    async stop() {
      input.end();
      await session;
    },
  };
}

// ---- the same table on each platform ---------------------------------------------------------

const platforms: {
  name: string;
  start(
    store: TestStore,
  ): Promise<{ driver(n: number): ChatDriver; db: DbHandle; stop(): Promise<void> }>;
}[] = [
  {
    name: "Telegram (polling)",
    async start(store) {
      const h = await startTelegramHarness("polling", {
        databaseUrl: await store.newDatabaseUrl(),
      });
      return { driver: (n) => telegramDriver(h, 70_000 + n), db: h.db, stop: () => h.stop() };
    },
  },
  {
    name: "Zalo (webhook)",
    async start(store) {
      const h = await startZaloHarness("webhook", { databaseUrl: await store.newDatabaseUrl() });
      return { driver: (n) => zaloDriver(h, `zl${n}`), db: h.db, stop: () => h.stop() };
    },
  },
  {
    name: "Zalo (polling)",
    async start(store) {
      const h = await startZaloHarness("polling", { databaseUrl: await store.newDatabaseUrl() });
      return { driver: (n) => zaloDriver(h, `zp${n}`), db: h.db, stop: () => h.stop() };
    },
  },
  {
    name: "the terminal (chat core in-process)",
    async start(store) {
      const { db } = await prepareNewsDb(await store.newDatabaseUrl());
      const core = createChatCore({
        db,
        clock: () => NOW,
        defaults: { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" },
        logger: silentLogger(),
      });
      const sessions: { stop(): Promise<void> }[] = [];
      return {
        driver(n) {
          const session = terminalDriver(core, db, `c${n}`);
          sessions.push(session);
          return session.driver;
        },
        db,
        async stop() {
          for (const session of sessions) await session.stop();
          core.close();
          await db.destroy();
        },
      };
    },
  },
];

describeStores("chat scenarios", (store) => {
  describe.each(platforms)("on $name", (platform) => {
    let bot: Awaited<ReturnType<(typeof platforms)[number]["start"]>>;
    beforeAll(async () => {
      bot = await platform.start(store);
    }, 30_000);
    afterAll(async () => {
      await bot?.stop();
    });

    it.each(SCENARIOS.map((s, i) => ({ ...s, i })))("$name", async ({ steps, i }) => {
      await run(bot.driver(i), steps);
    });
  });
});
