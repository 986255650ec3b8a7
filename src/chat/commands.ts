/**
 * Reading what a reader typed: a slash command (ASCII name or Vietnamese alias, accents
 * optional), plain words that stand for a command ("tìm bão lũ", "chủ đề", "đọc 12"), or text.
 * The table comes from the features, so a command is declared once, where it is handled.
 * A story's own id has its own form, "/doc_1234" (or "/read_1234", and Telegram's deep link
 * "/start doc_1234"): it reaches the read command as "#1234", while "/doc 2" means item 2 of
 * the last list shown.
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

/** "doc_1234" / "read_1234": a story by its own id (as links and deep links carry it). */
const OWN_ID = /^(?:doc|read)_(\d{1,10})$/;

/** The read command's argument for a story's own id (never something a list number looks like). */
const storyIdArg = (id: string) => `#${id}`;

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
    const own = OWN_ID.exec(foldForSearch(word))?.[1];
    if (own) return { kind: "command", name: "read", args: storyIdArg(own) };
    const name = SLASH.get(foldForSearch(word).replace(/[^a-z0-9]/g, ""));
    if (!name) return { kind: "unknownCommand", command: `/${word}`.slice(0, 40) };
    // Telegram's deep link to a story: t.me/<bot>?start=doc_1234 arrives as "/start doc_1234".
    const deep = name === "start" ? OWN_ID.exec(foldForSearch(args.trim()))?.[1] : undefined;
    if (deep) return { kind: "command", name: "read", args: storyIdArg(deep) };
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
