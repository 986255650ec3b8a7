import type { Readable, Writable } from "node:stream";
import { createChatCore } from "../../chat/core";
import type { Clock } from "../../clock";
import type { Db } from "../../db/schema";
import type { Logger } from "../../logging";
import { findReader, type ReaderDefaults } from "../../readers/readers";
import { runConsoleChat } from "./console-chat";

/** A console chat wired to the chat core: one reader, "console:local". */
export async function createConsoleChat(options: {
  db: Db;
  clock: Clock;
  defaults: ReaderDefaults;
  logger: Logger;
  input: Readable;
  output: Writable;
  intro?: string[];
}): Promise<void> {
  const core = createChatCore({
    db: options.db,
    clock: options.clock,
    defaults: options.defaults,
    logger: options.logger,
  });
  const chat = {
    platform: "console" as const,
    chatId: "local",
    chatType: "private" as const,
    user: { id: "local", name: null },
    isGroupAdmin: async () => true,
  };
  let locale: "vi" | "en" = options.defaults.locale;
  await runConsoleChat({
    core: {
      ...core,
      // Keep the console's own labels in the reader's language.
      handleText: async (ctx, text) => {
        const replies = await core.handleText(ctx, text);
        locale = (await findReader(options.db, "console", "local"))?.locale ?? locale;
        return replies;
      },
    },
    chat,
    input: options.input,
    output: options.output,
    intro: options.intro,
    locale: () => locale,
  });
}
