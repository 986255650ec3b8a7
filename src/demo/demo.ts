import type { Readable, Writable } from "node:stream";
import { runTerminalChat } from "../adapters/terminal/terminal-chat";
import { createChatCore } from "../chat/core";
import { type Clock, systemClock } from "../clock";
import type { Config } from "../config";
import { migrateToLatest, openDatabase } from "../db";
import type { Logger } from "../logging";
import { loadSampleNews } from "./sample-news";

/**
 * The demo: a chat in the terminal over bundled sample news, in its own in-memory database,
 * with no network.
 */
export async function runDemo(options: {
  config: Config;
  logger: Logger;
  input: Readable;
  output: Writable;
  clock?: Clock;
}): Promise<void> {
  const clock = options.clock ?? systemClock;
  const { db } = openDatabase({ kind: "sqlite", path: ":memory:" });
  try {
    await migrateToLatest(db);
    await loadSampleNews(db, clock());
    const core = createChatCore({
      db,
      clock,
      defaults: options.config.defaults,
      newsroom: options.config.newsroomName,
      logger: options.logger,
    });
    await runTerminalChat({
      core,
      chat: {
        platform: "terminal",
        chatId: "local",
        chatType: "private",
        user: { id: "local", name: null },
        isGroupAdmin: async () => true,
        buttons: false,
      },
      input: options.input,
      output: options.output,
      intro: [
        "bantin demo — bản tin trong khung chat, với tin mẫu, không cần mạng.",
        "Gõ /start để bắt đầu, số để bấm nút, /trogiup để xem lệnh, /thoat để thoát.",
        "(Type /start to begin, a number to press a button, /help for commands, /quit to leave.)",
        "",
      ],
    });
  } finally {
    await db.destroy();
  }
}
