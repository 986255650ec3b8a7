/**
 * Group authority in one place: every command and button that changes a group's settings or
 * state is refused to a plain member and done for an admin (Telegram: the group's admins as
 * getChatMember tells; Zalo, whose Bot API does not tell: the ADMINS editors), on both platforms.
 * Reading and searching stay open to everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { listTopics } from "../../src/news/topics";
import { readerTopicIds } from "../../src/readers/reader-topics";
import { findReader, type Reader } from "../../src/readers/readers";
import { parseTelegramHtml, type RecordedCall } from "../fakes/telegram-api";
import { type Harness, startTelegramHarness } from "../helpers/telegram-harness";
import { startZaloHarness, type ZaloHarness, zaloTexts } from "../helpers/zalo-harness";

type Role = "member" | "admin";

/** One group on one platform, spoken to by a member or an admin. */
interface GroupDriver {
  say(role: Role, text: string): Promise<string>;
  /** Presses the button (Telegram) or types the choice's number (Zalo) whose label matches. */
  press(role: Role, label: RegExp): Promise<string>;
  reader(): Promise<Reader | undefined>;
  topics(): Promise<string[]>;
}

const REFUSED = /chỉ quản trị viên của nhóm/;

interface Scenario {
  name: string;
  /** Done by an admin first, to bring the group where the step starts. */
  setup?: (g: GroupDriver) => Promise<unknown>;
  step: (g: GroupDriver, role: Role) => Promise<string>;
  changed: (reader: Reader | undefined, topics: string[]) => boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: "/start with a topic's deep link subscribes the group",
    step: (g, role) => g.say(role, "/start topic_kinh-te"),
    changed: (_, topics) => topics.includes("kinh-te"),
  },
  {
    name: "ticking a topic in the picker",
    setup: (g) => g.say("admin", "/chude"),
    step: (g, role) => g.press(role, /Thời sự/),
    changed: (_, topics) => topics.includes("thoi-su"),
  },
  {
    name: "/gio 06:30 sets the digest time",
    step: (g, role) => g.say(role, "/gio 06:30"),
    changed: (r) => r?.digestTime === "06:30",
  },
  {
    name: "/gio tat turns the digest off",
    step: (g, role) => g.say(role, "/gio tat"),
    changed: (r) => r?.digestEnabled === false,
  },
  {
    name: "/lang en switches the language",
    step: (g, role) => g.say(role, "/lang en"),
    changed: (r) => r?.locale === "en",
  },
  {
    name: "the language buttons",
    setup: (g) => g.say("admin", "/lang"),
    step: (g, role) => g.press(role, /English/),
    changed: (r) => r?.locale === "en",
  },
  {
    name: "confirming /huy stops the group",
    setup: (g) => g.say("admin", "/huy"),
    step: (g, role) => g.press(role, /Có, dừng/),
    changed: (r) => r?.status === "stopped",
  },
  {
    name: "/start turns a stopped group back on",
    setup: async (g) => {
      await g.say("admin", "/huy");
      await g.press("admin", /Có, dừng/);
    },
    step: (g, role) => g.say(role, "/start"),
    changed: (r) => r?.status === "active",
  },
];

/** Commands that only read: every member may use them. */
const OPEN: [string, RegExp][] = [
  ["/moi", /Tin mới nhất/],
  ["/tim doi ngoai", /Kết quả tìm/],
  ["/trogiup", /\/tim <từ khóa>/],
  ["/gio", /Bản tin hằng ngày/],
];

// ---- Telegram: a group whose admin getChatMember reports as administrator ---------------------

const TG_MEMBER = 5_002;
const TG_ADMIN = 5_003;

function telegramGroup(h: Harness, chatId: number): GroupDriver {
  let keyboard: { messageId: number; buttons: { text: string; callback_data?: string }[] } | null =
    null;
  h.fake.setChatMemberStatus(chatId, TG_MEMBER, "member");
  h.fake.setChatMemberStatus(chatId, TG_ADMIN, "administrator");
  const seen = (calls: RecordedCall[]) => {
    const texts: string[] = [];
    for (const call of calls) {
      if (call.method === "answerCallbackQuery" && call.params.text) {
        texts.push(String(call.params.text));
      }
      if (!["sendMessage", "editMessageText"].includes(call.method) || call.ok !== true) continue;
      const parsed = parseTelegramHtml(String(call.params.text));
      texts.push(parsed.ok ? parsed.text : String(call.params.text));
      const markup = call.params.reply_markup as
        | { inline_keyboard?: { text: string; callback_data?: string }[][] }
        | undefined;
      if (markup?.inline_keyboard) {
        const messageId =
          call.method === "editMessageText"
            ? Number(call.params.message_id)
            : Number((call.result as { message_id?: number }).message_id);
        keyboard = { messageId, buttons: markup.inline_keyboard.flat() };
      }
    }
    return texts.join("\n");
  };
  const fromId = (role: Role) => (role === "admin" ? TG_ADMIN : TG_MEMBER);
  return {
    say: async (role, text) =>
      seen(await h.send(h.fake.message({ chatId, chatType: "group", fromId: fromId(role), text }))),
    async press(role, label) {
      const button = keyboard?.buttons.find((b) => label.test(b.text));
      if (!keyboard || !button?.callback_data) throw new Error(`no button ${label}`);
      const update = h.fake.callbackQuery({
        chatId,
        chatType: "group",
        fromId: fromId(role),
        data: button.callback_data,
        messageId: keyboard.messageId,
      });
      return seen(await h.send(update));
    },
    reader: () => findReader(h.db, "telegram", String(chatId)),
    topics: () => topicSlugs(h.db, "telegram", String(chatId)),
  };
}

// ---- Zalo: no admins from the API, so ADMINS decides -------------------------------------------

function zaloGroup(h: ZaloHarness, chatId: string): GroupDriver {
  let choices: string[] = [];
  const say = async (role: Role, text: string) => {
    const event = h.zalo.textEvent({
      chatId,
      chatType: "GROUP",
      fromId: role === "admin" ? "za1" : "zm1",
      text,
    });
    const texts = zaloTexts(await h.send(event));
    for (const reply of texts) {
      const offered = [...reply.matchAll(/^\[(\d+)\] (.+)$/gm)].map((m) => m[2] as string);
      if (offered.length > 0) choices = offered;
    }
    return texts.join("\n");
  };
  return {
    say,
    async press(role, label) {
      const index = choices.findIndex((c) => label.test(c));
      if (index < 0) throw new Error(`no choice ${label} (have ${choices.join(" | ")})`);
      return say(role, String(index + 1));
    },
    reader: () => findReader(h.db, "zalo", chatId),
    topics: () => topicSlugs(h.db, "zalo", chatId),
  };
}

async function topicSlugs(db: DbHandle, platform: "telegram" | "zalo", chatId: string) {
  const reader = await findReader(db, platform, chatId);
  if (!reader) return [];
  const ids = new Set(await readerTopicIds(db, reader.id));
  return (await listTopics(db)).filter((c) => ids.has(c.id)).map((c) => c.slug);
}

// ---- the same table on both platforms ----------------------------------------------------------

let groups = 0;
const platforms = [
  {
    name: "Telegram",
    async start() {
      const h = await startTelegramHarness("polling");
      return { group: () => telegramGroup(h, -(700_000 + ++groups)), stop: () => h.stop() };
    },
  },
  {
    name: "Zalo",
    async start() {
      const h = await startZaloHarness("webhook", { admins: "zalo:za1" });
      return { group: () => zaloGroup(h, `zg${++groups}`), stop: () => h.stop() };
    },
  },
];

describe.each(platforms)("group authority on $name", (platform) => {
  let bot: { group(): GroupDriver; stop(): Promise<void> };
  beforeAll(async () => {
    bot = await platform.start();
  }, 30_000);
  afterAll(() => bot?.stop());

  describe.each(SCENARIOS)("$name", (scenario) => {
    it("is refused to a plain member, and nothing changes", async () => {
      const g = bot.group();
      await g.say("admin", "/start");
      await scenario.setup?.(g);
      const before = { reader: await g.reader(), topics: await g.topics() };
      expect(scenario.changed(before.reader, before.topics)).toBe(false);
      const said = await scenario.step(g, "member");
      expect(said).toMatch(REFUSED);
      expect(scenario.changed(await g.reader(), await g.topics())).toBe(false);
    });

    it("is done for an admin", async () => {
      const g = bot.group();
      await g.say("admin", "/start");
      await scenario.setup?.(g);
      const said = await scenario.step(g, "admin");
      expect(said).not.toMatch(REFUSED);
      expect(scenario.changed(await g.reader(), await g.topics())).toBe(true);
    });
  });

  it.each(OPEN)("a member may use %s", async (text, reply) => {
    const g = bot.group();
    const said = await g.say("member", text);
    expect(said).toMatch(reply);
    expect(said).not.toMatch(REFUSED);
  });
});
