import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface CategoriesTable {
  id: Generated<number>;
  slug: string;
  name_vi: string;
  name_en: string;
  position: Generated<number>;
  created_at: Generated<string>;
}
export type CategoryRow = Selectable<CategoriesTable>;
export type NewCategoryRow = Insertable<CategoriesTable>;
export type CategoryUpdate = Updateable<CategoriesTable>;
