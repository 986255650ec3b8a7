/** Says once per run whether the suites that run on both stores run on PostgreSQL too. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL?.trim()) {
    console.log(
      "PostgreSQL suites skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); they run on SQLite only.",
    );
  }
}
