/**
 * Editors' names: the name the platform gave each editor (Telegram first and last name, Zalo
 * display name), kept when they ask for a console link or write to the bot, so that people read
 * "Lan Nguyễn (telegram:5000)" where the audit log says `telegram:5000`. Someone whose name was
 * never seen is shown by their id alone.
 */
import type { Db } from "../db/schema";

/** A kept name is cut to this many characters (a display name is the person's to choose). */
export const MAX_EDITOR_NAME_CHARS = 64;

/** A name as it is kept: one line, trimmed, cut; null when nothing is left. */
export function cleanEditorName(name: string | null | undefined): string | null {
  if (!name) return null;
  const line = name.replace(/\s+/g, " ").trim();
  if (!line) return null;
  const chars = [...line];
  return chars.length > MAX_EDITOR_NAME_CHARS
    ? `${chars.slice(0, MAX_EDITOR_NAME_CHARS - 1).join("")}…`
    : line;
}

/**
 * Keeps an editor's name ("telegram:5000" → "Lan Nguyễn"); the newest name wins. Answers
 * whether it changed anything.
 */
export async function rememberEditorName(
  db: Db,
  editor: string,
  name: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto("editor_names")
    .values({ editor, name, updated_at: at })
    .onConflict((oc) =>
      oc
        .column("editor")
        .doUpdateSet({ name, updated_at: at })
        .where("editor_names.name", "<>", name),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Forgets an editor's name (a reader who is also an editor erased their data). */
export async function forgetEditorName(db: Db, editor: string): Promise<void> {
  await db.deleteFrom("editor_names").where("editor", "=", editor).execute();
}

/** Every kept name, by editor ("telegram:5000" → "Lan Nguyễn"). */
export async function editorNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom("editor_names").select(["editor", "name"]).execute();
  return new Map(rows.map((r) => [r.editor, r.name]));
}

/** One editor's kept name, or null. */
export async function editorNameOf(db: Db, editor: string): Promise<string | null> {
  const row = await db
    .selectFrom("editor_names")
    .select("name")
    .where("editor", "=", editor)
    .executeTakeFirst();
  return row?.name ?? null;
}

/** An actor as people read it: "Lan Nguyễn (telegram:5000)", or the id when no name is kept. */
export function showEditor(actor: string, name: string | null | undefined): string {
  return name ? `${name} (${actor})` : actor;
}
