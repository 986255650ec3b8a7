import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChatContext, ChatCore } from "../../chat/core";
import { catalogue } from "../../chat/i18n";
import type { ActionButton, Reply } from "../../chat/messages";
import { renderPlain } from "../plain-text";

export interface ConsoleChatOptions {
  core: ChatCore;
  chat: ChatContext;
  input: Readable;
  output: Writable;
  /** Printed once at the start. */
  intro?: string[];
  locale?: () => "vi" | "en";
}

const QUIT = new Set(["/quit", "/exit", "/thoat", "thoat", "thoát", "quit", "exit"]);

/**
 * The console adapter: a chat in the terminal. Buttons become numbered choices; typing a number
 * presses the matching button of the last message that had any.
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { core, chat, output } = options;
  const write = (text: string) => output.write(`${text}\n`);
  let choices: ActionButton[] = [];

  const show = (replies: Reply[]) => {
    const t = catalogue(options.locale?.() ?? "vi");
    for (const reply of replies) {
      if (reply.type === "notice") {
        if (reply.text) write(`› ${reply.text}`);
        continue;
      }
      const rendered = renderPlain(reply.message, { photo: t.photo });
      if (rendered.photo) {
        write(`🖼  ${t.photo}: ${rendered.photo.url}`);
        write(rendered.photo.caption);
      } else {
        write(rendered.text);
      }
      write("");
      if (rendered.choices.length > 0) choices = rendered.choices;
    }
  };

  for (const line of options.intro ?? []) write(line);
  const lines = createInterface({ input: options.input, terminal: false });
  const prompt = () => output.write("> ");
  prompt();
  for await (const raw of lines) {
    const text = raw.trim();
    if (QUIT.has(text.toLowerCase())) break;
    if (text) {
      try {
        const choice = /^\d{1,3}$/.test(text) ? choices[Number(text) - 1] : undefined;
        show(
          choice ? await core.handleButton(chat, choice.data) : await core.handleText(chat, text),
        );
      } catch (error) {
        write(`(lỗi / error: ${(error as Error).message})`);
      }
    }
    prompt();
  }
  lines.close();
}
