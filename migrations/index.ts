import type { Migration } from "kysely";
import * as m0001 from "./0001_initial";

/**
 * Every migration, by name, in order. Listed statically (not read from the folder) so they load
 * the same under tsx, vitest and any bundler. Add new ones at the end; never edit old ones.
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
};
