/**
 * Reading what a reader typed: a slash command (ASCII name or Vietnamese alias, accents
 * optional), plain words that stand for a command ("tìm bão lũ", "chủ đề", "đọc 12"), or text.
 * The table comes from the features, so a command is declared once, where it is handled.
 */
import { foldForSearch } from "../text/fold";
import type { CommandName, CommandSpec } from "./feature";
import { FEATURES } from "./features";

export type ParsedText =
  | { kind: "command"; name: CommandName; args: string }
  | { kind: "unknownCommand"; command: string }
  /** A command meant for another bot in a group. */
  | { kind: "notForUs" }
  | { kind: "text"; text: string };

export const COMMANDS: readonly CommandSpec[] = FEATURES.flatMap((f) => f.commands);

const SLASH = new Map<string, CommandName>(
  COMMANDS.flatMap((c) => c.slash.map((alias) => [alias, c.name] as const)),
);

/** Longer keywords first, so that "tim kiem bao" is not read as "tim" + "kiem bao". */
const KEYWORDS = COMMANDS.flatMap((c) =>
  (c.keywords ?? []).map((k) => ({ ...k, name: c.name, wordCount: k.words.split(" ").length })),
).sort((a, b) => b.words.length - a.words.length);

export function parseText(raw: string, botUsername?: string): ParsedText {
  const text = raw.normalize("NFC").trim();
  if (text.startsWith("/")) {
    const match = /^\/([^\s@]+)(?:@(\S+))?\s*([\s\S]*)$/.exec(text);
    if (!match) return { kind: "unknownCommand", command: text.split(/\s/)[0] ?? text };
    const [, word = "", mention, args = ""] = match;
    if (mention && botUsername && mention.toLowerCase() !== botUsername.toLowerCase()) {
      return { kind: "notForUs" };
    }
    const name = SLASH.get(foldForSearch(word).replace(/[^a-z0-9]/g, ""));
    if (!name) return { kind: "unknownCommand", command: `/${word}`.slice(0, 40) };
    return { kind: "command", name, args: args.trim() };
  }

  const folded = foldForSearch(text);
  for (const keyword of KEYWORDS) {
    if (folded === keyword.words || folded.startsWith(`${keyword.words} `)) {
      // Arguments keep the reader's own spelling: cut as many words as the keyword has.
      const args = text.split(/\s+/).slice(keyword.wordCount).join(" ");
      if (keyword.accepts(args)) return { kind: "command", name: keyword.name, args };
    }
  }
  return { kind: "text", text };
}

/** The command menu a platform shows (Telegram), from the same table, in one language. */
export function commandMenu(
  locale: "vi" | "en",
  describe: (name: CommandName) => string,
): { command: string; description: string }[] {
  return COMMANDS.flatMap((c) =>
    c.menu ? [{ command: c.menu[locale], description: describe(c.name) }] : [],
  );
}
