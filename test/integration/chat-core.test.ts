/**
 * Chat behaviour the chat core answers by itself, tested in-process (no platform, no HTTP): what
 * a reader types goes in as the adapters hand it, the replies come out as messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatContext } from "../../src/chat/context";
import { type ChatCore, createChatCore } from "../../src/chat/core";
import type { DbHandle } from "../../src/db/schema";
import { silentLogger } from "../../src/logging";
import { linesToPlainText } from "../../src/message/render/plain";
import { addTopic, TOPIC_SLUG_MAX } from "../../src/news/topics";
import { readerTopicIds } from "../../src/readers/reader-topics";
import { findReader } from "../../src/readers/readers";
import { NOW, prepareNewsDb } from "../helpers/telegram-harness";

const DEFAULTS = { locale: "vi" as const, timeZone: "Asia/Ho_Chi_Minh", digestTime: "07:00" };

function chat(chatId: string, editor = false): ChatContext {
  return {
    platform: "telegram",
    chatId,
    chatType: "private",
    user: { id: editor ? "42" : chatId, name: "Lan" },
    isGroupAdmin: async () => false,
    buttons: true,
  };
}

describe("the chat core, in-process", () => {
  let db: DbHandle;
  let core: ChatCore;
  const said = async (context: ChatContext, text: string) => {
    const { replies } = await core.handle(context, { kind: "text", text });
    return replies
      .map((r) =>
        r.type === "notice"
          ? r.text
          : r.type === "file"
            ? r.file.content
            : linesToPlainText(r.message.lines),
      )
      .join("\n");
  };

  beforeAll(async () => {
    ({ db } = await prepareNewsDb());
    core = createChatCore({
      db,
      clock: () => NOW,
      defaults: DEFAULTS,
      logger: silentLogger(),
      editors: [{ platform: "telegram", userId: "42" }],
    });
  });
  afterAll(async () => {
    core.close();
    await db.destroy();
  });

  it("a deep link carries any slug a topic may have (58 characters fit Telegram's 64)", async () => {
    const slug = `tin-${"a".repeat(TOPIC_SLUG_MAX - 4)}`;
    expect(slug).toHaveLength(58);
    expect(`topic_${slug}`.length).toBeLessThanOrEqual(64);
    const topic = await addTopic(db, { slug, name: { vi: "Tin dài", en: "Long" } });
    expect(await said(chat("c1"), `/start topic_${slug}`)).toContain("Đã theo dõi: Tin dài");
    const reader = await findReader(db, "telegram", "c1");
    expect(await readerTopicIds(db, reader?.id as number)).toEqual([topic.id]);
    // One character more is no topic's slug: the greeting, and no topic followed.
    expect(await said(chat("c2"), `/start topic_${slug}a`)).not.toContain("Đã theo dõi");
  });

  it("asks the one editor check: breaking news and /admin for editors only", async () => {
    expect(await said(chat("c3"), "/tinnong Bão số 3")).toBe(
      "Xin lỗi, lệnh này chỉ dành cho ban biên tập.",
    );
    expect(await said(chat("c3"), "/admin")).toBe(await said(chat("c3"), "/tinnong Bão số 3"));
    // An editor gets the preview; /admin without a console served says so.
    expect(await said(chat("c4", true), "/tinnong Bão số 3")).toContain("Bão số 3");
    expect(await said(chat("c4", true), "/admin")).toMatch(/chưa được bật/);
  });
});
