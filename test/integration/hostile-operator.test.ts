/**
 * The operator's half of the hostile corpus (fixtures/hostile/operator-inputs.json): what may be
 * mistyped at the command line ends in one line that says what is wrong, a non-zero exit, and no
 * change at all: not to the rows, not to the audit log, not to the working folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { COPIED_TABLES } from "../../src/db/copy";
import { runCli, scratchDir } from "../helpers/cli";
import { prepareNewsDb } from "../helpers/telegram-harness";

interface OperatorInput {
  args: string[];
  env?: Record<string, string>;
  says: string;
  why: string;
}

const corpus = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/hostile/operator-inputs.json"), "utf8"),
) as { cases: OperatorInput[] };

/** Every table's row count, and the whole audit log. */
function snapshot(path: string): { counts: Record<string, number>; audit: unknown[] } {
  const sqlite = new SqliteDatabase(path, { readonly: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of COPIED_TABLES) {
      counts[table] = (
        sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }
      ).n;
    }
    return { counts, audit: sqlite.prepare("select * from admin_audit order by id").all() };
  } finally {
    sqlite.close();
  }
}

describe("what an operator may mistype", () => {
  let path: string;
  beforeAll(async () => {
    const news = await prepareNewsDb();
    await news.db.destroy();
    path = news.path;
  });

  it("holds the cases the issues found", () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(corpus.cases.map((c) => [c.args.join(" ").slice(0, 70), c] as const))(
    "%s",
    async (_name, input) => {
      const url = `sqlite:${path}`;
      const before = snapshot(path);
      const cwd = scratchDir();
      const result = await runCli(
        input.args.map((arg) => arg.replaceAll("{{db}}", url)),
        { DATABASE_URL: url, ...input.env },
        { cwd },
      );
      expect(result.code, input.why).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(new RegExp(input.says));
      expect(snapshot(path)).toEqual(before);
      expect(readdirSync(cwd)).toEqual([]);
    },
  );
});
