import type { Generated, Selectable } from "kysely";

/** Sign-in links and console sessions (0008); only a SHA-256 of each token is kept. */
export interface AdminWebSessionsTable {
  token_hash: string;
  /** link | session */
  kind: string;
  /** "telegram:<id>", "zalo:<id>" or "token" (ADMIN_WEB_TOKEN). */
  admin: string;
  created_at: Generated<string>;
  expires_at: string;
  used_at: string | null;
}
export type AdminWebSessionRow = Selectable<AdminWebSessionsTable>;

/** Keys the console uses, shared by every process on the database (0008). */
export interface AdminWebKeysTable {
  name: string;
  value: string;
  created_at: Generated<string>;
}
