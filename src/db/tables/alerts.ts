import type { Generated, Selectable } from "kysely";

/** An incident told to the admins: open while cleared_at is null (0007). */
export interface AlertIncidentsTable {
  /** "feed:<source id>", "dead:<platform>", "lag:<platform>", "token:<platform>". */
  key: string;
  /** feed | dead | lag | token */
  kind: string;
  opened_at: string;
  cleared_at: string | null;
  /** JSON of what was seen when it opened. */
  details: Generated<string>;
  updated_at: Generated<string>;
}
export type AlertIncidentRow = Selectable<AlertIncidentsTable>;
