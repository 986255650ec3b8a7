import { DuplicateError, isUniqueViolation, NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import type { CategoryRow } from "../db/tables/categories";
import { cleanLine } from "../text/normalize";

export interface Category {
  id: number;
  slug: string;
  name: { vi: string; en: string };
  position: number;
}

export interface CategoryInput {
  slug: string;
  name: { vi: string; en: string };
  position?: number;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class InvalidCategoryError extends Error {
  override name = "InvalidCategoryError";
}

function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    slug: row.slug,
    name: { vi: row.name_vi, en: row.name_en },
    position: row.position,
  };
}

function validate(input: CategoryInput): { slug: string; vi: string; en: string } {
  if (!SLUG.test(input.slug)) {
    throw new InvalidCategoryError(
      `category slug "${input.slug}" must be lower-case letters, digits and dashes (e.g. thoi-su)`,
    );
  }
  const vi = cleanLine(input.name.vi);
  const en = cleanLine(input.name.en);
  if (!vi || !en)
    throw new InvalidCategoryError(`category "${input.slug}" needs a name in vi and en`);
  if (vi.length > 100 || en.length > 100) {
    throw new InvalidCategoryError(`category "${input.slug}": names are at most 100 characters`);
  }
  return { slug: input.slug, vi, en };
}

async function nextPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom("categories")
    .select((eb) => eb.fn.max("position").as("max"))
    .executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

/** Adds a category; a slug already taken is a DuplicateError. New ones go last unless placed. */
export async function addCategory(db: Db, input: CategoryInput): Promise<Category> {
  const { slug, vi, en } = validate(input);
  const position = input.position ?? (await nextPosition(db));
  try {
    const row = await db
      .insertInto("categories")
      .values({ slug, name_vi: vi, name_en: en, position })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCategory(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(`category "${slug}" already exists`);
    throw error;
  }
}

/** Adds or updates by slug (for SOURCES_FILE): names and position follow the input. */
export async function upsertCategory(db: Db, input: CategoryInput): Promise<Category> {
  const { slug, vi, en } = validate(input);
  const existing = await findCategoryBySlug(db, slug);
  if (!existing) return addCategory(db, input);
  const row = await db
    .updateTable("categories")
    .set({
      name_vi: vi,
      name_en: en,
      ...(input.position !== undefined ? { position: input.position } : {}),
    })
    .where("id", "=", existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCategory(row);
}

export async function listCategories(db: Db): Promise<Category[]> {
  const rows = await db
    .selectFrom("categories")
    .selectAll()
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toCategory);
}

export async function findCategoryBySlug(db: Db, slug: string): Promise<Category | undefined> {
  const row = await db
    .selectFrom("categories")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirst();
  return row && toCategory(row);
}

export async function getCategoryBySlug(db: Db, slug: string): Promise<Category> {
  const category = await findCategoryBySlug(db, slug);
  if (!category) throw new NotFoundError(`no category "${slug}"; see \`bantin category list\``);
  return category;
}

export async function findCategoryById(db: Db, id: number): Promise<Category | undefined> {
  const row = await db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toCategory(row);
}
