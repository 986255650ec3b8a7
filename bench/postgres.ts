/**
 * A fresh PostgreSQL database for a bench run, created and dropped on the server of
 * BENCH_DATABASE_URL (else TEST_DATABASE_URL, else the local server on 127.0.0.1:5432).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const BENCH_POSTGRES_SERVER =
  process.env.BENCH_DATABASE_URL?.trim() ||
  process.env.TEST_DATABASE_URL?.trim() ||
  "postgres://postgres@127.0.0.1:5432/postgres";

/** The server's URL without a password, for the text of a section. */
export function serverForText(): string {
  try {
    const url = new URL(BENCH_POSTGRES_SERVER);
    url.password = "";
    return url.toString();
  } catch {
    return "(PostgreSQL)";
  }
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: BENCH_POSTGRES_SERVER,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** The server's version, e.g. "PostgreSQL 15.20". */
  version: string;
  drop(): Promise<void>;
}

/** Creates `bantin_bench_<random>`; rejects when the server does not answer. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `bantin_bench_${randomBytes(6).toString("hex")}`;
  const version = await onServer(async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    const { rows } = await c.query<{ v: string }>("select version() as v");
    return /^PostgreSQL [\d.]+/.exec(rows[0]?.v ?? "")?.[0] ?? "PostgreSQL";
  });
  const url = new URL(BENCH_POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    version,
    async drop() {
      await onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** One line for a section when PostgreSQL could not be used. */
/**
 * A fresh bench database, or, when the server does not answer, none and the line the section
 * prints instead of PostgreSQL's figures.
 */
export async function benchDatabaseOrNote(): Promise<{
  database?: BenchDatabase;
  version: string;
  note: string;
}> {
  try {
    const database = await createBenchDatabase();
    return { database, version: database.version, note: "" };
  } catch (error) {
    return { version: "", note: postgresSkipped(error) };
  }
}

export function postgresSkipped(error: unknown): string {
  const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return `PostgreSQL: not measured, the server at ${serverForText()} did not answer (${why}).`;
}
