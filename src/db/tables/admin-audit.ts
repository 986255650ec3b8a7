import type { Generated, Insertable, Selectable } from "kysely";

export interface AdminAuditTable {
  id: Generated<number>;
  at: Generated<string>;
  actor: string;
  action: string;
  /** JSON object. */
  detail: Generated<string>;
}
export type AdminAuditRow = Selectable<AdminAuditTable>;
export type NewAdminAuditRow = Insertable<AdminAuditTable>;
