import { foldForSearch } from "../text/fold";

export type CommandName =
  | "start"
  | "topics"
  | "latest"
  | "search"
  | "read"
  | "digest"
  | "time"
  | "lang"
  | "stop"
  | "help"
  | "broadcast";

export type ParsedText =
  | { kind: "command"; name: CommandName; args: string }
  | { kind: "unknownCommand"; command: string }
  /** A command meant for another bot in a group. */
  | { kind: "notForUs" }
  | { kind: "text"; text: string };

/** Slash commands: the ASCII names Telegram shows, and Vietnamese aliases (folded). */
const SLASH: Record<string, CommandName> = {
  start: "start",
  batdau: "start",
  topics: "topics",
  chude: "topics",
  latest: "latest",
  moi: "latest",
  tinmoi: "latest",
  search: "search",
  tim: "search",
  timkiem: "search",
  read: "read",
  doc: "read",
  digest: "digest",
  bantin: "digest",
  time: "time",
  gio: "time",
  lang: "lang",
  ngonngu: "lang",
  language: "lang",
  stop: "stop",
  huy: "stop",
  dung: "stop",
  help: "help",
  trogiup: "help",
  huongdan: "help",
  broadcast: "broadcast",
  tinnong: "broadcast",
};

/**
 * Plain words people type instead of commands, folded ("tìm bão lũ", "chủ đề", "đọc 12"). Each
 * says when it is unambiguous enough to be taken as a command.
 */
const KEYWORDS: { words: string; name: CommandName; accepts: (args: string) => boolean }[] = [
  { words: "chu de", name: "topics", accepts: (a) => a === "" },
  { words: "ban tin", name: "digest", accepts: (a) => a === "" },
  { words: "tin moi", name: "latest", accepts: (a) => !/\s/.test(a) },
  { words: "tro giup", name: "help", accepts: (a) => a === "" },
  { words: "huong dan", name: "help", accepts: (a) => a === "" },
  { words: "tim kiem", name: "search", accepts: () => true },
  { words: "tim", name: "search", accepts: () => true },
  { words: "doc", name: "read", accepts: (a) => /^\d{1,10}$/.test(a) },
  { words: "moi", name: "latest", accepts: (a) => !/\s/.test(a) },
  { words: "gio", name: "time", accepts: (a) => /^(\d{1,2}[:h.]\d{2}|tat|off|bat)$/i.test(a) },
  { words: "dung", name: "stop", accepts: (a) => a === "" },
  { words: "huy", name: "stop", accepts: (a) => a === "" },
  { words: "help", name: "help", accepts: (a) => a === "" },
  { words: "latest", name: "latest", accepts: (a) => !/\s/.test(a) },
  { words: "topics", name: "topics", accepts: (a) => a === "" },
  { words: "search", name: "search", accepts: () => true },
  { words: "read", name: "read", accepts: (a) => /^\d{1,10}$/.test(a) },
  { words: "digest", name: "digest", accepts: (a) => a === "" },
  { words: "time", name: "time", accepts: (a) => /^(\d{1,2}[:h.]\d{2}|off)$/i.test(a) },
  { words: "start", name: "start", accepts: (a) => a === "" },
  { words: "bat dau", name: "start", accepts: (a) => a === "" },
];

export function parseText(raw: string, botUsername?: string): ParsedText {
  const text = raw.normalize("NFC").trim();
  if (text.startsWith("/")) {
    const match = /^\/([^\s@]+)(?:@(\S+))?\s*([\s\S]*)$/.exec(text);
    if (!match) return { kind: "unknownCommand", command: text.split(/\s/)[0] ?? text };
    const [, word = "", mention, args = ""] = match;
    if (mention && botUsername && mention.toLowerCase() !== botUsername.toLowerCase()) {
      return { kind: "notForUs" };
    }
    const name = SLASH[foldForSearch(word).replace(/[^a-z0-9]/g, "")];
    if (!name) return { kind: "unknownCommand", command: `/${word}`.slice(0, 40) };
    return { kind: "command", name, args: args.trim() };
  }

  const folded = foldForSearch(text);
  for (const keyword of KEYWORDS) {
    if (folded === keyword.words || folded.startsWith(`${keyword.words} `)) {
      // Arguments keep the reader's own spelling: cut as many words as the keyword has.
      const args = text.split(/\s+/).slice(keyword.words.split(" ").length).join(" ");
      if (keyword.accepts(args)) return { kind: "command", name: keyword.name, args };
    }
  }
  return { kind: "text", text };
}
