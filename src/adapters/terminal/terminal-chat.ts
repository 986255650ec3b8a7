import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type ChatContext, fileAsMessage } from "../../chat/context";
import type { ChatCore, ChatOutput } from "../../chat/core";
import { catalogue } from "../../message/i18n/index";
import { renderPlain } from "../../message/render/plain";

export interface TerminalChatOptions {
  core: ChatCore;
  chat: ChatContext;
  input: Readable;
  output: Writable;
  /** Printed once at the start. */
  intro?: string[];
}

const QUIT = new Set(["/quit", "/exit", "/thoat", "thoat", "thoát", "quit", "exit"]);

/**
 * The terminal adapter: the demo's chat in the terminal. Buttons are printed as numbered choices, which
 * the chat reads back when a number is typed.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { core, chat, output } = options;
  const write = (text: string) => output.write(`${text}\n`);

  const show = ({ locale, replies }: ChatOutput) => {
    const t = catalogue(locale);
    for (const reply of replies) {
      if (reply.type === "notice") {
        if (reply.text) write(`› ${reply.text}`);
        continue;
      }
      const message = reply.type === "file" ? fileAsMessage(reply) : reply.message;
      const rendered = renderPlain(message, locale);
      // An album's photos come first, each with its caption, then the text.
      for (const photo of rendered.album ?? []) {
        write(`🖼  ${t.photo}: ${photo.url}`);
        if (photo.caption) write(photo.caption);
      }
      if (rendered.album?.length) write("");
      if (rendered.photo) {
        write(`🖼  ${t.photo}: ${rendered.photo.url}`);
        write(rendered.photo.caption);
      } else {
        write(rendered.text);
      }
      write("");
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
        show(await core.handle(chat, { kind: "text", text }));
      } catch (error) {
        write(`(lỗi / error: ${(error as Error).message})`);
      }
    }
    prompt();
  }
  lines.close();
}
