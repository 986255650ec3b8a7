/** The name the platform gave each editor (0016), for the console and `bantin audit`. */
export interface EditorNamesTable {
  /** "telegram:<id>" or "zalo:<id>", as the audit log names editors. */
  editor: string;
  name: string;
  updated_at: string;
}
