import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db";
import type { DbHandle } from "../../src/db/schema";

// Rows are read from SQLite as arrays and made into objects in JavaScript (db/sqlite-statements.ts):
// what callers get must be what better-sqlite3's own objects would have been.
describe("SQLite rows read as arrays", () => {
  let db: DbHandle | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });
  const open = () => {
    db = openDatabase({ kind: "sqlite", path: ":memory:" }).db;
    return db;
  };

  it("gives objects named by column, with every SQLite type", async () => {
    const handle = open();
    const { rows } = await sql<Record<string, unknown>>`select 1 as "one", 'vi' as "lang",
      2.5 as "half", null as "none", x'00ff' as "bytes", 'Thời sự' as "Tên có dấu"`.execute(handle);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      one: 1,
      lang: "vi",
      half: 2.5,
      none: null,
      bytes: Buffer.from([0, 255]),
      "Tên có dấu": "Thời sự",
    });
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });

  it("keeps the later of two columns of one name, as better-sqlite3 does", async () => {
    const { rows } = await sql`select 1 as "id", 2 as "id"`.execute(open());
    expect(rows).toEqual([{ id: 2 }]);
  });

  it("takes names that are not identifiers in JavaScript, quotes and all", async () => {
    const name = `a"b'c\\d\`e \${x} ) }; throw 1; //`;
    const { rows } = await sql`select 7 as ${sql.id(name)}`.execute(open());
    expect(rows).toEqual([{ [name]: 7 }]);
  });

  it("reads a column named __proto__ as better-sqlite3 does, without a prototype of 1", async () => {
    const { rows } = await sql<Record<string, unknown>>`select 1 as "__proto__", 2 as "x"`.execute(
      open(),
    );
    const row = rows[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(row.x).toBe(2);
  });

  it("streams rows as objects, and runs writes and RETURNING", async () => {
    const handle = open();
    await sql`create table t (id integer primary key, name text)`.execute(handle);
    const inserted = await sql<{ id: number; name: string }>`insert into t (name)
      values ('a'), ('b'), ('c') returning id, name`.execute(handle);
    expect(inserted.rows).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
      { id: 3, name: "c" },
    ]);
    const updated = await sql`update t set name = upper(name) where id > 1`.execute(handle);
    expect(updated.numAffectedRows).toBe(2n);
    const names: unknown[] = [];
    const table = handle as unknown as Kysely<{ t: { id: number; name: string } }>;
    for await (const row of table.selectFrom("t").select("name").orderBy("id").stream()) {
      names.push(row);
    }
    expect(names).toEqual([{ name: "a" }, { name: "B" }, { name: "C" }]);
  });
});
