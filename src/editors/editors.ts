/**
 * Editors: the people in ADMINS, who run the newsroom's side of bantin (breaking news, the web
 * console, feeds and topics). This is the one place that says whether someone is one.
 */
import type { AdminId } from "../config";

/** The command line acting for the operator, in the audit log. */
export const CLI_ACTOR = "cli";

/** How an editor is named in the audit log and in console sessions: "telegram:42". */
export function editorName(platform: string, userId: string): string {
  return `${platform}:${userId}`;
}

/** Whether this user of this platform is an editor. */
export function isEditor(editors: readonly AdminId[], platform: string, userId: string): boolean {
  return editors.some((e) => e.platform === platform && e.userId === userId);
}

/** Whether an editor's name ("telegram:42") still names an editor (ADMINS may have changed). */
export function isEditorName(editors: readonly AdminId[], name: string): boolean {
  const colon = name.indexOf(":");
  return colon > 0 && isEditor(editors, name.slice(0, colon), name.slice(colon + 1));
}

/**
 * The editors' own private chats (a private chat has its user's id on Telegram and Zalo): where
 * a test of breaking news goes.
 */
export function editorChats(editors: readonly AdminId[]): { platform: string; chatId: string }[] {
  return editors.map((e) => ({ platform: e.platform, chatId: e.userId }));
}
