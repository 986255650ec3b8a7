/**
 * Who may use the web console, for the chat's /admin and the console's own sign-in: one-time
 * links for editors, sessions they open (each sign-in in the audit log), and whether a session
 * still belongs to an editor (ADMINS may have changed, the token may have been unset). It also
 * keeps the name the platform gives each editor, so people read names rather than ids.
 */
import type { Clock } from "../clock";
import type { AdminId } from "../config";
import type { Db } from "../db/schema";
import { recordAudit } from "../editors/audit";
import {
  createSession,
  createSignInLink,
  endSession,
  findSession,
  redeemSignInLink,
  signInLinkIsValid,
  TOKEN_ADMIN,
} from "../editors/console-sessions";
import { cleanEditorName, rememberEditorName } from "../editors/editor-names";
import { editorName, isEditor, isEditorName } from "../editors/editors";

export interface ConsoleAccess {
  /**
   * A one-time sign-in link token for this editor (keeping the name the platform gave them);
   * null for anyone who is not one.
   */
  signInLink(platform: string, userId: string, name?: string | null): Promise<string | null>;
  /**
   * Keeps the name the platform gives an editor (each of their chat updates carries it); written
   * only when it changed, so asking on every update costs a look in memory. Anyone who is not
   * an editor is left alone.
   */
  rememberName(platform: string, userId: string, name: string | null): Promise<void>;
  /** Whether a link is still good (shown before it is used); does not use it. */
  linkIsValid(token: string): Promise<boolean>;
  /** Uses a link: the editor it was for, if still an editor; null otherwise. */
  redeemLink(token: string): Promise<string | null>;
  /** Opens a session for an editor (or the token's holder); answers the session's token. */
  openSession(editor: string, how: "link" | "token"): Promise<string>;
  /** The editor of a session, while it lasts and they still are one; null otherwise. */
  editorOf(sessionToken: string): Promise<string | null>;
  endSession(sessionToken: string): Promise<void>;
}

export function consoleAccess(deps: {
  db: Db;
  clock: Clock;
  editors: readonly AdminId[];
  /** ADMIN_WEB_TOKEN, while it is set. */
  webToken?: string;
}): ConsoleAccess {
  const { db } = deps;
  const now = () => deps.clock().toISOString();
  const stillAllowed = (editor: string) =>
    editor === TOKEN_ADMIN ? deps.webToken !== undefined : isEditorName(deps.editors, editor);

  /** The name last kept for each editor by this process. */
  const kept = new Map<string, string>();
  async function rememberName(platform: string, userId: string, given: string | null) {
    const name = cleanEditorName(given);
    if (!name || !isEditor(deps.editors, platform, userId)) return;
    const editor = editorName(platform, userId);
    if (kept.get(editor) === name) return;
    await rememberEditorName(db, editor, name, now());
    kept.set(editor, name);
  }

  return {
    async signInLink(platform, userId, name) {
      if (!isEditor(deps.editors, platform, userId)) return null;
      await rememberName(platform, userId, name ?? null);
      return createSignInLink(db, editorName(platform, userId), now());
    },
    rememberName,
    linkIsValid: (token) => signInLinkIsValid(db, token, now()),
    async redeemLink(token) {
      const editor = await redeemSignInLink(db, token, now());
      return editor && stillAllowed(editor) ? editor : null;
    },
    async openSession(editor, how) {
      const at = now();
      const token = await createSession(db, editor, at);
      await recordAudit(db, { actor: editor, action: "console.sign-in", detail: { how }, at });
      return token;
    },
    async editorOf(sessionToken) {
      const session = await findSession(db, sessionToken, now());
      return session && stillAllowed(session.admin) ? session.admin : null;
    },
    endSession: (sessionToken) => endSession(db, sessionToken),
  };
}
